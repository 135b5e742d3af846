"""The Word file: built from the resolved document, styled from the journal's layout, opened by LibreOffice,
read back by python-docx and by ``check`` in editor mode with the project's numbering."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from mspress.config import load_settings
from mspress.writers.docx import INVISIBLE_MARK, finish
from tests.conftest import REPO

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
Cli = Callable[..., tuple[int, str, str]]


def xml(docx: Path, member: str) -> Any:
    with zipfile.ZipFile(docx) as package:
        return etree.fromstring(package.read(member))


def paragraphs(root: Any) -> list[Any]:
    return list(root.iter(W + "p"))


def style_of(paragraph: Any) -> str:
    found = paragraph.find(f"{W}pPr/{W}pStyle")
    return "" if found is None else str(found.get(W + "val"))


def runs_text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(W + "t"))


def superscript_groups(root: Any) -> list[str]:
    """Text of each run of superscript runs in the body (the Word file's citation marks), affiliation marks and
    footnote marks left out."""
    groups: list[str] = []
    for paragraph in paragraphs(root):
        if style_of(paragraph) in ("Author", "Title", "Subtitle"):
            continue
        current = ""
        for run in paragraph.iter(W + "r"):
            raised = run.find(f"{W}rPr/{W}vertAlign")
            if raised is not None and raised.get(W + "val") == "superscript" and run.find(W + "footnoteReference") is None:
                current += runs_text(run)
            elif current:
                groups.append(current)
                current = ""
        if current:
            groups.append(current)
    return groups


def html_view(html_path: Path) -> dict[str, list[str]]:
    import lxml.html

    page = lxml.html.parse(str(html_path)).getroot()
    text = lambda e: re.sub(r"\s+", " ", e.text_content()).strip()  # noqa: E731
    has = lambda name: f"contains(concat(' ', @class, ' '), ' {name} ')"  # noqa: E731
    return {"marks": [text(e) for e in page.xpath(f"//*[self::main or {has('notes')}]//span[{has('cite')}]//sup")],
            "xrefs": [text(e) for e in page.xpath(f"//main//a[{has('xref')}]")],
            "references": [text(e) for e in page.xpath(f"//section[{has('references')}]//div[{has('reference')}]/p")]}


def docx_view(docx: Path) -> dict[str, list[str]]:
    document = xml(docx, "word/document.xml")
    notes = xml(docx, "word/footnotes.xml") if "word/footnotes.xml" in zipfile.ZipFile(docx).namelist() else None
    xrefs = [runs_text(link) for link in document.iter(W + "hyperlink")
             if re.match(r"(fig|tbl|sec):", link.get(W + "anchor", ""))]
    # The label's tab is Word's w:tab, no text: the entry reads as the PDF's.
    references = [re.sub(r"\s+", " ", runs_text(p)).strip() for p in paragraphs(document) if style_of(p) == "Bibliography"]
    return {"marks": superscript_groups(document) + (superscript_groups(notes) if notes is not None else []),
            "xrefs": xrefs, "references": references}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example and a fixture article with math, a table, two figures and every first-page field, built once."""
    from mspress.cli import main

    out: dict[str, Path] = {}
    base = tmp_path_factory.mktemp("word")
    for name, source in (("example", REPO), ("article", REPO / "tests" / "fixtures" / "projects" / "word-article")):
        target = base / name
        target.mkdir()
        for part in ("manuscript", "references"):
            shutil.copytree(source / part, target / part)
        if (source / "pyproject.toml").is_file():
            shutil.copy(source / "pyproject.toml", target / "pyproject.toml")
        assert main(["build", "-C", str(target), "--format", "html", "--format", "docx"]) == 0
        out[name] = target
    return out


@pytest.mark.parametrize("name", ["example", "article"])
def test_marks_cross_references_and_references_equal_the_html(built: dict[str, Path], name: str) -> None:
    output = built[name] / "output"
    html, docx = html_view(output / "manuscript.html"), docx_view(output / "manuscript.docx")
    assert docx["references"] == html["references"] and html["references"]
    assert docx["xrefs"] == html["xrefs"] and html["xrefs"]
    assert sorted(docx["marks"]) == sorted(html["marks"]) and html["marks"]


def test_the_article_carries_what_the_journal_prints(built: dict[str, Path]) -> None:
    docx = built["article"] / "output" / "manuscript.docx"
    body = xml(docx, "word/document.xml")
    by_style: dict[str, list[str]] = {}
    for paragraph in paragraphs(body):
        by_style.setdefault(style_of(paragraph), []).append(runs_text(paragraph))
    assert by_style["Title"] == ["深部脑刺激的疗效评价" + INVISIBLE_MARK]
    assert by_style["Subtitle"] == ["Evaluating the outcome of deep brain stimulation"]
    assert by_style["Author"] == ["张三1*，李四1,2", "Zhang San1*, Li Si1,2"]
    assert by_style["Affiliation"][0] == "（1. 甲大学物理系，北京 100000；2. 乙研究所，上海 200000）"
    assert by_style["Abstract"] == ["【摘要】这是中文摘要。", "【Abstract】This is the English abstract."]
    assert by_style["Keywords"] == ["【关键词】深部脑刺激；疗效", "【Keywords】deep brain stimulation; outcome"]
    assert by_style["ArticleCodes"] == ["中图分类号：R749.4\u3000\u3000文献标志码：A\u3000\u3000文章编号：1007-3256(2024)01-0011-05"
                                        "\u3000\u3000DOI：10.11886/scjsws20240101001"]
    assert by_style["Heading1"][0] == "1\u2002引言" and by_style["Heading2"][0] == "1.1\u2002方法"
    assert "图1\u2002示意图" in by_style["ImageCaption"][0] and "Fig. 1\u2002A demonstration" in by_style["ImageCaption"][0]
    assert by_style["TableCaption"][0].startswith("表1\u2002刺激参数与应答率")
    assert len(list(body.iter("{http://schemas.openxmlformats.org/officeDocument/2006/math}oMathPara"))) == 1, "display math"
    assert len(list(body.iter("{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath"))) == 2, "inline and display"


def test_first_page_notes_are_one_unnumbered_footnote_and_body_notes_count_from_1(built: dict[str, Path]) -> None:
    docx = built["article"] / "output" / "manuscript.docx"
    body, notes = xml(docx, "word/document.xml"), xml(docx, "word/footnotes.xml")
    title = next(p for p in paragraphs(body) if style_of(p) == "Title")
    reference = title.find(f".//{W}footnoteReference")
    assert reference.get(W + "customMarkFollows") == "1" and reference.getnext().text == INVISIBLE_MARK
    by_id = {n.get(W + "id"): n for n in notes.iter(W + "footnote")}
    first = by_id[reference.get(W + "id")]
    assert [runs_text(p).split("：")[0] for p in paragraphs(first)] == ["收稿日期", "基金项目", "作者简介", "通信作者"]
    assert first.find(f".//{W}footnoteRef") is None, "no number in the note either"
    body_notes = [r for r in body.iter(W + "footnoteReference") if r.get(W + "customMarkFollows") is None]
    assert len(body_notes) == 1 and by_id[body_notes[0].get(W + "id")].find(f".//{W}footnoteRef") is not None


def test_styles_follow_the_journal_layout(built: dict[str, Path]) -> None:
    import docx

    path = built["article"] / "output" / "manuscript.docx"
    layout = load_settings(built["article"]).journal.layout
    document = docx.Document(str(path))
    styles = {s.name: s for s in document.styles}

    def fonts(name: str) -> dict[str, str]:
        found = styles[name].element.find(f"{W}rPr/{W}rFonts")
        return {k.split("}")[1]: v for k, v in found.attrib.items()}

    assert fonts("Normal")["eastAsia"] == layout.font_zh == "宋体"
    assert fonts("Body Text")["ascii"] == fonts("Body Text")["hAnsi"] == layout.font_latin == "Times New Roman"
    assert fonts("Heading 1")["eastAsia"] == layout.font_heading_zh == "黑体"
    assert not any("Theme" in k for k in fonts("Normal")), "a theme font would win over the named one"
    assert styles["Body Text"].font.size.pt == 10.5 and styles["Title"].font.size.pt == layout.title_size
    assert [styles[f"Heading {n}"].font.size.pt for n in (1, 2, 3)] == [12, 11, 11]
    assert styles["Bibliography"].font.size.pt == layout.reference_size
    indent = styles["Body Text"].element.find(f"{W}pPr/{W}ind")
    assert indent.get(W + "firstLineChars") == "200", "two characters"
    spacing = styles["Body Text"].element.find(f"{W}pPr/{W}spacing")
    assert spacing.get(W + "lineRule") == "atLeast" and int(spacing.get(W + "line")) == round(10.5 * layout.line_height * 20)
    hanging = styles["Bibliography"].element.find(f"{W}pPr/{W}ind")
    assert int(hanging.get(W + "hanging")) > 0
    assert styles["Hyperlink"].font.color.rgb is not None and str(styles["Hyperlink"].font.color.rgb) == "000000"
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)] == [22, 20, 20, 20]
    assert section._sectPr.find(f"{W}pgNumType").get(W + "start") == "11", "numbered from journal.pages"
    footer = section.footer._element
    assert any(f.get(W + "instr", "").strip() == "PAGE" for f in footer.iter(W + "fldSimple"))


def test_tables_are_three_line_tables(built: dict[str, Path]) -> None:
    body = xml(built["article"] / "output" / "manuscript.docx", "word/document.xml")
    (table,) = body.iter(W + "tbl")
    borders = {b.tag.split("}")[1]: (b.get(W + "val"), b.get(W + "sz")) for b in table.find(f"{W}tblPr/{W}tblBorders")}
    assert borders == {"top": ("single", "12"), "bottom": ("single", "12"), "left": ("nil", None), "right": ("nil", None),
                       "insideH": ("nil", None), "insideV": ("nil", None)}
    header, *rows = table.findall(W + "tr")
    assert header.find(f"{W}trPr/{W}tblHeader") is not None
    assert {c.find(f"{W}tcPr/{W}tcBorders/{W}bottom").get(W + "sz") for c in header.findall(W + "tc")} == {"6"}
    assert all(c.find(f"{W}tcPr/{W}tcBorders") is None for r in rows for c in r.findall(W + "tc"))


def test_svg_figures_get_a_300_dpi_png_and_no_data_url(built: dict[str, Path]) -> None:
    from PIL import Image

    path = built["article"] / "output" / "manuscript.docx"
    body = xml(path, "word/document.xml")
    rels = {r.get("Id"): r.get("Target") for r in xml(path, "word/_rels/document.xml.rels")}
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    r = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    svg_blips = list(body.iter("{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip"))
    assert len(svg_blips) == 1
    blip = svg_blips[0].getparent().getparent().getparent()
    assert blip.tag == a + "blip" and rels[blip.get(r + "embed")].endswith(".png")
    extent = next(blip.iterancestors(W + "drawing")).find(".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")
    with zipfile.ZipFile(path) as package:
        image = Image.open(package.open("word/" + rels[blip.get(r + "embed")]))
        assert image.size == (round(int(extent.get("cx")) / 914400 * 300), round(int(extent.get("cy")) / 914400 * 300))
        assert b"data:image" not in package.read("word/document.xml")
        assert path.stat().st_size < 100_000, "small"


def test_without_rsvg_the_svg_stays_and_a_warning_says_how_to_get_the_png(built: dict[str, Path]) -> None:
    data = (built["article"] / "output" / "manuscript.docx").read_bytes()
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as package:
        pandoc_like = {n: package.read(n) for n in package.namelist()}
    # Undo the fallback: what pandoc wrote.
    document = etree.fromstring(pandoc_like["word/document.xml"])
    for blip in document.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"):
        if blip.find(".//{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip") is not None:
            del blip.attrib["{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"]
    pandoc_like["word/document.xml"] = etree.tostring(document)
    buffer = __import__("io").BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, content in pandoc_like.items():
            package.writestr(name, content)
    _, warnings = finish(buffer.getvalue(), rasterise=lambda svg, w, h: None)
    assert [w.code for w in warnings] == ["svg-without-fallback"] and "librsvg2-bin" in warnings[0].message


def test_check_reads_the_word_file_back_with_the_project_numbering(built: dict[str, Path], cli: Cli) -> None:
    for name in ("example", "article"):
        root = built[name]
        code, project_json, _ = cli("check", "-C", str(root), "--report", "--format", "json")
        assert code == 0
        code, word_json, err = cli("check", str(root / "output" / "manuscript.docx"), "--report", "--format", "json")
        assert code == 0, err
        project, word = json.loads(project_json), json.loads(word_json)
        assert word["errors"] == 0 and word["warnings"] == 0
        assert [(r["number"], r["citations"]) for r in word["numbering"]] == [(r["number"], r["citations"]) for r in project["numbering"]]
        firsts = [(r["first_citation"]["line"], r["first_citation"]["column"]) for r in word["numbering"]]
        assert firsts == sorted(firsts), "numbered in order of first citation"
        html = html_view(root / "output" / "manuscript.html")["references"]
        assert [f"[{r['number']}]{r['reference']}" for r in word["numbering"]] == html


def test_libreoffice_opens_the_word_file(built: dict[str, Path], tmp_path: Path) -> None:
    import fitz

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "make test installs libreoffice-writer-nogui"
    docx = built["article"] / "output" / "manuscript.docx"
    profile = tmp_path / "profile"
    done = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), str(docx)], capture_output=True, timeout=180, check=False)
    pdf = tmp_path / "manuscript.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stderr
    pages = [page.get_text() for page in fitz.open(pdf)]
    first = pages[0]
    assert "深部脑刺激的疗效评价" in first and "收稿日期" in first and "基金项目" in first, "the first-page note is on page 1"
    assert first.count("11") >= 1 and pages[-1].strip().endswith(str(10 + len(pages))), "page numbers from journal.pages"
    whole = "".join(pages)
    assert "\u2211" in whole, "the display formula is a Word equation LibreOffice renders"
    bare = re.sub(r"\s", "", whole)
    assert "表1" in bare and "图2" in bare and "[1]王五" in bare


def test_check_takes_superscripts_above_the_abstracts_for_affiliation_marks(tmp_path: Path) -> None:
    """A Word manuscript as authors send it: 张三¹ … above 【摘要】 and above the English Abstract are no citations."""
    import docx

    from mspress.commands.check import check_path

    document = docx.Document()

    def line(*pieces: tuple[str, bool]) -> None:
        paragraph = document.add_paragraph()
        for text, raised in pieces:
            paragraph.add_run(text).font.superscript = raised

    line(("深部脑刺激的疗效评价", False))
    line(("张三", False), ("1", True), ("，李四", False), ("1,2", True))
    line(("【摘要】研究表明……", False))
    line(("Zhang San", False), ("1", True), (", Li Si", False), ("2", True))
    line(("Abstract: Studies show…", False))
    line(("正文引用", False), ("[1]", True), ("，再引", False), ("[2]", True), ("。", False))
    line(("参考文献", False))
    line(("[1] 王五. 题名一[J]. 期刊, 2020, 1(1): 1-2.", False))
    line(("[2] 赵六. 题名二[J]. 期刊, 2021, 2(1): 3-4.", False))
    path = tmp_path / "authors.docx"
    document.save(str(path))
    report = check_path(path, Path("authors.docx"))
    assert [d.code for d in report.diagnostics] == []
    assert [(row.number, row.first.line if row.first else None) for row in report.table] == [(1, 6), (2, 6)]


def test_check_reads_a_text_box_once_and_links_and_character_styles(tmp_path: Path) -> None:
    """Word stores a text box twice (DrawingML and a VML fallback); EndNote links its marks and may raise them by a
    character style: each citation is seen once, as a superscript."""
    import docx
    from docx.oxml import parse_xml

    from mspress.commands.check import check_path

    document = docx.Document()
    style = document.styles.add_style("EndNote Cite", 2)  # a character style
    style.font.superscript = True
    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
    box = ('<w:txbxContent {ns}><w:p><w:r><w:t>框内引用</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
           '<w:t>[2]</w:t></w:r></w:p></w:txbxContent>')
    body = document.add_paragraph("正文引用")
    body._p.append(parse_xml(f'<w:hyperlink {ns} w:anchor="ref1"><w:r><w:rPr><w:rStyle w:val="{style.style_id}"/></w:rPr>'
                             '<w:t>[1]</w:t></w:r></w:hyperlink>'))
    body._p.append(parse_xml(f'<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps">{box.format(ns=ns)}</mc:Choice>'
                             f'<mc:Fallback>{box.format(ns=ns)}</mc:Fallback></mc:AlternateContent></w:r>'))
    document.add_paragraph("参考文献")
    document.add_paragraph("[1] 王五. 题名一[J]. 期刊, 2020, 1(1): 1-2.")
    document.add_paragraph("[2] 赵六. 题名二[J]. 期刊, 2021, 2(1): 3-4.")
    path = tmp_path / "endnote.docx"
    document.save(str(path))
    report = check_path(path, Path("endnote.docx"))
    assert [d.code for d in report.diagnostics] == []
    assert [(row.number, row.count) for row in report.table] == [(1, 1), (2, 1)]


def test_round_trip_ignores_code_and_affiliation_marks_after_a_cited_abstract(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("word-article")
    abstract = root / "manuscript" / "abstract.zh.md"
    abstract.write_text("这是中文摘要，引用一篇[@wang2020]。\n", encoding="utf-8")
    section = root / "manuscript" / "01-introduction.md"
    section.write_text(section.read_text(encoding="utf-8") + "\n```\nscore = hamd[1] - hamd[2]  # [3]\n```\n", encoding="utf-8")
    assert cli("build", "-C", str(root), "--format", "docx")[0] == 0
    code, project_json, _ = cli("check", "-C", str(root), "--report", "--format", "json")
    code, word_json, err = cli("check", str(root / "output" / "manuscript.docx"), "--report", "--format", "json")
    assert code == 0, err
    counts = lambda report: [(r["number"], r["citations"]) for r in json.loads(report)["numbering"]]  # noqa: E731
    assert counts(word_json) == counts(project_json)


def test_the_word_file_leaves_the_resolved_document_as_it_was(project: Callable[[str], Path]) -> None:
    from mspress.commands.build import resolved
    from mspress.writers.docx import word_document

    document, _ = resolved(load_settings(project("word-article")))
    before = json.dumps(document.pandoc_document(), sort_keys=True)
    first = json.dumps(word_document(document), sort_keys=True)
    assert json.dumps(word_document(document), sort_keys=True) == first, "the same file every time"
    assert json.dumps(document.pandoc_document(), sort_keys=True) == before, "the HTML and PDF never see Word's gaps"


def test_reference_labels_tab_to_the_hanging_indent(built: dict[str, Path]) -> None:
    import docx

    path = built["example"] / "output" / "manuscript.docx"
    style = {s.name: s for s in docx.Document(str(path)).styles}["Bibliography"].element
    hanging = style.find(f"{W}pPr/{W}ind").get(W + "hanging")
    assert [t.get(W + "pos") for t in style.iter(W + "tab")] == [hanging]
    entries = [p for p in paragraphs(xml(path, "word/document.xml")) if style_of(p) == "Bibliography"]
    assert len(entries) == 34
    for entry in entries:
        label_run = next(r for r in entry.iter(W + "r") if runs_text(r).startswith("["))
        assert label_run.find(W + "tab") is not None or label_run.getnext().find(W + "tab") is not None
