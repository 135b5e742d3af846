"""Characters and scripts: the one place that decides what is Chinese, Latin, Cyrillic or punctuation."""
from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Literal

Script = Literal["zh", "ja", "ko", "ru", "en"]

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
"""Chinese characters (CJK unified and compatibility ideographs), as a regex class body."""
CLOSING = frozenset("，。、；：？！）」』”’》〉】〕…")
"""Chinese marks no line starts with."""
OPENING = frozenset("（「『“‘《〈【〔")
"""Chinese marks no line ends with."""
QUOTES = frozenset("‘’“”")
"""The curly quotes among them, which English text has too: between two Latin letters, ``’`` is an apostrophe."""


def is_apostrophe(text: str, i: int) -> bool:
    """Is ``text[i]`` a curly quote between two Latin letters or digits (``Hamilton’s``, ``rock’n’roll``)? Then it
    is an English apostrophe, not a Chinese mark; a quote next to Chinese text stays one."""
    return text[i] in QUOTES and 0 < i < len(text) - 1 and is_latin(text[i - 1]) and is_latin(text[i + 1])


def latin_apostrophes(text: str) -> str:
    """``text`` with each apostrophe (``is_apostrophe``) made ``'``: as long as ``text``, so indices still hold."""
    if not QUOTES.intersection(text):
        return text
    return "".join("'" if is_apostrophe(text, i) else ch for i, ch in enumerate(text))


@cache
def _han() -> re.Pattern[str]:
    return re.compile(f"[{HAN}]")  # compiling the class costs ~3 ms: only when first needed

_KANA = re.compile("[\u3040-\u30ff]")
_HANGUL = re.compile("[\uac00-\ud7af]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")


@cache
def _cjk() -> re.Pattern[str]:
    """Compiled on first use: the class is large and ``check`` never needs it."""
    return re.compile(f"[\u3000-\u30ff\uff00-\uffef\uac00-\ud7af{HAN}" + re.escape("".join(CLOSING | OPENING)) + "]")


def has_han(text: str) -> bool:
    """Does ``text`` hold a Chinese character? (Short texts by code point: compiling the class costs every fresh
    ``check`` 3 ms; long ones by the compiled class.)"""
    if text.isascii():
        return False
    if len(text) < 400:
        return any(map(is_han, text))
    return _han().search(text) is not None


def is_han(ch: str) -> bool:
    """One Chinese character (the ``HAN`` ranges, compared as code points)."""
    code = ord(ch)
    return 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3FFFF


def has_cyrillic(text: str) -> bool:
    return _CYRILLIC.search(text) is not None


def has_cjk(text: str) -> bool:
    """Does ``text`` hold any character set on the CJK grid (Han, kana, hangul, full-width forms, CJK punctuation)?"""
    return _cjk().search(text) is not None


def is_cjk(ch: str) -> bool:
    """One character set on the CJK grid (the same set as ``has_cjk``; compares code points, for speed)."""
    code = ord(ch)
    return (0x3000 <= code <= 0x30FF or 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF
            or 0xFF00 <= code <= 0xFFEF or 0xAC00 <= code <= 0xD7AF or 0x20000 <= code <= 0x3FFFF or ch in CLOSING or ch in OPENING)


def is_latin(ch: str) -> bool:
    """Letters and digits of the Western scripts (Latin, Greek, Cyrillic); not ①, Ⅳ and the like."""
    return ch < "\u2000" and unicodedata.category(ch)[0] in "LN"


def script_language(text: str) -> Script:
    """The language a text's script points to: kana → ja, hangul → ko, Han → zh, Cyrillic → ru, else en."""
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    if has_han(text):
        return "zh"
    if _CYRILLIC.search(text):
        return "ru"
    return "en"


def normalise(text: str) -> str:
    """Letters and digits only, case-folded: how two spellings of one title or name are compared."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if ch.isalnum())
