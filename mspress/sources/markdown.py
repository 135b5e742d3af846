"""Markdown parts → pandoc AST, one parse for the check and every writer.

Before pandoc reads a part, ``prepare`` makes what the author meant explicit without moving a character
(locations stay true): comments vanish, ``［@a；@b］`` and ``[@a, @b]`` become ``[@a; @b]``, and an escaped
``\\@`` stays text. ``mask`` blanks what can never hold a citation (code, comments), for locating nodes.
"""
from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mspress import pandoc
from mspress.errors import Location
from mspress.model import SourceText

Block = dict[str, Any]
ESCAPED_AT = "\ue040\ue041"
"""What ``\\@`` becomes before pandoc reads it (two private-use characters: same length); the reader turns it back into ``@``."""

_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}\1[^\n]*$|\Z)", re.S | re.M)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_INDENTED = re.compile(r"(?:\A|\n[ \t]*\n)((?:(?: {4}|\t)[^\n]*(?:\n|\Z)|[ \t]*\n)+)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_WIDE_GROUP = re.compile(r"［([^［］\[\]\n]*@[^［］\[\]\n]*)］")
_GROUP = re.compile(r"(?<![\\!])\[([^\[\]\n]*-?@[^\[\]\n]*)\](?!\()")
_KEY_COMMA = re.compile(r"[,，；](?=\s*-?@)")


@dataclass(frozen=True, slots=True)
class Part:
    """One Markdown file as pandoc read it."""

    source: SourceText
    prepared: str
    """The text pandoc read (same length as the file's text)."""
    masked: str
    """``prepared`` with code and comments blanked: where citations and labels are looked up."""
    blocks: list[Block]


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _code_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _FENCE.finditer(text)]
    for m in _INDENTED.finditer(text):
        previous_block = text[: m.start(1)].rstrip().rsplit("\n\n", 1)[-1]
        in_list = any(_LIST_ITEM.match(line) for line in previous_block.split("\n"))  # then it continues the item
        if not in_list and not any(a <= m.start(1) < b for a, b in spans):
            spans.append(m.span(1))
    outside = _blank_spans(text, spans)
    spans += [m.span() for m in _CODE_SPAN.finditer(outside)]
    return spans


def _blank_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        for i in range(a, b):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def prepare(text: str) -> tuple[str, str]:
    """(the text pandoc reads, the same text with code and comments blanked)."""
    masked = _blank_spans(text, _code_spans(text))
    comments = [m.span() for m in _COMMENT.finditer(masked)]
    masked = _blank_spans(masked, comments)
    out = list(_blank_spans(text, comments))
    look = list(masked)  # where groups are looked for: code and comments stay blank
    for m in re.finditer(r"\\@", masked):
        out[m.start()], out[m.start() + 1] = ESCAPED_AT[0], ESCAPED_AT[1]
    for m in _WIDE_GROUP.finditer(masked):
        for chars in (out, look):
            chars[m.start()], chars[m.end() - 1] = "[", "]"
    for m in _GROUP.finditer("".join(look)):
        for k in _KEY_COMMA.finditer(m.group(1)):
            out[m.start(1) + k.start()] = ";"
    return "".join(out), masked


CHUNK_CHARACTERS = 64_000
"""Parts are read in runs of about this much text: pandoc's Markdown reader slows more than linearly on one
long input (a 750 kB run takes 9 s, ten 75 kB runs 2.3 s), and two runs use both cores."""


def parse_parts(sources: Sequence[SourceText]) -> PartsParsing:
    """Start parsing every part (in threads); ``result()`` gives the parts."""
    return PartsParsing(sources)


class PartsParsing:
    def __init__(self, sources: Sequence[SourceText]) -> None:
        self.sources = list(sources)
        self.prepared = [prepare(s.text) for s in self.sources]
        # A marker no author can type in advance: it changes with every run.
        self.marker = f"MSPRESS{os.urandom(8).hex().upper()}PART"
        self.chunks = _chunks([len(text) for text, _ in self.prepared])
        self.running = [pandoc.Parsing(self._combined(chunk), self._where(chunk.start)) for chunk in self.chunks]

    def _combined(self, chunk: range) -> str:
        return "".join(f"\n\n{self.marker}{i}\n\n{self.prepared[i][0]}\n" for i in chunk)

    def _where(self, index: int) -> Location:
        return Location(self.sources[index].path) if index < len(self.sources) else Location(Path("manuscript"))

    def result(self) -> tuple[list[int], list[Part]]:
        """(pandoc's API version, the parts)."""
        blocks: list[list[Block]] = []
        api: list[int] = []
        for chunk, running in zip(self.chunks, self.running, strict=False):
            ast = running.result()
            api = ast["pandoc-api-version"]
            split = self._split(ast["blocks"], chunk)
            if split is None:  # a part swallowed a marker (an unclosed code fence): read each part alone
                split = [pandoc.parse(self.prepared[i][0], self._where(i))["blocks"] for i in chunk]
            blocks.extend(split)
        parts = [Part(s, text, masked, b) for s, (text, masked), b in zip(self.sources, self.prepared, blocks, strict=False)]
        return api, parts

    def _split(self, blocks: list[Block], chunk: range) -> list[list[Block]] | None:
        result: list[list[Block]] = []
        for block in blocks:
            index = self._marker_index(block)
            if index is not None:
                if index != chunk.start + len(result):
                    return None
                result.append([])
            elif result:
                result[-1].append(block)
        return result if len(result) == len(chunk) else None

    def _marker_index(self, block: Block) -> int | None:
        content = block.get("c")
        if block.get("t") == "Para" and isinstance(content, list) and len(content) == 1 and content[0].get("t") == "Str":
            value = content[0]["c"]
            if value.startswith(self.marker) and value[len(self.marker):].isdigit():
                return int(value[len(self.marker):])
        return None



def _chunks(sizes: list[int]) -> list[range]:
    """Consecutive parts grouped into runs of at most ``CHUNK_CHARACTERS`` (a larger part runs alone)."""
    chunks: list[range] = []
    start, total = 0, 0
    for i, size in enumerate(sizes):
        if i > start and total + size > CHUNK_CHARACTERS:
            chunks.append(range(start, i))
            start, total = i, 0
        total += size
    chunks.append(range(start, len(sizes)))
    return chunks
