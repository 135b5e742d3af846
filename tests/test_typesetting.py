"""Chinese typesetting and Latin type of the PDF: measured on the built example, on narrow test columns, and the
rules that drive it. The example's figures come from ../shared/tools/typo_metrics.py (keys a–h) and, column by
column, from tests/pdf_lines.py."""
from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pymupdf
import pytest

from mspress.cli import main
from mspress.text import is_han
from mspress.typeset import breaks, hyphenation, spacing, weasyprint_patch

from .pdf_lines import CLOSING, OPENING, Body, body_rows, rows
from .shared_data import require_shared

REPO = Path(__file__).parent.parent
TYPO_METRICS = REPO.parent / "shared" / "tools" / "typo_metrics.py"
BODY_SIZE = 10.5
"""The template's text size (print.css), in points."""


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example, built once; its P value set in italic as journals set statistics (``*P*<0.01``)."""
    root = tmp_path_factory.mktemp("typeset")
    for name in ("manuscript", "references"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    results = root / "manuscript" / "02-results.md"
    results.write_text(re.sub(r"(?<![*\w])P<0\.01", "*P*<0.01", results.read_text(encoding="utf-8")), encoding="utf-8")
    assert main(["build", "-C", str(root), "--format", "pdf"]) == 0
    return root / "output" / "manuscript.pdf"


@pytest.fixture(scope="module")
def pdf(pdf_path: Path) -> pymupdf.Document:
    return pymupdf.open(pdf_path)


@pytest.fixture(scope="module")
def body(pdf: pymupdf.Document) -> Body:
    return body_rows(pdf, BODY_SIZE)


def typo_metrics() -> ModuleType:
    require_shared(TYPO_METRICS)
    spec = importlib.util.spec_from_file_location("typo_metrics", TYPO_METRICS)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def metrics(pdf_path: Path) -> dict[str, Any]:
    result: dict[str, Any] = typo_metrics().analyse(str(pdf_path))
    return result


def test_paragraph_lines_reach_the_right_margin(body: Body, metrics: dict[str, Any]) -> None:
    assert len(body.inner) > 100
    short = [(r.page, r.text[:12], round((body.right_of(r) - r.end) / body.em, 2)) for r in body.inner
             if body.right_of(r) - r.end > 0.25 * body.em]
    assert short == []
    assert metrics["nonfinal_rows"] > 100 and metrics["a_line_fill"]["short_gt_0.25em"] == 0


def test_no_wide_gaps_between_glyphs(body: Body) -> None:
    """Measured column by column with each citation mark in its row (typo_metrics can hang a mark on a heading
    of the other column that shares its baseline, and then counts the mark's place as a gap)."""
    wide = [(r.page, r.text[:12], round(r.max_gap(body.em), 2)) for r in body.inner + body.last if r.max_gap(body.em) > 0.3]
    assert wide == []


def test_no_letter_spacing_inside_latin_words(metrics: dict[str, Any]) -> None:
    latin = metrics["e_latin_spacing"]
    assert latin["pairs_checked"] > 1000
    assert (latin["rows_gt_0.03em"], latin["samples"]) == (0, [])


def test_latin_italic_is_liberation_serif_italic(pdf: pymupdf.Document, metrics: dict[str, Any]) -> None:
    assert metrics["h_italic"] > 0 and all("Liberation-Serif-Italic" in font for font in metrics["h_italic_fonts"])
    italic_p = [c for page in pdf for span in page.get_texttrace() if "Liberation-Serif-Italic" in span["font"]
                for c in span["chars"] if chr(c[0]) == "P"]
    assert italic_p
    fonts = {font["name"].split("+")[-1]: font for font in metrics["d_fonts"]["fonts"]}
    if fonts:  # pdffonts is there
        assert fonts["Liberation-Serif-Italic"]["emb"] == fonts["Liberation-Serif-Italic"]["sub"] == "yes"


def test_latin_in_liberation_and_chinese_in_noto(pdf: pymupdf.Document) -> None:
    """In the text; page numbers and running heads are print.css's own, figures their own."""
    latin_fonts, han_fonts = set(), set()
    for page in pdf:
        for span in page.get_texttrace():
            if abs(span["size"] - BODY_SIZE) > 0.3 or not 60 < span["chars"][0][2][1] < page.rect.height - 60 if span["chars"] else True:
                continue
            for c in span["chars"]:
                ch = chr(c[0])
                if ch.isascii() and ch.isalnum():
                    latin_fonts.add(span["font"].split("-")[0])
                elif is_han(ch):
                    han_fonts.add(span["font"].split("-")[0])
    assert latin_fonts == {"Liberation"} and han_fonts == {"Noto"}


def test_chinese_and_latin_are_a_quarter_em_apart(body: Body) -> None:
    gaps = []
    for row in body.inner:
        for a, b in zip(row.glyphs, row.glyphs[1:], strict=False):
            if spacing.is_cjk(a.char) and a.char not in CLOSING | OPENING and spacing.is_latin(b.char) and abs(a.size - b.size) < 0.1:
                gaps.append((b.x0 - a.x1) / body.em)
    assert len(gaps) > 20
    assert all(0.2 <= g <= 0.3 for g in gaps), sorted(gaps)[:3] + sorted(gaps)[-3:]


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(pdf: pymupdf.Document, metrics: dict[str, Any]) -> None:
    bad = [(r.page, r.text[:10]) for r in rows(pdf, body=BODY_SIZE) if r.text.strip() and (r.text.strip()[0] in CLOSING or r.text.strip()[-1] in OPENING)]
    assert bad == []
    assert (metrics["c_kinsoku"]["start_with_closing"], metrics["c_kinsoku"]["end_with_opening"]) == (0, 0)


def test_no_line_starts_with_a_citation_mark(body: Body) -> None:
    starts = [(r.page, r.text[:10]) for r in body.inner + body.last if r.glyphs[0].size < body.em * 0.9]
    assert starts == []


def test_adjacent_punctuation_is_squeezed(body: Body) -> None:
    squeezed = [b.x0 - a.x0 for r in body.inner + body.last for a, b in zip(r.glyphs, r.glyphs[1:], strict=False)
                if a.char in CLOSING and (b.char in CLOSING or b.char in OPENING)]
    assert squeezed, "the example has ）。 and ），"
    assert all(advance <= 0.55 * body.em for advance in squeezed)


def test_no_gap_between_a_citation_and_what_follows(body: Body) -> None:
    gaps = [(b.x0 - a.x1) / body.em for r in body.inner + body.last for a, b in zip(r.glyphs, r.glyphs[1:], strict=False)
            if a.size < body.em * 0.9 and b.size >= body.em * 0.95 and b.char in CLOSING]
    assert gaps and max(gaps) < 0.05


def test_headings_are_not_left_at_a_column_foot(pdf: pymupdf.Document, body: Body) -> None:
    page_rows = rows(pdf, body=BODY_SIZE)
    for row in page_rows:
        if row.size > body.em + 0.3 and row.glyphs[0].char.isdigit():  # a numbered heading
            column = body.column(row)
            below = [r for r in page_rows if r.page == row.page and r.baseline > row.baseline and body.column(r) == column]
            assert below, f"heading {row.text!r} ends a column of page {row.page}"


def test_every_glyph_exists_and_fonts_are_embedded_subsets(pdf: pymupdf.Document) -> None:
    assert [c for page in pdf for span in page.get_texttrace() for c in span["chars"] if c[1] == 0] == []
    for i in range(len(pdf)):
        for _xref, ext, _t, basefont, *_ in pdf.get_page_fonts(i):
            assert ext != "n/a" and "+" in basefont


def test_abstracts_are_justified(pdf: pymupdf.Document) -> None:
    """Both abstracts fill their lines but the last (the English one was ragged-right)."""
    for label in ("摘要", "Abstract"):
        page_rows = [r for r in rows(pdf, body=BODY_SIZE) if r.page == 1]
        first = next(i for i, r in enumerate(page_rows) if label in r.text[:12])
        paragraph = [page_rows[first]]
        for r in page_rows[first + 1:]:
            if abs(r.size - paragraph[0].size) > 0.1 or r.baseline - paragraph[-1].baseline > 2 * r.size or r.start > paragraph[0].start + 1:
                break
            paragraph.append(r)
        assert len(paragraph) >= 3, label
        right = max(r.end for r in paragraph)
        assert [round(right - r.end, 2) for r in paragraph[:-1] if right - r.end > 0.05 * r.size] == [], label


# --- the rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, positions",
    [
        ("中文字", [1, 2]),
        ("中，文", [2]),  # no stretch before closing punctuation
        ("（中文）", [2]),
        ("：（中", []),  # squeezed pairs stay tight; nothing after an opening mark
        ("word中", [4]),
        ("ab cd", []),
        ("——", []),
    ],
)
def test_stretch_positions(text: str, positions: list[int]) -> None:
    assert list(spacing.stretch_positions(text)) == positions


def test_latin_words_are_not_stretched_only_tracked() -> None:
    assert spacing.stretch_positions("ab 中") == ()
    assert spacing.stretch_positions("ab中文") == (2, 3)
    assert spacing.track_positions("ab 中。") == (1,)
    assert spacing.track_positions("https://\u200bdoi.org") == (1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15)


def boxes(*texts: str) -> list[Any]:
    return [SimpleNamespace(text=t) for t in texts]


def test_slack_goes_to_chinese_gaps_then_word_spaces_never_first_inside_words() -> None:
    em = 10.0
    plan = weasyprint_patch._plan
    line = boxes("中文中文中文 word 中文")  # 6 Chinese gaps, 2 spaces (no gap next to a space), no boundary
    small = plan(line, 0.9 * 0.03 * em, em, chinese=True)
    assert small and small.chars == small.spaces and small.letters == 0  # alike while small
    larger = plan(line, 1.0 * em, em, chinese=True)  # 6 Chinese gaps, 2 word spaces
    assert larger and larger.spaces == pytest.approx(0.04 * em) and larger.chars > larger.spaces and larger.letters == 0
    assert larger.chars * 6 + larger.spaces * 2 == pytest.approx(1.0 * em) and larger.chars < weasyprint_patch.MAX_GAP_EM * em
    latin = boxes("several English words in a line")  # 5 spaces, no Chinese
    english = plan(latin, 1.0 * em, em, chinese=False)
    assert english and english.spaces == pytest.approx(0.2 * em) and english.letters == 0  # under 0.5 em a space
    loose = plan(latin, 1.5 * em, em, chinese=False)
    assert loose and 0 < loose.letters <= weasyprint_patch.LATIN_TRACKING_EM * em  # spaces at 0.5 em, then a hair
    assert loose.spaces == pytest.approx((weasyprint_patch.LATIN_MAX_GAP_EM - weasyprint_patch.LATIN_SPACE_EM) * em)
    in_chinese = plan(latin, 0.4 * em, em, chinese=True)  # a Chinese paragraph's Latin line keeps spaces under 0.3 em
    assert in_chinese and in_chinese.spaces == pytest.approx(0.04 * em) and in_chinese.letters == pytest.approx(0.01 * em)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("https://doi.org/10.1016/S0140-6736(15)60692-4.", "https://|doi.|org/|10.|1016/|S0140|-+6736(15)60692|-+4."),
        ("DOI:10.1176/ajp.2006.163.11.1905", "DOI:10.|1176/|ajp.|2006.|163.|11.|1905"),
        ("www.example.com/a_b?x=1&y=2", "www.|example.|com/|a_|b?|x=|1&|y=|2"),
        ("Title/Abstract, e.g. not a URL", "Title/Abstract, e.g. not a URL"),
    ],
)
def test_urls_and_dois_break_after_marks(text: str, expected: str) -> None:
    assert breaks.breakable(text) == expected.replace("|", breaks.ZWSP).replace("+", breaks.WORD_JOINER)  # before a hyphen


def test_urls_break_in_text_not_in_attributes() -> None:
    fragment = '<p>[1] A. <a href="https://x.org/a/b">https://x.org/a/b</a>.</p>'
    z = breaks.ZWSP
    assert breaks.breakable_urls(fragment) == f'<p>[1] A. <a href="https://x.org/a/b"><span class="url">https://{z}x.{z}org/{z}a/{z}b</span></a>.</p>'


@pytest.mark.parametrize(
    "text, positions",
    [("已达3.5亿", [2, 5]), ("用Endnote去重", [1, 8]), ("（DBS）", []), ("①中", []), ("β波", [1]), ("10%的", [])],
)
def test_autospace_positions(text: str, positions: list[int]) -> None:
    assert list(spacing.autospace_positions(text)) == positions


@pytest.mark.parametrize(
    "text, positions",
    [("症状）。但", [2]), ("说。”他", [1]), ("如下，“好", [2]), ("（“引", [1]), ("中文", []), ("……", [])],
)
def test_squeeze_positions(text: str, positions: list[int]) -> None:
    assert list(spacing.squeeze_positions(text)) == positions


def test_patch_refuses_an_unpinned_weasyprint(monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint

    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    monkeypatch.setattr(weasyprint_patch, "_installed", False)
    with pytest.raises(weasyprint_patch.UnsupportedWeasyPrint, match="patches WeasyPrint 70.0, but 71.0"):
        weasyprint_patch.install()


def test_patch_targets_exist_in_the_pinned_weasyprint() -> None:
    """Fails loudly if an upgrade renames what the patch replaces."""
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    assert callable(inline.justify_line) and callable(inline.text_align)
    assert callable(line_break.Layout.set_text) and callable(line_break.Layout.reactivate)
    assert "justification_spacing" in line_break.Layout.__init__.__code__.co_varnames
    assert {"pyphen", "language_fallback", "Pyphen"} <= set(line_break.split_first_line.__code__.co_names)  # hyphenation languages


def test_chinese_words_hyphenate_with_english_patterns() -> None:
    weasyprint_patch.install()
    from weasyprint.text import line_break

    assert line_break.pyphen.language_fallback("zh-CN") == hyphenation.LATIN_IN_CHINESE == line_break.pyphen.language_fallback("en")
    assert line_break.pyphen.language_fallback("xx") is None
    assert line_break.pyphen.Pyphen(lang="zh-CN", left=2, right=3).inserted("depression") == "de-pres-sion"


@pytest.mark.parametrize("lang", ["en", "en_US", "fr", "de_DE", "nl"])
def test_dictionaries_read_as_pyphen_reads_them(lang: str) -> None:
    import pyphen

    path = pyphen.LANGUAGES[pyphen.language_fallback(lang)]
    patterns = hyphenation.read_patterns(path, pyphen.ignored)
    assert patterns is None or patterns.every() == pyphen.HyphDict(path).patterns  # de_DE has "/" alternatives: left to Pyphen
    assert (patterns is None) == (lang == "de_DE")


def test_a_dictionary_pattern_is_parsed_when_a_word_needs_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every build read the English dictionary's 14,000 patterns; a few hundred words are hyphenated.
    import pyphen

    monkeypatch.setattr(pyphen, "hdcache", {})  # as in a fresh process

    patterns = hyphenation.read_patterns(pyphen.LANGUAGES["en"], pyphen.ignored)
    pyphens = pyphen.HyphDict(pyphen.LANGUAGES["en"])
    assert patterns is not None and len(patterns) == 0 and patterns.maxlen == pyphens.maxlen
    key = next(iter(pyphens.patterns))
    assert patterns.get(key) == pyphens.patterns[key] and len(patterns) == 1
    assert languages_hyphenate("depression") == "de-pres-sion"
    assert isinstance(pyphen.hdcache[pyphen.LANGUAGES["en"]].patterns, hyphenation.Patterns)


def languages_hyphenate(word: str) -> str:
    import pyphen

    return str(hyphenation.HyphenationLanguages(pyphen).Pyphen("en").inserted(word))


def test_quantize_keeps_the_total_and_whole_thousandths() -> None:
    size = 10.5
    gaps = {i: 0.2 for i in range(1, 41)}  # 0.2 pt each = 19.05 thousandths of an em
    q = spacing.quantize(gaps, size)
    assert all(isinstance(v, int) for v in q.values())
    assert abs(sum(q.values()) * size / 1000 - 8.0) < size / 1000


def table_rows_per_page(project_root: Path, rows: int, filler_paragraphs: int) -> list[int]:
    """Build a project whose table starts near a page foot; count its rows on each page."""
    import re

    section = project_root / "manuscript" / "02-table.md"
    body = "\n".join(f"| R{i:03d} | 数值{i} |" for i in range(1, rows + 1))
    filler = "\n\n".join("这是填充段落，用来把表格推到页面底部附近。" * 6 for _ in range(filler_paragraphs))
    section.write_text(f"# 表格\n\n{filler}\n\n见@tbl:long。\n\nTable: 长表格 {{#tbl:long}}\n\n| 项目 | 数值 |\n|---|---|\n{body}\n",
                       encoding="utf-8")
    assert main(["build", "-C", str(project_root), "--format", "pdf"]) == 0
    document = pymupdf.open(project_root / "output" / "manuscript.pdf")
    return [n for n in (len(re.findall(r"R0\d\d", page.get_text())) for page in document) if n]


def test_a_short_table_is_not_split(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(REPO / "tests" / "fixtures" / "projects" / "minimal", root)
    assert table_rows_per_page(root, rows=5, filler_paragraphs=13) == [5]  # unguarded: [4, 1]


def test_a_long_table_leaves_no_single_row(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(REPO / "tests" / "fixtures" / "projects" / "minimal", root)
    pages = table_rows_per_page(root, rows=59, filler_paragraphs=7)
    assert sum(pages) == 59 and len(pages) >= 2 and min(pages) >= 2, pages  # unguarded: [22, 36, 1]


# --- narrow columns: hyphenation, URLs, Chinese marks -----------------------------------------------------------

URL = "https://www.example.org/neuromodulation/deep_brain_stimulation/outcomes.html?study=12345&lang=en"
DOI_URL = "https://doi.org/10.1016/j.long-hyphenated-name-of-a-journal-section.2019-12-31"
ENTRY = ("[1]MCINTYRE C C, SAVASTA M, KERKERIAN-LE GOFF L, et al. Uncovering the mechanism(s) of action of deep brain "
         "stimulation: activation, inhibition, or both in electrophysiologically characterized thalamocortical "
         f"neuromodulation of treatment-resistant depression[J/OL]. Neuropsychopharmacology, 2019, 44(1): 123-134 "
         f"[2021-01-01]. <a href=\"{URL}\">{URL}</a>. {DOI_URL}.")


def narrow_pdf(tmp_path: Path, body: str, width_mm: int = 55) -> pymupdf.Document:
    """``body`` typeset with base.css in a column ``width_mm`` wide, as the PDF writer does."""
    import weasyprint

    weasyprint_patch.install()
    css = (REPO / "mspress" / "templates" / "base.css").read_text(encoding="utf-8")
    page = f"@page {{ size: {width_mm + 10}mm 180mm; margin: 5mm; }} html {{ font-size: 8pt; line-height: 1.5; }}"
    html = f'<!DOCTYPE html><html lang="zh-CN"><head><style>{css}{page}</style></head><body>{body}</body></html>'
    out = tmp_path / "narrow.pdf"
    weasyprint.HTML(string=html).write_pdf(out)
    return pymupdf.open(out)


def test_a_long_english_reference_hyphenates_and_its_url_breaks_after_marks(tmp_path: Path) -> None:
    fragment = f'<section class="references"><div class="reference-list"><div class="reference" lang="en"><p>{ENTRY}</p></div></div></section>'
    document = narrow_pdf(tmp_path, breaks.breakable_urls(fragment))
    lines = [line for page in document for line in page.get_text().splitlines() if line.strip()]
    hyphenated = [line for line in lines if re.search(r"[a-z][\u2010-]$", line) and not line.endswith(("KERKERIAN-", "treatment-"))]
    assert hyphenated, lines
    text = " ".join(lines)
    words = set(re.findall(r"[A-Za-z]+", ENTRY))
    for line, following in zip(lines, lines[1:], strict=False):
        if line in hyphenated:
            assert re.sub(r".*?([A-Za-z]+)[\u2010-]$", r"\1", line) + re.match(r"[a-z]+", following).group(0) in words  # type: ignore[union-attr]
    text = "\n".join(lines)
    assert "\u200b" not in text and "\u2060" not in text
    for url in (URL, DOI_URL):  # copying a URL from the PDF gives the URL; it breaks after / . _ ? & = or before -
        start = text.index(url[:12] if url == URL else "https://doi")
        copied = text[start:start + len(url) + url.count("/") * 2 + 20]
        url_lines = copied.split("\n")
        assert "".join(url_lines).startswith(url), url_lines
        pieces = [line for line in url_lines if line][: len(url_lines) - 1]
        joined = ""
        for line in pieces:
            joined += line
            if len(joined) < len(url):
                assert line[-1] in "/._?&=" or url[len(joined)] == "-", url_lines
    for page in document:  # and no letter spacing on the way
        for span in page.get_texttrace():
            chars = span["chars"]
            for a, b in zip(chars, chars[1:], strict=False):
                if chr(a[0]).isalnum() and chr(b[0]).isalnum() and abs(a[2][1] - b[2][1]) < 0.5:
                    assert (b[3][0] - a[3][2]) / span["size"] <= 0.03, chr(a[0]) + chr(b[0])


def test_a_chinese_paragraph_hyphenates_its_english_words_and_keeps_chinese_marks_full_width(tmp_path: Path) -> None:
    body = ("<p>抑郁症状的评估多采用汉密尔顿抑郁量表（Hamilton Depression Scale，HAMD），少数采用“蒙哥马利—艾森伯格”"
            "抑郁量表……其中anhedonic-like behaviour与electrophysiologically characterized neuromodulation常见。</p>"
            '<p lang="en">He said “hello”… — and left.</p>')
    document = narrow_pdf(tmp_path, body, width_mm=40)
    marks = [(chr(c[0]), span["font"], (c[3][2] - c[3][0]) / span["size"]) for page in document for span in page.get_texttrace()
             for c in span["chars"] if chr(c[0]) in "“”…—"]
    chinese, english = marks[:-4], marks[-4:]
    assert all(font.startswith("Noto-Serif-CJK") and width > 0.9 for _, font, width in chinese if _ != "—"), chinese
    assert all(font.startswith("Liberation-Serif") for _, font, _width in english), english
    assert [round(width, 2) for mark, _, width in english if mark in "“”"] == [0.44, 0.44]  # Latin quotes, proportional
    lines = [line for page in document for line in page.get_text().splitlines()]
    assert any(re.search(r"[a-z][\u2010-]$", line) for line in lines), lines


def test_names_and_codes_are_not_hyphenated() -> None:
    import pyphen

    languages = hyphenation.HyphenationLanguages(pyphen)
    dictionary = languages.Pyphen("zh-CN")
    assert list(dictionary.iterate("stimulation"))  # an ordinary word breaks
    for word in ("MOD09A1", "fMRI", "SPSS", "Landsat8", "GlobeLand"):
        assert list(dictionary.iterate(word)) == [], word


def test_an_ideographic_space_is_the_chinese_fonts_and_spaces_stay_spaces(tmp_path: Path) -> None:
    # Pango draws U+3000 with a Latin font's space glyph, and the PDF's text then reads U+3000 for every space.
    root = tmp_path / "spaces"
    shutil.copytree(Path(__file__).parent / "fixtures" / "projects" / "minimal", root)
    (root / "manuscript" / "01-introduction.md").write_text("# 引言\n\n全角空格　在此，English words here [@wang2020].\n",
                                                           encoding="utf-8")
    assert main(["build", "-C", str(root), "--format", "pdf"]) == 0
    text = "".join(page.get_text() for page in pymupdf.open(root / "output" / "manuscript.pdf"))
    assert "全角空格\u3000在此" in text and "English words here" in text
