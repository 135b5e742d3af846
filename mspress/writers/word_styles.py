"""The Word file's styles, generated from the journal's layout: pandoc's reference document, restyled.

Pandoc takes every paragraph, character and table style, the page size and margins, and the footer from this
document (``--reference-doc``), so the styles are made here and nowhere else. Word's two font slots carry the
Chinese face (East Asian) and the Latin one (ASCII); sizes are in half-points, lengths in twentieths of a point.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from mspress import pandoc
from mspress.config import Layout
from mspress.model import Metadata

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CAPTION_SIZE = 9.0
"""Captions, the abstracts and keywords (小五 is 9 pt)."""
FRONT_SMALL = 9.0


@dataclass(frozen=True, slots=True)
class Look:
    """One paragraph style's look. Sizes and spacing in points."""

    size: float
    heading_font: bool = False
    bold: bool = False
    align: str = "both"
    """Word's ``jc``: ``both`` (justified), ``center``, ``left``."""
    indent_chars: int = 0
    """First-line indent in characters (two for body text)."""
    hanging: float = 0
    """Hanging indent, with a tab stop there (the reference list's ``[n]`` then a tab)."""
    left: float = 0
    before: float = 0
    after: float = 0
    line: float = 1.0
    """Line pitch as a multiple of ``size``, as a minimum (a formula may widen its line)."""
    keep_next: bool = False
    outline: int | None = None
    latin_font: bool = False
    """Latin face in the East Asian slot too (the English title)."""
    tabs: tuple[tuple[str, float], ...] = ()
    """Tab stops: (Word's ``val``, ``center`` or ``right``, position in points from the left margin)."""


def looks(layout: Layout) -> dict[str, Look]:
    """Every paragraph style mspress's Word file uses, by style name."""
    body, pitch = layout.body_size, layout.line_height
    heading = {f"Heading {n}": Look(layout.heading_size(n), heading_font=True, bold=n > 1, align="left", before=6, after=3,
                                    line=1.3, keep_next=True, outline=n - 1) for n in range(1, 7)}
    return {
        "Normal": Look(body, line=pitch),
        "Body Text": Look(body, indent_chars=2, line=pitch),
        "First Paragraph": Look(body, indent_chars=2, line=pitch),
        "Compact": Look(body, line=pitch),
        "Block Text": Look(body, left=2 * body, line=pitch),
        "Source Code": Look(body, align="left", line=1.2),
        "Title": Look(layout.title_size, heading_font=True, align="center", before=6, after=6, line=1.3, keep_next=True),
        "Subtitle": Look(layout.title_size - 3, bold=True, align="center", before=12, after=6, line=1.3, keep_next=True,
                         latin_font=True),
        "Author": Look(body, align="center", after=3, line=1.3, keep_next=True),
        "Affiliation": Look(FRONT_SMALL, align="center", after=6, line=1.3, keep_next=True),
        "Abstract": Look(FRONT_SMALL, line=1.5),
        "Keywords": Look(FRONT_SMALL, line=1.5),
        "Article Codes": Look(FRONT_SMALL, align="left", line=1.5),
        **heading,
        "Bibliography": Look(layout.reference_size, hanging=2.4 * layout.reference_size, line=1.5),  # the PDF's 2.4em
        "Caption": Look(CAPTION_SIZE, align="center", line=1.3),
        "Image Caption": Look(CAPTION_SIZE, align="center", after=6, line=1.3),
        "Table Caption": Look(CAPTION_SIZE, align="center", before=6, line=1.3, keep_next=True),
        "Figure": Look(body, align="center", line=1.0, keep_next=True),
        "Captioned Figure": Look(body, align="center", before=6, line=1.0, keep_next=True),
        # A numbered equation: a tab to the formula, centred in the text block, a tab to its number at the right margin.
        "Equation": Look(body, align="left", before=3, after=3, line=pitch,
                         tabs=(("center", text_width(layout) / 2), ("right", text_width(layout)))),
        "Footnote Text": Look(layout.note_size, line=1.3),
        "Footnote Block Text": Look(layout.note_size, line=1.3),
    }


def text_width(layout: Layout) -> float:
    """The text block's width in points."""
    return (layout.page_size[0] - layout.margins[1] - layout.margins[3]) / 25.4 * 72


def reference_docx(layout: Layout, metadata: Metadata) -> bytes:
    """Pandoc's reference document with the journal's styles, page and page numbers."""
    import docx

    document = docx.Document(io.BytesIO(pandoc.default_data_file("reference.docx")))
    styles = document.styles.element
    _set_defaults(styles, layout)
    by_name = {s.name: s for s in document.styles}
    for name, look in looks(layout).items():
        style = by_name.get(name) or document.styles.add_style(name, 1)  # 1: a paragraph style
        if name not in by_name:
            style.base_style = by_name["Normal"]
        _restyle(style.element, look, layout)
    _character_styles(by_name)
    _page(document, layout, metadata)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _el(tag: str, **attrs: str) -> Any:
    from lxml import etree

    element = etree.Element(f"{{{W}}}{tag}")
    for key, value in attrs.items():
        element.set(f"{{{W}}}{key}", value)
    return element


SECTION_ORDER = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
                 "pgBorders", "lnNumType", "pgNumType")
RUN_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow", "emboss",
             "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color")
"""Where an element goes among its siblings (Word refuses a document whose elements are out of the schema's order)."""


def _insert_ordered(parent: Any, element: Any, order: tuple[str, ...]) -> None:
    """Insert ``element`` after every sibling that the schema puts before it (``order`` ends with its own name)."""
    earlier = {f"{{{W}}}{name}" for name in order[:-1]}
    position = 0
    for i, sibling in enumerate(parent):
        if sibling.tag in earlier:
            position = i + 1
    parent.insert(position, element)


def _child(parent: Any, tag: str) -> Any:
    found = parent.find(f"{{{W}}}{tag}")
    if found is None:
        found = _el(tag)
        parent.append(found)
    return found


def _fonts(layout: Layout, heading: bool = False, latin_only: bool = False) -> Any:
    east_asian = layout.font_latin if latin_only else (layout.font_heading_zh if heading else layout.font_zh)
    # No theme attributes: Word prefers a theme font over a named one.
    return _el("rFonts", ascii=layout.font_latin, hAnsi=layout.font_latin, eastAsia=east_asian, cs=layout.font_latin,
               hint="eastAsia")


def _half_points(size: float) -> str:
    return str(round(size * 2))


def _twips(points: float) -> str:
    return str(round(points * 20))


def _set_defaults(styles: Any, layout: Layout) -> None:
    r_pr = styles.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr")
    for old in list(r_pr):
        r_pr.remove(old)
    r_pr.extend([_fonts(layout), _el("sz", val=_half_points(layout.body_size)), _el("szCs", val=_half_points(layout.body_size)),
                 _el("lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA")])
    p_pr = styles.find(f"{{{W}}}docDefaults/{{{W}}}pPrDefault/{{{W}}}pPr")
    for old in list(p_pr):
        p_pr.remove(old)
    p_pr.append(_el("spacing", before="0", after="0"))


def _restyle(style: Any, look: Look, layout: Layout) -> None:
    """Replace the style's paragraph and run properties with ``look``'s (nothing of pandoc's look remains)."""
    for tag in ("pPr", "rPr"):
        old = style.find(f"{{{W}}}{tag}")
        if old is not None:
            style.remove(old)
    p_pr = _el("pPr")
    if look.keep_next:
        p_pr.append(_el("keepNext"))
    if look.hanging or look.tabs:
        tabs = _el("tabs")
        if look.hanging:
            tabs.append(_el("tab", val="left", pos=_twips(look.hanging)))
        for kind, position in look.tabs:
            tabs.append(_el("tab", val=kind, pos=_twips(position)))
        p_pr.append(tabs)
    p_pr.append(_el("spacing", before=_twips(look.before), after=_twips(look.after),
                    line=_twips(look.size * look.line), lineRule="atLeast"))
    if look.indent_chars:
        p_pr.append(_el("ind", firstLineChars=str(look.indent_chars * 100), firstLine=_twips(look.indent_chars * look.size)))
    elif look.hanging:
        p_pr.append(_el("ind", left=_twips(look.hanging), hanging=_twips(look.hanging)))
    else:
        p_pr.append(_el("ind", left=_twips(look.left), firstLine="0"))
    p_pr.append(_el("jc", val=look.align))
    if look.outline is not None:
        p_pr.append(_el("outlineLvl", val=str(look.outline)))
    r_pr = _el("rPr")
    r_pr.append(_fonts(layout, look.heading_font, look.latin_font))
    for tag in ("b", "bCs") if look.bold else ():
        r_pr.append(_el(tag))
    if not look.bold:
        r_pr.extend([_el("b", val="0"), _el("bCs", val="0")])
    r_pr.extend([_el("i", val="0"), _el("color", val="000000"), _el("sz", val=_half_points(look.size)),
                 _el("szCs", val=_half_points(look.size))])
    # pPr before rPr, after the style's name, basedOn, next… (the schema's order).
    style.append(p_pr)
    style.append(r_pr)


def _character_styles(by_name: dict[str, Any]) -> None:
    """Links (citation marks, cross references) print black and plain, as in the PDF."""
    for name in ("Hyperlink", "Title Char", "Subtitle Char", *(f"Heading {n} Char" for n in range(1, 10))):
        style = by_name.get(name)
        if style is None:
            continue
        r_pr = _child(style.element, "rPr")
        for tag in ("color", "u", "rFonts", "i"):
            for old in r_pr.findall(f"{{{W}}}{tag}"):
                r_pr.remove(old)
        _insert_ordered(r_pr, _el("color", val="000000"), RUN_ORDER)


def _page(document: Any, layout: Layout, metadata: Metadata) -> None:
    """Paper, margins and a centred page number in the footer, counting from the journal's first page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    section = document.sections[0]
    width, height = layout.page_size
    top, right, bottom, left = layout.margins
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = Mm(top), Mm(right), Mm(bottom), Mm(left)
    section.header_distance = section.footer_distance = Mm(min(top, bottom) / 2)
    section.gutter = Mm(0)  # the schema requires it on w:pgMar
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = _el("fldSimple", instr=" PAGE ")
    run = paragraph.add_run("1")
    run.font.size = Pt(CAPTION_SIZE)
    paragraph._p.remove(run._r)
    field.append(run._r)
    paragraph._p.append(field)
    first = metadata.journal.first_page if metadata.journal else None
    if layout.page_numbers == "journal" and first:
        _insert_ordered(section._sectPr, _el("pgNumType", start=str(first)), SECTION_ORDER)
