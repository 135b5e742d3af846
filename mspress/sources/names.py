"""Split BibTeX name lists (``A and B and others``) into ``Name`` values."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import overload

from mspress.model import Name
from mspress.sources.latex import decode
from mspress.text import is_han

NAME_FIELDS = ("author", "editor", "translator", "bookauthor", "holder", "editora", "editorb", "editorc", "namea", "nameb", "namec")
"""BibTeX fields that hold name lists."""
ET_AL = Name(family="others")
"""Marker for ``and others``: the list was truncated at the source."""


def split_top_level(text: str, separator: re.Pattern[str]) -> list[str]:
    """Split ``text`` on ``separator`` where it is outside braces."""
    if "{" not in text:
        return [p.strip() for p in separator.split(text) if p.strip()]
    parts, depth, start = [], 0, 0
    pos = 0
    while pos < len(text):
        ch = text[pos]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif depth == 0:
            m = separator.match(text, pos)
            if m:
                parts.append(text[start:pos])
                start = pos = m.end()
                continue
        pos += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_COMMA = re.compile(r",")
_SPACE = re.compile(r"[\s~]+")


class NameList(Sequence[Name]):
    """A BibTeX name list, split at once but each name parsed only when it is read.

    Formatting needs the first few names of an entry; a large library should not pay for the rest.
    """

    __slots__ = ("raw", "_parts", "_parsed")

    def __init__(self, raw: str) -> None:
        self.raw = raw
        # A part with no letter or digit (``~``, ``.``) is no name: ``Smith, J. and ~`` lists one person.
        self._parts = [part for part in _split_names(raw) if any(c.isalnum() for c in part)]
        self._parsed: dict[int, Name] = {}

    def __len__(self) -> int:
        return len(self._parts)

    @overload
    def __getitem__(self, index: int) -> Name: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Name, ...]: ...

    def __getitem__(self, index: int | slice) -> Name | tuple[Name, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        if index < 0:
            index += len(self)
        if index not in self._parsed:
            part = self._parts[index]
            self._parsed[index] = ET_AL if part.lower() == "others" else parse_name(part)
        return self._parsed[index]

    def __contains__(self, item: object) -> bool:
        if item == ET_AL:
            return any(p.lower() == "others" for p in self._parts)
        return any(self[i] == item for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        return tuple(self) == (tuple(other) if isinstance(other, Sequence) else other)

    def __hash__(self) -> int:
        return hash(self.raw)

    def __repr__(self) -> str:
        return f"NameList({self.raw!r})"


def _split_names(raw: str) -> list[str]:
    parts = split_top_level(raw, _AND)
    if len(parts) == 1 and _chinese_list(raw):
        # CNKI and some Chinese exports separate authors with ; or ，rather than "and".
        parts = [p for p in split_top_level(raw, _CJK_SEPARATOR) if p]
    return parts


_LIST_SEPARATOR = re.compile(r"[;；，、]\s*")


def _chinese_list(raw: str) -> bool:
    """``张三;李四``, ``张三，李四``: Chinese names separated by a list mark."""
    return any(m.start() and m.end() < len(raw) and is_han(raw[m.start() - 1]) and is_han(raw[m.end()])
               for m in _LIST_SEPARATOR.finditer(raw))
_CJK_SEPARATOR = re.compile(r"\s*[;；，、]\s*")


def parse_names(raw: str) -> NameList:
    return NameList(raw)


def parse_name(raw: str) -> Name:
    raw = raw.strip()
    if raw.startswith("{") and raw.endswith("}") and _balanced_inner(raw):
        return Name(family=decode(raw[1:-1]).strip(), corporate=True)
    parts = split_top_level(raw, _COMMA)
    if _KEY_VALUE.match(raw):
        return _extended_name(parts)
    if len(parts) >= 3:
        particle, family = _split_von(parts[0])
        return Name(family, decode(parts[2]), particle, decode(parts[1]), given_raw=parts[2])
    if len(parts) == 2:
        particle, family = _split_von(parts[0])
        return Name(family, decode(parts[1]), particle, given_raw=parts[1])
    if len(parts) == 1 and raw.rsplit(None, 1)[-1].rstrip(".").lower() in ORGANISATION_WORDS:  # Trisco ICAP Pty Ltd
        return Name(family=decode(raw).strip(), corporate=True)
    words = split_top_level(raw, _SPACE)
    if len(words) <= 1:  # one word, or none (a name of only ~ or spaces)
        return Name(family=decode(words[0] if words else raw).strip())
    first_lower = next((i for i, w in enumerate(words[:-1]) if _is_lower(w)), None)
    if first_lower is None:
        return Name(family=decode(words[-1]), given=decode(" ".join(words[:-1])), given_raw=" ".join(words[:-1]))
    last_lower = max(i for i, w in enumerate(words[:-1]) if _is_lower(w))
    return Name(family=decode(" ".join(words[last_lower + 1 :])), given=decode(" ".join(words[:first_lower])),
                particle=decode(" ".join(words[first_lower : last_lower + 1])), given_raw=" ".join(words[:first_lower]))


ORGANISATION_WORDS = frozenset("""ltd inc llc plc gmbh corp corporation company co pty ag sa bv nv university institute
association society council committee organization organisation foundation agency ministry department office centre
center group consortium collaboration collaborators""".split())
"""The last word of an organisation's name: such a name is printed whole even when not braced."""
_KEY_VALUE = re.compile(r"\s*(family|given|prefix|suffix)\s*=", re.I)


def _extended_name(parts: list[str]) -> Name:
    """BibLaTeX's (and Better BibTeX's) ``family=Veen, given=Pieternella H., prefix=van der, useprefix=false``.

    Without ``useprefix`` the prefix follows the given names once inverted, as the standard prints it (``Veen P H v d``).
    """
    values: dict[str, str] = {}
    for part in parts:
        key, _, value = part.partition("=")
        values[key.strip().lower()] = value.strip().strip("{}") if value.strip().startswith("{") else value.strip()
    prefix, given = values.get("prefix", ""), values.get("given", "")
    use_prefix = values.get("useprefix", "false").lower() == "true"
    particle, dropping = (prefix, "") if use_prefix else ("", prefix)
    return Name(decode(values.get("family", "")), decode(given), decode(particle), decode(values.get("suffix", "")),
                given_raw=given, dropping=decode(dropping))


def _split_von(text: str) -> tuple[str, str]:
    words = split_top_level(text, _SPACE)
    lowers = [i for i, w in enumerate(words[:-1]) if _is_lower(w)]
    if not lowers or lowers[0] != 0:
        return "", decode(text)
    cut = max(lowers) + 1
    return decode(" ".join(words[:cut])), decode(" ".join(words[cut:]))


def _is_lower(word: str) -> bool:
    letters = decode(word).lstrip("{\\")
    return bool(letters) and letters[0].islower()


def _balanced_inner(raw: str) -> bool:
    depth = 0
    for i, ch in enumerate(raw):
        depth += ch == "{"
        depth -= ch == "}"
        if depth == 0 and i < len(raw) - 1:
            return False
    return True
