"""A manuscript someone else wrote (.docx, .md), read by pandoc into its AST and tidied for mspress: raw HTML made
structure, figures and their captions, table captions, headings (levels, typed numbers), internal links.

Everything here works on pandoc's JSON AST (plain dicts and lists); what had to be guessed is returned as text for the
import report. No file is written here; figures are collected as bytes, read from the .docx within size limits.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mspress import pandoc
from mspress.errors import InputUnreadable, Location, ManuscriptError
from mspress.sources.figures import MAX_IMAGE_BYTES, MAX_PIXELS, MAX_SVG_BYTES

Node = dict[str, Any]
Ast = dict[str, Any]

MD_READER = "markdown+east_asian_line_breaks+raw_html-raw_tex-raw_attribute-inline_notes"
"""A foreign Markdown file is read as mspress reads its own (TeX math kept, raw TeX text), raw HTML so that its
``<sup>``, ``<table>`` and ``<br>`` can be made structure; without inline notes: ``^[1]^`` is a superscript
citation, as editor mode reads it, not a note ``^[1]``."""
MD_WRITER = "markdown-raw_html+raw_tex-raw_attribute-smart"
"""What the imported sections are written in: no raw HTML (mspress would print it as text), quotes as typed; a table
pandoc cannot write as a pipe or simple table becomes a grid table. ``raw_tex`` is on only for its escaping: without
it pandoc's writer (3.x) writes a backslash before punctuation as ``\\\\`` and drops the punctuation (``4\\%`` became
``4\\\\``); with it every backslash is escaped. No raw node reaches the writer (``write_markdown``)."""
MD_BACK = "markdown-raw_html-raw_tex-raw_attribute-smart"
"""What mspress's own written Markdown is read back with (the citation conversion): no raw TeX."""
MAX_FIGURES = 200


@dataclass(frozen=True, slots=True)
class FigureFile:
    name: str
    """``figures/fig1.png``: relative to manuscript/."""
    data: bytes


@dataclass(slots=True)
class Tidied:
    """The document after tidying: blocks, pandoc's metadata, the figures and what was guessed."""

    blocks: list[Node]
    meta: dict[str, Any]
    api: list[int]
    figures: list[FigureFile] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)
    """Messages for the report, about the whole document (no better place to point at)."""
    heading_numbers: dict[int, str] = field(default_factory=dict)
    """``id()`` of a Header → the number typed in it (``2.1``), removed from its text."""
    caption_numbers: dict[int, str] = field(default_factory=dict)
    """``id()`` of a Figure or Table → the number its caption's label showed (``1`` of ``图1``)."""


# --- text of nodes ----------------------------------------------------------------------------------------------


def inline_text(value: Any, breaks: bool = False) -> str:
    """Text of inlines (notes left out); ``breaks``: a LineBreak as ``\\n``."""
    out: list[str] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
            continue
        if not isinstance(item, dict):
            continue
        kind = item.get("t")
        if kind == "Str":
            out.append(str(item["c"]))
        elif kind in ("Space", "SoftBreak"):
            out.append(" ")
        elif kind == "LineBreak":
            out.append("\n" if breaks else " ")
        elif kind in ("Math", "Code"):
            out.append(str(item["c"][1]))
        elif kind == "Note":
            continue
        elif kind in ("Image", "Link"):
            stack.append(item["c"][1])
        elif kind in ("Span", "Cite", "Quoted"):
            stack.append(item["c"][1] if kind != "Cite" else item["c"][1])
        elif isinstance(item.get("c"), list):
            stack.append(item["c"])
    return "".join(out)


def block_text(block: Node) -> str:
    kind = block.get("t")
    if kind in ("Para", "Plain"):
        return inline_text(block["c"], breaks=True)
    if kind == "Header":
        return inline_text(block["c"][2])
    return ""


def para(inlines: list[Node]) -> Node:
    return {"t": "Para", "c": inlines}


def words(value: str) -> list[Node]:
    out: list[Node] = []
    for i, word in enumerate(value.split(" ")):
        if i:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def strip_prefix(inlines: list[Node], count: int) -> list[Node]:
    """``inlines`` without their first ``count`` characters of text (a label such as ``图1``), leading blanks removed."""
    out = [dict(node) for node in inlines]
    while out and count > 0:
        node = out[0]
        if node["t"] == "Str":
            text = str(node["c"])
            if len(text) <= count:
                count -= len(text)
                out.pop(0)
            else:
                node["c"] = text[count:]
                count = 0
        elif node["t"] in ("Space", "SoftBreak", "LineBreak"):
            count -= 1
            out.pop(0)
        elif node["t"] in ("Strong", "Emph", "Span") and node["t"] != "Span":
            inner = inline_text(node["c"])
            if len(inner) <= count:
                count -= len(inner)
                out.pop(0)
            else:
                node["c"] = strip_prefix(node["c"], count)
                count = 0
        else:
            break
    while out and (out[0]["t"] in ("Space", "SoftBreak", "LineBreak") or (out[0]["t"] == "Str" and not str(out[0]["c"]).strip())):
        out.pop(0)
    if out and out[0]["t"] == "Str":
        out[0]["c"] = str(out[0]["c"]).lstrip("：:.．、 \u3000\u2002")
        if not out[0]["c"]:
            out.pop(0)
    return out


def split_at_breaks(inlines: list[Node]) -> list[list[Node]]:
    lines: list[list[Node]] = [[]]
    for node in inlines:
        if node["t"] == "LineBreak":
            lines.append([])
        else:
            lines[-1].append(node)
    return [line for line in lines if inline_text(line).strip()]


def walk_blocks(blocks: list[Node]) -> Iterator[Node]:
    """Every block, nested ones included (lists, quotes, divs, tables, notes), parents first."""
    stack: list[Node] = list(reversed(blocks))
    while stack:
        block = stack.pop()
        yield block
        stack.extend(reversed(list(child_blocks(block))))


def child_blocks(block: Node) -> Iterator[Node]:
    kind, content = block.get("t"), _content(block)
    if kind in ("BlockQuote",):
        yield from content
    elif kind == "Div":
        yield from content[1]
    elif kind == "BulletList":
        for item in content:
            yield from item
    elif kind == "OrderedList":
        for item in content[1]:
            yield from item
    elif kind == "DefinitionList":
        for _, definitions in content:
            for blocks in definitions:
                yield from blocks
    elif kind == "Figure":
        yield from content[1][1]
        yield from content[2]
    elif kind == "Table":
        yield from content[1][1]
        for cell_blocks in _table_cells(content):
            yield from cell_blocks
    for note in notes_of(block):
        yield from note


def _content(node: Node) -> Any:
    """A node's ``c`` (pandoc's JSON leaves it out for Space, LineBreak…)."""
    return node.get("c")


def _table_cells(content: list[Any]) -> Iterator[list[Node]]:
    _, _, _, head, bodies, foot = content
    rows = list(head[1])
    for body in bodies:
        rows += body[2] + body[3]
    rows += foot[1]
    for row in rows:
        for cell in row[1]:
            yield cell[4]


def inline_lists(block: Node) -> Iterator[list[Node]]:
    """The block's own inline lists (not those of its child blocks)."""
    kind, content = block.get("t"), _content(block)
    if kind in ("Para", "Plain"):
        yield content
    elif kind == "Header":
        yield content[2]
    elif kind == "LineBlock":
        yield from content
    elif kind == "DefinitionList":
        for term, _ in content:
            yield term


def notes_of(block: Node) -> Iterator[list[Node]]:
    """The blocks of each Note in the block's own inlines."""
    for inlines in inline_lists(block):
        for node in walk_inlines(inlines):
            if node["t"] == "Note":
                yield node["c"]


def walk_inlines(inlines: list[Node]) -> Iterator[Node]:
    """Inline nodes, nested ones included, but not inside notes."""
    stack: list[Node] = list(reversed(inlines))
    while stack:
        node = stack.pop()
        yield node
        kind, content = node.get("t"), _content(node)
        if kind in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            stack.extend(reversed(content))
        elif kind in ("Span", "Link", "Image", "Cite", "Quoted"):
            stack.extend(reversed(content[1]))


def map_inlines(inlines: list[Node], change: Callable[[Node], list[Node] | None]) -> list[Node]:
    """``inlines`` rebuilt: ``change`` returns a node's replacement (a list) or ``None`` to keep it (its children
    rebuilt too). Notes' blocks are not visited."""
    out: list[Node] = []
    for node in inlines:
        replaced = change(node)
        if replaced is not None:
            out.extend(replaced)
            continue
        kind, content = node.get("t"), _content(node)
        if kind in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            node = {"t": kind, "c": map_inlines(content, change)}
        elif kind in ("Span", "Link", "Image", "Quoted"):
            node = {"t": kind, "c": [content[0], map_inlines(content[1], change), *content[2:]]}
        out.append(node)
    return out


def map_all_inlines(blocks: list[Node], change: Callable[[Node], list[Node] | None]) -> None:
    """``map_inlines`` over every inline list of ``blocks``, nested blocks and notes included, in place."""
    for block in walk_blocks(blocks):
        for inlines in inline_lists(block):
            inlines[:] = map_inlines(inlines, change)


def unreadable_formulas(blocks: list[Node], api: list[int], where: Location) -> list[tuple[str, str]]:
    """Formulas pandoc's TeX reader cannot read (a converter's ``\\textdegree`` in math), made code spans so the
    imported project builds; returned as (TeX, why) for the report. One pandoc run reads them all."""
    formulas: list[Node] = []

    def collect(node: Node) -> list[Node] | None:
        if node.get("t") == "Math":
            formulas.append(node)
        return None

    map_all_inlines(blocks, collect)
    if not formulas:
        return []
    log: list[dict[str, Any]] = []
    probe = {"pandoc-api-version": api, "meta": {}, "blocks": [{"t": "Plain", "c": formulas}]}
    pandoc.convert(probe, "html5", where, ["--mathml"], log)
    failed = dict(pandoc.unconverted_math(log))
    if not failed:
        return []

    def as_code(node: Node) -> list[Node] | None:
        if node.get("t") == "Math" and node["c"][1] in failed:
            return [{"t": "Code", "c": [["", [], []], node["c"][1]]}]
        return None

    map_all_inlines(blocks, as_code)
    return list(failed.items())


def merge_code(blocks: list[Node]) -> int:
    """Adjacent inline code with the same attributes made one (pandoc's docx reader gives one per Word run, and Word
    splits runs at a change of script: ``{#tbl:名称`` `` `` ``caption-en="…"}``); returns how many were merged, in
    place."""
    merged = 0

    def merge(inlines: list[Node]) -> None:
        nonlocal merged
        out: list[Node] = []
        for node in inlines:
            kind, content = node.get("t"), _content(node)
            if kind == "Code" and out and out[-1].get("t") == "Code" and out[-1]["c"][0] == content[0]:
                out[-1] = {"t": "Code", "c": [content[0], str(out[-1]["c"][1]) + str(content[1])]}
                merged += 1
                continue
            if kind in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
                merge(content)
            elif kind in ("Span", "Link", "Image", "Quoted"):
                merge(content[1])
            out.append(node)
        inlines[:] = out

    for block in walk_blocks(blocks):
        for inlines in inline_lists(block):
            merge(inlines)
    return merged


# --- reading ----------------------------------------------------------------------------------------------------


def read_ast(data: bytes, suffix: str, shown: Path) -> Ast:
    """The manuscript as pandoc's AST (pandoc in its sandbox: the document can make it read no file)."""
    where = Location(shown)
    try:
        if suffix == ".docx":
            output = pandoc.run(data, ["-f", "docx", "-t", "json"], where, "read the Word file")
        else:
            output = pandoc.run(data, ["-f", MD_READER, "-t", "json"], where, "read the Markdown")
    except ManuscriptError as exc:
        raise InputUnreadable(exc.location, exc.diagnostic.message) from None
    import json

    try:
        ast: Ast = json.loads(output)
    except (ValueError, RecursionError):
        raise InputUnreadable(where, "pandoc's reading of the file could not be used") from None
    if pandoc._nesting(ast) > pandoc.MAX_NESTING:
        raise InputUnreadable(where, f"the document is nested too deeply (lists, quotes or tables inside each other more than "
                              f"{pandoc.MAX_NESTING // 4} levels)")
    return ast


_AT = "\uf8f0\uf8f1"
_AMP = "\uf8f2\uf8f3"
"""Stand-ins (private-use, two characters wide like what replaces them, so grid tables keep their columns) for the
``\\@`` and ``\\&`` pandoc's writer leaves out: a literal ``@`` after punctuation or Chinese is read back as a
citation, ``&amp;`` as an entity."""
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]*[A-Za-z0-9]@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
"""An e-mail address, whose ``@`` pandoc reads as text (after a letter or digit): written as it is."""
_ENTITY = re.compile(r"&(?=#?\w{1,32};)")


def _protect(text: str) -> str:
    if "@" in text:
        kept = {m.start() + m.group(0).index("@") for m in _EMAIL.finditer(text)}
        text = "".join(_AT if ch == "@" and i not in kept else ch for i, ch in enumerate(text))
    return _ENTITY.sub(_AMP, text) if "&" in text else text


def _literal(value: Any) -> Any:
    """The document with every Str made safe to write (outside citations): ``_AT``/``_AMP`` stand-ins, and any raw
    node made text (mspress prints raw TeX or HTML as text)."""
    if isinstance(value, list):
        return [_literal(item) for item in value]
    if not isinstance(value, dict):
        return value
    kind = value.get("t")
    if kind == "Str":
        return {"t": "Str", "c": _protect(str(value["c"]))}
    if kind == "Cite":
        return {"t": "Cite", "c": [value["c"][0], _literal(value["c"][1])]}
    if kind == "RawInline":
        return {"t": "Str", "c": _protect(str(value["c"][1]))}
    if kind == "RawBlock":
        return {"t": "Para", "c": [{"t": "Str", "c": _protect(str(value["c"][1]))}]}
    return {key: _literal(item) for key, item in value.items()}


def write_markdown(blocks: list[Node], api: list[int], where: Location) -> str:
    """The blocks as Markdown whose every literal character (backslashes, ``@``, ``%``, ``$``, ``*``…) reads back
    as it was."""
    import json

    document = {"pandoc-api-version": api, "meta": {}, "blocks": _literal(blocks)}
    output = pandoc.run(json.dumps(document).encode("utf-8"), ["-f", "json", "-t", MD_WRITER, "--wrap=none"], where, "write Markdown")
    return output.decode("utf-8").replace(_AT, "\\@").replace(_AMP, "\\&")


def read_markdown(text: str, where: Location) -> list[Node]:
    import json

    output = pandoc.run(text.encode("utf-8"), ["-f", MD_BACK, "-t", "json"], where, "read Markdown")
    blocks: list[Node] = json.loads(output)["blocks"]
    return blocks


# --- raw HTML of a Markdown file ----------------------------------------------------------------------------------

_TAG = re.compile(r"^<\s*(/?)\s*([A-Za-z][A-Za-z0-9]*)\b[^>]*?(/?)\s*>$", re.S)
_IMG_SRC = re.compile(r"""\bsrc\s*=\s*["']?([^"'\s>]+)""", re.I)


def html_to_structure(blocks: list[Node], api: list[int], where: Location, guesses: list[str]) -> list[Node]:
    """Raw HTML in a Markdown file made pandoc structure: tables and other blocks read by pandoc's HTML reader,
    ``<sup>``/``<sub>`` as super- and subscripts, ``<br>`` as a line break; comments dropped; any other tag removed,
    its text kept. mspress prints raw HTML as text, so none may remain."""
    out: list[Node] = []
    for block in blocks:
        if block.get("t") == "RawBlock":
            fmt, raw = block["c"]
            if fmt == "html" and not raw.lstrip().startswith("<!--"):
                out.extend(_html_blocks(raw, where, guesses))
            continue
        for child_list in _child_block_lists(block):
            child_list[:] = html_to_structure(child_list, api, where, guesses)
        for inlines in inline_lists(block):
            inlines[:] = _html_inlines(inlines, guesses)
        out.append(block)
    return out


def _child_block_lists(block: Node) -> Iterator[list[Node]]:
    kind, content = block.get("t"), _content(block)
    if kind == "BlockQuote":
        yield content
    elif kind == "Div":
        yield content[1]
    elif kind == "BulletList":
        yield from content
    elif kind == "OrderedList":
        yield from content[1]
    elif kind == "Figure":
        yield content[1][1]
        yield content[2]
    elif kind == "Table":
        yield from _table_cells(content)
    for inlines in inline_lists(block):
        for node in walk_inlines(inlines):
            if node["t"] == "Note":
                yield node["c"]


def _html_blocks(raw: str, where: Location, guesses: list[str]) -> list[Node]:
    import json

    if "<img" in raw.lower():
        for src in _IMG_SRC.findall(raw):
            guesses.append(f"an HTML image ({src[:80]}) was left out: insert it as a figure, ![题名](figures/NAME){{#fig:NAME}}")
    try:
        output = pandoc.run(raw.encode("utf-8"), ["-f", "html-raw_html", "-t", "json"], where, "read an HTML block")
    except ManuscriptError:
        return [para(words(re.sub(r"<[^>]{0,500}>", " ", raw)))]
    blocks: list[Node] = json.loads(output)["blocks"]
    return [b for b in blocks if b.get("t") != "RawBlock"]


def _html_inlines(inlines: list[Node], guesses: list[str]) -> list[Node]:
    out: list[Node] = []
    opened: list[tuple[str, int]] = []  # (tag, index in out where its content starts)
    for node in inlines:
        if node.get("t") != "RawInline" or node["c"][0] != "html":
            if node.get("t") == "Note":
                for blocks in [node["c"]]:
                    for block in walk_blocks(blocks):
                        for inner in inline_lists(block):
                            inner[:] = _html_inlines(inner, guesses)
            out.append(node)
            continue
        raw = str(node["c"][1])
        m = _TAG.match(raw.strip())
        if raw.lstrip().startswith("<!--") or m is None:
            continue
        closing, tag, _ = m.group(1), m.group(2).lower(), m.group(3)
        if tag == "br":
            out.append({"t": "LineBreak"})
        elif tag == "img":
            src = _IMG_SRC.search(raw)
            guesses.append(f"an HTML image ({src.group(1)[:80] if src else 'no source'}) was left out: insert it as a figure")
        elif tag in ("sup", "sub") and not closing:
            opened.append((tag, len(out)))
        elif tag in ("sup", "sub") and closing:
            at = next((i for i in range(len(opened) - 1, -1, -1) if opened[i][0] == tag), None)
            if at is not None:
                start = opened[at][1]
                del opened[at:]
                content, out[start:] = out[start:], []
                out.append({"t": "Superscript" if tag == "sup" else "Subscript", "c": content})
    return out


def cite_as_text(node: Node) -> list[Node] | None:
    """A citation pandoc read in a foreign Markdown file (``@author:`` in a header line) made its text again."""
    return list(node["c"][1]) if node.get("t") == "Cite" else None


# --- links ------------------------------------------------------------------------------------------------------

_CROSSREF = re.compile(r"^#((?:fig|tbl|sec):[\w.:-]+)$")


def internal_links(blocks: list[Node]) -> dict[str, str]:
    """Links inside the document unwrapped (a citation mark linked to its entry, a cross reference to its figure):
    returns each cross-reference label (``fig:x``) with the number its link showed (``1`` of ``图1``), and leaves a
    marker Span for ``resolve_crossrefs`` to make ``@fig:x`` or plain text of."""
    shown: dict[str, str] = {}

    def change(node: Node) -> list[Node] | None:
        if node.get("t") != "Link":
            return None
        target = str(node["c"][2][0])
        if not target.startswith("#"):
            return None
        m = _CROSSREF.match(target)
        content = map_inlines(node["c"][1], change)
        if m:
            number = re.search(r"\d+(?:\.\d+)*", inline_text(content))
            if number:
                shown.setdefault(m.group(1), number.group(0))
                return [{"t": "Span", "c": [["", ["mspress-crossref"], [["label", m.group(1)]]], content]}]
        return content

    map_all_inlines(blocks, change)
    return shown


def resolve_crossrefs(blocks: list[Node], known: set[str]) -> int:
    """Marker Spans of ``internal_links`` → ``@label`` where the label was given to a figure, table or heading, else
    their text. Returns how many became cross references."""
    made = 0

    def change(node: Node) -> list[Node] | None:
        nonlocal made
        if node.get("t") != "Span" or "mspress-crossref" not in node["c"][0][1]:
            return None
        label = dict(node["c"][0][2]).get("label", "")
        if label in known:
            made += 1
            citation = {"citationId": label, "citationPrefix": [], "citationSuffix": [], "citationMode": {"t": "AuthorInText"},
                        "citationNoteNum": 0, "citationHash": 0}
            return [{"t": "Cite", "c": [[citation], [{"t": "Str", "c": "@" + label}]]}]
        return list(node["c"][1])

    map_all_inlines(blocks, change)
    return made


# --- figures ----------------------------------------------------------------------------------------------------

_FIG_LABEL = re.compile(r"^\s*(?:图|圖)\s*(\d{1,3}(?:[-.．]\d{1,3})?)[.．:：]?\s*")
_FIG_LABEL_EN = re.compile(r"^\s*(?:Fig(?:ure)?s?)\.?\s*(\d{1,3}(?:[-.]\d{1,3})?)[.:]?\s*", re.I)
_TBL_LABEL = re.compile(r"^\s*表\s*(\d{1,3}(?:[-.．]\d{1,3})?)[.．:：]?\s*")
_TBL_LABEL_EN = re.compile(r"^\s*Table\s*(\d{1,3}(?:[-.]\d{1,3})?)[.:]?\s*", re.I)
_MAGIC = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpg"), (b"GIF87a", "gif"), (b"GIF89a", "gif"))


@dataclass(slots=True)
class MediaSource:
    """Where images come from: the .docx's ``word/media`` members, or files beside the Markdown file."""

    docx: zipfile.ZipFile | None
    folder: Path | None
    members: dict[str, zipfile.ZipInfo] = field(default_factory=dict)

    @classmethod
    def of(cls, data: bytes, suffix: str, source: Path) -> MediaSource:
        if suffix == ".docx":
            package = zipfile.ZipFile(io.BytesIO(data))
            members: dict[str, zipfile.ZipInfo] = {}
            for info in package.infolist():
                if info.filename.startswith("word/") and not info.is_dir():
                    members.setdefault(info.filename.rsplit("/", 1)[-1], info)
            return cls(package, None, members)
        return cls(None, source.resolve().parent)

    def read(self, target: str) -> tuple[bytes | None, str]:
        """The image's bytes, or None and why not."""
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("//"):
            return None, "it links to an image outside the file"
        if self.docx is not None:
            info = self.members.get(target.replace("\\", "/").rsplit("/", 1)[-1])
            if info is None:
                return None, "the Word file does not contain it"
            if info.file_size > MAX_IMAGE_BYTES:
                return None, f"it is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB"
            try:
                with self.docx.open(info) as handle:
                    data = handle.read(MAX_IMAGE_BYTES + 1)  # a size the header lies about is no bigger than this
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, zlib.error) as exc:
                return None, f"it cannot be unpacked ({exc})"
            if len(data) > MAX_IMAGE_BYTES:
                return None, f"it is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB"
            return data, ""
        assert self.folder is not None
        try:
            path = (self.folder / target).resolve()
        except (OSError, RuntimeError, ValueError):
            return None, "its path cannot be used"
        if not path.is_relative_to(self.folder):
            return None, "it lies outside the Markdown file's folder"
        if not path.is_file():
            return None, "the file is not there"
        from mspress.sources.files import read_regular

        try:
            return read_regular(path, Path(target), MAX_IMAGE_BYTES), ""
        except ManuscriptError as exc:
            return None, exc.diagnostic.message


def external_images(data: bytes) -> list[str]:
    """Images a .docx links to outside itself (pandoc leaves them out without a word): their addresses."""
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            info = package.getinfo("word/_rels/document.xml.rels")
            if info.file_size > 10 * 1024 * 1024:
                return []
            root = etree.fromstring(package.read(info), etree.XMLParser(resolve_entities=False, no_network=True))
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, OSError, ValueError, zlib.error):
        return []
    return [str(rel.get("Target", ""))[:120] for rel in root if str(rel.get("Type", "")).endswith("/image") and rel.get("TargetMode") == "External"]


def image_kind(data: bytes) -> str | None:
    """``png``, ``jpg``, ``gif``, ``webp`` or ``svg`` by content (never by the name a document gives)."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        return "svg"
    return None


def image_problem(data: bytes, kind: str) -> str | None:
    """Why an image cannot be a figure (too large, a pixel bomb, unreadable), or None."""
    if kind == "svg":
        return f"it is an SVG over {MAX_SVG_BYTES // (1024 * 1024)} MB" if len(data) > MAX_SVG_BYTES else None
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return f"it has {width}×{height} pixels, over the {MAX_PIXELS // 1_000_000}-megapixel limit"
                image.verify()
    except Image.DecompressionBombError:
        return f"it has far more than {MAX_PIXELS // 1_000_000} megapixels"
    except (OSError, SyntaxError, ValueError) as exc:
        return f"it is not a readable image ({exc})"
    return None


def figures(tidied: Tidied, media: MediaSource) -> None:
    """Every image made a figure file under figures/ and a captioned figure: a Para holding only an image and
    followed (or preceded) by a ``图1 …`` paragraph becomes a Figure with that caption. Images that cannot be
    brought in are removed, each reported."""
    files: dict[str, str] = {}  # the document's target → figures/figN.ext
    blocks = tidied.blocks
    _figures_in(blocks, tidied, media, files)


def _figures_in(blocks: list[Node], tidied: Tidied, media: MediaSource, files: dict[str, str]) -> None:
    i = 0
    while i < len(blocks):
        block = blocks[i]
        kind = block.get("t")
        if kind in ("Para", "Plain") and _lone_image(block["c"]) is not None:
            image = _lone_image(block["c"])
            assert image is not None
            caption_at = next((j for j in (i + 1, i - 1) if 0 <= j < len(blocks) and _caption_of(blocks[j], _FIG_LABEL, _FIG_LABEL_EN)), None)
            caption: list[Node] = []
            used = [i]
            if caption_at is not None:
                caption = blocks[caption_at]["c"]
                used.append(caption_at)
                after = caption_at + 1 if caption_at > i else caption_at - 1
                if 0 <= after < len(blocks) and after != i and _caption_of(blocks[after], _FIG_LABEL_EN, _FIG_LABEL_EN) \
                        and not _FIG_LABEL.match(block_text(blocks[after])):
                    caption = [*caption, {"t": "LineBreak"}, *blocks[after]["c"]]
                    used.append(after)
            figure = _figure(image, caption, tidied, media, files)
            first = min(used)
            for j in sorted(used, reverse=True):
                del blocks[j]
            if figure is not None:
                blocks.insert(first, figure)
                i = first + 1
            else:
                i = first
            continue
        if kind == "Figure":
            image = next((n for b in block["c"][2] for inl in inline_lists(b) for n in walk_inlines(inl) if n["t"] == "Image"), None)
            caption = [n for b in block["c"][1][1] for inl in inline_lists(b) for n in inl]
            figure = _figure(image, caption, tidied, media, files) if image is not None else None
            if figure is None:
                del blocks[i]
                continue
            if str(block["c"][0][0]).startswith("fig:"):  # the author's own label; else ``fig:N``, as for a Word figure
                figure["c"][0][0] = block["c"][0][0]
            blocks[i] = figure
            i += 1
            continue
        for children in _child_block_lists(block):
            _figures_in(children, tidied, media, files)
        for inlines in inline_lists(block):  # an image inside text: kept as an inline image when it can be
            inlines[:] = map_inlines(inlines, lambda node: _inline_image(node, tidied, media, files))
        if kind == "Table":
            i = _table_caption(blocks, i, tidied)
        i += 1


def _lone_image(inlines: list[Node]) -> Node | None:
    found = [n for n in inlines if n["t"] not in ("Space", "SoftBreak", "LineBreak")]
    return found[0] if len(found) == 1 and found[0]["t"] == "Image" else None


def _caption_of(block: Node, label: re.Pattern[str], label_en: re.Pattern[str]) -> bool:
    if block.get("t") not in ("Para", "Plain"):
        return False
    text = block_text(block)
    return len(text) < 300 and bool(label.match(text) or label_en.match(text))


def _caption_parts(caption: list[Node], label: re.Pattern[str], label_en: re.Pattern[str]) -> tuple[list[Node], str, str | None]:
    """(Chinese caption inlines, English caption text, the typed number)."""
    zh: list[Node] = []
    en = ""
    number = None
    for line in split_at_breaks(caption):
        text = inline_text(line)
        m_zh, m_en = label.match(text), label_en.match(text)
        if m_zh:
            zh, number = strip_prefix(line, m_zh.end()), number or m_zh.group(1)
        elif m_en:
            en, number = text[m_en.end():].strip(), number or m_en.group(1)
        elif not zh and any("\u4e00" <= ch <= "\u9fff" for ch in text):
            zh = line
        elif not en:
            en = text.strip()
    if not zh and en:
        zh, en = words(en), ""
    return zh, en, number


def _store(image: Node, tidied: Tidied, media: MediaSource, files: dict[str, str]) -> str | None:
    target = str(image["c"][2][0])
    if target in files:
        return files[target]
    if len(files) >= MAX_FIGURES:
        tidied.guesses.append(f"image {target[:80]!r} left out: more than {MAX_FIGURES} figures")
        return None
    data, why = media.read(target)
    kind = image_kind(data) if data is not None else None
    if data is not None and kind is None:
        why = "it is not an SVG, PNG, JPEG, GIF or WebP image (convert it and insert it again)"
    problem = image_problem(data, kind) if data is not None and kind is not None else why
    if data is None or kind is None or problem:
        tidied.guesses.append(f"image {target[:80]!r} left out: {problem or why}")
        return None
    name = f"figures/fig{len(tidied.figures) + 1}.{kind}"
    tidied.figures.append(FigureFile(name, data))
    files[target] = name
    return name


def _figure(image: Node | None, caption: list[Node], tidied: Tidied, media: MediaSource, files: dict[str, str]) -> Node | None:
    if image is None:
        return None
    name = _store(image, tidied, media, files)
    if name is None:
        return None
    zh, en, number = _caption_parts(caption, _FIG_LABEL, _FIG_LABEL_EN)
    if not zh:
        alt = inline_text(image["c"][1]).strip()
        zh = words(alt) if alt and not re.fullmatch(r"[\w.-]+\.(?:png|jpe?g|gif|svg|webp|emf|wmf|tiff?)|\d+|image\d*|图片\d*", alt, re.I) else []
        tidied.guesses.append(f"figure {name} has no caption {'(its description taken as caption)' if zh else ''}: "
                              "write 图题 between the brackets of ![…]")
    pairs = [["caption-en", en]] if en else []
    width = dict(image["c"][0][2]).get("width")
    if width:
        pairs.append(["width", width])
    picture = {"t": "Image", "c": [["", [], pairs], zh, [name, ""]]}
    ident = f"fig:{len(tidied.figures)}"
    figure = {"t": "Figure", "c": [[ident, [], []], [None, [{"t": "Plain", "c": zh}]], [{"t": "Plain", "c": [picture]}]]}
    if number:
        tidied.caption_numbers[id(figure)] = number
    return figure


def _inline_image(node: Node, tidied: Tidied, media: MediaSource, files: dict[str, str]) -> list[Node] | None:
    if node.get("t") != "Image":
        return None
    name = _store(node, tidied, media, files)
    if name is None:
        return []
    return [{"t": "Image", "c": [["", [], []], node["c"][1], [name, ""]]}]


def _table_caption(blocks: list[Node], at: int, tidied: Tidied) -> int:
    """A ``表1 …`` paragraph just before (or after) a table without a caption becomes its caption; returns the
    table's index afterwards."""
    table = blocks[at]
    own = [n for b in table["c"][1][1] for inl in inline_lists(b) for n in inl]
    if inline_text(own).strip():
        _set_table_caption(table, *_caption_parts(own, _TBL_LABEL, _TBL_LABEL_EN), tidied)
        return at
    for j in (at - 1, at + 1):
        if 0 <= j < len(blocks) and _caption_of(blocks[j], _TBL_LABEL, _TBL_LABEL_EN):
            caption = list(blocks[j]["c"])
            used = [j]
            k = j - 1 if j < at else j + 1
            if 0 <= k < len(blocks) and _caption_of(blocks[k], _TBL_LABEL_EN, _TBL_LABEL_EN) and not _TBL_LABEL.match(block_text(blocks[k])):
                caption = [*caption, {"t": "LineBreak"}, *blocks[k]["c"]] if k > j else [*blocks[k]["c"], {"t": "LineBreak"}, *caption]
                used.append(k)
            _set_table_caption(table, *_caption_parts(caption, _TBL_LABEL, _TBL_LABEL_EN), tidied)
            for index in sorted(used, reverse=True):
                del blocks[index]
            return next(k for k, b in enumerate(blocks) if b is table)
    return at


def _set_table_caption(table: Node, zh: list[Node], en: str, number: str | None, tidied: Tidied) -> None:
    ident, classes, pairs = table["c"][0]
    pairs = [p for p in pairs if p[0] != "caption-en"] + ([["caption-en", en]] if en else [])
    table["c"][0] = [ident if str(ident).startswith("tbl:") else "", classes, pairs]
    table["c"][1] = [None, [{"t": "Plain", "c": zh}]] if zh else [None, []]
    if number:
        tidied.caption_numbers[id(table)] = number


# --- typed mentions of figures and tables --------------------------------------------------------------------------

_MENTION = re.compile(r"(?:(?<![附地试企蓝版])(?P<fig>[图圖])|(?<![附代发列报课仪外年时电水手钟])(?P<tbl>表))\s*"
                      r"(?P<number>\d{1,3}(?:[.．-]\d{1,3})?)(?![A-Za-z0-9]|[.．-]\d)")
"""``图1``, ``表 2``: the Chinese forms only, as mspress prints a cross reference ``图1`` whatever the sentence's language
(an English ``Fig. 1`` stays as typed)."""
_MENTION_NODES = ("Str", "Space", "SoftBreak")


def crossref(label: str) -> Node:
    """``@label`` as pandoc's citation node (mspress prints it ``图1``)."""
    citation = {"citationId": label, "citationPrefix": [], "citationSuffix": [], "citationMode": {"t": "AuthorInText"},
                "citationNoteNum": 0, "citationHash": 0}
    return {"t": "Cite", "c": [[citation], [{"t": "Str", "c": "@" + label}]]}


def numbered_floats(tidied: Tidied) -> dict[tuple[str, str], Node]:
    """(``fig``/``tbl``, number) → the Figure or Table: the number its caption's label showed, else its place
    among its kind. A table without a caption has no number to refer to."""
    counters = {"Figure": 0, "Table": 0}
    found: dict[tuple[str, str], Node] = {}
    for block in walk_blocks(tidied.blocks):
        kind = block.get("t")
        if kind not in counters:
            continue
        counters[kind] += 1
        number = tidied.caption_numbers.get(id(block), str(counters[kind])).replace("．", ".")
        if kind == "Table" and not inline_text([n for b in block["c"][1][1] for inl in inline_lists(b) for n in inl]).strip():
            continue
        found.setdefault(("fig" if kind == "Figure" else "tbl", number), block)
    return found


def unique_labels(blocks: list[Node]) -> set[str]:
    """Every figure, table and heading label made unique (a later repeat gets ``-2``); returns the labels."""
    seen: set[str] = set()
    for block in walk_blocks(blocks):
        kind = block.get("t")
        attr = block["c"][0] if kind in ("Figure", "Table") else block["c"][1] if kind == "Header" else None
        if attr is None or not attr[0]:
            continue
        label, n = str(attr[0]), 2
        while label in seen:
            label, n = f"{attr[0]}-{n}", n + 1
        attr[0] = label
        seen.add(label)
    return seen


def typed_mentions(tidied: Tidied, blocks: list[Node]) -> tuple[int, int]:
    """Typed ``图1``, ``图 1``, ``Fig. 1``, ``Figure 1``, ``表1``, ``Table 1`` in the text of ``blocks`` made ``@fig:…`` /
    ``@tbl:…`` where a figure (a captioned table) of that number exists; a table referred to gets a ``tbl:`` label.
    Returns (made, left as typed: no figure or table has that number)."""
    floats = numbered_floats(tidied)
    taken = unique_labels(tidied.blocks)
    made = left = 0

    def label_of(kind: str, number: str) -> str | None:
        node = floats.get((kind, number.replace("．", ".")))
        if node is None:
            return None
        attr = node["c"][0]
        if not str(attr[0]).startswith(f"{kind}:"):
            base = f"{kind}:{re.sub(r'[^0-9]+', '-', number)}"
            label, n = base, 2
            while label in taken:
                label, n = f"{base}-{n}", n + 1
            attr[0] = label
            taken.add(label)
        return str(attr[0])

    def run(nodes: list[Node]) -> list[Node]:
        nonlocal made, left
        text = "".join(str(n["c"]) if n["t"] == "Str" else " " for n in nodes)
        out: list[Node] = []
        at = 0
        for m in _MENTION.finditer(text):
            kind = "fig" if m.group("fig") else "tbl"
            label = label_of(kind, m.group("number"))
            if label is None:
                left += 1
                continue
            out += words(text[at:m.start()]) + [crossref(label)]
            at = m.end()
            made += 1
        if not out:
            return nodes
        return out + words(text[at:])

    def change(inlines: list[Node]) -> list[Node]:
        out: list[Node] = []
        pending: list[Node] = []
        for node in inlines:
            if node.get("t") in _MENTION_NODES:
                pending.append(node)
                continue
            out += run(pending) if pending else []
            pending = []
            if node.get("t") in ("Emph", "Strong", "Underline", "Span"):
                inner = node["c"] if node["t"] != "Span" else node["c"][1]
                inner[:] = change(inner)
            out.append(node)
        return out + (run(pending) if pending else [])

    for block in walk_blocks(blocks):
        if block.get("t") in ("Para", "Plain"):
            block["c"][:] = change(block["c"])
    return made, left


# --- headings ---------------------------------------------------------------------------------------------------

_HEADING_NUMBER = re.compile(r"^\s*(?:第\s*([一二三四五六七八九十\d]{1,3})\s*[章节部分篇]\s*|(\d{1,2}(?:[.．]\d{1,2}){0,4})(?:[.．、]|\s+|(?=[\u4e00-\u9fff]))\s*"
                             r"|([一二三四五六七八九十]{1,3})\s*[、.．]\s*|[(（]\s*([一二三四五六七八九十\d]{1,3})\s*[)）]\s*"
                             r"|([IVX]{1,5})\s*[.．、]\s+)(?=\S)")
_SENTENCE_END = re.compile(r"[。；;！？!?，,]$|[。；;！？!?]")
_NUMBERED_PARAGRAPH = re.compile(r"^\s*(\d{1,2}(?:[.．]\d{1,2}){0,3})[.．、]?\s+\S")


def typed_number(text: str) -> tuple[str | None, int]:
    """The number typed before a heading's text (``2.1`` of ``2.1 方法``, ``二`` of ``二、结果``) and its length."""
    m = _HEADING_NUMBER.match(text)
    if m is None:
        return None, 0
    value = next(g for g in m.groups() if g is not None)
    return value.replace("．", "."), m.end()


def promote_headings(tidied: Tidied, centred: set[str]) -> bool:
    """A document without heading styles: short bold (or centred) paragraphs, and short paragraphs that start with a
    section number, made headings. Returns whether any was."""
    if any(b.get("t") == "Header" for b in tidied.blocks):
        return False
    promoted = 0
    for i, block in enumerate(tidied.blocks):
        if block.get("t") not in ("Para", "Plain"):
            continue
        text = block_text(block).strip()
        if not text or len(text) > 40 or "\n" in text or _SENTENCE_END.search(text) or any(n["t"] in ("Image", "Math", "Note") for n in block["c"]):
            continue
        bold = all(n["t"] in ("Strong", "Space", "SoftBreak") for n in block["c"]) and any(n["t"] == "Strong" for n in block["c"])
        numbered = _NUMBERED_PARAGRAPH.match(text) is not None and any("\u4e00" <= ch <= "\u9fff" for ch in text)
        if not (bold or numbered or _normal(text) in centred):
            continue
        number, _ = typed_number(text)
        level = number.count(".") + 1 if number and number[0].isdigit() else 1
        inlines = [n for b in ([block["c"]] if not bold else [[*n["c"]] if n["t"] == "Strong" else [n] for n in block["c"]]) for n in b]
        tidied.blocks[i] = {"t": "Header", "c": [min(level, 6), ["", [], []], inlines]}
        promoted += 1
    return promoted > 0


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", text)


def tidy_headings(tidied: Tidied, numbered_by_journal: bool = True) -> tuple[int, int, int]:
    """Levels from typed numbers (``1.2`` is level 2 even when written ``#``), typed numbers removed (the journal
    numbers headings), unnumbered headings among numbered ones marked ``{-}``. Returns (levels changed, numbers
    removed, headings marked unnumbered)."""
    from mspress.checks.editor import is_list_heading

    changed = removed = marked = 0
    headers = [b for b in tidied.blocks if b.get("t") == "Header"]
    numbers = {id(h): typed_number(inline_text(h["c"][2])) for h in headers}
    arabic = [h for h in headers if (numbers[id(h)][0] or "x")[0].isdigit()]
    top = min((h["c"][0] for h in arabic), default=1)
    for header in headers:
        number, length = numbers[id(header)]
        if number is None:
            continue
        if number[0].isdigit():
            level = min(number.count(".") + 1, 6)
            if header in arabic and level + top - 1 != header["c"][0] and len(arabic) >= 2:
                header["c"][0] = level + top - 1
                changed += 1
        if numbered_by_journal:
            header["c"][2] = strip_prefix(header["c"][2], length)
            tidied.heading_numbers[id(header)] = number
            removed += 1
    if numbered_by_journal and len(arabic) >= 2:
        for header in headers:
            if numbers[id(header)][0] is None and header["c"][0] == top and not is_list_heading(inline_text(header["c"][2])):
                header["c"][1][1] = [*header["c"][1][1], "unnumbered"]
                marked += 1
    for header in headers:
        if not str(header["c"][1][0]).startswith("sec:"):
            header["c"][1][0] = ""
    return changed, removed, marked


def running_head(data: bytes) -> str:
    """The text of the .docx's page headers (where a journal prints its name, year, volume and pages), or ``""``."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    texts: list[str] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            for info in package.infolist():
                if not re.fullmatch(r"word/header\d*\.xml", info.filename) or info.file_size > 1024 * 1024:
                    continue
                root = etree.fromstring(package.read(info), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
                for paragraph in root.iter(w + "p"):
                    text = " ".join("".join(t.text or "" for t in paragraph.iter(w + "t")).split())
                    if text and not text.isdigit() and text not in texts:  # not a page number alone
                        texts.append(text)
    except (zipfile.BadZipFile, etree.XMLSyntaxError, OSError, ValueError, zlib.error):
        return ""
    return " / ".join(texts)


def centred_paragraphs(data: bytes) -> set[str]:
    """The text of the .docx's short centred paragraphs (headings set by hand), whitespace removed."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            info = package.getinfo("word/document.xml")
            if info.file_size > 100 * 1024 * 1024:
                return set()
            root = etree.fromstring(package.read(info), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, OSError, ValueError):
        return set()
    found = set()
    for paragraph in root.iter(w + "p"):
        jc = paragraph.find(f"{w}pPr/{w}jc")
        if jc is not None and jc.get(w + "val") == "center":
            text = "".join(t.text or "" for t in paragraph.iter(w + "t"))
            if 0 < len(text) <= 40:
                found.add(_normal(text))
    return found
