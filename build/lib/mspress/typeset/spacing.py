"""Where a line of Chinese text may stretch, squeeze or get a quarter-em — pure functions on strings.

A gap ``i`` is the one before character ``i`` of a text box (so i ≥ 1).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from mspress.text import CLOSING, OPENING, has_cjk, is_cjk, is_latin

NO_SPLIT = set("—…")
AUTOSPACE_EM = 0.25
"""Space between Chinese and Latin letters or digits (clreq, ctex's default)."""


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


_ANY_LATIN = re.compile(r"[^\W_]", re.ASCII)


@lru_cache(maxsize=8192)
def stretch_positions(text: str, latin_too: bool = False) -> tuple[int, ...]:
    """Indices ``i`` (≥ 1) whose gap before them may be widened."""
    if not latin_too and not has_cjk(text):
        return ()
    return tuple(i for i in range(1, len(text)) if stretchable(text[i - 1], text[i], latin_too))


@lru_cache(maxsize=8192)
def autospace_positions(text: str) -> tuple[int, ...]:
    """Indices (≥ 1) that start a Chinese↔Latin boundary: a quarter-em goes before them."""
    if not has_cjk(text) or not _has_latin(text):
        return ()
    marks = CLOSING | OPENING
    return tuple(i for i in range(1, len(text))
                 if (is_cjk(text[i - 1]) and text[i - 1] not in marks and is_latin(text[i]))
                 or (is_latin(text[i - 1]) and is_cjk(text[i]) and text[i] not in marks))


def _has_latin(text: str) -> bool:
    return bool(_ANY_LATIN.search(text)) or any(is_latin(ch) for ch in text if "\u0080" <= ch < "\u2000")


@lru_cache(maxsize=8192)
def squeeze_positions(text: str) -> tuple[int, ...]:
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
    return tuple(found)


def quantize(gaps: dict[int, float], size: float) -> dict[int, int]:
    """Gaps in points → whole thousandths of an em (what a PDF text operator can carry),
    the rounding error carried from each gap to the next so the total stays true."""
    result: dict[int, int] = {}
    carry = 0.0
    for i in sorted(gaps):
        wanted = gaps[i] * 1000 / size + carry
        result[i] = round(wanted)
        carry = wanted - result[i]
    return {i: q for i, q in result.items() if q > 0}



