"""Citations and cross references read from the parsed document: the one list numbering, ``check`` and every
writer use.

Pandoc decides what is a citation (never code, comments or raw text); this module adds what pandoc leaves as
text: a narrative ``@key`` glued to Chinese text (``文献@smith2019等``), and each citation's source location.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mspress.citations.keys import KEY, is_crossref, locator_text, split_known
from mspress.errors import Location
from mspress.model import Citation, CrossRef
from mspress.sources.markdown import ESCAPED_AT, Part

Node = dict[str, Any]
INLINE_TYPES = {"Str", "Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Quoted",
                "Cite", "Code", "Space", "SoftBreak", "LineBreak", "Math", "RawInline", "Link", "Image", "Note", "Span"}
VERBATIM = {"Code", "CodeBlock", "RawBlock", "RawInline", "Math"}
"""Nodes whose text is printed as written: nothing in them is a citation."""


def is_inlines(value: Any) -> bool:
    """Is ``value`` a non-empty list of inline nodes (where citations and marks live)?"""
    return isinstance(value, list) and bool(value) and all(isinstance(x, dict) and x.get("t") in INLINE_TYPES for x in value)


_NARRATIVE = re.compile(rf"(?<![A-Za-z0-9_@\\])@(?P<key>{KEY})")
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://\S+|\bwww\.\S+")


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
        self.cursor = 0

    def walk(self, value: Any) -> None:
        if is_inlines(value):
            value[:] = self.inlines(value)
        elif isinstance(value, list):
            for item in value:
                self.walk(item)
        elif isinstance(value, dict) and value.get("t") not in VERBATIM:
            self.walk(value.get("c"))

    def inlines(self, items: list[Node]) -> list[Node]:
        out: list[Node] = []
        for item in items:
            if item["t"] == "Str":
                out.extend(self.text(item["c"]))
                continue
            if item["t"] == "Cite" and out and _inside_url(out[-1]):
                out[-1] = _str(out[-1]["c"] + "".join(n.get("c", "") for n in item["c"][1] if n["t"] == "Str"))
                continue
            if item["t"] == "Cite":
                self.cite(item)
            elif item["t"] not in VERBATIM:
                self.walk(item.get("c"))
            out.append(item)
        return out

    def text(self, value: str) -> list[Node]:
        """A Str, with each narrative ``@key`` pandoc left in it made a Cite node of its own."""
        masked = _URL.sub(lambda m: " " * len(m.group(0)), value) if "@" in value else value
        out: list[Node] = []
        pos = 0
        for m in _NARRATIVE.finditer(masked):
            if m.start() > pos:
                out.append(_str(value[pos : m.start()]))
            node = narrative_cite(m.group("key"))
            self.cite(node)
            out.append(node)
            pos = m.end()
        if pos < len(value) or not out:
            out.append(_str(value[pos:]))
        return out

    def cite(self, node: Node) -> None:
        items = _flatten(node["c"][0])
        node["c"][0] = items
        resolved = [split_known(item["citationId"], self.ids) for item in items]
        keys = tuple(key for key, _ in resolved)
        trailing = "".join(rest for _, rest in resolved)
        narrative = items[0]["citationMode"]["t"] == "AuthorInText"
        offsets = [self.locate(item["citationId"]) for item in items]
        where = self.location(self.bracket(offsets[0]) if not narrative else offsets[0])
        if all(is_crossref(k) for k in keys):
            refs = tuple(CrossRef(k, self.location(at), self.part.source.name) for k, at in zip(keys, offsets, strict=False))
            self.found.crossrefs.extend(refs)
            self.found.uses[id(node)] = CiteUse(None, refs, trailing)
            return
        locators = tuple(locator_text(_plain(item["citationSuffix"])) for item in items)
        citation = Citation(keys, locators, narrative, where, self.part.source.name)
        self.found.citations.append(citation)
        self.found.uses[id(node)] = CiteUse(citation, (), trailing)

    # --- locations ------------------------------------------------------------------------------
    def locate(self, raw_key: str) -> int:
        """Offset of ``@key`` in the part's text: the next one after the previous citation (a footnote's text
        may stand after later citations, so the search wraps)."""
        needle = "@" + raw_key
        at = self.part.masked.find(needle, self.cursor)
        if at < 0:
            at = self.part.masked.find(needle)
        if at < 0:
            return self.cursor
        self.cursor = at + len(needle)
        return at

    def bracket(self, at: int) -> int:
        """The ``[`` that opens the group around ``at``."""
        line_start = self.part.masked.rfind("\n\n", 0, at) + 1
        opening = max(self.part.masked.rfind("[", line_start, at), self.part.masked.rfind("［", line_start, at))
        return opening if opening >= 0 else at

    def location(self, offset: int) -> Location:
        return Location.in_text(self.part.source.path, self.part.source.text, offset)


def narrative_cite(raw_key: str) -> Node:
    """A Cite node as pandoc writes one for ``@key``."""
    item = {"citationId": raw_key, "citationPrefix": [], "citationSuffix": [], "citationMode": {"t": "AuthorInText"},
            "citationNoteNum": 0, "citationHash": 0}
    return {"t": "Cite", "c": [[item], [_str("@" + raw_key)]]}


def _flatten(items: list[Node]) -> list[Node]:
    """``[@a, see @b]``: pandoc nests @b in a's suffix; make it an item of its own."""
    out = []
    for item in items:
        nested = [n for n in item["citationSuffix"] if n.get("t") == "Cite"]
        if nested:
            suffix = item["citationSuffix"]
            item = dict(item, citationSuffix=suffix[: suffix.index(nested[0])])
            out.append(item)
            for cite in nested:
                out.extend(_flatten([dict(c, citationMode={"t": "NormalCitation"}) for c in cite["c"][0]]))
        else:
            out.append(item)
    return out


_URL_HEAD = re.compile(r"(?:\b[a-zA-Z][a-zA-Z0-9+.-]*://|\bwww\.)\S*$")


def _inside_url(previous: Node) -> bool:
    """Pandoc reads the ``@c`` of a bare ``https://z.org/@c`` as a citation; it is part of the address."""
    return previous["t"] == "Str" and _URL_HEAD.search(previous["c"]) is not None


def _str(value: str) -> Node:
    return {"t": "Str", "c": value.replace(ESCAPED_AT, "@")}


def _plain(inlines: list[Node]) -> str:
    return "".join(n["c"] if n["t"] == "Str" else " " if n["t"] in ("Space", "SoftBreak") else "" for n in inlines)
