"""Where a line of Chinese text may stretch, squeeze or get a quarter-em — pure functions on strings.

A gap ``i`` is the one before character ``i`` of a text box (so i ≥ 1).
"""
from __future__ import annotations

import unicodedata

CLOSING = set("，。、；：？！）」』”’》〉】〕…")
OPENING = set("（「『“‘《〈【〔")
NO_SPLIT = set("—…")
AUTOSPACE_EM = 0.25
"""Space between Chinese and Latin letters or digits (clreq, ctex's default)."""


def is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (0x3000 <= code <= 0x30FF or 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF
            or 0xFF00 <= code <= 0xFFEF or 0xAC00 <= code <= 0xD7AF or 0x20000 <= code <= 0x3FFFF or ch in CLOSING or ch in OPENING)


def is_latin(ch: str) -> bool:
    """Letters and digits of the Western scripts (Latin, Greek, Cyrillic); not ①, Ⅳ and the like."""
    return ch < "\u2000" and unicodedata.category(ch)[0] in "LN"


def is_space(ch: str) -> bool:
    return ch.isspace() or ch == "\u00a0"


def stretchable(a: str, b: str, latin_too: bool) -> bool:
    """May justification widen the gap between adjacent characters ``a`` and ``b``?"""
    if is_space(a) or is_space(b) or unicodedata.combining(b):
        return False
    if b in CLOSING or a in OPENING or (a in NO_SPLIT and b in NO_SPLIT) or (a in CLOSING and b in OPENING):
        return False
    if is_cjk(a) or is_cjk(b):
        return True
    return latin_too


def stretch_positions(text: str, latin_too: bool = False) -> list[int]:
    """Indices ``i`` (≥ 1) whose gap before them may be widened."""
    return [i for i in range(1, len(text)) if stretchable(text[i - 1], text[i], latin_too)]


def autospace_positions(text: str) -> list[int]:
    """Indices (≥ 1) that start a Chinese↔Latin boundary: a quarter-em goes before them."""
    return [i for i in range(1, len(text))
            if (is_cjk(text[i - 1]) and text[i - 1] not in CLOSING | OPENING and is_latin(text[i]))
            or (is_latin(text[i - 1]) and is_cjk(text[i]) and text[i] not in CLOSING | OPENING)]


def squeeze_positions(text: str) -> list[int]:
    """Indices of punctuation set half-width (OpenType ``halt``) because the next mark follows it.

    As ctex does: a closing mark before any other mark loses its trailing blank (``）。``, ``。”``,
    ``，“``); an opening mark after another opening mark loses its leading blank (``（“``).
    """
    found = []
    for i in range(len(text) - 1):
        a, b = text[i], text[i + 1]
        if a in CLOSING and a != "…" and (b in CLOSING or b in OPENING) and b != "…":
            found.append(i)
        elif a in OPENING and b in OPENING:
            found.append(i + 1)
    return found



