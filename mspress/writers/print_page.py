"""What the print page (the HTML WeasyPrint typesets) has differently from the screen page: footnotes are page
footnotes, each note's text at its call (WeasyPrint's ``float: footnote``), not a list after the article; a
numbered heading's bookmark reads as the heading does, ``1 资料与方法``."""
from __future__ import annotations

import html
import re

from lxml import html as lxml_html

_CALL = re.compile(r'<a href="#(fn\d+)" class="footnote-ref" id="fnref\d+" role="doc-noteref"><sup>\d+</sup></a>')
_BLOCKS = ("p", "div", "ul", "ol", "li", "blockquote", "pre", "table", "figure", "dl", "dt", "dd", "hr")


_NUMBERED_HEADING = re.compile(r'<h([1-6])([^>]*)><span class="secnum">([^<]*)</span>(.*?)</h\1>', re.S)


_WIDE_IMAGE = re.compile(r'<figure((?: id="[^"]*")?)>(\s*<img [^>]*class="(?:[^"]* )?wide[ "])')


_COLUMN_WIDTHS = re.compile(r"<colgroup>.*?</colgroup>\n?", re.S)
_TABLE_WIDTH = re.compile(r'(<table[^>]*?) style="width:\d+%;"')


def print_parts(parts: dict[str, str]) -> dict[str, str]:
    return with_natural_table_widths(with_wide_figures(with_bookmark_labels(with_page_footnotes(parts))))


def with_natural_table_widths(parts: dict[str, str]) -> dict[str, str]:
    """Tables sized by their content: pandoc gives a pipe table with a long line relative column widths from its
    dashes, which in a column of 22 characters leaves one character per line in some cells. A table too wide for
    its column then spans the page (``typeset.floats``)."""
    return {name: _TABLE_WIDTH.sub(r"\1", _COLUMN_WIDTHS.sub("", fragment)) for name, fragment in parts.items()}


def with_wide_figures(parts: dict[str, str]) -> dict[str, str]:
    """``![…](x.png){#fig:x .wide}``: pandoc puts the class on the image; the figure is what spans the columns."""
    return {name: _WIDE_IMAGE.sub(r'<figure\1 class="wide">\2', fragment) for name, fragment in parts.items()}


def with_bookmark_labels(parts: dict[str, str]) -> dict[str, str]:
    """Numbered headings with ``data-bookmark="1 资料与方法"`` (print.css makes it the bookmark): the number and the
    title are set apart by a margin, which a bookmark, made of the heading's text, would lose."""

    def label(match: re.Match[str]) -> str:
        level, attributes, number, rest = match.groups()
        title = html.unescape(re.sub(r"<[^>]*>", "", rest)).strip()
        bookmark = html.escape(f"{html.unescape(number)} {title}", quote=True)
        return f'<h{level}{attributes} data-bookmark="{bookmark}"><span class="secnum">{number}</span>{rest}</h{level}>'

    return {name: _NUMBERED_HEADING.sub(label, fragment) for name, fragment in parts.items()}


def with_page_footnotes(parts: dict[str, str]) -> dict[str, str]:
    """``parts`` with every footnote call replaced by its note (``<span class="page-note">``) and the end-of-article
    list (part ``notes``) emptied. A note's paragraphs become ``<span class="note-para">``: a block element inside
    the calling paragraph would end that paragraph when the page is parsed."""
    notes = _notes(parts.get("notes", ""))
    if not notes:
        return parts

    def note(match: re.Match[str]) -> str:
        body = notes.get(match.group(1))
        return f'<span class="page-note">{body}</span>' if body is not None else match.group(0)

    placed = {name: _CALL.sub(note, fragment) for name, fragment in parts.items() if name != "notes"}
    return {**placed, "notes": ""}


def _notes(fragment: str) -> dict[str, str]:
    """Each note of pandoc's footnote list as inline HTML, by its id (``fn1``), without the back link."""
    if "footnote" not in fragment:
        return {}
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    found: dict[str, str] = {}
    for item in root.xpath('.//section[@role="doc-endnotes"]/ol/li[@id]'):
        for back in item.xpath('.//a[@role="doc-backlink"]'):
            back.drop_tree()
        for element in item.iter(*_BLOCKS):
            if element is not item:
                element.tag, element.attrib["class"] = "span", "note-para"
        inner = (item.text or "") + "".join(lxml_html.tostring(child, encoding="unicode") for child in item)
        found[item.get("id")] = inner.strip()
    return found
