"""Find citations in Markdown, number them by first citation, and print number groups.

This module does not import pandoc, so ``check`` stays fast; the build uses the same
numbering when it rewrites pandoc's AST.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from mspress.errors import Location
from mspress.model import Citation, Numbering, SourceText

CROSSREF_PREFIXES = ("fig:", "tbl:", "sec:", "eq:")

# Pandoc's citation key: starts with a letter, digit or _, then word characters and
# internal punctuation; trailing punctuation is not part of the key.
KEY = r"[\w][\w:.#$%&+?<>~/-]*"
_TRAILING = ":.#$%&+?<>~/-"
NARRATIVE = re.compile(rf"(?<![A-Za-z0-9_@\\])@(?P<key>{KEY})")
_GROUP = re.compile(r"(?<![\\!])\[(?P<body>[^\[\]]*?-?@[^\[\]]*?)\](?!\()", re.S)
_ITEM = re.compile(rf"(?P<prefix>.*?)(?P<suppress>-?)@(?P<key>{KEY})(?P<suffix>.*)", re.S)
_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.S | re.M)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_ESCAPED = re.compile(r"\\[\[\]@\\`*_~]")
_URL = re.compile(r"\]\([^)\s]*[^)]*\)|<[a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*>|\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s)\]>]+")


def unknown_key(key: str) -> str:
    """The message for a citation key that is not in the library (one wording for check and build)."""
    return f"unknown citation key @{key}: add it to references/*.bib or fix the key"


def clean_key(raw: str) -> str:
    return raw.rstrip(_TRAILING)


def split_known(raw: str, known: Iterable[str] | set[str]) -> tuple[str, str]:
    """Split ``fig:flow所示`` into a known id and the text glued after it.

    Chinese has no spaces, so a key written inside Chinese text runs into the next
    characters; the longest known id that is a prefix wins.
    """
    key = clean_key(raw)
    if key in known:
        return key, raw[len(key):]
    for end in range(len(key) - 1, 0, -1):
        if not key[end].isascii() and key[:end] in known:
            return key[:end], raw[end:]
    cut = next((i for i, ch in enumerate(key) if not ch.isascii()), len(key))
    return clean_key(key[:cut]) or key, raw[len(clean_key(key[:cut]) or key):]


def locator_text(suffix: str) -> str:
    """``, p. 25`` → ``25``; ``, pp. 4-7`` → ``4-7``; ``, 第25页`` → ``25``."""
    text = suffix.strip().lstrip(",，").strip()
    text = re.sub(r"^(pp?\.|pages?|page|第)\s*", "", text)
    return re.sub(r"页$", "", text).strip()


def is_crossref(key: str) -> bool:
    return key.startswith(CROSSREF_PREFIXES)


def mask_code(text: str, urls: bool = True) -> str:
    """Replace code, escapes (and URLs) by spaces of equal length so offsets stay true."""
    for pattern in (_FENCE, _CODE_SPAN, _ESCAPED, _URL) if urls else (_FENCE, _CODE_SPAN, _ESCAPED):
        text = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    return text


def narrative_matches(text: str) -> Iterator[re.Match[str]]:
    """Narrative ``@key`` matches outside code, escapes and URLs (offsets are those of ``text``)."""
    return NARRATIVE.finditer(mask_code(text))


@dataclass(frozen=True, slots=True)
class _Raw:
    offset: int
    keys: tuple[tuple[int, str, str], ...]
    """(offset, raw key, suffix) per item."""
    narrative: bool


def _scan(text: str) -> Iterator[_Raw]:
    masked = mask_code(text)
    taken: list[tuple[int, int]] = []
    for group in _GROUP.finditer(masked):
        items = []
        start = group.start("body")
        for part in _split_items(group.group("body")):
            offset, piece = start + part[0], part[1]
            m = _ITEM.match(piece)
            if m:
                items.append((offset + m.start("key") - 1, m.group("key"), m.group("suffix")))
        if items:
            taken.append((group.start(), group.end()))
            yield _Raw(group.start(), tuple(items), False)
    for m in NARRATIVE.finditer(masked):
        if any(a <= m.start() < b for a, b in taken):
            continue
        yield _Raw(m.start(), ((m.start(), m.group("key"), ""),), True)


def _split_items(body: str) -> list[tuple[int, str]]:
    parts, start = [], 0
    for i, ch in enumerate(body):
        if ch == ";":
            parts.append((start, body[start:i]))
            start = i + 1
    parts.append((start, body[start:]))
    return parts


def extract(part: SourceText, known: set[str]) -> list[Citation]:
    """Every citation group of one Markdown file, in reading order, crossrefs excluded."""
    found = sorted(_scan(part.text), key=lambda r: r.offset)
    citations = []
    for raw in found:
        keys, locators = [], []
        for _, key_text, suffix in raw.keys:
            key, _rest = split_known(key_text, known)
            keys.append(key)
            locators.append(locator_text(suffix))
        if all(is_crossref(k) for k in keys):
            continue
        citations.append(Citation(tuple(keys), tuple(locators), raw.narrative,
                                  Location.in_text(part.path, part.text, raw.offset), part.name))
    return citations


def crossref_uses(part: SourceText, labels: set[str]) -> list[tuple[str, Location]]:
    """``@fig:x``-style references of one file, with their locations."""
    uses = []
    for raw in _scan(part.text):
        for offset, key_text, _ in raw.keys:
            key, _rest = split_known(key_text, labels)
            if is_crossref(key):
                uses.append((key, Location.in_text(part.path, part.text, offset)))
    return uses


def number(citations: Iterable[Citation], known: set[str]) -> Numbering:
    """Number known keys by first citation; the one numbering every writer and the checker use."""
    numbers: dict[str, int] = {}
    first: dict[str, Location] = {}
    counts: dict[str, int] = {}
    for citation in citations:
        for key in citation.keys:
            if key not in known:
                continue
            counts[key] = counts.get(key, 0) + 1
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                first[key] = citation.location
    return Numbering(numbers, first, counts)


def compress(numbers: Iterable[int], min_run: int = 2, sort: bool = True) -> list[tuple[int, int]]:
    """De-duplicated numbers as (first, last) runs of consecutive numbers, sorted unless ``sort`` is false
    (then runs are found in the written order); runs shorter than ``min_run`` stay single."""
    ordered = sorted(set(numbers)) if sort else list(dict.fromkeys(numbers))
    runs: list[tuple[int, int]] = []
    for n in ordered:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    result: list[tuple[int, int]] = []
    for first, last in runs:
        if last - first + 1 >= min_run:
            result.append((first, last))
        else:
            result.extend((n, n) for n in range(first, last + 1))
    return result


def format_runs(runs: list[tuple[int, int]], dash: str = "-") -> str:
    return ",".join(str(a) if a == b else f"{a}{dash}{b}" for a, b in runs)
