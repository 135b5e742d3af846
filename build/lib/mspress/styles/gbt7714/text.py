"""Text transformations on field values: sentence case, punctuation width, journal abbreviations."""
from __future__ import annotations

import re

from mspress.sources.latex import decode

_HALF = [("，", ", "), ("：", ": "), ("；", "; "), ("？", "?"), ("！", "!"), ("（", " ("), ("）", ") ")]
_FULL = re.compile(r",\s+|:\s+|;\s+|\s*\(\s*|\s*\)\s*")
_FULL_OF = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）"}


_WIDE_MARKS = re.compile("[，：；？！（）]")
_NARROW_MARKS = re.compile(r"[,:;()]")


def to_half(text: str) -> str:
    """Full-width marks → ASCII with the spaces English typesetting puts after them (2015 style)."""
    if not _WIDE_MARKS.search(text):
        return text.strip()
    for wide, narrow in _HALF:
        text = text.replace(wide, narrow)
    text = re.sub(r" {2,}", " ", text)
    text = re.sub(r"\( ", "(", text)
    text = re.sub(r" ([,.;:)\]])", r"\1", text)
    return text.strip()


def to_full(text: str) -> str:
    """ASCII ``, : ; ( )`` → full-width (2025 style); a colon not followed by a space stays (``1:25000``)."""
    if not _NARROW_MARKS.search(text):
        return text.strip()
    return _FULL.sub(lambda m: _FULL_OF[m.group(0).strip()], text).strip()


def punctuate(text: str, full: bool) -> str:
    return to_full(text) if full else to_half(text)


def sentence_case(raw: str) -> str:
    """Lower-case a BibTeX title except its first letter and ``{protected}`` groups; decode LaTeX.

    A brace group that starts with a command (``{\\'e}``) is a special character, not protection.
    """
    if "{" not in raw:
        return _lower_chunk(raw, False)
    out: list[str] = []
    depth = 0
    start = 0
    first_done = False
    for m in _BRACE_OR_ESCAPE.finditer(raw):
        token = m.group(0)
        if token == "{":
            if depth == 0:
                chunk = raw[start : m.start()]
                out.append(_lower_chunk(chunk, first_done))
                first_done = first_done or _has_letter(chunk)
                start = m.start()
            depth += 1
        elif token == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                group = raw[start : m.end()]
                special = group.startswith("{\\") and not group.startswith("{\\relax")
                out.append(_lower_chunk(group, first_done) if special else decode(group))
                first_done = first_done or _has_letter(group)
                start = m.end()
    out.append(_lower_chunk(raw[start:], first_done))
    return "".join(out)


_BRACE_OR_ESCAPE = re.compile(r"\\.|[{}]")


def _has_letter(text: str) -> bool:
    return any(ch.isalpha() for ch in decode(text))


_WORD = re.compile(r"[^\W\d_]+")


def _lower_word(m: re.Match[str]) -> str:
    word = m.group(0)
    return word if _acronym(word) else word.lower()


def _lower_chunk(raw: str, first_done: bool) -> str:
    """Lower-case the words of an unprotected stretch; acronyms (``DNA``, ``McDonald``) keep their case."""
    text = decode(raw)
    if first_done:
        return _WORD.sub(_lower_word, text)
    first = _WORD.search(text)
    if first is None:
        return text
    head = text[: first.start()] + (first.group(0) if _acronym(first.group(0)) else first.group(0)[0] + first.group(0)[1:].lower())
    return head + _WORD.sub(_lower_word, text[first.end() :])


def _acronym(word: str) -> bool:
    """A capital after the first letter: an acronym or a name such as McDonald."""
    rest = word[1:]
    return rest != rest.lower()


def journal_title(text: str) -> str:
    """Abbreviated journal titles lose their dots (``Br. Med. J.`` → ``Br Med J``), as the standard prints them."""
    if re.search(r"\b[A-Z][a-z]{0,8}\.(\s|$)", text):
        return re.sub(r"(?<=[A-Za-z])\.(?=\s|$)", "", text)
    return text
