"""Citations and cross references read from the parsed document: the one list numbering, ``check`` and every
writer use.

Pandoc decides what is a citation (never code, comments or raw text); this module adds what pandoc leaves as
text — a narrative ``@key`` glued to Chinese text (``文献@smith2019等``), a group in full-width brackets
(``［@a；@b］``) — and each citation's source location.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mspress.citations.keys import KEY, is_crossref, locator_text, split_known
from mspress.errors import Location
from mspress.model import Citation, CrossRef
from mspress.sources.markdown import ESCAPED_AT, VERBATIM_NODES, Part

Node = dict[str, Any]
INLINE_TYPES = {"Str", "Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Quoted",
                "Cite", "Code", "Space", "SoftBreak", "LineBreak", "Math", "RawInline", "Link", "Image", "Note", "Span"}
_NARRATIVE = re.compile(rf"(?<![A-Za-z0-9_@\\])@(?P<key>{KEY})")
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://\S+|\bwww\.\S+")
_URL_HEAD = re.compile(r"(?:\b[a-zA-Z][a-zA-Z0-9+.-]*://|\bwww\.)\S*$")
_SEPARATOR = re.compile(r"^[\s;；,，、]*$")
_KEY_GOES_ON = re.compile(r"[A-Za-z0-9_]|[:.#$%&+?<>~/-][A-Za-z0-9_]")


def is_inlines(value: Any) -> bool:
    """Is ``value`` a non-empty list of inline nodes (where citations and marks live)?"""
    return isinstance(value, list) and bool(value) and all(isinstance(x, dict) and x.get("t") in INLINE_TYPES for x in value)


@dataclass(frozen=True, slots=True)
class CiteUse:
    """What one Cite node of the AST stands for."""

    citation: Citation | None
    """The citation group, or ``None`` when the node only refers to figures, tables or sections."""
    crossrefs: tuple[CrossRef, ...]
    trailing: str
    """Text glued after the key in Chinese (``等``, ``所示``), printed after the mark."""


@dataclass(slots=True)
class Found:
    citations: list[Citation] = field(default_factory=list)
    crossrefs: list[CrossRef] = field(default_factory=list)
    uses: dict[int, CiteUse] = field(default_factory=dict)
    """``id()`` of each Cite node → what it stands for."""


def read_citations(parts: Sequence[Part], ids: set[str]) -> Found:
    """Every citation and cross reference, in reading order (a footnote's at its call); ``ids`` are the
    library's keys and the document's labels, used to split a key from Chinese text glued after it."""
    found = Found()
    for part in parts:
        _Reader(part, ids, found).walk(part.blocks)
    return found


class _Reader:
    def __init__(self, part: Part, ids: set[str], found: Found) -> None:
        self.part, self.ids, self.found = part, ids, found
        self.in_note = False
        self.last = 0
        self.places: dict[tuple[str, bool], list[int]] = {}
        """(key, in a footnote) → offsets of ``@key`` in the text not yet given to a citation, in text order."""

    def walk(self, value: Any) -> None:
        if is_inlines(value):
            value[:] = self.inlines(value)
        elif isinstance(value, list):
            for item in value:
                self.walk(item)
        elif isinstance(value, dict):
            if value.get("t") in ("Code", "CodeBlock"):
                value["c"][-1] = value["c"][-1].replace(ESCAPED_AT, "\\@")  # code keeps the backslash typed
            elif value.get("t") not in VERBATIM_NODES:
                self.walk(value.get("c"))

    def inlines(self, items: list[Node]) -> list[Node]:
        out: list[Node] = []
        for item in _wide_groups(items):
            kind = item["t"]
            if kind == "Str":
                out.extend(self.text(item["c"]))
            elif kind == "Cite" and out and _inside_url(out[-1]):
                out[-1] = _str(out[-1]["c"] + _literal(item))
            elif kind == "Cite":
                self.cite(item)
                out.append(item)
            elif kind == "Image":
                # Alt text (a figure's repeats its caption) is not read for citations, only kept as text.
                item["c"][1] = [_str(_literal(n)) if n["t"] in ("Cite", "Str") else n for n in item["c"][1]]
                out.append(item)
            elif kind == "Note":
                self.in_note, outer = True, self.in_note
                self.walk(item["c"])
                self.in_note = outer
                out.append(item)
            else:
                self.walk(item)
                out.append(item)
        return out

    def text(self, value: str) -> list[Node]:
        """A Str, with each narrative ``@key`` pandoc left in it made a Cite node of its own."""
        masked = _URL.sub(lambda m: " " * len(m.group(0)), value) if "@" in value else value
        out: list[Node] = []
        pos = 0
        for m in _NARRATIVE.finditer(masked):
            if not self.meant(m.group("key")):
                continue
            if m.start() > pos:
                out.append(_str(value[pos : m.start()]))
            node = narrative_cite(m.group("key"))
            self.cite(node)
            out.append(node)
            pos = m.end()
        if pos < len(value) or not out:
            out.append(_str(value[pos:]))
        return out

    def meant(self, raw_key: str) -> bool:
        """Is an ``@`` pandoc left in Chinese text a citation? Yes when a key (or label) of the library starts
        there, or the key is written in ASCII (``文献@smith2091指出``, a misspelt key, is reported). Prose such as
        ``由@加上引用 ID 组成`` (an at sign talked about) stays text."""
        return raw_key[0].isascii() or split_known(raw_key, self.ids)[0] in self.ids

    def cite(self, node: Node) -> None:
        items = _flatten(node["c"][0])
        node["c"][0] = items
        resolved = [split_known(item["citationId"], self.ids) for item in items]
        keys = tuple(key for key, _ in resolved)
        trailing = "".join(rest for _, rest in resolved)
        narrative = items[0]["citationMode"]["t"] == "AuthorInText"
        offsets = [self.locate(key) for key in keys]
        if all(is_crossref(k) for k in keys):
            refs = tuple(CrossRef(k, self.location(at), self.part.source.name) for k, at in zip(keys, offsets, strict=True))
            self.found.crossrefs.extend(refs)
            self.found.uses[id(node)] = CiteUse(None, refs, trailing)
            return
        locators = tuple(locator_text(_plain(item["citationSuffix"])) for item in items)
        where = self.location(offsets[0] if narrative else self.bracket(offsets[0]))
        citation = Citation(keys, locators, narrative, where, self.part.source.name)
        self.found.citations.append(citation)
        self.found.uses[id(node)] = CiteUse(citation, (), trailing)

    # --- locations ------------------------------------------------------------------------------
    def locate(self, key: str) -> int:
        """Offset of this citation's ``@key``: the n-th citation of a key is its n-th ``@key`` in the text
        (a footnote's among the footnote definitions first, an inline ``^[…]`` note's in the text), whatever
        order pandoc's tree puts them in."""
        for in_notes in (self.in_note, not self.in_note):
            places = self._places(key, in_notes)
            if places:
                self.last = places.pop(0)
                return self.last
        return self.last  # not found (a key pandoc rewrote): the previous citation's place, not the file's start

    def _places(self, key: str, in_notes: bool) -> list[int]:
        places = self.places.get((key, in_notes))
        if places is None:
            text = self.part.notes if in_notes else self.part.masked
            places = [m.start() for m in re.finditer(re.escape("@" + key), text) if not _KEY_GOES_ON.match(text, m.end())]
            self.places[(key, in_notes)] = places
        return places

    def bracket(self, at: int) -> int:
        """The ``[`` (or ``［``) that opens the group around ``at``."""
        text = self.part.source.text
        start = text.rfind("\n\n", 0, at) + 1
        opening = max(text.rfind("[", start, at), text.rfind("［", start, at))
        return opening if opening >= 0 else at

    def location(self, offset: int) -> Location:
        return Location.in_text(self.part.source.path, self.part.source.text, offset)


def narrative_cite(raw_key: str) -> Node:
    """A Cite node as pandoc writes one for ``@key``."""
    item = {"citationId": raw_key, "citationPrefix": [], "citationSuffix": [], "citationMode": {"t": "AuthorInText"},
            "citationNoteNum": 0, "citationHash": 0}
    return {"t": "Cite", "c": [[item], [_str("@" + raw_key)]]}


def _wide_groups(items: list[Node]) -> list[Node]:
    """``［@a；@b］``, as a Chinese input method types a group: pandoc reads two narrative citations between
    two brackets; they are one bracketed group."""
    out: list[Node] = []
    i = 0
    while i < len(items):
        item = items[i]
        if item["t"] == "Str" and item["c"].endswith("［"):
            j = i + 1
            cites: list[Node] = []
            while j < len(items) and (items[j]["t"] == "Cite" or items[j]["t"] == "Space"
                                      or (items[j]["t"] == "Str" and _SEPARATOR.match(items[j]["c"]) and cites)):
                if items[j]["t"] == "Cite":
                    cites.append(items[j])
                j += 1
            if cites and j < len(items) and items[j]["t"] == "Str" and items[j]["c"].startswith("］"):
                group = [dict(c, citationMode={"t": "NormalCitation"}) for cite in cites for c in cite["c"][0]]
                literal = "［" + "".join(_literal(n) for n in items[i + 1 : j]) + "］"
                if item["c"][:-1]:
                    out.append(_str(item["c"][:-1]))
                out.append({"t": "Cite", "c": [group, [_str(literal)]]})
                rest = items[j]["c"][1:]
                items = [*items[: j], *([_str(rest)] if rest else []), *items[j + 1 :]]
                i = j
                continue
        out.append(item)
        i += 1
    return out


def _flatten(items: list[Node]) -> list[Node]:
    """``[@a, @b]`` or ``[@a, see @b]``: pandoc nests @b in a's suffix; make it an item of its own."""
    out = []
    for item in items:
        nested = [n for n in item["citationSuffix"] if n.get("t") == "Cite"]
        if nested:
            suffix = item["citationSuffix"]
            out.append(dict(item, citationSuffix=suffix[: suffix.index(nested[0])]))
            for cite in nested:
                out.extend(_flatten([dict(c, citationMode={"t": "NormalCitation"}) for c in cite["c"][0]]))
        else:
            out.append(item)
    return out


def _inside_url(previous: Node) -> bool:
    """Pandoc reads the ``@c`` of a bare ``https://z.org/@c`` as a citation; it is part of the address."""
    return previous["t"] == "Str" and _URL_HEAD.search(previous["c"]) is not None


def _literal(node: Node) -> str:
    """The text a node was written as (a Cite's own text, a Str's text, a space)."""
    if node["t"] == "Cite":
        return "".join(_literal(n) for n in node["c"][1])
    return node["c"] if node["t"] == "Str" else " " if node["t"] in ("Space", "SoftBreak") else ""


def _str(value: str) -> Node:
    return {"t": "Str", "c": value.replace(ESCAPED_AT, "@")}


def _plain(inlines: list[Node]) -> str:
    return "".join(_literal(n) for n in inlines)
