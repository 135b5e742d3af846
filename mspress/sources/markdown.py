"""Markdown parts → pandoc AST, one parse for the check and every writer.

Pandoc reads every part in one run, each file on its own (``--file-scope``: footnote and link labels stay in
their file). It decides what is code and what is a comment; what is left of raw HTML becomes text again, so a
manuscript can put no markup of its own in the outputs. The only change made to the text before, ``\\@`` (an
escaped at sign) kept as text, moves no character, so locations stay true. ``masked`` blanks code, comments and
footnote definitions, for locating nodes in the text.
"""
from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mspress import pandoc
from mspress.background import Pending
from mspress.errors import Location
from mspress.model import SourceText
from mspress.sources.figures import url_scheme

Block = dict[str, Any]
ESCAPED_AT = "\ue040\ue041"
"""What ``\\@`` becomes before pandoc reads it (two private-use characters: same length); the reader turns it
back into ``@`` in text and into ``\\@`` in code."""

# What the masker recognises, tried left to right: the first to start wins (a backtick inside a comment is
# not code, a comment marker inside code is not a comment).
_VERBATIM = re.compile(
    r"(?P<fence>^[ \t]{0,3}(?P<mark>`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}(?P=mark)[^\n]*$|\Z))"
    r"|(?P<comment><!--.*?-->)"
    r"|(?P<span>(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)(?P=ticks)(?!`))",
    re.S | re.M)
_INDENTED = re.compile(r"(?:\A|\n[ \t]*\n)((?:(?: {4}|\t)[^\n]*(?:\n|\Z)|[ \t]*\n)+)")
_CONTINUED = re.compile(r"^\s*(?:[-*+]|\d+[.)]|\[\^[^\]\n]+\]:)\s")
"""A list item or footnote definition: indented paragraphs after it continue it, they are no code."""
_NOTE_DEFINITION = re.compile(r"^\[\^[^\]\n]+\]:.*?(?=\n[ \t]*\n(?![ \t]{4}|\t)|\Z)", re.S | re.M)
COMMENT = re.compile(r"^<!--.*-->$", re.S)
VERBATIM_NODES = frozenset({"Code", "CodeBlock", "RawBlock", "RawInline", "Math"})
"""Nodes whose text is printed as written: nothing in them is a citation, a figure or a label."""


@dataclass(frozen=True, slots=True)
class Part:
    """One Markdown file as pandoc read it."""

    source: SourceText
    masked: str
    """The file's text with code, comments and footnote definitions blanked: where citations are looked up."""
    notes: str
    """The file's text with everything but footnote definitions blanked: where a footnote's citations are."""
    blocks: list[Block]


def _blank_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        for i in range(a, b):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def verbatim_spans(text: str) -> list[tuple[int, int]]:
    """Code blocks (fenced and indented), code spans and comments."""
    spans = [m.span() for m in _VERBATIM.finditer(text)]
    for m in _INDENTED.finditer(text):
        end = m.start(1)
        while end and text[end - 1].isspace():
            end -= 1
        previous_block = text[text.rfind("\n\n", 0, end) + 2 : end]
        continues = any(_CONTINUED.match(line) for line in previous_block.split("\n"))
        if not continues and not any(a <= m.start(1) < b for a, b in spans):
            spans.append(m.span(1))
    return spans


def without_verbatim(text: str) -> str:
    """``text`` with code and comments blanked, every other character where it was."""
    return _blank_spans(text, verbatim_spans(text))


def prepare(text: str) -> tuple[str, str, str]:
    """(the text pandoc reads, the text with code, comments and note definitions blanked, the note definitions)."""
    masked = without_verbatim(text)
    chars = list(text)
    for m in re.finditer(r"\\@", masked):
        chars[m.start()], chars[m.start() + 1] = ESCAPED_AT[0], ESCAPED_AT[1]
    definitions = [m.span() for m in _NOTE_DEFINITION.finditer(masked)]
    outside = [(b, a) for (_, b), (a, _) in zip([(0, 0), *definitions], [*definitions, (len(text), len(text))], strict=True)]
    return "".join(chars), _blank_spans(masked, definitions), _blank_spans(masked, outside)


@dataclass(slots=True)
class ParseCache:
    """Parts as pandoc read them, kept by file and text: a warm process (``preview``) sends pandoc only the files
    that changed. Stored as JSON, because the resolver rewrites the parts it is given."""

    api: list[int] | None = None
    parts: dict[tuple[str, str, str], str] = field(default_factory=dict)
    """(part name, path, text) → the part's blocks as JSON."""


def parse_parts(sources: Sequence[SourceText], cache: ParseCache | None = None) -> PartsParsing:
    """Start parsing every part (in a thread); ``result()`` gives the parts."""
    return PartsParsing(sources, cache)


class PartsParsing:
    def __init__(self, sources: Sequence[SourceText], cache: ParseCache | None = None) -> None:
        self.sources = list(sources)
        self.cache = cache
        self.prepared = [prepare(s.text) for s in self.sources]
        # Only what the cache lacks goes to pandoc (everything without a cache).
        self.todo = [i for i, s in enumerate(self.sources) if cache is None or cache.api is None or _cache_key(s) not in cache.parts]
        # A marker no author can type in advance: it changes with every run.
        self.marker = f"MSPRESS{os.urandom(8).hex().upper()}PART"
        self.files: dict[int, str] = {}
        self.running: Pending[pandoc.Ast] | None = None
        if not self.todo and self.sources:
            return
        folder = private_folder()
        for n, i in enumerate(self.todo):
            path = Path(folder) / f"{n:04d}.md"
            path.write_text(f"{self.marker}{n}\n\n{self.prepared[i][0]}\n", encoding="utf-8")
            self.files[i] = str(path)
        where = Location(self.sources[0].path) if self.sources else Location(Path("manuscript"))
        files = list(self.files.values())
        self.running = pandoc.parsing(files, where, done=lambda: _remove(folder, files))

    def result(self) -> tuple[list[int], list[Part]]:
        """(pandoc's API version, the parts)."""
        blocks: dict[int, list[Block]] = {}
        api = self.cache.api if self.cache else None
        if self.running is not None:
            ast = self.running.result()
            api = ast["pandoc-api-version"]
            read = self._split(ast["blocks"])
            if read is None:
                raise AssertionError("pandoc lost a part marker")  # each file starts with its marker: a bug if missing
            for i, part_blocks in zip(self.todo, read, strict=True):
                blocks[i] = sanitise(_own_ids(part_blocks, self.files[i], self.sources[i].name))
        if self.cache is not None:
            import json

            fresh = {_cache_key(self.sources[i]): json.dumps(b) for i, b in blocks.items()}
            for i, source in enumerate(self.sources):
                if i not in blocks:
                    blocks[i] = json.loads(self.cache.parts[_cache_key(source)])
            # Only the current texts are kept: the cache does not grow with every save.
            self.cache.parts = {_cache_key(s): self.cache.parts.get(_cache_key(s)) or fresh[_cache_key(s)] for s in self.sources}
            self.cache.api = api
        assert api is not None
        parts = [Part(s, masked, notes, blocks[i]) for i, (s, (_, masked, notes)) in enumerate(zip(self.sources, self.prepared, strict=True))]
        return api, parts

    def _split(self, blocks: list[Block]) -> list[list[Block]] | None:
        result: list[list[Block]] = []
        for block in blocks:
            index = self._marker_index(block)
            if index is not None:
                if index != len(result):
                    return None
                result.append([])
            elif result:
                result[-1].append(block)
        return result if len(result) == len(self.todo) else None

    def _marker_index(self, block: Block) -> int | None:
        content = block.get("c")
        if block.get("t") == "Para" and isinstance(content, list) and len(content) == 1 and content[0].get("t") == "Str":
            value = content[0]["c"]
            if value.startswith(self.marker) and value[len(self.marker):].isdigit():
                return int(value[len(self.marker):])
        return None


def _cache_key(source: SourceText) -> tuple[str, str, str]:
    return source.name, source.path.as_posix(), source.text


def private_folder() -> str:
    """A new folder only this user can read, for the files pandoc reads (``tempfile`` costs ``check`` its import)."""
    base = os.environ.get("TMPDIR") or "/tmp"
    folder = os.path.join(base, f"mspress-{os.urandom(8).hex()}")
    os.mkdir(folder, 0o700)  # fails if it exists: never someone else's folder
    return folder


def _remove(folder: str, files: list[str]) -> None:
    """Once pandoc has read them."""
    for path in files:
        try:
            os.unlink(path)
        except OSError:
            pass
    try:
        os.rmdir(folder)
    except OSError:
        pass


def _own_ids(value: Any, path: str, part: str) -> Any:
    """Undo ``--file-scope``'s file prefix on heading ids and links to them: an author's label (``sec:x``) is
    the author's again; a generated id (``方法``) is prefixed by its part instead, so ids stay unique."""
    prefix = path.lstrip("/").replace("/", "__") + "__"

    def own(text: str) -> str:
        hash_, rest = ("#", text[1:]) if text.startswith("#") else ("", text)
        if not rest.startswith(prefix):
            return text
        ident = rest[len(prefix):]
        return hash_ + (ident if ":" in ident else f"{part}--{ident}")

    if isinstance(value, list):
        return [own(v) if isinstance(v, str) else _own_ids(v, path, part) for v in value]
    if isinstance(value, dict):
        return {k: own(v) if isinstance(v, str) else _own_ids(v, path, part) for k, v in value.items()}
    return value


SAFE_ATTRIBUTES = {"caption-en", "width", "height", "lang", "dir", "title", "custom-style"}
"""Attributes a manuscript may set (``{width=50%}``, ``{caption-en="…"}``); ``data-*`` too. Event handlers
(``onclick``), ``style`` and the rest never reach an output."""
SAFE_SCHEMES = {"http", "https", "mailto", "doi"}


def safe_url(url: str) -> bool:
    """A link target that runs nothing: http(s), mailto, doi, or a relative address (``#sec:x``, ``a.html``)."""
    scheme = url_scheme(url.lstrip())
    return scheme is None or scheme in SAFE_SCHEMES


def sanitise(value: Any) -> Any:
    """No markup of the manuscript's own in any output: comments dropped, any other raw HTML made text again
    (printed as typed), attributes kept only from ``SAFE_ATTRIBUTES``, links that would run code made text."""
    if isinstance(value, list):
        if _is_attr(value):
            value[2] = [pair for pair in value[2] if pair[0] in SAFE_ATTRIBUTES or pair[0].startswith("data-")]
            return value
        out = []
        for item in value:
            kind = item.get("t") if isinstance(item, dict) else None
            if kind in ("RawInline", "RawBlock"):
                raw = item["c"][1]
                if COMMENT.match(raw.strip()):
                    continue
                text = {"t": "Str", "c": raw}
                item = text if kind == "RawInline" else {"t": "Para", "c": [text]}
            elif kind == "Link" and not safe_url(item["c"][2][0]):
                out.extend(sanitise(item["c"][1]))
                continue
            out.append(sanitise(item))
        return out
    if isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(inner, (list, dict)):
                value[key] = sanitise(inner)
    return value


def _is_attr(value: list[Any]) -> bool:
    """Pandoc's ``[identifier, [classes], [[key, value]…]]``."""
    return (len(value) == 3 and isinstance(value[0], str) and isinstance(value[1], list) and isinstance(value[2], list)
            and all(isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) for p in value[2]))
