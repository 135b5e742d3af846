"""Details of the page found in review: running heads that fit (widths of Latin capitals), apostrophes that are
not Chinese marks, where a wide table's warning points, bookmarks without footnote text, footnotes with lists
and tables set compactly, ``journal.pages`` read without a traceback, and the README on the float placer."""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from xml.etree import ElementTree

import pymupdf
import pytest

from mspress.citations.labels import find_label
from mspress.cli import main
from mspress.commands.build import layout_warnings
from mspress.config import load_settings
from mspress.errors import Location
from mspress.model import Bilingual, Journal
from mspress.transform.resolve import drop_cjk_latin_spaces
from mspress.typeset import floats, spacing, weasyprint_patch
from mspress.writers import html as html_writer
from mspress.writers.html import fit_line, width_em
from mspress.writers.pdf import TypesetPdf, _described
from mspress.writers.print_page import print_parts, with_bookmark_labels, with_page_footnotes

REPO = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
MM = 72 / 25.4

LONG_NAME = "CHINESE JOURNAL OF NERVOUS AND MENTAL DISEASES AND SOMETHING LONG IN ITS INTERNATIONAL EDITION"
PARAGRAPH = ("深部脑刺激是一种通过植入电极对特定脑区施加电刺激的神经调控技术，近年来被用于难治性抑郁症的治疗研究。"
             "多项开放标签研究报告了较好的反应率，但随机对照试验的结果并不一致，提示靶点选择与参数设置仍需优化。")
ENGLISH = ("Deep brain stimulation was rated on Hamilton's scale by the parents' own account, and the trial's "
           "results were compared with the patients' reports over twelve months of follow-up. ")
NOTES = """
# 引言[^h] {#sec:intro}

第一句[@wang2020]。这里有一个脚注[^1]，还有一个[^2]，再来一个[^3]。

{paragraphs}

[^h]: 标题中的脚注文字。

[^1]: 脚注的第一段说明如下：

    - 第一项：抑郁
    - 第二项：焦虑
    - 第三项：失眠

[^2]: 有表格的脚注：

    | 组别 | 例数 |
    |---|---|
    | 试验组 | 30 |
    | 对照组 | 31 |

[^3]: 有编号列表的脚注。

    1. 甲项
    2. 乙项

    最后一段。
"""


# --- A, B: running heads ---------------------------------------------------------------------------------


def test_latin_capitals_are_measured_wider_than_lower_case() -> None:
    # Liberation Sans (the running head's face) sets this name 40.1 em wide, Liberation Serif 38.9 em.
    caps = "CHINESE JOURNAL OF NERVOUS AND MENTAL DISEASES AND SOMETHING LONG"
    assert 39 <= width_em(caps) <= 44
    assert width_em("ILJ") < width_em("MWO") and width_em("iltf") < width_em("mwo")
    assert width_em("1999") == pytest.approx(4 * 0.56) and width_em("a b") == pytest.approx(2 * 0.56 + 0.28)
    assert width_em("中文，") == 3 and width_em("ＡＢ") == 2
    assert width_em("Hamilton’s") - width_em("Hamiltons") < 0.5  # an apostrophe, not a full-width mark
    assert width_em("a b", word_spacing=0.75) == pytest.approx(width_em("a b") + 0.75)


def test_an_all_caps_journal_name_is_cut_to_its_room() -> None:
    room = 36.0
    cut = fit_line(LONG_NAME, room)
    assert cut.endswith("…") and cut != LONG_NAME and width_em(cut) <= room
    assert fit_line("Journal of Tests", room) == "Journal of Tests"
    assert fit_line("ABC", 0.5) == "…"


def test_fitting_a_huge_text_takes_linear_time() -> None:
    text = "Journal of Nervous and Mental Diseases " * 5000  # 195,000 characters
    with html_writer._time_limit(2, Location(Path("running-head"))):  # over two seconds: a ManuscriptError fails it
        cut = fit_line(text, 50.0)
    assert cut.endswith("…") and width_em(cut) <= 50
    assert width_em(text) > 50_000


# --- D: apostrophes ----------------------------------------------------------------------------------------


def test_an_apostrophe_in_an_english_line_is_no_chinese_gap() -> None:
    assert spacing.stretch_positions("Hamilton’s theory of depression") == ()
    assert spacing.track_positions("Hamilton’s") == tuple(range(1, 10))  # inside its word, like any letter
    line = "rated on Hamilton’s scale by the parents’ account"
    counts = weasyprint_patch._counts([SimpleNamespace(text=line)])
    assert counts.chars == 0 and counts.spaces == 7
    plan = weasyprint_patch._plan([SimpleNamespace(text=line)], 5.0, 10.0, chinese=False)
    assert plan is not None and sorted(plan.gaps(line)) == [i + 1 for i, ch in enumerate(line) if ch == " "]  # word spaces only
    # In a Chinese line too: the gaps around Chinese characters stretch, not the one after the apostrophe.
    text = "使用Hamilton’s量表"
    assert spacing.char_positions(text) == (1, 13)  # not 11, between ’ and s
    assert spacing.shared_mark_runs("用Hamilton’s量表") == ()  # the Latin font's apostrophe, not the Chinese font's


def test_quotes_next_to_chinese_text_are_still_chinese_marks() -> None:
    assert spacing.stretch_positions("他说“好”。") == (1, 2)
    assert spacing.shared_mark_runs("他说“好”") == ((2, 3), (4, 5))
    assert spacing.shared_mark_runs("“Hamilton”量表") == ((0, 1), (9, 10))
    assert spacing.squeeze_positions("说。”他") == (1,)
    assert spacing.stretch_positions("用’s") == (2,)  # not between two Latin letters: a Chinese mark


def words(*items: str) -> list[dict[str, Any]]:
    return [{"t": "Space"} if item == " " else {"t": "Str", "c": item} for item in items]


def test_a_space_after_an_apostrophe_or_before_an_english_quote_stays() -> None:
    kept = words("the", " ", "parents’", " ", "rights", " ", "said", " ", "‘hello’", " ", "now")
    assert drop_cjk_latin_spaces(kept) == kept
    assert drop_cjk_latin_spaces(words("中文", " ", "Hamilton", " ", "量表")) == words("中文", "Hamilton", "量表")
    assert drop_cjk_latin_spaces(words("“中文”", " ", "Hamilton")) == words("“中文”", "Hamilton")


# --- C: where the wide-table warning points ----------------------------------------------------------------


TABLE = "\n\n| 组别 | 例数 |\n|---|---|\n| 甲 | 1 |\n\n"


def warned_at(root: Path, text: str, name: str) -> tuple[str, int]:
    """The line and column the ``wide-table`` warning for table ``name`` of ``text`` (01-introduction.md) gives."""
    if not root.exists():
        shutil.copytree(FIXTURES / "projects" / "minimal", root)
    (root / "manuscript" / "01-introduction.md").write_text(text, encoding="utf-8")
    printed = TypesetPdf(b"", 1, (("01-introduction", name),))
    (warning,) = layout_warnings(load_settings(root), None, printed)
    assert warning.code == "wide-table" and warning.location.path == Path("manuscript/01-introduction.md")
    return text.splitlines()[warning.location.line - 1], warning.location.column


def test_a_wide_table_warning_finds_the_whole_label(tmp_path: Path) -> None:
    text = f"# 引言\n\n如@tbl:ab和@tbl:a所示。\n\n: 另一个表 {{#tbl:ab}}{TABLE}: 这个表 {{#tbl:a}}{TABLE}"
    assert warned_at(tmp_path / "p", text, "tbl:a") == (": 这个表 {#tbl:a}", len(": 这个表 {") + 1)  # not {#tbl:ab}
    assert warned_at(tmp_path / "p", text, "tbl:ab") == (": 另一个表 {#tbl:ab}", len(": 另一个表 {") + 1)


def test_a_wide_table_warning_finds_a_label_wherever_it_sits_in_its_attributes(tmp_path: Path) -> None:
    text = f'# 引言\n\n如@tbl:a所示。\n\nTable: 这个表 {{caption-en="This table" .small #tbl:a}}{TABLE}'
    line, column = warned_at(tmp_path / "p", text, "tbl:a")
    assert line.startswith("Table: 这个表") and line[column - 1:] == "#tbl:a}"


def test_a_wide_table_warning_skips_a_label_in_a_comment(tmp_path: Path) -> None:
    text = f"# 引言\n\n如@tbl:a所示。\n\n<!-- : 旧表 {{#tbl:a}} -->\n\n: 这个表 {{#tbl:a}}{TABLE}"
    assert warned_at(tmp_path / "p", text, "tbl:a")[0] == ": 这个表 {#tbl:a}"


def test_a_wide_table_warning_finds_an_unlabelled_tables_caption(tmp_path: Path) -> None:
    text = (f'# 引言\n\n如下表所示。\n\n: 另一个表 {{#tbl:b}}{TABLE}: 两组*P*值比较 {{caption-en="Baseline"}}{TABLE}')
    # The name is the printed caption, its number glued on (and *P* printed as P).
    assert warned_at(tmp_path / "p", text, "表2两组P值比较") == (': 两组*P*值比较 {caption-en="Baseline"}', 3)
    assert warned_at(tmp_path / "p", text, "表9没有这个表") == ("# 引言", 1)


def test_an_unlabelled_table_is_named_by_its_captions_first_line() -> None:
    block = ElementTree.fromstring(
        '<div data-part="01-introduction"><table><caption><span class="caption-zh"><span class="caption-label">表2</span>'
        '两组基线资料比较</span><br /><span class="caption-en"><span class="caption-label">Table 2</span>Baseline</span>'
        '</caption><tr><td>1</td></tr></table></div>')
    assert _described(block) == ("01-introduction", "表2两组基线资料比较")


def test_a_label_is_found_whole_in_its_attribute_block() -> None:
    text = "x {#tbl:ab} y\n: cap {.small #tbl:a caption-en=\"a\"}\n{#tbl:a}"
    assert text[find_label(text, "tbl:a"):].startswith("#tbl:a caption")
    assert find_label(text, "tbl:a", 30) == text.rindex("#tbl:a")
    assert find_label(text, "tbl") == -1 and find_label("see #tbl:a here", "tbl:a") == -1


# --- E, G: footnotes in the print page ---------------------------------------------------------------------


NOTES_LIST = """<section id="footnotes" class="footnotes footnotes-end-of-document" role="doc-endnotes">
<hr />
<ol>
<li id="fn1"><p>说明如下：</p>
<ul>
<li>第一项 &lt;1</li>
<li><p>第二项</p><p>续段</p>
<ol start="3" type="a"><li>内层</li></ol></li>
</ul>
<table>
<thead><tr><th>组别</th><th>例数</th></tr></thead>
<tbody><tr><td>试验组</td><td>30</td></tr></tbody>
</table><a href="#fnref1" class="footnote-back" role="doc-backlink">↩︎</a></li>
<li id="fn2"><p>标题的脚注。<a href="#fnref2" class="footnote-back" role="doc-backlink">↩︎</a></p></li>
</ol>
</section>"""
CALL = '<a href="#fn{n}" class="footnote-ref" id="fnref{n}" role="doc-noteref"><sup>{n}</sup></a>'


def test_a_footnotes_list_and_table_become_lines() -> None:
    parts = with_page_footnotes({"body": f"<p>文字{CALL.format(n=1)}。</p>", "notes": NOTES_LIST})
    note = re.search(r'<span class="page-note">(.*)</span>。</p>', parts["body"])
    assert note and parts["notes"] == ""
    assert not re.search(r"<(?!/?(?:span|strong)\b)", note[1]), note[1]  # no block element, no table row
    lines = re.findall(r'<span class="note-para">(.*?)</span>(?=<span class="note-para">|$)', note[1])
    assert lines == ["说明如下：", "•\u00a0第一项 &lt;1", "•\u00a0第二项", "\u2003续段", "\u2003c.\u00a0内层",
                     "<strong>组别</strong>\u3000<strong>例数</strong>", "试验组\u300030"]


def test_a_numbered_headings_bookmark_leaves_out_its_footnote() -> None:
    heading = f'<h1 id="sec:intro"><span class="secnum">1</span>引言{CALL.format(n=2)}</h1>'
    parts = with_bookmark_labels(with_page_footnotes({"body": heading, "notes": NOTES_LIST}))
    assert 'data-bookmark="1 引言"' in parts["body"] and "标题的脚注。" in parts["body"]
    assert 'data-bookmark="1 引言"' in print_parts({"body": heading, "notes": NOTES_LIST})["body"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project of three pages and more: a long all-caps English journal name, footnotes with a list and a table,
    a footnote in a numbered heading, an English abstract with apostrophes."""
    root = tmp_path_factory.mktemp("details") / "project"
    shutil.copytree(FIXTURES / "projects" / "minimal", root)
    (root / "pyproject.toml").write_text('[tool.mspress]\njournal = "default"\n', encoding="utf-8")
    metadata = root / "manuscript" / "metadata.yaml"
    metadata.write_text(metadata.read_text(encoding="utf-8").replace("en: Journal of Tests", f"en: {LONG_NAME}"), encoding="utf-8")
    (root / "manuscript" / "abstract.en.md").write_text(ENGLISH * 6, encoding="utf-8")
    paragraphs = "\n\n".join(f"{PARAGRAPH}第{i + 1}段。" for i in range(30))
    (root / "manuscript" / "01-introduction.md").write_text(NOTES.replace("{paragraphs}", paragraphs), encoding="utf-8")
    assert main(["build", "-C", str(root), "--format", "pdf", "--format", "html"]) == 0
    return root


def test_the_running_head_holds_a_long_all_caps_name(built: Path) -> None:
    document = pymupdf.open(built / "output" / "manuscript.pdf")
    assert len(document) >= 3
    layout = load_settings(built).journal.layout
    left, right = layout.margins[3] * MM, (layout.page_size[0] - layout.margins[1]) * MM
    page = document[2]  # the first page is 11: its third, 13, is a right page
    heads = [line for block in page.get_text("dict")["blocks"] for line in block.get("lines", ())
             if "No.1" in "".join(span["text"] for span in line["spans"])]
    assert heads, page.get_text()
    text = "".join(span["text"] for span in heads[0]["spans"])
    x0, _, x1, _ = heads[0]["bbox"]
    assert text.startswith("CHINESE JOURNAL OF") and "…" in text
    assert x0 >= left - 1 and x1 <= right + 1, (x0, x1, left, right)


def test_an_apostrophe_in_a_justified_english_line_is_not_widened(built: Path) -> None:
    document = pymupdf.open(built / "output" / "manuscript.pdf")
    gaps = []
    for trace in document[0].get_texttrace():
        chars = trace["chars"]
        for (a, _, _, box_a), (b, _, _, box_b) in zip(chars, chars[1:], strict=False):
            if chr(a) == "’" and chr(b) == "s":
                gaps.append((box_b[0] - box_a[2]) / trace["size"])
    assert len(gaps) >= 6 and max(gaps) < 0.05, gaps  # at most a Latin word's 0.02-em tracking


def test_the_bookmarks_leave_out_a_headings_footnote(built: Path) -> None:
    toc = pymupdf.open(built / "output" / "manuscript.pdf").get_toc()
    assert [1, "1 引言"] in [entry[:2] for entry in toc], toc


def test_a_footnotes_list_and_table_are_set_compactly(built: Path) -> None:
    document = pymupdf.open(built / "output" / "manuscript.pdf")
    found: dict[str, tuple[int, float, float]] = {}
    for number, page in enumerate(document):
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", ()):
                for span in line["spans"]:
                    for word in ("第一项", "第二项", "第三项", "有表格", "组别", "例数", "试验组", "对照组", "31", "甲项", "乙项", "最后一段"):
                        if word in span["text"] and word not in found:
                            found[word] = (number, span["origin"][1], span["size"])
    assert len(found) == 12, found
    pitch = 8 * 1.5 * 1.1  # the notes' size and line height (print.css), and a little
    # An item or a row a line, one line under the other: no empty line between them.
    for upper, lower in (("第一项", "第二项"), ("第二项", "第三项"), ("有表格", "组别"), ("组别", "试验组"), ("试验组", "对照组"),
                         ("甲项", "乙项"), ("乙项", "最后一段")):
        assert found[upper][0] == found[lower][0] and 0 < found[lower][1] - found[upper][1] <= pitch, (upper, lower, found)
    # A row's cells on its line.
    assert found["组别"][1] == pytest.approx(found["例数"][1], abs=1) and found["对照组"][1] == pytest.approx(found["31"][1], abs=1)


def test_a_space_after_an_apostrophe_stays_in_the_html(built: Path) -> None:
    html = (built / "output" / "manuscript.html").read_text(encoding="utf-8")
    assert "parents’ own account" in html and "patients’ reports" in html


# --- F: journal.pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pages, first, span",
    [("187-192", 187, 6), ("187–192", 187, 6), ("187—192", 187, 6), ("187~192", 187, 6), ("187～192", 187, 6),
     (" 187 - 192 ", 187, 6), ("187", 187, None), ("192-187", 192, None), ("1-²", 1, None), ("²", None, None),
     ("1²-3", None, None), ("１８７-１９２", None, None), ("9" * 5000, None, None), ("abc", None, None), (None, None, None)],
)
def test_journal_pages_take_ascii_digits_and_any_dash(pages: str | None, first: int | None, span: int | None) -> None:
    journal = Journal(Bilingual("测试学报"), pages=pages)
    assert journal.first_page == first and journal.page_span == span


def test_a_page_number_in_superscript_is_no_traceback(tmp_path: Path) -> None:
    root = tmp_path / "pages"
    shutil.copytree(FIXTURES / "projects" / "minimal", root)
    journal = Journal(Bilingual("测试学报"), pages="1-²")
    assert list(layout_warnings(load_settings(root), journal, TypesetPdf(b"", 9))) == []


# --- H: the README on the float placer ---------------------------------------------------------------------


def test_the_readme_gives_the_float_placers_layout_limit() -> None:
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    said = re.search(r"\(at most (\w+) in all", readme)
    numbers = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
    assert said and numbers.get(said[1]) == floats.MAX_LAYOUTS, said
