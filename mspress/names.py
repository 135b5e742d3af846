"""Split BibTeX name lists (``A and B and others``) into ``Name`` values."""
from __future__ import annotations

import re

from .latex import decode
from .model import Name

ET_AL = Name(family="others")
"""Marker for ``and others``: the list was truncated at the source."""


def split_top_level(text: str, separator: re.Pattern[str]) -> list[str]:
    """Split ``text`` on ``separator`` where it is outside braces."""
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


def parse_names(raw: str) -> tuple[Name, ...]:
    return tuple(ET_AL if part.lower() == "others" else parse_name(part) for part in split_top_level(raw, _AND))


def parse_name(raw: str) -> Name:
    raw = raw.strip()
    if raw.startswith("{") and raw.endswith("}") and _balanced_inner(raw):
        return Name(family=decode(raw[1:-1]).strip(), corporate=True)
    parts = split_top_level(raw, _COMMA)
    if len(parts) >= 3:
        particle, family = _split_von(parts[0])
        return Name(family, decode(parts[2]), particle, decode(parts[1]), given_raw=parts[2])
    if len(parts) == 2:
        particle, family = _split_von(parts[0])
        return Name(family, decode(parts[1]), particle, given_raw=parts[1])
    words = split_top_level(raw, _SPACE)
    if len(words) == 1:
        return Name(family=decode(words[0]))
    first_lower = next((i for i, w in enumerate(words[:-1]) if _is_lower(w)), None)
    if first_lower is None:
        return Name(family=decode(words[-1]), given=decode(" ".join(words[:-1])), given_raw=" ".join(words[:-1]))
    last_lower = max(i for i, w in enumerate(words[:-1]) if _is_lower(w))
    return Name(family=decode(" ".join(words[last_lower + 1 :])), given=decode(" ".join(words[:first_lower])),
                particle=decode(" ".join(words[first_lower : last_lower + 1])), given_raw=" ".join(words[:first_lower]))


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
