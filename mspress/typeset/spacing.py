"""Where a line of Chinese text may stretch, squeeze or get a quarter-em — pure functions on strings.

A gap ``i`` is the one before character ``i`` of a text box (so i ≥ 1).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from mspress.text import CLOSING, OPENING, has_cjk, is_cjk, is_latin, latin_apostrophes

NO_SPLIT = set("—…")
AUTOSPACE_EM = 0.25
"""Space between Chinese and Latin letters or digits (clreq, ctex's default)."""
SHARED_MARKS = frozenset("‘’“”…—―·\u3000")
"""Marks a Latin font has too, proportional there: in Chinese text they are the Chinese font's, full-width. The
ideographic space (U+3000) too: Pango draws it with the Latin font's space glyph, whose text in the PDF is then
U+3000 for every space of that font."""


def is_space(ch: str) -> bool:
    return ch.isspace() or ch in "\u00a0\u200b"


def _separable(a: str, b: str) -> bool:
    if is_space(a) or is_space(b) or unicodedata.combining(b):
        return False
    return not (b in CLOSING or a in OPENING or (a in NO_SPLIT and b in NO_SPLIT) or (a in CLOSING and b in OPENING))


def stretchable(a: str, b: str) -> bool:
    """May justification widen the gap between adjacent characters ``a`` and ``b``? Next to a Chinese character
    or mark, never before a closing mark, after an opening one or inside ``——``/``……``."""
    return (is_cjk(a) or is_cjk(b)) and _separable(a, b)


def trackable(a: str, b: str) -> bool:
    """A gap inside a Latin word (or between its letters and Latin punctuation): the last resort, by a hair."""
    return not (is_cjk(a) or is_cjk(b)) and _separable(a, b)


_ANY_LATIN = re.compile(r"[^\W_]", re.ASCII)


@lru_cache(maxsize=8192)
def stretch_positions(text: str) -> tuple[int, ...]:
    """Indices ``i`` (≥ 1) whose gap before them may be widened. An apostrophe is Latin (``Hamilton’s``)."""
    text = latin_apostrophes(text)
    if not has_cjk(text):
        return ()
    return tuple(i for i in range(1, len(text)) if stretchable(text[i - 1], text[i]))


@lru_cache(maxsize=8192)
def char_positions(text: str) -> tuple[int, ...]:
    """``stretch_positions`` that are not Chinese↔Latin boundaries (those get their quarter-em first)."""
    boundaries = set(autospace_positions(text))
    return tuple(i for i in stretch_positions(text) if i not in boundaries)


@lru_cache(maxsize=8192)
def space_positions(text: str) -> tuple[int, ...]:
    """Indices ``i`` just after a word space (U+0020, U+00A0): where the space's stretch goes."""
    if " " not in text and "\u00a0" not in text:
        return ()
    return tuple(i + 1 for i, ch in enumerate(text) if ch in " \u00a0")


@lru_cache(maxsize=8192)
def track_positions(text: str) -> tuple[int, ...]:
    """Indices ``i`` (≥ 1) inside Latin words (an apostrophe is in its word): ``trackable``."""
    text = latin_apostrophes(text)
    return tuple(i for i in range(1, len(text)) if trackable(text[i - 1], text[i]))


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
def shared_mark_runs(text: str) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` character ranges of ``SHARED_MARKS`` runs (``“``, ``……``, ``——``); not an apostrophe, which
    is the Latin font's (``Hamilton’s``)."""
    if text.isascii():
        return ()
    text = latin_apostrophes(text)
    runs: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if ch in SHARED_MARKS:
            if runs and runs[-1][1] == i:
                runs[-1] = (runs[-1][0], i + 1)
            else:
                runs.append((i, i + 1))
    return tuple(runs)


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



