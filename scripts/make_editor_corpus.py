"""Rebuild the converted and Word-made documents of tests/fixtures/editor-real/ (see SOURCES.md there).

    python scripts/make_editor_corpus.py          # rewrite the .txt and .docx files from the .md files
    python scripts/make_editor_corpus.py --dump   # print every .docx paragraph in reading order, numbered
    python scripts/make_editor_corpus.py --heldout         # the same for tests/fixtures/editor-heldout/
    python scripts/make_editor_corpus.py --heldout --dump  # (a separate batch, measured once: see its SOURCES.md)

The .md files (and the *-damaged.md copies) are the stored sources; everything else is made from them:
- pandoc conversions, as users make them: ``pandoc x.md -o x.docx``, ``pandoc -t plain --wrap=none`` and
  ``pandoc -s x.md -o x.html``;
- Word documents made the way Word users make them (python-docx + lxml): citations typed as superscript runs,
  the reference list as an automatically numbered list (numbering.xml ``[%1]`` or ``%1.``), a table after
  the list (tables placed at the end of the manuscript, as many journals ask), soft line breaks (w:br)
  inside entries, the authors' affiliations as a footnote; for the second part of SOURCES.md also figure captions
  in floating text boxes, a list numbered by Word in the body and a preface as a footnote.
The output is byte-stable: pandoc runs with SOURCE_DATE_EPOCH=0 and the .docx zip members get a fixed date.

``--dump`` is only a reading aid for writing the .expected files: it numbers the paragraphs the way the README
defines a .docx "line" (body paragraphs and table cells as they come, a footnote's paragraphs right after the
paragraph that calls it).
"""
from __future__ import annotations

import argparse
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "editor-real"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
V = "urn:schemas-microsoft-com:vml"


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def pandoc_binary() -> str:
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def run_pandoc(source: Path, target: Path, *args: str) -> None:
    env = dict(os.environ, SOURCE_DATE_EPOCH="0")
    subprocess.run([pandoc_binary(), "--quiet", str(source), "-o", str(target), *args], check=True, env=env)
    if target.suffix == ".docx":
        _fix_zip_dates(target)


def _fix_zip_dates(path: Path) -> None:
    """Same bytes on every rebuild: members in the same order with a fixed timestamp."""
    with zipfile.ZipFile(path) as old:
        members = [(info.filename, old.read(info.filename)) for info in old.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            new.writestr(info, data)
    path.write_bytes(buffer.getvalue())


# --- reading the MinerU Markdown into plain paragraphs -------------------------------------------------------

_MATH = re.compile(r"\$(.+?)\$")


def _plain_math(text: str) -> str:
    """``$ 1 8 ~ \\mathrm { k m }$`` → ``18km``: what a Word user would have typed instead of the converter's TeX."""
    def one(m: re.Match[str]) -> str:
        body = re.sub(r"\\[a-zA-Z]+", "", m.group(1))
        body = re.sub(r"[{}~^_$]", "", body)
        return re.sub(r"\s+", "", body)
    return _MATH.sub(one, text)


_CITATION = re.compile(r"\[(\d+(?:\s*(?:\\?~|[-,，])\s*\d+)*)\]")


def _runs(text: str) -> list[tuple[str, bool]]:
    """Split a body paragraph into (text, superscript) runs: each citation group becomes a superscript run."""
    runs: list[tuple[str, bool]] = []
    position = 0
    for m in _CITATION.finditer(text):
        if m.start() > position:
            runs.append((text[position:m.start()], False))
        runs.append((m.group(0).replace("\\~", "-").replace("~", "-"), True))
        position = m.end()
    if position < len(text):
        runs.append((text[position:], False))
    return runs


# --- building a Word document ------------------------------------------------------------------------------

class WordDocument:
    def __init__(self) -> None:
        import docx

        self.doc = docx.Document()
        self.footnotes: list[str] = []
        self._numbering_ids: dict[str, int] = {}

    def heading(self, text: str, level: int = 1) -> None:
        self.doc.add_heading(text, level=level)

    def paragraph(self, runs: list[tuple[str, bool]] | str, footnote: str | None = None, style: str | None = None) -> None:
        paragraph = self.doc.add_paragraph(style=style)
        for text, sup in ([(runs, False)] if isinstance(runs, str) else runs):
            run = paragraph.add_run(text)
            if sup:
                run.font.superscript = True
        if footnote is not None:
            self._footnote_reference(paragraph, footnote)

    def body(self, text: str, footnote: str | None = None) -> None:
        self.paragraph(_runs(_plain_math(text)), footnote)

    def list_entry(self, pieces: list[str], number_format: str) -> None:
        """One entry of an automatically numbered list; the pieces are joined by soft line breaks (w:br)."""
        paragraph = self.doc.add_paragraph()
        properties = paragraph._p.get_or_add_pPr()
        num_pr = etree.SubElement(properties, _w("numPr"))
        etree.SubElement(num_pr, _w("ilvl")).set(_w("val"), "0")
        etree.SubElement(num_pr, _w("numId")).set(_w("val"), str(self._numbering(number_format)))
        for i, piece in enumerate(pieces):
            run = paragraph.add_run(piece)
            if i < len(pieces) - 1:
                run.add_break()

    def typed_paragraph(self, pieces: list[str]) -> None:
        """A paragraph whose pieces are joined by soft line breaks (a pasted block of typed entries)."""
        paragraph = self.doc.add_paragraph()
        for i, piece in enumerate(pieces):
            run = paragraph.add_run(piece)
            if i < len(pieces) - 1:
                run.add_break()

    def text_box(self, text: str) -> None:
        """A paragraph holding a floating text box (a figure caption, as Word users place them), written the way
        Word writes it: a DrawingML shape (mc:Choice) and the same text again as VML (mc:Fallback)."""
        paragraph = self.doc.add_paragraph()
        self._text_boxes = getattr(self, "_text_boxes", 0) + 1
        number = self._text_boxes
        body = (f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t xml:space="preserve">{_xml_escape(text)}</w:t>'
                '</w:r></w:p>')
        xml = (
            f'<w:r xmlns:w="{W}" xmlns:mc="{MC}" xmlns:wp="{WP}" xmlns:a="{A}" xmlns:wps="{WPS}" xmlns:v="{V}">'
            '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
            '<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="251659264" '
            'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
            '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
            '<wp:extent cx="5274310" cy="396240"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
            f'<wp:docPr id="{100 + number}" name="文本框 {number}"/><wp:cNvGraphicFramePr/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="5274310" cy="396240"/>'
            '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
            f'<wps:txbx><w:txbxContent>{body}</w:txbxContent></wps:txbx><wps:bodyPr rot="0" vert="horz" wrap="square">'
            '<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
            '<mc:Fallback><w:pict><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
            'xmlns:o="urn:schemas-microsoft-com:office:office" path="m,l,21600r21600,l21600,xe"/>'
            f'<v:shape id="文本框 {number}" o:spid="_x0000_s{1025 + number}" type="#_x0000_t202" '
            'xmlns:o="urn:schemas-microsoft-com:office:office" style="position:absolute;width:415.3pt;height:31.2pt" '
            f'filled="f" stroked="f"><v:textbox><w:txbxContent>{body}</w:txbxContent></v:textbox></v:shape></w:pict>'
            '</mc:Fallback></mc:AlternateContent></w:r>')
        paragraph._p.append(etree.fromstring(xml))

    def rich_paragraph(self, pieces: list[list[tuple[str, bool]]], footnote: str | None = None,
                       style: str | None = None) -> None:
        """A paragraph of runs (text, superscript); the pieces are joined by soft line breaks (w:br)."""
        paragraph = self.doc.add_paragraph(style=style)
        for i, runs in enumerate(pieces):
            run = None
            for text, sup in runs:
                run = paragraph.add_run(text)
                if sup:
                    run.font.superscript = True
            if i < len(pieces) - 1:
                (run or paragraph.add_run()).add_break()
        if footnote is not None:
            self._footnote_reference(paragraph, footnote)

    def table(self, rows: list[list[str]]) -> None:
        table = self.doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        table.style = "Table Grid"
        for row, values in zip(table.rows, rows, strict=False):
            for cell, value in zip(row.cells, values, strict=False):
                cell.text = value

    def _numbering(self, number_format: str) -> int:
        if number_format in self._numbering_ids:
            return self._numbering_ids[number_format]
        numbering = self.doc.part.numbering_part.element
        abstract_ids = [int(a.get(_w("abstractNumId"))) for a in numbering.findall(_w("abstractNum"))]
        num_ids = [int(n.get(_w("numId"))) for n in numbering.findall(_w("num"))]
        abstract_id, num_id = max(abstract_ids, default=0) + 1, max(num_ids, default=0) + 1
        abstract = etree.Element(_w("abstractNum"))
        abstract.set(_w("abstractNumId"), str(abstract_id))
        etree.SubElement(abstract, _w("multiLevelType")).set(_w("val"), "singleLevel")
        level = etree.SubElement(abstract, _w("lvl"))
        level.set(_w("ilvl"), "0")
        etree.SubElement(level, _w("start")).set(_w("val"), "1")
        etree.SubElement(level, _w("numFmt")).set(_w("val"), "decimal")
        etree.SubElement(level, _w("lvlText")).set(_w("val"), number_format)
        etree.SubElement(level, _w("lvlJc")).set(_w("val"), "left")
        indent = etree.SubElement(etree.SubElement(level, _w("pPr")), _w("ind"))
        indent.set(_w("left"), "420")
        indent.set(_w("hanging"), "420")
        first_num = numbering.find(_w("num"))
        if first_num is not None:
            first_num.addprevious(abstract)  # the schema wants every abstractNum before the nums
        else:
            numbering.append(abstract)
        num = etree.SubElement(numbering, _w("num"))
        num.set(_w("numId"), str(num_id))
        etree.SubElement(num, _w("abstractNumId")).set(_w("val"), str(abstract_id))
        self._numbering_ids[number_format] = num_id
        return num_id

    def _footnote_reference(self, paragraph, text: str) -> None:  # type: ignore[no-untyped-def]
        self.footnotes.append(text)
        run = paragraph.add_run()
        properties = run._r.get_or_add_rPr()
        etree.SubElement(properties, _w("vertAlign")).set(_w("val"), "superscript")
        etree.SubElement(run._r, _w("footnoteReference")).set(_w("id"), str(len(self.footnotes)))

    def save(self, path: Path) -> None:
        if self.footnotes:
            self._add_footnotes_part()
        buffer = io.BytesIO()
        self.doc.core_properties.author = "mspress corpus"
        import datetime

        fixed = datetime.datetime(2020, 1, 1)
        self.doc.core_properties.created = fixed
        self.doc.core_properties.modified = fixed
        self.doc.core_properties.last_modified_by = "mspress corpus"
        self.doc.save(buffer)
        path.write_bytes(buffer.getvalue())
        _fix_zip_dates(path)

    def _add_footnotes_part(self) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part

        root = etree.Element(_w("footnotes"), nsmap={"w": W, "r": R})
        for note_id, kind in (("-1", "separator"), ("0", "continuationSeparator")):
            note = etree.SubElement(root, _w("footnote"))
            note.set(_w("type"), kind)
            note.set(_w("id"), note_id)
            run = etree.SubElement(etree.SubElement(note, _w("p")), _w("r"))
            etree.SubElement(run, _w(kind))
        for number, text in enumerate(self.footnotes, 1):
            note = etree.SubElement(root, _w("footnote"))
            note.set(_w("id"), str(number))
            paragraph = etree.SubElement(note, _w("p"))
            mark = etree.SubElement(paragraph, _w("r"))
            etree.SubElement(etree.SubElement(mark, _w("rPr")), _w("vertAlign")).set(_w("val"), "superscript")
            etree.SubElement(mark, _w("footnoteRef"))
            run = etree.SubElement(paragraph, _w("r"))
            t = etree.SubElement(run, _w("t"))
            t.text = " " + text
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        part = Part(PackURI("/word/footnotes.xml"),
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml", blob,
                    self.doc.part.package)
        self.doc.part.relate_to(part, RT.FOOTNOTES)


# --- the documents -----------------------------------------------------------------------------------------

def _md_paragraphs(path: Path) -> list[str]:
    return [block.strip() for block in path.read_text(encoding="utf-8").split("\n\n") if block.strip()]


def _find(paragraphs: list[str], start: str) -> str:
    return next(p for p in paragraphs if p.startswith(start))


def _entry_text(text: str) -> str:
    """A list entry without its typed number (``[1］``, ``[12] ``): Word's numbering prints the number."""
    return re.sub(r"^[\[［〔]\s*\d+\s*[\]］〕]\s*", "", text.strip())


def _split_entries(block: str) -> list[str]:
    """The typed entries of a reference list block, each with the lines it wraps over joined."""
    text = re.sub(r"\s*\n\s*", " ", block)
    return [piece.strip() for piece in re.split(r"(?=[\[［〔]\d+[\]］〕])", text) if piece.strip()]


def word_ankang() -> WordDocument:
    """The Ankang article as its authors' Word manuscript: correct as published."""
    source = _md_paragraphs(CORPUS / "ankang.md")
    doc = WordDocument()
    doc.paragraph("安康水电站精细化降水预报的检验", style="Title")
    doc.paragraph("高红燕1，席秋义2，王丹1，张宏芳1，浩宇1",
                  footnote="1陕西省气象服务中心，陕西西安710014；2国网陕西省电力公司电力科学研究院，陕西西安710100")
    abstract = _find(source, "高红燕").split("摘要：", 1)[1]
    doc.paragraph("摘要：" + _plain_math(abstract))
    doc.paragraph(_find(source, "关键词："))
    doc.body(_find(source, "安康水电站[1-3]"))
    doc.heading("2 结果分析")
    doc.heading("2.1 降水实况与预报对比分析", 2)
    doc.body(_find(source, "2.1.1").replace("\\~", "～"))
    doc.heading("2.2 晴雨预报准确率的检验", 2)
    doc.body(_find(source, "图3是石泉"))
    doc.heading("3 结论")
    doc.body(_find(source, "由于检验年限较短"))
    doc.heading("参考文献")
    blocks = source[source.index("# 参考文献(References)") + 1:source.index(_find(source, "# Inspection"))]
    entries: list[list[str]] = []
    for block in blocks:
        pieces = _split_entries(block)
        if pieces and not re.match(r"[\[［]\d", pieces[0]):  # a wrapped-over continuation: a soft line break
            entries[-1].extend(pieces)
            continue
        entries.extend([_entry_text(p)] for p in pieces)
    for entry in entries:
        doc.list_entry(entry, "[%1]")
    doc.paragraph("表1 石泉、安康08、20时起报的逐1h(3d)晴雨预报准确率/%")
    doc.table([["", "", "石泉24h", "石泉48h", "石泉72h", "石泉平均", "安康24h", "安康48h", "安康72h", "安康平均"],
               ["08时起报", "白天", "71.8", "70.1", "67.1", "69.7", "73.0", "71.0", "70.6", "71.5"],
               ["", "夜间", "78.7", "74.5", "74.3", "75.8", "77.7", "76.7", "74.0", "76.1"],
               ["20时起报", "白天", "74.3", "69.1", "68.2", "70.5", "77.6", "72.3", "71.3", "73.7"],
               ["", "夜间", "82.5", "82.3", "77.1", "80.6", "81.3", "80.6", "79.4", "80.4"]])
    return doc


def _gcim_source() -> tuple[list[str], list[str]]:
    source = _md_paragraphs(CORPUS / "gcim.md")
    blocks = source[source.index("# 参考文献：") + 1:]
    entries = _split_entries("\n".join(blocks))
    return source, entries


def word_gcim(damaged: bool) -> WordDocument:
    """The GCIM article as a Word file.

    Clean: the published citations (the converter's ``[9\\~I`` is the published [9-11]), typed reference numbers
    pasted from the PDF (entries [1] and [2] in one paragraph, [3]-[5] joined by soft line breaks), and the
    group [12-15] broken over two paragraphs where the printed line ended, as a PDF-to-Word export leaves it.
    Damaged: an automatically numbered list (``%1.``) and the problems listed in SOURCES.md.
    """
    source, entries = _gcim_source()
    doc = WordDocument()
    doc.paragraph("直接序列扩频广义码索引调制", style="Title")
    doc.paragraph("江治林1，杨勤2，冯胜1，葛利嘉1,2",
                  footnote="1.重庆邮电大学 移动通信技术重庆市重点实验室，重庆 400065；2.陆军工程大学通信士官学校 应急通信重庆市重点实验室，重庆 400035")
    doc.paragraph(_find(source, "摘要："))
    doc.paragraph(_find(source, "关键词："))
    doc.heading("0 引言")
    first = _find(source, "直接序列扩频技术")
    second = _find(source, "码索引调制[6")
    third = _find(source, "多进制扩频").replace("[9\\~I", "[9\\~11]")
    if damaged:
        first = first.replace("[3\\~5]", "[3,4,5]")  # typed one by one
        third = third.replace("[9\\~11]", "[9\\~10]")  # [11] is no longer cited
    doc.body(first)
    if damaged:
        runs = _runs(_plain_math(second))
        runs = [(t, False if t == "[6-8]" else sup) for t, sup in runs]  # typed on the line, not raised
        doc.paragraph(runs)
    else:
        doc.body(second)
    # The printed line ended inside [12~15]: the export made two paragraphs of it (clean only).
    if damaged:
        doc.body(third.replace("[12\\~15]", "[12\\~16]"))  # a number beyond the list
    else:
        before, after = third.split("[12\\~15]")
        doc.paragraph(_runs(_plain_math(before)) + [("[12-", True)])
        doc.paragraph([("15]", True)] + _runs(_plain_math(after)))
    doc.body(_find(source, "本文在码索引调制中引入"))
    doc.heading("4 分析与仿真")
    doc.body(_find(source, "另外，由曲线"))
    sentence = _find(source, "另外，当GCIM").replace("优于 $\\mathrm { C I M ^ { [ 8 ] } }$ 。", "优于CIM[8]。")
    doc.body(sentence)
    doc.heading("5 结束语")
    doc.body(_find(source, "本文以码索引调制为基础"))
    doc.heading("参考文献")
    if damaged:
        for entry in entries:
            doc.list_entry([_entry_text(entry)], "%1.")
    else:
        doc.paragraph(f"{entries[0]}{entries[1]}")
        doc.typed_paragraph(entries[2:5])
        for entry in entries[5:]:
            doc.paragraph(entry)
    return doc


# --- documents from other sources (second part of SOURCES.md) ---------------------------------------------

def _md_blocks(name: str) -> list[str]:
    return [block.strip("\n") for block in (CORPUS / name).read_text(encoding="utf-8").split("\n\n") if block.strip()]


def _block(blocks: list[str], start: str) -> str:
    found = [b for b in blocks if b.lstrip().startswith(start)]
    assert len(found) == 1, (start, len(found))
    return found[0].strip()


def word_hnu_yolo() -> WordDocument:
    """The YOLO thesis (hnu-yolo.md) as its author's Word file: headings in Word's heading styles, every citation a
    superscript run, figure captions in floating text boxes, table 4.1 a Word table with its caption below, the
    steps of 4.3 and the reference list numbered by Word (``%1.`` and ``[%1]``), entry [27] with the soft line
    break of the Markdown source; the display formulas are left out (equation objects carry no citations)."""
    blocks = _md_blocks("hnu-yolo.md")
    doc = WordDocument()
    for block in blocks:
        if block.startswith("## 参考文献"):
            break
        first = block.splitlines()[0]
        if block.startswith("#"):
            level = len(block) - len(block.lstrip("#"))
            doc.heading(block.lstrip("#").strip(), level=max(1, level - 1))
        elif block.startswith("![") or block.startswith("$$"):
            continue
        elif block.startswith("<center>"):
            caption = re.sub(r"</?center>", "", block)
            if caption.startswith("表"):
                doc.paragraph(caption)
            else:
                doc.text_box(caption)
        elif block.startswith("|"):
            rows = [[cell.strip().replace("$L\\_{loss}$", "L_loss") for cell in line.strip("|").split("|")]
                    for line in block.splitlines() if not line.startswith("|--")]
            doc.table(rows)
        elif first.startswith("输入："):
            lines = block.splitlines()
            doc.body(lines[0])
            doc.body(lines[1])
        elif re.match(r"\d\. ", first):
            for line in block.splitlines():
                doc.list_entry([_plain_math(line[3:])], "%1.")
        else:
            text = re.sub(r"\$\$.*?\$\$", "", block, flags=re.S)  # display formulas inside a block
            for piece in [p for p in text.split("\n") if p.strip()]:
                doc.body(piece.strip())
    doc.heading("参考文献", 1)
    entries = blocks[blocks.index("## 参考文献") + 1:]
    for entry in entries:
        doc.list_entry(_entry_text(entry).split("\n"), "[%1]")
    return doc


_CARET = re.compile(r"\^(\[\d+\])\^")


def _caret_runs(text: str) -> list[tuple[str, bool]]:
    """pandoc's ``^[1]^`` → a superscript run "[1]", as a Word user types a citation."""
    runs: list[tuple[str, bool]] = []
    position = 0
    for m in _CARET.finditer(text):
        if m.start() > position:
            runs.append((text[position:m.start()], False))
        runs.append((m.group(1), True))
        position = m.end()
    if position < len(text):
        runs.append((text[position:], False))
    return runs


def word_defi() -> WordDocument:
    """The DeFi survey (defi.md) as a Word file: the author's preface (前情) as a footnote to the title, headings
    in Word's heading styles, citations as superscript runs, entries [1]-[8] typed paragraphs and [9]-[16] one
    paragraph of soft line breaks (pasted with Shift+Enter)."""
    blocks = _md_blocks("defi.md")
    doc = WordDocument()
    preface = _block(blocks, "# 前情").split("\n", 1)[1]
    doc.paragraph("去中心化金融（DeFi）安全与防护现状", footnote=preface, style="Title")
    for block in blocks[2:]:
        lines = block.split("\n")
        if lines[0].startswith("# 引用"):
            doc.heading("引用", 1)
            entries = lines[1:]
            for entry in entries[:8]:
                doc.paragraph(entry)
            doc.typed_paragraph(entries[8:])
            break
        text_lines: list[str] = []
        for line in lines + ["#"]:
            if line.startswith("#"):
                if text_lines:  # the paragraph before this heading (its lines joined, as Markdown joins them)
                    doc.paragraph(_caret_runs("".join(text_lines)))
                    text_lines = []
                level = len(line) - len(line.lstrip("#"))
                if line.lstrip("#").strip():
                    doc.heading(line.lstrip("#").strip(), level)
            else:
                text_lines.append(line)
    return doc


def build_other_sources() -> None:
    run_pandoc(CORPUS / "nlp-capstone.md", CORPUS / "nlp-capstone.docx")  # pandoc drops the raw <sup> tags
    run_pandoc(CORPUS / "yolo-course.md", CORPUS / "yolo-course.html", "-s", "--metadata", "pagetitle=YOLOv3在车辆检测的应用")
    word_hnu_yolo().save(CORPUS / "word-hnu-yolo.docx")
    word_defi().save(CORPUS / "word-defi.docx")


def build() -> None:
    for name in ("ankang", "asr", "tigge"):
        run_pandoc(CORPUS / f"{name}.md", CORPUS / f"{name}.docx")
    for name in ("ankang", "gcim", "snow"):
        run_pandoc(CORPUS / f"{name}.md", CORPUS / f"{name}.txt", "-t", "plain", "--wrap=none")
    word_ankang().save(CORPUS / "word-ankang.docx")
    word_gcim(damaged=False).save(CORPUS / "word-gcim.docx")
    word_gcim(damaged=True).save(CORPUS / "word-gcim-damaged.docx")
    build_other_sources()


# --- the held-out batch (tests/fixtures/editor-heldout/, its own SOURCES.md) ------------------------------

HELDOUT = ROOT / "tests" / "fixtures" / "editor-heldout"

_HELDOUT_MATH = {r"\%": "%", r"\sim": "~", r"\approx": "≈", r"^{\circ}": "°", r"\pm": "±", r"\div": "÷", r"\times": "×",
                 r"\alpha": "α", r"\beta": "β", r"\gamma": "γ", r"\delta": "δ", r"\theta": "θ", r"\mu": "μ"}


def _heldout_math(text: str) -> str:
    """Inline TeX as a Word user types it: ``$u_{\\mathrm{a}}$`` → ``ua``, ``$80\\%$`` → ``80%``."""
    def one(m: re.Match[str]) -> str:
        body = m.group(1)
        for tex, plain in _HELDOUT_MATH.items():
            body = body.replace(tex, plain)
        body = re.sub(r"\\(?:mathrm|dot|left|right)\b", "", body)
        body = re.sub(r"\\[a-zA-Z]+", "", body)
        return re.sub(r"[\s{}_^$]", "", body)
    return re.sub(r"\s*\$(?!\$)(.+?)\$\s*", one, text)


def _heldout_blocks(name: str) -> list[str]:
    return [block.strip("\n") for block in (HELDOUT / name).read_text(encoding="utf-8").split("\n\n") if block.strip()]


def _gbt_runs(text: str) -> list[tuple[str, bool]]:
    """Citations as a GB/T 7714 author sets them in Word: superscript, except where the number is part of the
    sentence (``文献[7]``), which stays on the line."""
    runs: list[tuple[str, bool]] = []
    position = 0
    for m in _CITATION.finditer(text):
        if m.start() > position:
            runs.append((text[position:m.start()], False))
        runs.append((m.group(0), not text[:m.start()].endswith("文献")))
        position = m.end()
    if position < len(text):
        runs.append((text[position:], False))
    return runs


def _sup_runs(text: str) -> list[tuple[str, bool]]:
    """``x<sup>1</sup>`` → runs with the affiliation mark raised."""
    runs: list[tuple[str, bool]] = []
    for i, piece in enumerate(re.split(r"<sup>(.*?)</sup>", text)):
        if piece:
            runs.append((piece, i % 2 == 1))
    return runs


def _html_table_rows(html: str) -> list[list[str]]:
    """The rows of a simple HTML table, rowspan and colspan cells repeated as empty cells."""
    rows: list[list[str]] = []
    pending: dict[int, int] = {}  # column → rows it still spans
    for row_html in re.findall(r"<tr>(.*?)</tr>", html):
        row: list[str] = []
        column = 0
        for attrs, value in re.findall(r"<td([^>]*)>(.*?)</td>", row_html):
            while pending.get(column, 0) > 0:
                pending[column] -= 1
                row.append("")
                column += 1
            span = re.search(r'rowspan="(\d+)"', attrs)
            colspan = re.search(r'colspan="(\d+)"', attrs)
            cols = int(colspan.group(1)) if colspan else 1
            for k in range(cols):
                row.append(value if k == 0 else "")
                if span:
                    pending[column] = int(span.group(1)) - 1
                column += 1
        while pending.get(column, 0) > 0:
            pending[column] -= 1
            row.append("")
            column += 1
        rows.append(row)
    return rows


def word_lcc_hvdc() -> WordDocument:
    """The LCC-HVDC article (lcc-hvdc.md) as its authors' Word manuscript for 电网技术: affiliation numbers raised,
    the paragraphs the PDF page breaks cut joined again, citations superscript except ``文献[n]`` (on the line, as
    GB/T 7714 wants), figure captions in floating text boxes, table 1 a Word table, typed list numbers with each
    entry's English version after a soft line break, and the dates and author notes as a footnote to the title.
    Display formulas are left out (Word keeps them as equation objects, without citations)."""
    blocks = _heldout_blocks("lcc-hvdc.md")
    doc = WordDocument()
    notes = blocks[blocks.index("在线出版日期：2020-08-03。"):]
    footnote = " ".join(b for b in notes if not b.startswith("（责任编辑"))
    doc.paragraph(blocks[0].lstrip("# "), footnote=footnote, style="Title")
    doc.paragraph(_sup_runs(blocks[1]))
    doc.paragraph("".join(blocks[2:5]))
    english = blocks.index("# Modified Dynamic Phasor Model for Small-signal Stability Analysis of LCC-HVDC System")
    doc.paragraph(blocks[english].lstrip("# "))
    doc.paragraph(_sup_runs(blocks[english + 1]))
    abstract = blocks.index(next(b for b in blocks if b.startswith("ABSTRACT:")))
    doc.paragraph(" ".join(blocks[english + 2:abstract]))
    doc.paragraph(blocks[abstract] + " " + blocks[abstract + 1])
    doc.paragraph(blocks[abstract + 2])  # KEY WORDS
    body = blocks[abstract + 3:blocks.index("# 参考文献")]
    pending = ""
    for block in body:
        if block.startswith("# "):
            title = block[2:]
            number = title.split(" ", 1)[0]
            doc.heading(title, level=number.count(".") + 1 if number[0].isdigit() else 1)
        elif block.startswith("$$"):
            continue
        elif block.startswith("!["):
            captions = [line.strip() for line in block.splitlines()[1:]]
            if captions and captions[0].startswith("图"):
                zh = re.sub(r"^图(\d)(?=\d脉动)", r"图\1 ", captions[0])  # MinerU lost the space: "图16脉动" is 图1
                doc.text_box(zh + "　" + " ".join(captions[1:]))
        elif block.startswith("表 "):
            for line in block.splitlines():
                doc.paragraph(line.strip())
        elif block.startswith("<table>"):
            doc.table(_html_table_rows(block))
        elif block.startswith("1）"):
            for line in block.splitlines():
                doc.paragraph(line.strip())
        elif block.startswith(("摘要：", "关键词：", "DOI:")):
            doc.paragraph(block)
        else:
            text = pending + block
            if text.endswith(("资源优化配置的", "变换关系，建立")):
                pending = text  # the page ended inside the paragraph: MinerU made two of it
                continue
            pending = ""
            doc.paragraph(_gbt_runs(_heldout_math(text)))
    doc.heading("参考文献", 1)
    entries: list[list[str]] = []
    for block in blocks[blocks.index("# 参考文献") + 1:blocks.index(notes[0]) - 1]:
        lines = [line.strip() for line in block.splitlines()]
        if not re.match(r"\[\d+\]", lines[0]):  # the rest of an entry the PDF page cut
            entries[-1][-1] += " " + lines.pop(0)
        for line in lines:
            if re.match(r"\[\d+\]", line):
                entries.append([line])
            else:
                entries[-1].append(line)
    for pieces in entries:
        doc.typed_paragraph(pieces)
    return doc


_FOOTNOTE_REF = re.compile(r'\s*<sup class="footnote-ref"><a href="[^"]*" id="[^"]*" data-pjax-state="">\[(\d+)(?::\d+)?\]</a></sup>')


def word_yolo_blog_damaged() -> WordDocument:
    """The YOLO thesis (yolo-blog.md) as the student's Word file, edited again (see SOURCES.md): Word heading styles,
    citations as superscript runs ``[n]`` (the blog's ``[3:1]`` back-references are the thesis's ``[3]``), figure
    captions in the Caption style, the confusion matrix a Word table with merged cells, the list numbered by Word
    ``[%1]``. Put in by hand: Mask R-CNN cited as a new [24] in the two-stage paragraph, [20] of 激活函数 typed on the
    line, and the YOLOv3 entry pasted again at the end of the list."""
    blocks = _heldout_blocks("yolo-blog.md")
    doc = WordDocument()
    entries: list[str] = []
    in_list = False
    for block in blocks:
        text = block.strip()
        if text == "# 参考文献":
            doc.heading("参考文献", 1)
            in_list = True
            continue
        if in_list:  # the entries are separated by lines of spaces, not blank lines: one block
            for line in text.splitlines():
                if re.match(r"\d+\. ", line):
                    entry = re.sub(r"\s*\[↩︎\]\([^)]*\)", "", line.split(". ", 1)[1])
                    entries.append(entry.replace("\\[", "[").replace("\\]", "]").replace("\\-", "-"))
            continue
        if text.startswith("# 基于"):
            doc.paragraph(text[2:], style="Title")
        elif text.startswith("#"):
            level = len(text) - len(text.lstrip("#"))
            doc.heading(text.lstrip("#").strip(), level)
        elif text.startswith("[![") or text.startswith("$$") or "\\tag{" in text or text.startswith("p(r)p"):
            continue  # images; formulas (Word equation objects)
        elif re.match(r"图 \d", text):
            doc.paragraph(text, style="Caption")
        elif text.startswith("<table"):
            rows = [["", "", "预测值", ""], ["", "", "Positive", "Negative"],
                    ["真实", "Positive", "TP(True Positive)", "FN(False Negative)"],
                    ["", "Negative", "FP(False Positive)", "TN(True Negative)"]]
            doc.table(rows)
            table = doc.doc.tables[-1]
            table.cell(0, 0).merge(table.cell(1, 1))
            table.cell(0, 2).merge(table.cell(0, 3))
            table.cell(2, 0).merge(table.cell(3, 0))
        else:
            text = re.sub(r"\*\*(.*?)\*\*", r"\1", text)
            text = re.sub(r"_(\w)_", r"\1", text)
            text = _FOOTNOTE_REF.sub(lambda m: f"[{m.group(1)}]", text)
            if text.startswith("这类算法因为将目标检测分为"):  # damage: a new citation, appended to the list as [24]
                text = text.replace("R-CNN 系列、SPP Net", "R-CNN 系列、Mask R-CNN[24]、SPP Net")
            runs = _runs(text)
            if text.startswith("卷积层，池化层和全连接层"):  # damage: [20] typed on the line
                runs = [(t, False if t == "[20]" else sup) for t, sup in runs]
            doc.paragraph(runs)
    entries.append("He K, Gkioxari G, Dollár P, et al. Mask r-cnn[C]//Proceedings of the IEEE international "
                   "conference on computer vision. 2017: 2961-2969.")
    entries.append(entries[14])  # damage: the YOLOv3 entry pasted again
    for entry in entries:
        doc.list_entry([entry], "[%1]")
    return doc


def build_heldout() -> None:
    run_pandoc(HELDOUT / "yolo-blog.md", HELDOUT / "yolo-blog.docx")
    run_pandoc(HELDOUT / "svm-notes.md", HELDOUT / "svm-notes.html", "-s", "--metadata", "pagetitle=支持向量机")
    word_lcc_hvdc().save(HELDOUT / "word-lcc-hvdc.docx")
    word_yolo_blog_damaged().save(HELDOUT / "word-yolo-blog-damaged.docx")


# --- reading aid -------------------------------------------------------------------------------------------

def paragraphs_in_reading_order(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as package:
        document = etree.fromstring(package.read("word/document.xml"))
        names = package.namelist()
        notes_root = etree.fromstring(package.read("word/footnotes.xml")) if "word/footnotes.xml" in names else None
    notes: dict[str, list[etree._Element]] = {}
    if notes_root is not None:
        for note in notes_root.iter(_w("footnote")):
            if note.get(_w("type")) in (None, "normal"):
                notes[note.get(_w("id")) or ""] = note.findall(f".//{_w('p')}")
    out: list[str] = []
    body = document.find(_w("body"))
    for paragraph in body.iter(_w("p")):
        if any(a.tag == f"{{{MC}}}Fallback" for a in paragraph.iterancestors()):
            continue  # a text box is stored twice (DrawingML and VML): read once, as the README says
        out.append(_text(paragraph))
        for reference in paragraph.iter(_w("footnoteReference")):
            out.extend(_text(p) for p in notes.get(reference.get(_w("id")) or "", []))
    return out


def _text(paragraph: etree._Element) -> str:
    parts = []
    for node in paragraph.iter(_w("t"), _w("br"), _w("tab")):
        if next(a for a in node.iterancestors(_w("p"))) is not paragraph:
            continue  # the text of a text box anchored here is its own paragraph
        parts.append(node.text or "" if node.tag == _w("t") else (" ⏎ " if node.tag == _w("br") else "\t"))
    numbered = paragraph.find(f"{_w('pPr')}/{_w('numPr')}") is not None
    return ("(#) " if numbered else "") + "".join(parts)


def dump(corpus: Path = CORPUS) -> None:
    for path in sorted(corpus.glob("*.docx")):
        print(f"== {path.name}")
        for number, text in enumerate(paragraphs_in_reading_order(path), 1):
            print(f"{number:4d}  {text[:110]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", action="store_true", help="print the .docx paragraphs in reading order")
    parser.add_argument("--heldout", action="store_true",
                        help="work on tests/fixtures/editor-heldout/ instead (its Word and pandoc documents)")
    args = parser.parse_args(argv)
    if args.dump:
        dump(HELDOUT if args.heldout else CORPUS)
    elif args.heldout:
        build_heldout()
    else:
        build()
    return 0


if __name__ == "__main__":
    sys.exit(main())
