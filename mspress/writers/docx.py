"""The Word file for submission: the resolved document with the journal's front matter, written by pandoc's
docx writer in the styles of ``word_styles``, then finished where pandoc stops short of a journal's file:
first-page notes as an unnumbered footnote, three-line tables, and a PNG beside every SVG figure.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mspress import pandoc
from mspress.background import Pending
from mspress.config import LabelSet
from mspress.errors import Diagnostic, Location, Severity
from mspress.model import Lang, Metadata
from mspress.transform.ast import Node, clone, div, link, para, span, superscript, text
from mspress.transform.document import ResolvedDocument
from mspress.writers.word_styles import W

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
SVG_BLIP = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
FALLBACK_DPI = 300
RULE_OUTER, RULE_HEADER = 12, 6
"""Three-line table rules in eighths of a point: 1.5 pt top and bottom, 0.75 pt under the header row."""
LABEL_SPACE = "\u2002"
"""After a section number or a caption's 图1: an en space (the PDF leaves the same gap with CSS)."""
EMU_PER_INCH = 914400
INVISIBLE_MARK = "\u200b"


def docx_bytes(document: ResolvedDocument) -> tuple[bytes, tuple[Diagnostic, ...]]:
    """The article as a .docx, and warnings about what the Word file could not carry."""
    return start_docx(document).result()


def start_docx(document: ResolvedDocument) -> Pending[tuple[bytes, tuple[Diagnostic, ...]]]:
    """``docx_bytes`` begun: the document and its styles made here, then pandoc's docx writer and the finishing (PNG
    copies of SVG figures by rsvg-convert) — other programs, mostly — in a thread while the caller goes on (a build
    lays out the PDF meanwhile)."""
    from lxml import etree  # noqa: F401 — every module the thread uses is imported in this one

    from mspress.writers import math_svg  # noqa: F401
    from mspress.writers.word_styles import reference_docx

    ast = word_document(document)
    reference_bytes = reference_docx(document.settings.journal.layout, document.metadata)

    def rest() -> tuple[bytes, tuple[Diagnostic, ...]]:
        with tempfile.TemporaryDirectory(prefix="mspress-") as folder:
            reference = Path(folder) / "reference.docx"
            reference.write_bytes(reference_bytes)
            log: list[dict[str, Any]] = []
            data = pandoc.convert(ast, "docx", Location(Path("manuscript")), ["--reference-doc", str(reference)], log)
        if log:
            math_svg.unreadable_math(log, document.math_places)  # pandoc would have written the TeX as text
        return finish(data)

    return Pending(rest, "docx")


# --- the article as pandoc blocks -------------------------------------------------------------------------

def word_document(document: ResolvedDocument) -> dict[str, Any]:
    """Front matter as the journal prints it, then the body and the reference list (``pandoc_document()``'s)."""
    whole = clone(document.pandoc_document())  # the gaps added below are the Word file's alone
    labels = document.settings.journal.labels
    meta = document.metadata
    blocks = front_matter(meta, labels.zh, "zh", clone(document.parts["abstract.zh"]))
    blocks += front_matter(meta, labels.en, "en", clone(document.parts["abstract.en"]))
    blocks += [_in_style("Bibliography", [b]) if _is_reference_list(b) else b for b in whole["blocks"] if not _is_abstract(b)]
    _space_after_labels(blocks)
    _equations_on_their_lines(blocks)
    return {**whole, "meta": {}, "blocks": blocks}


def front_matter(meta: Metadata, words: LabelSet, lang: Lang, abstract: list[Node]) -> list[Node]:
    full = lang == "zh"
    colon = "：" if full else ": "
    title = text(meta.title.either(lang))
    notes = first_page_notes(meta, words) if full else []
    if notes:
        title.append({"t": "Note", "c": notes})
    blocks = [_in_style("Title" if full else "Subtitle", [para(title)]), _in_style("Author", [para(_author_line(meta, lang))])]
    if meta.affiliations:
        names = [a.name.either(lang) for a in meta.affiliations]
        numbered = [f"{i}. {n}" if len(names) > 1 else n for i, n in enumerate(names, 1)]
        line = ("（" + "；".join(numbered) + "）") if full else ("(" + "; ".join(numbered) + ")")
        blocks.append(_in_style("Affiliation", [para(text(line))]))
    label = [_strong(words.abstract)]
    first, rest = (abstract[0], abstract[1:]) if abstract and abstract[0]["t"] in ("Para", "Plain") else (para([]), abstract)
    blocks.append(_in_style("Abstract", [para(label + first["c"]), *rest]))
    keywords = meta.keywords_zh if full else meta.keywords_en
    if keywords:
        blocks.append(_in_style("Keywords", [para([_strong(words.keywords), *text(("；" if full else "; ").join(keywords))])]))
    if full:
        codes = [(words.clc, "；".join(meta.clc)), (words.document_code, meta.document_code), (words.article_id, meta.article_id)]
        shown: list[Node] = []
        for name, value in codes:
            if value:
                shown += ([{"t": "Str", "c": "\u3000\u3000"}] if shown else []) + [_strong(name + colon), *text(value)]
        if meta.doi:
            doi = [_strong(words.doi + colon), link(text(meta.doi), f"https://doi.org/{meta.doi}")]
            shown += ([{"t": "Str", "c": "\u3000\u3000"}] if shown else []) + doi
        if shown:
            blocks.append(_in_style("Article Codes", [para(shown)]))
    return blocks


def first_page_notes(meta: Metadata, words: LabelSet) -> list[Node]:
    """收稿日期, 基金项目, 作者简介, 通信作者: the journal's first-page footnote."""
    lines: list[str] = []
    if meta.received:
        lines.append(f"{words.received}：{meta.received}" + (f"；{words.revised}：{meta.revised}" if meta.revised else ""))
    if meta.funding:
        lines.append(f"{words.funding}：" + "；".join(meta.funding))
    if meta.biography:
        lines.append(f"{words.biography}：{meta.biography}")
    for author in meta.authors:
        if author.corresponding:
            lines.append(f"{words.corresponding}：{author.name.either('zh')}" + (f"，{words.email}：{author.email}" if author.email else ""))
    return [para(text(line)) for line in lines]


def _author_line(meta: Metadata, lang: Lang) -> list[Node]:
    out: list[Node] = []
    for i, author in enumerate(meta.authors):
        if i:
            out += text("，") if lang == "zh" else [{"t": "Str", "c": ","}, {"t": "Space"}]
        out += text(author.name.either(lang))
        mark = ",".join(map(str, author.affiliations)) + ("*" if author.corresponding else "")  # as the PDF prints it
        if mark:
            out.append(superscript(text(mark)))
    return out


def _strong(words: str) -> Node:
    return {"t": "Strong", "c": text(words)}


def _in_style(name: str, blocks: list[Node]) -> Node:
    return div(blocks, pairs=[("custom-style", name)])


def _is_abstract(block: Node) -> bool:
    return block["t"] == "Div" and "abstract" in block["c"][0][1]


def _is_reference_list(block: Node) -> bool:
    return bool(block["t"] == "Div" and block["c"][0][0] == "refs")


def _space_after_labels(value: Any) -> None:
    """A section number or caption label is followed by a gap, a reference's [n] by a tab to the hanging indent
    (CSS makes both in the PDF; Word needs characters)."""
    if isinstance(value, dict):
        _space_after_labels(value.get("c"))
    elif isinstance(value, list):
        for item in value:
            _space_after_labels(item)
            if isinstance(item, dict) and item.get("t") == "Span" and item["c"][1]:
                classes = set(item["c"][0][1])
                if classes & {"secnum", "caption-label"}:
                    item["c"][1].append({"t": "Str", "c": LABEL_SPACE})
                elif "ref-label" in classes:
                    item["c"][1].append({"t": "Str", "c": "\t"})


def _equations_on_their_lines(value: Any) -> None:
    """A numbered equation becomes a paragraph of its own in the Equation style: a tab, the formula (centred there),
    a tab, its number at the right margin. Word shows a display formula only alone in its paragraph, with no room for
    a number, so the formula is written as an inline one (the same OMML)."""
    if isinstance(value, dict):
        _equations_on_their_lines(value.get("c"))
    elif isinstance(value, list):
        for item in value:
            _equations_on_their_lines(item)
        if value and all(_is_block(b) for b in value):
            value[:] = [piece for block in value for piece in _split_at_equations(block)]


def _is_block(value: Any) -> bool:
    from mspress.citations.labels import BLOCK_TYPES

    return isinstance(value, dict) and value.get("t") in BLOCK_TYPES


def _split_at_equations(block: Node) -> list[Node]:
    if block.get("t") not in ("Para", "Plain") or not any(_is_equation(i) for i in block["c"]):
        return [block]
    pieces: list[Node] = []
    line: list[Node] = []
    for inline in block["c"]:
        if not _is_equation(inline):
            line.append(inline)
            continue
        if any(i["t"] not in ("Space", "SoftBreak") for i in line):
            pieces.append({"t": block["t"], "c": line})
        line = []
        (ident, classes, _), (math, number) = inline["c"][0], inline["c"][1]
        inline_math = {"t": "Math", "c": [{"t": "InlineMath"}, math["c"][1]]}
        tabbed = [{"t": "Str", "c": "\t"}, inline_math, {"t": "Str", "c": "\t"}, *number["c"][1]]
        pieces.append(_in_style("Equation", [para([span(classes, tabbed, ident)])]))
    if any(i["t"] not in ("Space", "SoftBreak") for i in line):
        pieces.append({"t": block["t"], "c": line})
    return pieces


def _is_equation(inline: Node) -> bool:
    return bool(inline.get("t") == "Span" and "equation" in inline["c"][0][1])


# --- what pandoc leaves to do -----------------------------------------------------------------------------

def finish(data: bytes, rasterise: Callable[[bytes, int, int], bytes | None] | None = None) -> tuple[bytes, tuple[Diagnostic, ...]]:
    """Unnumbered first-page footnote, tabs as Word tabs, three-line tables, PNG fallbacks for SVG figures."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = source.namelist()
        files = {name: source.read(name) for name in names}
    document = etree.fromstring(files["word/document.xml"], parser)
    parts = {"document": document}
    if "word/footnotes.xml" in files:
        parts["footnotes"] = etree.fromstring(files["word/footnotes.xml"], parser)
        _unnumbered_title_note(document, parts["footnotes"])
    warnings: list[Diagnostic] = []
    rendered: dict[tuple[str, int, int], str] = {}
    for name, root in parts.items():
        _tabs_as_elements(root)
        for table in root.iter(f"{{{W}}}tbl"):
            three_line(table)
        rels_name = f"word/_rels/{name}.xml.rels"
        if rels_name in files:
            rels = etree.fromstring(files[rels_name], parser)
            warnings += _svg_fallbacks(root, rels, files, rendered, rasterise or rsvg_png)
            files[rels_name] = _xml(rels)
        files[f"word/{name}.xml"] = _xml(root)
    if rendered:
        types = etree.fromstring(files["[Content_Types].xml"], parser)
        if not any(d.get("Extension") == "png" for d in types):
            etree.SubElement(types, f"{{{CT}}}Default", Extension="png", ContentType="image/png")
        files["[Content_Types].xml"] = _xml(types)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in [n for n in names if n in files] + [n for n in files if n not in names]:
            target.writestr(name, files[name])
    return out.getvalue(), tuple(warnings)


def _xml(root: Any) -> bytes:
    from lxml import etree

    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _tabs_as_elements(root: Any) -> None:
    """A tab in a run's text becomes Word's ``w:tab`` (pandoc leaves it a character, which Word shows as a space)."""
    from lxml import etree

    for run_text in [t for t in root.iter(_w("t")) if t.text and "\t" in t.text]:
        pieces = run_text.text.split("\t")
        run_text.text = pieces[0]
        anchor = run_text
        for piece in pieces[1:]:
            tab = etree.Element(_w("tab"))
            anchor.addnext(tab)
            anchor = tab
            if piece:
                following = etree.Element(_w("t"))
                following.text = piece
                following.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                anchor.addnext(following)
                anchor = following


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _unnumbered_title_note(document: Any, footnotes: Any) -> None:
    """The title's footnote (收稿日期 …) carries no number, as journals print it; body notes count from 1."""
    from lxml import etree

    for paragraph in document.iter(_w("p")):
        style = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}")
        if style is None or style.get(_w("val")) != "Title":
            continue
        for reference in paragraph.iter(_w("footnoteReference")):
            # A custom mark that prints nothing (in the reference's own run, where Word writes it and
            # LibreOffice looks for it): the body's notes count from 1.
            reference.set(_w("customMarkFollows"), "1")
            mark = etree.Element(_w("t"))
            mark.text = INVISIBLE_MARK
            reference.addnext(mark)
            note_id = reference.get(_w("id"))
            for note in footnotes.iter(_w("footnote")):
                if note.get(_w("id")) == note_id:
                    _drop_note_mark(note)
        return


def _drop_note_mark(note: Any) -> None:
    """Remove the footnote's own mark, and the space pandoc puts after it."""
    for mark in list(note.iter(_w("footnoteRef"))):
        run = mark.getparent()
        following = run.getnext()
        run.getparent().remove(run)
        if following is not None and following.tag == _w("r") and not "".join(following.itertext()).strip():
            following.getparent().remove(following)


def three_line(table: Any) -> None:
    """The Chinese journal table: rules above and below (1.5 pt) and under the header row (0.75 pt), no others."""
    from lxml import etree

    properties = table.find(_w("tblPr"))
    if properties is None:
        properties = etree.SubElement(table, _w("tblPr"))
        table.insert(0, properties)
    for old in properties.findall(_w("tblBorders")):
        properties.remove(old)
    borders = etree.Element(_w("tblBorders"))
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        rule = etree.SubElement(borders, _w(side))
        outer = side in ("top", "bottom")
        rule.set(_w("val"), "single" if outer else "nil")
        if outer:
            rule.set(_w("sz"), str(RULE_OUTER))
            rule.set(_w("space"), "0")
            rule.set(_w("color"), "000000")
    # tblBorders follows tblStyle, tblpPr, tblOverlap, bidiVisual, tblStyleRowBandSize, tblStyleColBandSize, tblW, jc.
    before = {_w(t) for t in ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
                              "tblCellSpacing", "tblInd")}
    position = max((i + 1 for i, child in enumerate(properties) if child.tag in before), default=0)
    properties.insert(position, borders)
    # The text block's width, whatever the paper: pandoc's grid assumes 5.5 inches; Word and LibreOffice scale it.
    width = properties.find(_w("tblW"))
    if width is not None and width.get(_w("type")) in ("auto", "dxa"):
        width.set(_w("type"), "pct")
        width.set(_w("w"), "5000")
    rows = table.findall(_w("tr"))
    header = [row for row in rows if row.find(f"{_w('trPr')}/{_w('tblHeader')}") is not None]
    for cell in header[-1].findall(_w("tc")) if header else []:
        cell_properties = cell.find(_w("tcPr"))
        if cell_properties is None:
            cell_properties = etree.Element(_w("tcPr"))
            cell.insert(0, cell_properties)
        for old in cell_properties.findall(_w("tcBorders")):
            cell_properties.remove(old)
        cell_borders = etree.Element(_w("tcBorders"))
        rule = etree.SubElement(cell_borders, _w("bottom"))
        for key, value in (("val", "single"), ("sz", str(RULE_HEADER)), ("space", "0"), ("color", "000000")):
            rule.set(_w(key), value)
        after = {_w(t) for t in ("tcW", "gridSpan", "hMerge", "vMerge")}
        position = max((i + 1 for i, child in enumerate(cell_properties) if child.tag in after), default=0)
        cell_properties.insert(position, cell_borders)


def _svg_fallbacks(part: Any, rels: Any, files: dict[str, bytes], rendered: dict[tuple[str, int, int], str],
                   rasterise: Callable[[bytes, int, int], bytes | None]) -> list[Diagnostic]:
    """Give every SVG figure of one part (the body, the footnotes) a PNG at 300 dpi of its printed size (Word before
    2016 and WPS show only that), and drop the data URL pandoc copies into the picture's description.
    ``rendered``: the PNGs made so far, by SVG and size, shared by the parts (one file per SVG and size)."""
    from lxml import etree

    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    warnings: list[Diagnostic] = []
    for picture in part.iter(f"{{{PIC}}}pic"):
        described = picture.find(f"{{{PIC}}}nvPicPr/{{{PIC}}}cNvPr")
        if described is not None and described.get("descr", "").startswith("data:"):
            described.set("descr", "")
        blip = picture.find(f"{{{PIC}}}blipFill/{{{A}}}blip")
        svg = blip.find(f".//{{{SVG_BLIP}}}svgBlip") if blip is not None else None
        if svg is None or blip.get(f"{{{R}}}embed"):
            continue
        source = targets.get(svg.get(f"{{{R}}}embed"))
        drawing = next(picture.iterancestors(_w("drawing")), None)
        extent = drawing.find(f".//{{{WP}}}extent") if drawing is not None else None
        if source is None or extent is None:
            continue
        width, height = (round(int(extent.get(side)) / EMU_PER_INCH * FALLBACK_DPI) for side in ("cx", "cy"))
        name = rendered.get((source, width, height))
        if name is None:
            png = rasterise(files["word/" + source], width, height)
            if png is None:
                alt = drawing.find(f"{{{WP}}}docPr") if drawing is not None else None
                what = (alt.get("descr") or alt.get("title")) if alt is not None else None
                warnings.append(Diagnostic("svg-without-fallback", Severity.WARNING,
                                           f"figure {what or source!r} is in the Word file as SVG only (Word 2016 and later show it): "
                                           "install rsvg-convert (Debian: librsvg2-bin) for a PNG copy that every Word shows",
                                           Location(Path("manuscript"))))
                continue
            name = source.rsplit(".", 1)[0] + f"-{width}x{height}.png"
            files["word/" + name] = png
            rendered[(source, width, height)] = name
        ident = next((i for i, t in targets.items() if t == name), None)
        if ident is None:
            ident = f"rIdPng{len(targets) + 1}"
            targets[ident] = name
            etree.SubElement(rels, f"{{{REL}}}Relationship", Id=ident, Type=IMAGE_REL, Target=name)
        blip.set(f"{{{R}}}embed", ident)
    return warnings


def rsvg_png(svg: bytes, width: int, height: int) -> bytes | None:
    """The SVG as a PNG of ``width`` × ``height`` pixels, by librsvg (fed on standard input, so it loads no other
    file and nothing from the network); None when rsvg-convert is not installed or fails."""
    program = shutil.which("rsvg-convert")
    if program is None:
        return None
    try:
        done = subprocess.run([program, "--format", "png", "--width", str(width), "--height", str(height)],
                              input=svg, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 and done.stdout.startswith(b"\x89PNG") else None

