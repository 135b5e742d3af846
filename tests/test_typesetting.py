"""Chinese typesetting of the PDF: measured on the built example, and the rules that drive it."""
from __future__ import annotations

import shutil
from pathlib import Path

import pymupdf
import pytest

from mspress.cli import main
from mspress.typeset import spacing, weasyprint_patch

from .pdf_lines import CLOSING, OPENING, Body, body_rows, rows

REPO = Path(__file__).parent.parent
BODY_SIZE = 10.5
"""The template's text size (print.css), in points."""


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> pymupdf.Document:
    root = tmp_path_factory.mktemp("typeset")
    for name in ("manuscript", "references"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    assert main(["build", "-C", str(root), "--format", "pdf"]) == 0
    return pymupdf.open(root / "output" / "manuscript.pdf")


@pytest.fixture(scope="module")
def body(pdf: pymupdf.Document) -> Body:
    return body_rows(pdf, BODY_SIZE)


def test_paragraph_lines_reach_the_right_margin(body: Body) -> None:
    assert len(body.inner) > 100
    short = [(r.page, r.text[:12], round((body.right - r.end) / body.em, 2)) for r in body.inner if body.right - r.end > 0.25 * body.em]
    assert short == []


def test_no_wide_gaps_between_glyphs(body: Body) -> None:
    wide = [(r.page, r.text[:12], round(r.max_gap(body.em), 2)) for r in body.inner + body.last if r.max_gap(body.em) > 0.3]
    assert wide == []


def test_chinese_and_latin_are_a_quarter_em_apart(body: Body) -> None:
    gaps = []
    for row in body.inner:
        for a, b in zip(row.glyphs, row.glyphs[1:], strict=False):
            if spacing.is_cjk(a.char) and a.char not in CLOSING | OPENING and spacing.is_latin(b.char) and abs(a.size - b.size) < 0.1:
                gaps.append((b.x0 - a.x1) / body.em)
    assert len(gaps) > 20
    assert all(0.2 <= g <= 0.3 for g in gaps), sorted(gaps)[:3] + sorted(gaps)[-3:]


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(pdf: pymupdf.Document) -> None:
    bad = [(r.page, r.text[:10]) for r in rows(pdf) if r.text.strip() and (r.text.strip()[0] in CLOSING or r.text.strip()[-1] in OPENING)]
    assert bad == []


def test_no_line_starts_with_a_citation_mark(pdf: pymupdf.Document, body: Body) -> None:
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


def test_headings_are_not_left_at_a_page_foot(pdf: pymupdf.Document, body: Body) -> None:
    page_rows = rows(pdf)
    for row, following in zip(page_rows, page_rows[1:] + [None], strict=False):
        if row.size > body.em + 0.3 and row.glyphs[0].char.isdigit():  # a numbered heading
            assert following is not None and following.page == row.page, f"heading {row.text!r} ends page {row.page}"


def test_every_glyph_exists_and_fonts_are_embedded_subsets(pdf: pymupdf.Document) -> None:
    assert [c for page in pdf for span in page.get_texttrace() for c in span["chars"] if c[1] == 0] == []
    for i in range(len(pdf)):
        for _xref, ext, _t, basefont, *_ in pdf.get_page_fonts(i):
            assert ext != "n/a" and "+" in basefont


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


def test_stretch_inside_latin_words_only_when_asked() -> None:
    assert spacing.stretch_positions("ab", latin_too=False) == ()
    assert spacing.stretch_positions("ab", latin_too=True) == (1,)


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
