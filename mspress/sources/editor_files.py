"""Read a manuscript someone else wrote (.md, .txt, .html, .docx) as numbered lines of text.

Superscript runs and math are kept as character spans, so citation marks typed as superscripts (or as
superscript math, ``$^{[9]}$``) are seen and brackets inside math (``$x\\in[0,1]$``) are not.
For .docx a "line" is a paragraph in reading order (1-based): body paragraphs and table cells as they come,
a footnote's paragraphs right after the paragraph that calls it; a soft line break is a ``\\n`` in the text, and
a paragraph in Word's automatic numbering carries the number Word shows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from mspress.errors import InputUnreadable, Location, ManuscriptError
from mspress.sources.files import read_regular

SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".docx")
MAX_EDITOR_BYTES = 50 * 1024 * 1024
"""A manuscript checked in editor mode: a Word file with its figures may be large, not unbounded."""


@dataclass(frozen=True, slots=True)
class Line:
    number: int
    text: str
    superscripts: tuple[tuple[int, int], ...] = ()
    """(start, end) character spans set in superscript."""
    math: tuple[tuple[int, int], ...] = ()
    """(start, end) character spans of TeX math (``$…$``, ``\\(…\\)``): brackets there are intervals, not citations."""
    list_number: int | None = None
    """The number Word's automatic numbering shows before the paragraph (not part of its text)."""
    in_table: bool = False
    offset: int = 0
    """Where the text starts in its paragraph (a part after a soft line break), for the columns of locations."""

    def in_superscript(self, start: int, end: int) -> bool:
        return _within(self.superscripts, start, end)

    def in_math(self, start: int, end: int) -> bool:
        return _within(self.math, start, end)

    def soft_lines(self) -> list[Line]:
        """The paragraph's parts between soft line breaks, each a line of its own at its place in the paragraph."""
        if "\n" not in self.text:
            return [self]
        parts, start = [], 0
        for text in self.text.split("\n"):
            end = start + len(text)
            parts.append(Line(self.number, text, _clip(self.superscripts, start, end), _clip(self.math, start, end),
                              self.list_number if start == 0 else None, self.in_table, self.offset + start))
            start = end + 1
        return parts


def _within(spans: tuple[tuple[int, int], ...], start: int, end: int) -> bool:
    """Whether one of the sorted, disjoint ``spans`` holds ``start``–``end`` (found by bisection: a line may hold
    a million of them)."""
    if not spans:
        return False
    import bisect

    at = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return at >= 0 and spans[at][0] <= start and end <= spans[at][1]


def _clip(spans: tuple[tuple[int, int], ...], start: int, end: int) -> tuple[tuple[int, int], ...]:
    return tuple((max(a, start) - start, min(b, end) - start) for a, b in spans if a < end and b > start)


def read_document(path: Path, shown: Path) -> list[Line]:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputUnreadable(Location(shown), f"cannot check {suffix or 'this'} files: give a .md, .txt, .html or .docx file")
    try:
        data = read_regular(path, shown, MAX_EDITOR_BYTES)  # a regular file of bounded size, whoever wrote it
        if suffix == ".docx":
            return _docx(data, shown)
    except InputUnreadable:
        raise
    except ManuscriptError as exc:
        raise InputUnreadable(exc.location, exc.diagnostic.message) from None
    except OSError as exc:
        raise InputUnreadable(Location(shown), f"cannot read file: {exc.strerror}") from None
    text = _decode(data, shown)
    if suffix in (".html", ".htm"):
        return _html(text)
    return _plain(hide_markdown_code(text) if suffix in (".md", ".markdown") else text)


def _decode(data: bytes, shown: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputUnreadable(Location(shown), "the file is neither UTF-8 nor GB18030 text")


_MD_SUP = re.compile(r"<sup\b[^<>]{0,300}>(.{0,300}?)</sup>|\^([^^\s]{1,100})\^|\\textsuperscript\{[^{}]{0,40}\}")
# Superscript with no base, as converters write citation marks: $^{[9]}$, ${}^{9}$, ^ { [ 1 0 ] } (spaced by
# a Word → LaTeX converter).
_MATH_SUP = re.compile(r"\$\s*(?:\{\s*\}\s*)?\^\s*(?:\{[^{}$]{1,40}\}|[\[［][^$]{1,40}?[\]］]|\d{1,4})\s*\$"
                       r"|\^\s*\{\s*[\[［][\d\s,，、~～\-–—]{1,40}[\]］]\s*\}")
_MATH = re.compile(r"\$\$.{0,2000}?\$\$|(?<![\\$])\$(?=\S)[^$\n]{1,1000}?(?<=\S)\$|\\\(.{0,1000}?\\\)|\\\[.{0,2000}?\\\]")


_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]{0,20}(?:\s[^<>]{0,500})?/?>")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`{1,10})(?!`).{1,2000}?(?<!`)\1(?!`)")
_IMAGE = re.compile(r"!\[[^\]\n]{0,1000}\]\([^)\n]{0,2000}\)")


def hide_markdown_code(text: str) -> str:
    """Code (fenced blocks, `inline`) and images' alt text blanked out, lines and columns kept: their brackets
    (``features[0]``, ``![640](…)``) are no citations."""
    lines = text.split("\n")
    fence = None
    for i, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)[0] * 3
            lines[i] = ""
        elif fence is not None:
            if line.lstrip().startswith(fence):
                fence = None
            lines[i] = ""
        elif "`" in line or "![" in line:
            lines[i] = _IMAGE.sub(lambda m: " " * len(m.group(0)), _INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line))
    return "\n".join(lines)


def _plain(text: str) -> list[Line]:
    lines = []
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        spans = sorted([m.span() for m in _MD_SUP.finditer(line)] + [m.span() for m in _MATH_SUP.finditer(line)])
        if "<" in line:  # inline HTML's tags are no text: [1]</a></sup><sup><a>[2] is one mark
            line = _TAG.sub(lambda m: " " * len(m.group(0)), line)
            spans = _merge(spans, line)
        lines.append(Line(number, line, tuple(spans), math_spans(line)))
    return lines


def math_spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(m.span() for m in _MATH.finditer(text)) if "$" in text or "\\" in text else ()


_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "caption", "figcaption", "blockquote", "div", "pre"}


def _html(text: str) -> list[Line]:
    import lxml.html
    from lxml import etree

    if not text.strip():
        return []
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, etree.XMLSyntaxError):
        return []  # only a comment, or nothing an HTML parser keeps: no text to check
    for bad in cast(list[Any], root.xpath("//script|//style|//head")):
        bad.drop_tree()
    lines = []
    for element in root.iter(*_BLOCKS):
        if any(child.tag in _BLOCKS for child in element.iterdescendants()):
            continue
        collected = _Text()
        spans: list[tuple[int, int]] = []
        _collect_text(element, collected, spans, in_sup=False)
        content = "".join(collected.parts)
        if content.strip():
            lines.append(Line(cast(Any, element).sourceline or 1, content, tuple(sorted(spans)), math_spans(content)))
    return lines


class _Text:
    """Text collected piece by piece, its length kept (summing the pieces at every element is quadratic)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)


def _collect_text(element, text: _Text, spans: list[tuple[int, int]], in_sup: bool) -> None:  # type: ignore[no-untyped-def]
    """Append the element's text (children and their tails included), noting superscript spans."""
    sup = in_sup or element.tag == "sup"
    start = text.length
    if element.tag == "math" or str(element.tag).endswith("}math"):
        return  # MathML: its brackets are intervals, not citations
    if element.tag == "br":
        text.add("\n")  # a line break; the source's own newlines are spaces
    if element.text:
        text.add(element.text.replace("\n", " "))
    for child in element:
        if isinstance(child.tag, str):
            _collect_text(child, text, spans, sup)
        if child.tail:
            text.add(child.tail.replace("\n", " "))
    if sup and not in_sup:
        spans.append((start, text.length))


MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
"""A .docx is a zip: a member that unpacks to more than this many times its size is a zip bomb, not a manuscript."""


def _docx(data: bytes, shown: Path) -> list[Line]:
    import io
    import zipfile
    import zlib

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except zipfile.BadZipFile as exc:
        raise InputUnreadable(Location(shown), f"not a readable .docx file ({exc})") from None
    odd = next((m for m in members if m.flag_bits & 1 or m.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)), None)
    if odd is not None:  # Word writes neither: an encrypted or oddly packed part would fail later, deep in a reader
        raise InputUnreadable(Location(shown), f"not a readable .docx file: {odd.filename} is "
                              + ("encrypted" if odd.flag_bits & 1 else "packed in a way Word does not use") + "; save the file again in Word")
    unpacked = sum(m.file_size for m in members)
    bomb = next((m for m in members if m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1)), None)
    if unpacked > MAX_UNPACKED_BYTES or bomb is not None:
        raise InputUnreadable(Location(shown), f"not a readable .docx file: it unpacks to {unpacked // (1024 * 1024)} MB"
                              + (f" ({bomb.filename} {bomb.file_size // max(bomb.compress_size, 1)} times its packed size)" if bomb else "")
                              + f"; the limits are {MAX_UNPACKED_BYTES // (1024 * 1024)} MB and {MAX_RATIO}:1")
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError, EOFError, zlib.error) as exc:
        raise InputUnreadable(Location(shown), f"not a readable .docx file ({exc})") from None
    body = getattr(document.element, "body", None)
    if body is None:
        raise InputUnreadable(Location(shown), "not a readable .docx file: word/document.xml is not a Word document")
    superscript_styles = _superscript_styles(document.styles.element)
    try:
        notes = _footnotes(document)
    except etree.XMLSyntaxError as exc:
        raise InputUnreadable(Location(shown), f"not a readable .docx file: its footnotes are not XML ({exc})") from None
    numbering = _numbering(document)
    list_numbers = _ListNumbers(numbering, _style_numbering(document.styles.element))
    paragraphs = []
    for paragraph in body.iter(_W + "p"):
        if any(ancestor.tag == _FALLBACK for ancestor in paragraph.iterancestors()):
            continue  # a text box is stored twice: as DrawingML and, for old readers, as VML
        if _style(paragraph, "pPr", "pStyle") in CODE_STYLES:
            paragraph = _empty_paragraph()  # code: its brackets are no citations, its place keeps the numbering
        paragraphs.append(paragraph)
        for reference in paragraph.iter(_W + "footnoteReference"):
            paragraphs.extend(notes.get(reference.get(_W + "id", ""), []))
    lines = []
    for number, paragraph in enumerate(paragraphs, 1):
        in_table = any(a.tag == _W + "tc" for a in paragraph.iterancestors())
        text = _Text()
        spans: list[tuple[int, int]] = []
        for run in _own_runs(paragraph):
            if _style(run, "rPr", "rStyle") in CODE_STYLES:
                continue
            start = text.length
            text.add(_run_text(run))
            if _is_superscript(run, superscript_styles):
                spans.append((start, text.length))
        lines.append(Line(number, "".join(text.parts), tuple(_merge(spans)), list_number=list_numbers.next(paragraph), in_table=in_table))
    return lines


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


CODE_STYLES = {"SourceCode", "VerbatimChar", "HTMLPreformatted", "HTMLCode"}
"""Paragraph and character styles of code (pandoc's and Word's own): their text is not checked."""


def _style(element: Any, properties: str, kind: str) -> str | None:
    found = element.find(f"{_W}{properties}/{_W}{kind}")
    return None if found is None else str(found.get(_W + "val"))


def _empty_paragraph() -> Any:
    from lxml import etree

    return etree.Element(_W + "p")


def _footnotes(document: Any) -> dict[str, list[Any]]:
    """Each footnote's paragraphs by id (separators left out)."""
    from lxml import etree

    for rel in document.part.rels.values():
        if rel.reltype.endswith("/footnotes") and not rel.is_external:
            parser = etree.XMLParser(resolve_entities=False, no_network=True)
            root = etree.fromstring(rel.target_part.blob, parser)
            return {str(note.get(_W + "id")): note.findall(f".//{_W}p") for note in root.iter(_W + "footnote")
                    if note.get(_W + "type") in (None, "normal")}
    return {}


def _own_runs(paragraph: Any) -> list[Any]:
    """The paragraph's runs, those inside links and fields included, those of a text box inside it not."""
    runs = []
    for run in paragraph.iter(_W + "r"):
        owner = run.getparent()
        while owner is not None and owner.tag != _W + "p":
            owner = owner.getparent()
        if owner is paragraph:
            runs.append(run)
    return runs


def _run_text(run: Any) -> str:
    text = []
    for child in run:
        if child.tag == _W + "t":
            text.append(child.text or "")
        elif child.tag == _W + "tab":
            text.append("\t")
        elif child.tag in (_W + "br", _W + "cr"):
            text.append(" " if child.get(_W + "type") in ("page", "column") else "\n")  # a soft line break
        elif child.tag == _W + "noBreakHyphen":
            text.append("-")
    return "".join(text)


def _numbering(document: Any) -> dict[str, dict[str, tuple[int, str]]]:
    """numId → level → (start value, number format) from word/numbering.xml."""
    try:
        root = document.part.numbering_part.element  # parsed by python-docx when it opened the file
    except (KeyError, NotImplementedError):
        return {}  # no numbering part: python-docx would create one, and cannot (NumberingPart.new)
    abstract: dict[str, dict[str, tuple[int, str]]] = {}
    for definition in root.iter(_W + "abstractNum"):
        levels = {}
        for level in definition.iter(_W + "lvl"):
            start, fmt = level.find(_W + "start"), level.find(_W + "numFmt")
            levels[str(level.get(_W + "ilvl", "0"))] = (_int(start), "decimal" if fmt is None else str(fmt.get(_W + "val")))
        abstract[str(definition.get(_W + "abstractNumId"))] = levels
    found = {}
    for num in root.iter(_W + "num"):
        base = num.find(_W + "abstractNumId")
        levels = dict(abstract.get(str(base.get(_W + "val")) if base is not None else "", {}))
        for override in num.iter(_W + "lvlOverride"):
            start = override.find(_W + "startOverride")
            level = str(override.get(_W + "ilvl", "0"))
            if start is not None and level in levels:
                levels[level] = (_int(start), levels[level][1])
        found[str(num.get(_W + "numId"))] = levels
    return found


def _int(element: Any) -> int:
    value = "" if element is None else str(element.get(_W + "val", ""))
    return int(value) if value.isdigit() and len(value) < 7 else 1


def _style_numbering(styles: Any) -> dict[str, tuple[str, str]]:
    """Paragraph style id → (numId, level) for styles that number their paragraphs (Word's List Number…)."""
    found = {}
    by_id = {s.get(_W + "styleId"): s for s in styles.iter(_W + "style")}
    for style_id, style in by_id.items():
        for _ in range(10):  # the style's own numbering, else its parent's
            num = style.find(f"{_W}pPr/{_W}numPr") if style is not None else None
            if num is not None:
                found[str(style_id)] = _num_pr(num)
                break
            based = style.find(_W + "basedOn") if style is not None else None
            style = by_id.get(based.get(_W + "val")) if based is not None else None
    return found


def _num_pr(num: Any) -> tuple[str, str]:
    num_id, level = num.find(_W + "numId"), num.find(_W + "ilvl")
    return (str(num_id.get(_W + "val")) if num_id is not None else "", str(level.get(_W + "val")) if level is not None else "0")


class _ListNumbers:
    """The number Word shows before each paragraph of an automatically numbered list (bullets have none)."""

    def __init__(self, numbering: dict[str, dict[str, tuple[int, str]]], by_style: dict[str, tuple[str, str]]) -> None:
        self.numbering, self.by_style = numbering, by_style
        self.counters: dict[tuple[str, str], int] = {}

    def next(self, paragraph: Any) -> int | None:
        own = paragraph.find(f"{_W}pPr/{_W}numPr")
        num_id, level = _num_pr(own) if own is not None else self.by_style.get(_style(paragraph, "pPr", "pStyle") or "", ("", "0"))
        if own is not None and own.find(_W + "numId") is not None and num_id == "0":
            return None  # numbering switched off for this paragraph
        start, fmt = self.numbering.get(num_id, {}).get(level, (1, "decimal")) if num_id else (1, "none")
        if fmt in ("bullet", "none"):
            return None
        for key in [k for k in self.counters if k[0] == num_id and k[1] > level]:
            del self.counters[key]  # a higher level restarts the levels below it
        value = self.counters.get((num_id, level), start - 1) + 1
        self.counters[(num_id, level)] = value
        return value


def _vertical(properties: Any) -> str | None:
    found = properties.find(_W + "vertAlign") if properties is not None else None
    return None if found is None else found.get(_W + "val")


def _superscript_styles(styles: Any) -> set[str]:
    """Character styles that raise their text (Word's 'Footnote Reference', EndNote's citation styles…)."""
    by_id = {s.get(_W + "styleId"): s for s in styles.iter(_W + "style")}

    def raised(style_id: str | None, depth: int = 0) -> bool:
        style = by_id.get(style_id)
        if style is None or depth > 20:
            return False
        own = _vertical(style.find(_W + "rPr"))
        if own is not None:
            return own == "superscript"
        based = style.find(_W + "basedOn")
        return based is not None and raised(based.get(_W + "val"), depth + 1)

    return {i for i in by_id if i and raised(i)}


def _is_superscript(run: Any, superscript_styles: set[str]) -> bool:
    properties = run.find(_W + "rPr")
    own = _vertical(properties)
    if own is not None:
        return own == "superscript"
    style = properties.find(_W + "rStyle") if properties is not None else None
    return style is not None and style.get(_W + "val") in superscript_styles


def _merge(spans: list[tuple[int, int]], text: str = "") -> list[tuple[int, int]]:
    """Touching spans as one (with ``text``: also spans with only blanks between them)."""
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and (merged[-1][1] == a or (text and merged[-1][1] < a and not text[merged[-1][1]:a].strip())):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged
