"""Text transformations on field values: sentence case, punctuation width, journal abbreviations."""
from __future__ import annotations

import re

from ..latex import decode

_HALF = [("，", ", "), ("：", ": "), ("；", "; "), ("？", "?"), ("！", "!"), ("（", " ("), ("）", ") ")]
_FULL = [(re.compile(r",\s+"), "，"), (re.compile(r":\s+"), "："), (re.compile(r";\s+"), "；"),
         (re.compile(r"\s*\(\s*"), "（"), (re.compile(r"\s*\)\s*"), "）")]


def to_half(text: str) -> str:
    """Full-width marks → ASCII with the spaces English typesetting puts after them (2015 style)."""
    for wide, narrow in _HALF:
        text = text.replace(wide, narrow)
    text = re.sub(r" {2,}", " ", text)
    text = re.sub(r"\( ", "(", text)
    text = re.sub(r" ([,.;:)\]])", r"\1", text)
    return text.strip()


def to_full(text: str) -> str:
    """ASCII ``, : ; ( )`` → full-width (2025 style); a colon not followed by a space stays (``1:25000``)."""
    for pattern, wide in _FULL:
        text = pattern.sub(wide, text)
    return text.strip()


def punctuate(text: str, full: bool) -> str:
    return to_full(text) if full else to_half(text)


def sentence_case(raw: str) -> str:
    """Lower-case a BibTeX title except its first letter and ``{protected}`` groups; decode LaTeX.

    A brace group that starts with a command (``{\\'e}``) is a special character, not protection.
    """
    out: list[str] = []
    depth = 0
    start = 0
    first_letter_done = False
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "{":
            if depth == 0:
                out.append(_lower_chunk(raw[start:i], first_letter_done))
                first_letter_done = first_letter_done or _has_letter(raw[start:i])
                start = i
            depth += 1
        elif ch == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                group = raw[start : i + 1]
                if group.startswith("{\\") and not group.startswith("{\\relax"):
                    out.append(_lower_chunk(group, first_letter_done))
                else:
                    out.append(decode(group))
                first_letter_done = first_letter_done or _has_letter(group)
                start = i + 1
        elif ch == "\\" and i + 1 < len(raw):
            i += 1
        i += 1
    out.append(_lower_chunk(raw[start:], first_letter_done))
    return "".join(out)


def _has_letter(text: str) -> bool:
    return any(ch.isalpha() for ch in decode(text))


_WORD = re.compile(r"[^\W\d_]+")


def _lower_chunk(raw: str, first_done: bool) -> str:
    """Lower-case the words of an unprotected stretch; acronyms (two capitals or more) keep their case."""
    text = decode(raw)
    result = []
    pos = 0
    for m in _WORD.finditer(text):
        word = m.group(0)
        result.append(text[pos : m.start()])
        if not first_done:
            result.append(word[0] + (word[1:] if _acronym(word) else word[1:].lower()))
            first_done = True
        else:
            result.append(word if _acronym(word) else word.lower())
        pos = m.end()
    result.append(text[pos:])
    return "".join(result)


def _acronym(word: str) -> bool:
    return sum(ch.isupper() for ch in word) >= 2


def journal_title(text: str) -> str:
    """Abbreviated journal titles lose their dots (``Br. Med. J.`` → ``Br Med J``), as the standard prints them."""
    if re.search(r"\b[A-Z][a-z]{0,8}\.(\s|$)", text):
        return re.sub(r"(?<=[A-Za-z])\.(?=\s|$)", "", text)
    return text
