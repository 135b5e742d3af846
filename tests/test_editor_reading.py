"""Editor mode on manuscripts as editors receive them: heading variants, intervals, tilde ranges, superscript
math, broken groups, and Word files with automatic numbering, soft line breaks and tables (issue 12, part 1)."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from mspress.commands.check import check_path

LIST = "[1] A A. One[J]. J, 2001, 1(1): 1-2.\n[2] B B. Two[J]. J, 2002, 2(1): 1-2.\n[3] C C. Three[J]. J, 2003, 3(1): 1-2.\n"


def reports(tmp_path: Path, text: str, name: str = "paper.txt") -> list[tuple[str, int]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [(d.code, d.location.line) for d in check_path(path, Path(name)).diagnostics]


def numbers(tmp_path: Path, text: str, name: str = "paper.txt") -> dict[int, int]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return {row.number: row.count for row in check_path(path, Path(name)).table if row.count}


HEADINGS = ["参考文献", "参考文献(References)", "参考文献（References）：", "4参考文献", "4 参考文献", "参考文献 References",
            "参考文献/References", "## 5 参考文献", "**参考文献：**", "【参考文献】", "[参考文献]", "五、参考文献", "第6章 参考文献",
            "主要参考文献", "参 考 文 献", "REFERENCES", "References:", "# Bibliography", "Literature cited"]


@pytest.mark.parametrize("heading", HEADINGS)
def test_heading_variants_start_the_list(heading: str, tmp_path: Path) -> None:
    # [3] is never cited: only a list that was found can say so (read as citations, it would hide it).
    assert reports(tmp_path, f"研究[1]表明，另见[2]。\n\n{heading}\n\n{LIST}") == [("uncited-reference", 7)]


@pytest.mark.parametrize("sentence", ["令x∈[0,1]，则", "在区间[400,1400]内取点", "取值范围为[0, 100]", "年龄[20,30]岁", "坐标[400,1400]处",
                                      "公式$f\\in[0,1]$成立", "函数f[0,2]与", "其中 $[1,2]$ 为闭区间", "取 α=[2,3] 时"])
def test_intervals_and_coordinates_are_not_citations(sentence: str, tmp_path: Path) -> None:
    assert reports(tmp_path, f"研究[1-3]表明，{sentence}。\n\n参考文献\n\n{LIST}") == []


def test_an_interval_pair_inside_the_list_is_still_a_citation(tmp_path: Path) -> None:
    # [1,3] could be an interval by its form, but both numbers are entries of the list and nothing says "interval".
    assert numbers(tmp_path, f"研究[1,3]表明，见[2]。\n\n参考文献\n\n{LIST}") == {1: 1, 2: 1, 3: 1}


def test_a_number_beyond_the_list_is_still_reported(tmp_path: Path) -> None:
    assert reports(tmp_path, f"研究[1-3]表明，见[4]。\n\n参考文献\n\n{LIST}") == [("undefined-citation", 1)]


@pytest.mark.parametrize("group", ["[1~3]", "［1～3］", "[1\\~3]", "[1〜3]", "[1－3]", "[1]-[3]", "[1]～[3]", "［１－３］"])
def test_tilde_and_other_dashes_make_ranges(group: str, tmp_path: Path) -> None:
    assert numbers(tmp_path, f"研究{group}表明。\n\n参考文献\n\n{LIST}") == {1: 1, 2: 1, 3: 1}


@pytest.mark.parametrize("marks", [("$^{[1]}$", "$^{[2-3]}$"), ("${}^{[1]}$", "$^{[2]}$、$^{[3]}$"), ("^ { [ 1 ] }", "^ { [ 2 - 3 ] }"),
                                   ("\\textsuperscript{[1]}", "\\textsuperscript{[2-3]}"), ("$^{1}$", "$^{2-3}$")])
def test_superscript_math_citations(marks: tuple[str, str], tmp_path: Path) -> None:
    text = f"研究{marks[0]}表明，另见{marks[1]}。\n\n参考文献\n\n{LIST}"
    assert reports(tmp_path, text) == []
    assert numbers(tmp_path, text) == {1: 1, 2: 1, 3: 1}


def test_converter_spacing_inside_a_number(tmp_path: Path) -> None:
    entries = "".join(f"[{n}] A A. Title {n}[J]. J, 2001, 1(1): 1-2.\n" for n in range(1, 11))
    text = "研究[1-9]表明，另见 $^ { [ 1 0 ] }$。\n\n参考文献\n\n" + entries
    assert numbers(tmp_path, text)[10] == 1


def test_units_in_superscript_math_are_not_citations(tmp_path: Path) -> None:
    assert reports(tmp_path, f"面积为 5 cm$^{{2}}$，浓度 10$^{{3}}$，研究[1-3]。\n\n参考文献\n\n{LIST}") == []


def test_group_broken_across_lines(tmp_path: Path) -> None:
    assert numbers(tmp_path, f"研究表明[1,\n3]，另见[2]。\n\n参考文献\n\n{LIST}") == {1: 1, 2: 1, 3: 1}


def test_text_after_the_list_is_read_again(tmp_path: Path) -> None:
    text = f"研究[1-2]表明。\n\n参考文献\n\n{LIST}\n附录\n\n附表数据见文献[3]。\n"
    assert reports(tmp_path, text) == []


def test_list_without_a_heading(tmp_path: Path) -> None:
    assert reports(tmp_path, f"研究[1]表明，另见[2]。\n\n{LIST}") == [("uncited-reference", 5)]


def test_no_list_is_said(tmp_path: Path) -> None:
    assert reports(tmp_path, "研究[1]表明，另见[2]。\n") == [("no-reference-list", 1)]
    assert reports(tmp_path, "研究[1]表明。\n\n参考文献\n\n（略）\n") == [("no-reference-list", 3)]


def test_wrapped_entries_in_a_text_file(tmp_path: Path) -> None:
    text = "研究[1-2]表明。\n\n参考文献\n\n[1] A A. One[J]. Journal of\n    Things, 2001, 1(1): 1-2.\n[2] B B. Two[J]. J, 2002.\n"
    path = tmp_path / "p.txt"
    path.write_text(text, encoding="utf-8")
    report = check_path(path, Path("p.txt"))
    assert report.diagnostics == ()
    assert report.table[0].label == "A A. One[J]. Journal of Things, 2001, 1(1): 1-2."


def word_file(path: Path) -> Path:
    """A Word file as its author left it: the list in Word's numbering, then entries typed after soft line
    breaks and in mid-paragraph, a table after the list, a group broken across paragraphs."""
    document = docx.Document()
    document.add_paragraph("研究[1]和[2]表明，见[3,")
    document.add_paragraph("4]，又见[5]。")
    document.add_heading("参考文献", 1)
    for text in ["A A. One[J]. J, 2001.", "B B. Two[J]. J, 2002."]:
        document.add_paragraph(text, style="List Number")
    paragraph = document.add_paragraph("[3] C C. Three[J]. J, 2003.")
    paragraph.add_run().add_break()
    paragraph.add_run("[4] D D. Four[J]. J, 2004. [5] E E. Five[J]. J, 2005.")
    table = document.add_table(rows=2, cols=2)
    for row, (a, b) in enumerate([("1", "对照组"), ("2", "实验组")]):
        table.cell(row, 0).text, table.cell(row, 1).text = a, b
    document.add_paragraph("表中数据见文献[5]。")
    document.save(str(path))
    return path


def test_word_numbering_soft_breaks_tables_and_mid_paragraph_entries(tmp_path: Path) -> None:
    report = check_path(word_file(tmp_path / "paper.docx"), Path("paper.docx"))
    assert [(d.code, str(d.location)) for d in report.diagnostics] == [("uncompressed-range", "paper.docx:1:14")]
    assert [(row.number, row.count, row.label[:5]) for row in report.table] == [
        (1, 1, "A A. "), (2, 1, "B B. "), (3, 1, "C C. "), (4, 1, "D D. "), (5, 2, "E E. ")]


def test_word_numbering_counts_from_its_start_value(tmp_path: Path) -> None:
    path = word_file(tmp_path / "paper.docx")
    document = docx.Document(str(path))
    numbering = document.part.numbering_part.element
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    numbered = [p for p in document.paragraphs if p.style is not None and p.style.name == "List Number"]
    num_id = numbered[0].style.element.find(f"{w}pPr/{w}numPr/{w}numId").get(f"{w}val")
    num = next(n for n in numbering.iter(f"{w}num") if n.get(f"{w}numId") == num_id)
    abstract = num.find(f"{w}abstractNumId").get(f"{w}val")
    definition = next(a for a in numbering.iter(f"{w}abstractNum") if a.get(f"{w}abstractNumId") == abstract)
    definition.find(f"{w}lvl/{w}start").set(f"{w}val", "7")  # the list continues a list numbered elsewhere
    document.save(str(path))
    report = check_path(path, Path("paper.docx"))
    assert [row.number for row in report.table if row.label.startswith(("A A", "B B"))] == [7, 8]


def test_html_math_is_not_cited(tmp_path: Path) -> None:
    page = ("<html><body><p>研究<sup>[1]</sup>表明 <span class=\"math inline\">\\(x\\in[0,1]\\)</span>，"
            "<math><mi>y</mi><mo>∈</mo><mo>[</mo><mn>0</mn><mo>,</mo><mn>2</mn><mo>]</mo></math>"
            "，另见<sup>[2-3]</sup>。</p><h2>参考文献 References</h2>"
            "<p>[1] A A. One[J]. J, 2001.</p><p>[2] B B. Two[J]. J, 2002.</p><p>[3] C C. Three[J]. J, 2003.</p></body></html>")
    assert reports(tmp_path, page, "paper.html") == []


def test_a_reversed_range_is_one_mistake_not_five(tmp_path: Path) -> None:
    entries = "".join(f"[{n}] A A. Title {n}[J]. J, 2001, 1(1): 1-2.\n" for n in range(1, 6))
    assert reports(tmp_path, f"研究[1]表明，另见[5-2]。\n\n参考文献\n\n{entries}") == [("invalid-range", 1)]


@pytest.mark.parametrize("pair", [
    ("Rosenberg A, Audhkhasi K, Sethy A, et al. End-to-end speech recognition[C]//Proc of ICASSP. IEEE, 2017: 5280-5284.",
     "Rosenberg A,Audhkhasi K,SethyA,et al.End-to-end speech recognition [C]// Proc of ICASSP.IEEE, 2017:5280-5284."),
    ("李光辉,王成,习晓环,等.机载 LiDAR 和高光谱数据融合提取 提取冰川雪线[J].国土资源遥感,2013,25（3）：79－84.",
     "李光辉，王成，习晓环，等.机载LiDAR和高光谱数据融合提取 冰川雪线[J].国土资源遥感,2013,29(3）：79-84．"),
])
def test_one_work_typed_twice_with_slips(pair: tuple[str, str], tmp_path: Path) -> None:
    text = f"研究[1-2]表明。\n\n参考文献\n\n[1] {pair[0]}\n[2] {pair[1]}\n"
    assert reports(tmp_path, text) == [("duplicate-reference", 6)]


def test_same_author_and_year_different_works_are_not_duplicates(tmp_path: Path) -> None:
    text = ("研究[1-2]表明。\n\n参考文献\n\n[1] 王明. 城市热岛效应的遥感监测[J]. 地理学报, 2019, 74(1): 1-10.\n"
            "[2] 王明. 城市扩张对耕地的影响[J]. 地理学报, 2019, 74(5): 11-20.\n")
    assert reports(tmp_path, text) == []


def test_heading_after_a_soft_line_break(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("研究[1]表明，另见[2]。")
    paragraph = document.add_paragraph("致谢略。")
    for text in ("参考文献：", "[1] A A. One[J]. J, 2001.", "[2] B B. Two[J]. J, 2002.", "[3] C C. Three[J]. J, 2003."):
        paragraph.add_run().add_break()
        paragraph.add_run(text)
    document.save(str(tmp_path / "p.docx"))
    report = check_path(tmp_path / "p.docx", Path("p.docx"))
    assert [(d.code, str(d.location)) for d in report.diagnostics] == [("uncited-reference", "p.docx:2:64")]


def test_markdown_code_and_images_are_not_read(tmp_path: Path) -> None:
    text = ("研究[1-3]表明。\n\n```python\nz_array[m[0],m[1]] = 1\n```\n\n用 `features[0]` 取值，见图：![640](https://x/640.png)\n\n"
            f"参考文献\n\n{LIST}")
    assert reports(tmp_path, text, "paper.md") == []


def test_list_items_in_the_text_are_not_citations(tmp_path: Path) -> None:
    text = f"检索结果：\n[1]\t某题录一\n[2]\t某题录二\n\n研究<sup>[1-3]</sup>表明。\n\n参考文献\n\n{LIST}"
    assert reports(tmp_path, text, "paper.md") == []


def test_adjacent_groups_are_one_citation(tmp_path: Path) -> None:
    assert reports(tmp_path, f"研究<sup>[1][2]</sup>表明，另见<sup>[3]</sup>。\n\n参考文献\n\n{LIST}", "paper.md") == [("uncompressed-range", 1)]


def test_heading_and_first_entry_in_one_paragraph(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("研究[1-2]表明。")
    document.add_paragraph("##6 参考文献 [1] A A. One[J]. J, 2001.")
    document.add_paragraph("[2] B B. Two[J]. J, 2002.")
    document.add_paragraph("[3] C C. Three[J]. J, 2003.")
    document.save(str(tmp_path / "p.docx"))
    assert [(d.code, str(d.location)) for d in check_path(tmp_path / "p.docx", Path("p.docx")).diagnostics] == [("uncited-reference", "p.docx:4:1")]


def test_a_number_beyond_the_list_is_one_problem(tmp_path: Path) -> None:
    assert reports(tmp_path, f"研究[1]、[9]表明，另见[2-3]，再见[10-11]。\n\n参考文献\n\n{LIST}") == [("undefined-citation", 1)] * 2


def test_html_source_newlines_are_spaces_and_br_breaks(tmp_path: Path) -> None:
    page = ("<html><body><p>检索结果：<br/>[1]\n某题录一<br/>[2]\n某题录二</p><p>研究<sup>[1-3]</sup>表明。</p><h2>参考文献</h2>"
            "<p>[1] A A. One[J]. J, 2001.</p><p>[2] B B. Two[J]. J, 2002.</p><p>[3] C C. Three[J]. J, 2003.</p></body></html>")
    assert reports(tmp_path, page, "paper.html") == []


def test_entries_run_together_in_a_list_labelled_n_dot(tmp_path: Path) -> None:
    entries = ("1. Lan, Y.B.; Chen, S.D. Current status of precision aviation. Int. J. Agric. Eng. 2017, 10, 1–17. "
               "2. Stroppiana, D.; Villa, P. Early season weed mapping. ISPRS J. 2018, 146, 454–468. [CrossRef] "
               "3. 王明. 稻田杂草识别[J]. 农业工程学报, 2019, 35(2): 1-9.\n4. Smith, J. Vol. 2. Springer, 2001.\n")
    text = f"Studies [1–3] show this [4].\n\nReferences\n\n{entries}"
    path = tmp_path / "paper.md"
    path.write_text(text, encoding="utf-8")
    report = check_path(path, Path("paper.md"))
    assert report.diagnostics == ()
    assert [(row.number, row.label[:9]) for row in report.table] == [(1, "Lan, Y.B."), (2, "Stroppian"), (3, "王明. 稻田杂草识"), (4, "Smith, J.")]


def test_a_bracketed_list_is_not_split_at_numbers_with_a_dot(tmp_path: Path) -> None:
    text = "研究[1-2]表明。\n\n参考文献\n\n[1] Smith J. Handbook. Vol. 2. Berlin: Springer, 2001.\n[2] B B. Two[J]. J, 2002.\n"
    assert reports(tmp_path, text) == []


def test_inline_html_between_two_marks(tmp_path: Path) -> None:
    text = ('研究<sup class="footnote-ref"><a href="#fn1">[1]</a></sup><sup class="footnote-ref"><a href="#fn2">[2]</a></sup>'
            f"表明，另见<sup>[3]</sup>。\n\n参考文献\n\n{LIST}")
    assert reports(tmp_path, text, "paper.md") == [("uncompressed-range", 1)]
