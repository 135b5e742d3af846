"""What the print page (the HTML WeasyPrint typesets) has differently from the screen page: footnotes are page
footnotes, each note's text at its call (WeasyPrint's ``float: footnote``), not a list after the article; a
numbered heading's bookmark reads as the heading does, ``1 资料与方法``, without its footnotes' text."""
from __future__ import annotations

import html
import re
from typing import Any

from lxml import html as lxml_html

_CALL = re.compile(r'<a href="#(fn\d+)" class="footnote-ref" id="fnref\d+" role="doc-noteref"><sup>\d+</sup></a>')
_BLOCKS = frozenset({"p", "div", "ul", "ol", "li", "blockquote", "pre", "table", "figure", "figcaption", "dl", "dt", "dd", "hr",
                     "section", "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "thead", "tbody", "tfoot", "tr"})
_INDENT = "\u2003"
"""Before a list item's later lines (its own paragraphs, a nested list): an em space, which white space does not eat."""
_CELL_GAP = "\u3000"
"""Between a table row's cells, set on one line in a footnote."""


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
        title = _heading_text(rest)
        bookmark = html.escape(f"{html.unescape(number)} {title}", quote=True)
        return f'<h{level}{attributes} data-bookmark="{bookmark}"><span class="secnum">{number}</span>{rest}</h{level}>'

    return {name: _NUMBERED_HEADING.sub(label, fragment) for name, fragment in parts.items()}


def _heading_text(fragment: str) -> str:
    """A heading's text, less the text of the footnotes it calls (``with_page_footnotes`` put them in it)."""
    if "page-note" not in fragment:
        return html.unescape(re.sub(r"<[^>]*>", "", fragment)).strip()
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for note in root.xpath('.//span[contains(concat(" ", normalize-space(@class), " "), " page-note ")]'):
        note.drop_tree()
    return str(root.text_content()).strip()


def with_page_footnotes(parts: dict[str, str]) -> dict[str, str]:
    """``parts`` with every footnote call replaced by its note (``<span class="page-note">``) and the end-of-article
    list (part ``notes``) emptied. A note is set as lines of ``<span class="note-para">`` (print.css puts each after
    the first on a line of its own): a block element inside the calling paragraph would end that paragraph when the
    page is parsed. So a paragraph is a line, a list item a line behind its marker, a table row a line of cells."""
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
        found[item.get("id")] = "".join(f'<span class="note-para">{line}</span>' for line in _lines(item))
    return found


def _lines(element: Any) -> list[str]:
    """``element``'s content as lines of inline HTML: each paragraph, list item and table row a line."""
    lines: list[str] = []
    inline = [html.escape(element.text or "", quote=False)]

    def end_line() -> None:
        line = "".join(inline).strip()
        if line:
            lines.append(line)
        inline.clear()

    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""  # a comment or processing instruction: dropped
        if tag in ("ul", "ol"):
            end_line()
            lines += _list_lines(child)
        elif tag == "table":
            end_line()
            lines += _table_lines(child)
        elif tag in _BLOCKS:
            end_line()
            lines += _lines(child)
        elif tag:
            inline.append(lxml_html.tostring(child, encoding="unicode", with_tail=False))
        inline.append(html.escape(child.tail or "", quote=False))
    end_line()
    return lines


def _list_lines(element: Any) -> list[str]:
    """A list's items, each a line behind its marker (• or its number, as ``type`` and ``start`` give it); an item's
    later lines indented."""
    ordered = element.tag == "ol"
    try:
        number = int(element.get("start") or 1)
    except ValueError:
        number = 1
    lines: list[str] = []
    for item in element:
        if item.tag != "li":
            continue
        marker = _marker(number, element.get("type") or "1") if ordered else "•"
        first, *rest = _lines(item) or [""]
        lines += [f"{marker}\u00a0{first}", *(_INDENT + line for line in rest)]
        number += 1
    return lines


def _marker(number: int, kind: str) -> str:
    """An ordered list's marker: ``3.``, ``c.``, ``C.``, ``iii.``, ``III.`` (HTML's ``type`` 1, a, A, i, I)."""
    if kind in ("a", "A") and number > 0:
        letters = ""
        while number:
            number, digit = divmod(number - 1, 26)
            letters = chr(ord("a") + digit) + letters
        return (letters.upper() if kind == "A" else letters) + "."
    if kind in ("i", "I") and 0 < number < 4000:
        roman = ""
        for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
                               (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
            count, number = divmod(number, value)
            roman += numeral * count
        return (roman.upper() if kind == "I" else roman) + "."
    return f"{number}."


def _table_lines(element: Any) -> list[str]:
    """A table's caption and rows, a row a line, its cells apart by a full-width space; header cells bold."""
    lines = [line for caption in element.findall("caption") for line in _lines(caption)]
    for row in element.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr"):
        cells = []
        for cell in row:
            if cell.tag in ("th", "td"):
                text = " ".join(_lines(cell))
                cells.append(f"<strong>{text}</strong>" if cell.tag == "th" and text else text)
        if any(cells):
            lines.append(_CELL_GAP.join(cells))
    return lines
