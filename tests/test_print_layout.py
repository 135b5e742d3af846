"""The journal page in the PDF: two columns under page-wide front matter, figures and tables where they fit, the
first-page footnote on page 1, page footnotes, running heads, headings, captions, bookmarks and metadata.
Measured with ../shared/tools/typo_metrics.py where it has a key for it, and with PyMuPDF."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pymupdf
import pytest

from mspress.cli import main
from mspress.typeset import floats

from .shared_data import require_shared

REPO = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
TYPO_METRICS = REPO.parent / "shared" / "tools" / "typo_metrics.py"
Cli = Callable[..., tuple[int, str, str]]

PARAGRAPH = ("深部脑刺激是一种通过植入电极对特定脑区施加电刺激的神经调控技术，近年来被用于难治性抑郁症的治疗研究。"
             "多项开放标签研究报告了较好的反应率，但随机对照试验的结果并不一致，提示靶点选择与参数设置仍需优化。"
             "研究者认为，个体化的纤维束成像和闭环刺激可能提高疗效，并减少不良反应的发生。")
TALL_FIGURE = ('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="520" viewBox="0 0 400 520">'
               '<rect x="10" y="10" width="380" height="500" fill="none" stroke="black" stroke-width="4"/></svg>')


def metrics(pdf: Path) -> dict[str, Any]:
    require_shared(TYPO_METRICS)
    out = pdf.with_suffix(".metrics.json")
    subprocess.run([sys.executable, str(TYPO_METRICS), str(pdf), "--json", str(out)], check=True, capture_output=True)
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def two_column_project(root: Path, body: str, journal: str = "sichuan-mental-health") -> Path:
    shutil.copytree(FIXTURES / "projects" / "minimal", root)
    (root / "pyproject.toml").write_text(f'[tool.mspress]\njournal = "{journal}"\n', encoding="utf-8")
    (root / "manuscript" / "figures" / "tall.svg").write_text(TALL_FIGURE, encoding="utf-8")
    (root / "manuscript" / "01-introduction.md").write_text(body, encoding="utf-8")
    return root


def figure_after(paragraphs: int, total: int = 16) -> str:
    parts = ["# 引言\n\n", "见@fig:tall。引用[@wang2020; @smith2019; @lee2018]。\n\n"]
    for i in range(total):
        parts.append(f"{PARAGRAPH}第{i + 1}段。\n\n")
        if i + 1 == paragraphs:
            parts.append("![一幅高的示意图](figures/tall.svg){#fig:tall}\n\n")
    return "".join(parts)


def build_pdf(root: Path) -> Path:
    assert main(["build", "-C", str(root), "--format", "pdf"]) == 0
    return root / "output" / "manuscript.pdf"


def short_columns(pdf: Path) -> list[tuple[str, int, float]]:
    fill = metrics(pdf)["f_page_fill"]["per_page"]
    return [(page, column, value) for page, values in fill.items() for column, value in enumerate(values) if value < floats.MIN_FILL]


@pytest.fixture(scope="module")
def example_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("example")
    for name in ("manuscript", "references"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return build_pdf(root)


@pytest.fixture(scope="module")
def example_metrics(example_pdf: Path) -> dict[str, Any]:
    return metrics(example_pdf)


def test_example_is_two_columns_on_six_pages(example_metrics: dict[str, Any]) -> None:
    assert example_metrics["i_pages"] == 6
    assert all(count == 2 for page, count in example_metrics["columns"].items() if page != "1"), example_metrics["columns"]


def test_example_columns_are_full_but_the_last_page(example_metrics: dict[str, Any]) -> None:
    assert example_metrics["f_page_fill"]["columns_lt_0.85"] == 0, example_metrics["f_page_fill"]


def test_a_figure_that_does_not_fit_goes_on_and_the_text_fills_the_column(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # Where the figure falls short of the column's foot depends on the text before it: try several places.
    gaps = []
    for paragraphs in range(2, 9):
        root = two_column_project(tmp_path / f"with-{paragraphs}", figure_after(paragraphs))
        with monkeypatch.context() as unplaced:
            unplaced.setattr(floats, "MAX_LAYOUTS", 1)
            if short_columns(build_pdf(root)):
                gaps.append(paragraphs)
        assert short_columns(build_pdf(root)) == [], paragraphs
        text = [page.get_text() for page in pymupdf.open(root / "output" / "manuscript.pdf")]
        assert any("图1" in page and "一幅高的示意图" in page for page in text)
    assert gaps, "no place left a gap: the test no longer tries a figure that does not fit"


def test_first_page_footnote_is_on_page_one_in_both_layouts(tmp_path: Path) -> None:
    for journal in ("default", "sichuan-mental-health"):
        root = two_column_project(tmp_path / journal, figure_after(3), journal)
        pages = [page.get_text() for page in pymupdf.open(build_pdf(root))]
        assert "收稿日期" in pages[0] and "基金项目" in pages[0] and "通信作者" in pages[0], journal
        assert not any("收稿日期" in page for page in pages[1:]), journal


def test_footnotes_are_page_footnotes_numbered_from_one(tmp_path: Path) -> None:
    body = figure_after(3) + "正文中的脚注[^a]，还有一个[^b]。\n\n[^a]: 第一条脚注的文字。\n[^b]: Second note.\n\n    它的第二段。\n"
    root = two_column_project(tmp_path / "notes", body)
    document = pymupdf.open(build_pdf(root))
    text = "".join(page.get_text() for page in document)
    assert "↩" not in text
    page = next(p for p in document if "第一条脚注的文字" in p.get_text())
    lines = page.get_text().splitlines()
    assert "1 第一条脚注的文字。" in [" ".join(line.split()) for line in lines] or any(
        line.strip().startswith("1") and "第一条脚注的文字" in line for line in lines), lines[-12:]
    note = page.search_for("第一条脚注的文字")[0]
    body_text = page.search_for("正文中的脚注")[0]
    assert note.y0 > body_text.y0 and note.y0 > page.rect.height * 0.6  # at the foot of the page that calls it


def test_pdf_metadata_and_bookmarks(example_pdf: Path) -> None:
    document = pymupdf.open(example_pdf)
    meta = document.metadata
    assert meta["title"].startswith("深部脑刺激对难治性抑郁症的治疗进展 = Research progress")
    assert meta["author"] == "Hu Zerui, Xu Mingdong, Liu Chuanxin"
    assert "Deep brain stimulation" in meta["keywords"]
    assert document.pdf_catalog() and "zh" in document.xref_get_key(document.pdf_catalog(), "Lang")[1]
    titles = [title for _, title, _ in document.get_toc()]
    assert "1 资料与方法" in titles and "1.1 资料来源与检索策略" in titles, titles


def test_long_journal_name_is_cut_to_one_running_head_line(tmp_path: Path) -> None:
    root = two_column_project(tmp_path / "long", figure_after(3, total=30))
    meta = root / "manuscript" / "metadata.yaml"
    long_name = "中华医学会精神医学分会全国精神卫生与心理健康临床研究协作网络暨全国精神科临床医师联合主办学术期刊编辑委员会会刊"
    text = meta.read_text(encoding="utf-8").replace("测试学报", long_name)
    meta.write_text(text.replace("Journal of Tests", "Journal of the Very Long Name of the Chinese Society for the Study of "
                                 "Everything Related to Mental Health and Clinical Psychiatry"), encoding="utf-8")
    document = pymupdf.open(build_pdf(root))
    for page in list(document)[1:]:
        head = [b for b in page.get_text("dict")["blocks"] if b.get("lines") and b["bbox"][3] < 70]
        lines = [line for block in head for line in block["lines"]]
        assert len({round(line["bbox"][1]) for line in lines}) == 1, [s["text"] for line in lines for s in line["spans"]]
        assert any("…" in s["text"] for line in lines for s in line["spans"])


def test_more_pages_than_the_journal_gave_is_a_warning(tmp_path: Path, cli: Cli) -> None:
    root = two_column_project(tmp_path / "overrun", figure_after(3, total=60))
    code, _, err = cli("build", "-C", str(root), "--format", "pdf")
    assert code == 0
    line = next(line for line in err.splitlines() if "page-overrun" in line)
    assert line.startswith("manuscript/metadata.yaml:") and "journal.pages gives 5" in line, err


def test_weasyprint_is_imported_without_probing_for_libraries() -> None:
    # cffi resolves WeasyPrint's bare library names with ctypes.util.find_library: ldconfig, gcc and ld, ~50 processes.
    script = ("import subprocess\n"
              "started = []\n"
              "original = subprocess.Popen.__init__\n"
              "def counting(self, *args, **kwargs):\n"
              "    started.append(args[0] if args else kwargs.get('args'))\n"
              "    original(self, *args, **kwargs)\n"
              "subprocess.Popen.__init__ = counting\n"
              "from mspress.writers.pdf import import_weasyprint\n"
              "import_weasyprint()\n"
              "print(len(started))\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "0", result.stdout


WIDE_TABLE = """

如@tbl:baseline所示。

| 组别 | 例数 | 年龄/岁 | 病程/年 | HAMD评分 | MADRS评分 | 刺激靶点 | 随访时间/月 | 反应率/% | 缓解率/% |
|---|---|---|---|---|---|---|---|---|---|
| 试验组 | 30 | 45.2±10.1 | 12.3±5.6 | 25.6±4.3 | 30.1±5.2 | SCC | 12 | 53.3 | 30.0 |
| 对照组 | 30 | 44.8±9.7 | 11.9±6.1 | 25.1±4.8 | 29.8±4.9 | VC/VS | 12 | 20.0 | 10.0 |

: 两组基线资料比较 {#tbl:baseline}

如@fig:wide所示。

![宽图](figures/tall.svg){#fig:wide .wide}
"""


def test_a_table_too_wide_for_its_column_spans_the_page_with_a_warning(tmp_path: Path, cli: Cli) -> None:
    root = two_column_project(tmp_path / "wide", figure_after(3, total=4) + WIDE_TABLE)
    code, _, err = cli("build", "-C", str(root), "--format", "pdf")
    assert code == 0
    warnings = [line for line in err.splitlines() if "[wide-table]" in line]
    assert len(warnings) == 1 and warnings[0].startswith("manuscript/01-introduction.md:"), err
    assert "{#tbl:baseline" in (root / "manuscript" / "01-introduction.md").read_text(encoding="utf-8").splitlines()[
        int(warnings[0].split(":")[1]) - 1]
    document = pymupdf.open(root / "output" / "manuscript.pdf")
    page = next(p for p in document if p.search_for("缓解"))
    width = page.rect.width
    # The table's last column lies past the page's middle column gap: it spans both columns.
    assert page.search_for("缓解")[0].x1 > width * 0.75
    figure_page = next(p for p in document if p.search_for("宽图"))
    caption = figure_page.search_for("宽图")[-1]
    assert abs((caption.x0 + caption.x1) / 2 - width / 2) < width * 0.1  # centred on the page, not on a column
    # Marked {.wide}, the same table spans without a warning.
    source = root / "manuscript" / "01-introduction.md"
    source.write_text(source.read_text(encoding="utf-8").replace("{#tbl:baseline}", "{#tbl:baseline .wide}"), encoding="utf-8")
    code, _, err = cli("build", "-C", str(root), "--format", "pdf")
    assert code == 0 and "[wide-table]" not in err


ARTICLES = FIXTURES / "print-articles"


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Real articles kept as test projects (tests/fixtures/print-articles/SOURCES.md), built once: the figures
    article in two columns, the math article in one (its profile) and in two."""
    built = {}
    for name, journal in (("figures-article", None), ("math-article", None), ("math-article", "sichuan-mental-health")):
        root = tmp_path_factory.mktemp(name) / name
        shutil.copytree(ARTICLES / name, root)
        assert main(["build", "-C", str(root), "--format", "pdf", *(["--journal", journal] if journal else [])]) == 0
        pdf = root / "output" / "manuscript.pdf"
        built[f"{name}{'-2' if journal else ''}"] = (pdf, metrics(pdf))
    return built


def formula_rows(pdf: Path) -> dict[int, list[tuple[float, float]]]:
    """Per page (1-based), the vertical extent of every drawn formula: typo_metrics reads glyphs, and a formula is a
    drawing, so a row with one shows a gap where it is, ends short if it ends with one, or starts with the mark
    that follows one."""
    found: dict[int, list[tuple[float, float]]] = {}
    for number, page in enumerate(pymupdf.open(pdf), 1):
        found[number] = [(d["rect"].y0, d["rect"].y1) for d in page.get_drawings() if d["rect"].height < 40]
    return found


def rows_without_formulas(pdf: Path) -> list[tuple[int, float, float, float, str]]:
    """The rows typo_metrics lists (page, baseline, short by, largest gap, text) that touch no formula."""
    listing = subprocess.run([sys.executable, str(TYPO_METRICS), str(pdf), "--list"], check=True, capture_output=True,
                             text=True).stdout
    formulas = formula_rows(pdf)
    rows = []
    for line in listing.splitlines():
        match = re.match(r"p(\d+)(?:/c\d)? y= *([\d.]+) (F)? .*?short= *([-+][\d.]+)em maxgap= *([\d.]+)em\S* (.*)", line)
        if match:  # a paragraph's last row (F) is short by nature: counted as not short
            page, y, short, gap, text = int(match[1]), float(match[2]), float(match[4]), float(match[5]), match[6]
            short = 0.0 if match[3] else short
            if not any(top - 3 <= y <= bottom + 6 for top, bottom in formulas.get(page, [])):
                rows.append((page, y, short, gap, text))
    return rows


@pytest.mark.parametrize("name", ["figures-article", "math-article", "math-article-2"])
def test_real_articles_fill_their_columns_and_keep_latin_words_whole(articles: dict[str, tuple[Path, dict[str, Any]]],
                                                                     name: str) -> None:
    pdf, measured = articles[name]
    assert measured["f_page_fill"]["columns_lt_0.85"] == 0, measured["f_page_fill"]
    assert measured["e_latin_spacing"]["rows_gt_0.03em"] == 0, measured["e_latin_spacing"]["samples"][:3]
    assert measured["g_raw_tex"] == 0, measured["g_raw_tex_examples"]
    assert measured["d_fonts"]["notdef_glyphs"] == 0 and measured["d_fonts"]["U+FFFD"] == 0
    assert all(font["emb"] == "yes" and font["sub"] == "yes" for font in measured["d_fonts"]["fonts"])
    # Lines end at the margin and start with no closing mark, on every row without a formula. (A row that ends in
    # a colon introduces a display formula set at the head of the next column: typo_metrics takes it for a
    # paragraph's inner line, as it sees no glyph in the formula.)
    rows = rows_without_formulas(pdf)
    assert len(rows) > 100
    assert [r for r in rows if r[2] > 0.25 and not r[4].endswith(("：", ":"))] == []
    # No body row starts with a closing mark or ends with an opening one. (typo_metrics's all-rows count also flags
    # a row that starts with a formula followed by 、: it sees no glyph in the formula; the formula and its marks
    # are bound together, tests/test_math.py.)
    assert measured["c_kinsoku"]["body_start_with_closing"] == 0 and measured["c_kinsoku"]["body_end_with_opening"] == 0


@pytest.mark.parametrize("name", ["figures-article", "math-article"])
def test_statistical_symbols_are_set_in_a_real_italic(articles: dict[str, tuple[Path, dict[str, Any]]], name: str) -> None:
    pdf, measured = articles[name]
    assert "Liberation-Serif-Italic" in measured["h_italic_fonts"], measured["h_italic_fonts"]
    symbol = {"figures-article": "X", "math-article": "P"}[name]  # *X* and *P* in the text
    italic = [span for page in pymupdf.open(pdf) for block in page.get_text("dict")["blocks"] for line in block.get("lines", [])
              for span in line["spans"] if span["text"].strip().startswith(symbol) and "Italic" in span["font"]]
    assert italic, f"no italic {symbol}"


def test_the_real_articles_first_page_footnote_is_on_page_one(articles: dict[str, tuple[Path, dict[str, Any]]]) -> None:
    pdf, measured = articles["figures-article"]
    pages = [page.get_text() for page in pymupdf.open(pdf)]
    for label in ("收稿日期", "修回日期", "基金项目", "作者简介", "通信作者"):
        assert label in pages[0] and not any(label in page for page in pages[1:]), label
    assert measured["columns"]["2"] == 2


def test_columns_kept_from_measuring_are_the_columns_weasyprint_would_lay_out(tmp_path: Path) -> None:
    # typeset/columns.py keeps WeasyPrint's measured columns instead of laying them out again: same layout, less time.
    script = ("import sys, pymupdf\n"
              "from pathlib import Path\n"
              "import mspress.typeset.columns as columns\n"
              "if sys.argv[2] == 'off':\n"
              "    columns.install = lambda: None\n"
              "from mspress.writers import typesetter\n"
              "typesetter.start = lambda: None  # typeset in this process, where it is counted\n"
              "from mspress.cli import main\n"
              "assert main(['build', '-C', sys.argv[1], '--format', 'pdf']) == 0\n"
              "pdf = pymupdf.open(Path(sys.argv[1]) / 'output' / 'manuscript.pdf')\n"
              "print(columns.kept)\n"
              "for page in pdf:\n"
              "    print([(round(c[2][0], 2), round(c[2][1], 2), c[0]) for t in page.get_texttrace() for c in t['chars']])\n")
    outputs = {}
    for mode in ("off", "on"):
        root = tmp_path / mode
        for name in ("manuscript", "references"):
            shutil.copytree(REPO / name, root / name)
        shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
        result = subprocess.run([sys.executable, "-c", script, str(root), mode], cwd=REPO, capture_output=True, text=True, check=True)
        outputs[mode] = result.stdout.splitlines()
    assert int(outputs["off"][1]) == 0 and int(outputs["on"][1]) >= 6  # most columns of pages 2-5
    assert outputs["on"][2:] == outputs["off"][2:]


@pytest.mark.parametrize("journal", ["sichuan-mental-health", "default"])
def test_a_figure_that_does_not_fit_goes_on_in_either_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             journal: str) -> None:
    # A one-column page has no column boxes: its blocks are the flow's children, not obstacles that end the page.
    gaps = []
    for paragraphs in range(2, 12):
        root = two_column_project(tmp_path / f"with-{paragraphs}", figure_after(paragraphs, total=20), journal)
        with monkeypatch.context() as unplaced:
            unplaced.setattr(floats, "MAX_LAYOUTS", 1)
            if short_columns(build_pdf(root)):
                gaps.append(paragraphs)
        assert short_columns(build_pdf(root)) == [], paragraphs
    assert gaps, "no place left a gap: the test no longer tries a figure that does not fit"


def long_table(rows: int, wide: bool, columns: int = 3) -> str:
    header = "| 组别 | 均值 | 标准差 |" + " P值 | 说明 | 另一列 | 第三列说明 |" * (columns > 3)
    rule = "|---|---|---|" + "---|---|---|---|" * (columns > 3)
    lines = [f"| 第{i}组 | {i * 3}.5 | {i * 2}.1 |" + f" 0.{i:02d} | 第{i}行的说明 | 另一列 | 第三列的较长内容 |" * (columns > 3)
             for i in range(1, rows + 1)]
    attributes = "#tbl:long .wide" if wide else "#tbl:long"
    return (f"# 引言\n\n见@tbl:long。引用[@wang2020; @smith2019; @lee2018]。\n\n{PARAGRAPH}\n\n"
            f"Table: 一个很长的表 {{{attributes}}}\n\n{header}\n{rule}\n" + "\n".join(lines) +
            "\n\n注：这是表的注释，应当紧随表格出现。\n\n" + "".join(f"{PARAGRAPH}后文{i}。\n\n" for i in range(6)))


@pytest.mark.parametrize(("wide", "columns"), [(False, 3), (True, 3), (False, 7)])
def test_a_table_longer_than_a_page_keeps_its_caption_rows_note_and_the_text_after_it(tmp_path: Path, wide: bool,
                                                                                        columns: int) -> None:
    root = two_column_project(tmp_path / "long", long_table(89, wide, columns))
    pages = [page.get_text() for page in pymupdf.open(build_pdf(root))]
    rows = [len(re.findall(r"第\s*\d+\s*组", page)) for page in pages]
    caption = next(number for number, page in enumerate(pages) if "一个很长的表" in page)
    assert rows[caption] >= 5, rows  # the caption heads the table's first rows, not a page of its own
    assert sum(rows) == 89, rows
    note = next(number for number, page in enumerate(pages) if "注：这是表的注释" in page)
    assert note == max(number for number, count in enumerate(rows) if count), rows  # under the last rows
    assert all(f"后文{i}" in "".join(pages) for i in range(6))


def test_a_table_cell_is_as_wide_as_its_mixed_chinese_and_latin_text(tmp_path: Path) -> None:
    # The quarter-em between 第 and 10 is measured when the cell is sized, so 第10组 is not broken before 组.
    root = two_column_project(tmp_path / "cells", long_table(12, wide=False))
    text = "".join(page.get_text() for page in pymupdf.open(build_pdf(root)))
    assert re.findall(r"第\s*1[0-2]\s*组", text) and not re.findall(r"第\s*1[0-2]\s*\n\s*组", text)


def test_a_split_counts_the_characters_of_the_text_not_the_hyphens_the_layout_added() -> None:
    from mspress.typeset import weasyprint_patch
    from mspress.writers.pdf import import_weasyprint

    weasyprint = import_weasyprint()
    weasyprint_patch.install()
    words = ("Electroconvulsive neuromodulation interventions demonstrated considerable heterogeneity "
             "characterizing randomized multicenter investigations internationally. ") * 4
    html = (f'<html lang="en"><body><p style="width: 9em; hyphens: auto; text-align: justify; '
            f'font: 10pt Liberation Serif" {floats.FLOW_ATTRIBUTE}="0">{words}</p></body></html>')
    document = weasyprint.HTML(string=html).render()
    paragraph = next(floats._flow_blocks(document.pages[0]._page_box, []))
    lines = list(floats._lines(paragraph))
    assert any(line.hyphenated for line in lines)
    assert sum(line.characters for line in lines) == sum(1 for c in words if not c.isspace())


def test_a_paragraph_that_begins_with_note_is_text_not_the_tables_note() -> None:
    from xml.etree import ElementTree

    table = ElementTree.Element("table")
    for text, is_note in [("注：数据来自门诊。", True), ("Note: SD, standard deviation.", True),
                          ("Note that the effect was larger in women.", False), ("注 意力缺陷患者另行分析。", False)]:
        paragraph = ElementTree.Element("p")
        paragraph.text = text
        assert floats._is_table_note(paragraph, table) is is_note, text


def test_text_brought_into_a_gap_brings_its_footnotes_and_takes_their_room() -> None:
    landing = floats.Landing(pages=3, heights={"1": 200.0}, note_area=20.0)
    landing.lines["1"] = [floats.Line(20.0, 30, False, page=1, notes=(30.0 if i == 2 else 0.0)) for i in range(10)]
    landing.notes["1"] = (1, 30.0)
    figure, paragraph = ElementTree.Element("figure"), ElementTree.Element("p")
    blocks = {"0": figure, "1": paragraph}
    # 130 pt of room on page 0: without the note six lines would fit; the note (30) and its area (20) leave four.
    move = floats._filler("0", floats.Gap(0, 130.0), landing, ["0", "1"], blocks)
    assert move == floats.Move("0", "1", 4 * 30)
    # On the page the note already sits, it takes no more room.
    move = floats._filler("0", floats.Gap(1, 130.0), landing, ["0", "1"], blocks)
    assert move == floats.Move("0", "1", 6 * 30)


def test_a_figure_taller_than_the_page_is_scaled_to_fit_with_its_caption(tmp_path: Path) -> None:
    towering = TALL_FIGURE.replace("520", "2400").replace("500", "2380")
    root = two_column_project(tmp_path / "towering", figure_after(2, total=6))
    (root / "manuscript" / "figures" / "tall.svg").write_text(towering, encoding="utf-8")
    document = pymupdf.open(build_pdf(root))
    page = next(p for p in document if p.search_for("一幅高的示意图"))
    drawing = max(page.get_drawings(), key=lambda d: d["rect"].height)["rect"]
    caption = page.search_for("一幅高的示意图")[0]
    assert drawing.height > page.rect.height / 2  # scaled, not shrunk to nothing
    assert 0 < drawing.y0 and drawing.y1 < caption.y0 < page.rect.height


SAME_PAGES_SCRIPT = ("import sys, pymupdf\n"
                     "from pathlib import Path\n"
                     "from mspress.typeset import relayout\n"
                     "kept, made = [], []\n"
                     "render = relayout.Renderer.render\n"
                     "def counting(self, html, from_page=0, stop=None):\n"
                     "    on = sys.argv[2] == 'on'\n"
                     "    document = render(self, html, from_page if on else 0, stop if on else None)\n"
                     "    kept.append(self.kept_pages)\n"
                     "    made.append(len(document.pages))\n"
                     "    return document\n"
                     "relayout.Renderer.render = counting\n"
                     "from mspress.writers import typesetter\n"
                     "typesetter.start = lambda: None  # typeset in this process, where it is counted\n"
                     "from mspress.cli import main\n"
                     "assert main(['build', '-C', sys.argv[1], '--format', 'pdf']) == 0\n"
                     "pdf = pymupdf.open(Path(sys.argv[1]) / 'output' / 'manuscript.pdf')\n"
                     "print(max(kept), len(kept), made[0], made[-1])\n"
                     "print(pdf.get_toc())\n"
                     "for page in pdf:\n"
                     "    print([(round(c[2][0], 2), round(c[2][1], 2), c[0]) for t in page.get_texttrace() for c in t['chars']])\n"
                     "    print([(d['rect'], d['type']) for d in page.get_drawings()], [(l['from'], l.get('uri')) for l in page.get_links()])\n")


def layouts_on_and_off(tmp_path: Path, body: str, css: str = "") -> tuple[list[int], list[int]]:
    """Build ``body`` with the kept pages and the first layout's early end (on) and with whole layouts (off); assert
    the same pages glyph for glyph. Gives (most pages kept, layouts, pages of the first, pages of the last) for each."""
    outputs = {}
    for mode in ("off", "on"):
        root = two_column_project(tmp_path / mode, body)
        if css:
            (root / "templates").mkdir()
            print_css = (REPO / "mspress" / "templates" / "print.css").read_text(encoding="utf-8")
            (root / "templates" / "print.css").write_text(print_css + css, encoding="utf-8")
        result = subprocess.run([sys.executable, "-c", SAME_PAGES_SCRIPT, str(root), mode], cwd=REPO, capture_output=True,
                                text=True, check=True)
        outputs[mode] = result.stdout.splitlines()
    assert outputs["on"][2:] == outputs["off"][2:]
    return [int(n) for n in outputs["on"][1].split()], [int(n) for n in outputs["off"][1].split()]


def test_a_layout_after_a_move_keeps_the_pages_before_it_as_a_full_layout_would_make_them(tmp_path: Path) -> None:
    # typeset/relayout.py starts the next layout at the page the move changes, and the first layout ends once its
    # pages show the move (floats._FirstMove): the same pages, fewer laid out.
    (kept, layouts, first, last), off = layouts_on_and_off(tmp_path, figure_after(14, total=80))
    assert layouts >= 2 and kept >= 1  # the figure moved, and the page before the move was kept
    assert first < last >= 8  # the first layout stopped at the move, before the end
    assert off[0] == 0 and off[2] == off[3]


def test_a_layout_wanting_its_page_count_is_not_cut_short(tmp_path: Path) -> None:
    # counter(pages) makes WeasyPrint lay the pages out again once it knows their number: a layout cut short would
    # send it looking for the pages it never made.
    (_, layouts, first, last), _ = layouts_on_and_off(tmp_path, figure_after(14, total=80),
                                                      '\n.front .title::after { content: " (" counter(pages) ")"; }\n')
    assert layouts >= 2 and first == last


def test_a_first_layout_cut_short_does_not_take_a_later_move_s_place(tmp_path: Path) -> None:
    # Seven figures and a table too wide for its column late on: every move and the widening still fit in the
    # layouts allowed, the first layout's early end not counted among them.
    parts = ["# 引言\n\n", "见@fig:tall0。引用[@wang2020; @smith2019; @lee2018]。\n\n"]
    figures = [14, 30, 46, 60, 76, 85, 100]
    for i in range(1, 111):
        parts.append(f"{PARAGRAPH}第{i}段。\n\n")
        if i in figures:
            parts.append(f"![一幅高的示意图{figures.index(i)}](figures/tall.svg){{#fig:tall{figures.index(i)}}}\n\n")
        if i == 70:
            parts.append(WIDE_TABLE + "\n")
    (_, layouts, first, last), off = layouts_on_and_off(tmp_path, "".join(parts))
    assert first < last and layouts == off[1] + 1


def test_no_page_is_kept_when_the_page_uses_running_elements(tmp_path: Path) -> None:
    # A running element is registered while its page is laid out: a kept page would drop it from every page.
    root = two_column_project(tmp_path / "running", figure_after(15, total=26))
    (root / "templates").mkdir()
    css = (REPO / "mspress" / "templates" / "print.css").read_text(encoding="utf-8")
    (root / "templates" / "print.css").write_text(css + "\n.front-en .title { position: running(entitle); }\n"
                                                  "@page { @bottom-left { content: element(entitle); font-size: 7pt; } }\n",
                                                  encoding="utf-8")
    pages = list(pymupdf.open(build_pdf(root)))
    assert len(pages) >= 3 and all("A test article" in page.get_text() for page in pages)


def test_tagged_pdf_pages_are_listed_once_per_page_and_each_tag_names_its_page() -> None:
    # WeasyPrint's tags ask pydyf for every page's reference once per box: boxes × pages, 2 s of a 159-page build.
    from mspress.typeset import weasyprint_patch
    from mspress.writers.pdf import import_weasyprint

    weasyprint = import_weasyprint()
    weasyprint_patch.install()
    import pydyf

    pdf = pydyf.PDF()
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    assert pdf.page_references is first and len(first) == 1
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(pdf.page_references) == 2 and pdf.page_references[0] == first[0]

    pages_html = "".join(f'<p style="break-before: page">page {n} <a href="https://example.org/{n}">link</a></p>' for n in range(1, 5))
    document = pymupdf.open(stream=weasyprint.HTML(string=pages_html).write_pdf(pdf_tags=True), filetype="pdf")
    page_of_xref = {page.xref: page.number for page in document}
    tagged: dict[int, set[str]] = {}
    for xref in range(1, document.xref_length()):
        source = document.xref_object(xref)
        found = re.search(r"/Pg (\d+) 0 R", source)
        if "/StructElem" in source and found:
            tagged.setdefault(page_of_xref[int(found.group(1))], set()).add(re.search(r"/S /(\w+)", source).group(1))  # type: ignore[union-attr]
    assert sorted(tagged) == [0, 1, 2, 3] and all({"P", "Link"} <= tags for tags in tagged.values()), tagged
