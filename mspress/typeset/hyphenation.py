"""Hyphenation languages for WeasyPrint's line breaker, and a quicker reading of Pyphen's dictionaries.

WeasyPrint asks ``pyphen.language_fallback(lang)`` which patterns a text's ``lang`` takes; Pyphen has none for
Chinese, and the hyphenatable words of a Chinese text are its Latin ones: ``zh…`` gets ``LATIN_IN_CHINESE``.
Reading a dictionary is most of what hyphenation costs a build (Pyphen parses the English one in about 60 ms,
each word's patterns with a regular expression); ``read_patterns`` reads the same file in 10 ms, parsing a pattern
only when a word needs it, and leaves the few dictionaries with escapes or non-standard hyphenation to Pyphen.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

LATIN_IN_CHINESE = "en"
"""Patterns for the Latin words of Chinese text: those of ``lang="en"`` (Pyphen's en_GB), so one dictionary is read."""


class HyphenationLanguages:
    """``pyphen`` as ``weasyprint.text.line_break`` uses it (``language_fallback`` and ``Pyphen``)."""

    def __init__(self, pyphen: Any) -> None:
        self._pyphen = pyphen
        self._fallback = pyphen.language_fallback

    def language_fallback(self, lang: str) -> str | None:
        found: str | None = self._fallback(lang)
        if found is None and lang.lower().startswith("zh"):
            return LATIN_IN_CHINESE
        return found

    def Pyphen(self, lang: str, left: int = 2, right: int = 2) -> Any:  # noqa: N802 (pyphen's name)
        pyphen = self._pyphen
        lang = self.language_fallback(lang) or lang
        path = pyphen.LANGUAGES.get(lang)
        if path is not None and path not in pyphen.hdcache:
            patterns = read_patterns(Path(path), pyphen.ignored)
            if patterns is not None:
                hd = pyphen.HyphDict.__new__(pyphen.HyphDict)
                hd.patterns, hd.cache, hd.maxlen = patterns, {}, patterns.maxlen
                pyphen.hdcache[path] = hd
        return _WordsOnly(pyphen.Pyphen(lang=lang, left=left, right=right))


class _WordsOnly:
    """A dictionary that leaves names and codes whole: a word with a digit or a capital after its first letter
    (``MOD09A1``, ``fMRI``, ``SPSS``) is not hyphenated, as a copy editor would not split it."""

    def __init__(self, dictionary: Any) -> None:
        self._dictionary = dictionary

    def __getattr__(self, name: str) -> Any:
        return getattr(self._dictionary, name)

    def iterate(self, word: str) -> Any:
        if any(ch.isdigit() for ch in word) or any(ch.isupper() for ch in word[1:]):
            return iter(())
        return self._dictionary.iterate(word)


def read_patterns(path: Path, ignored: tuple[str, ...]) -> Patterns | None:
    """A ``hyph_*.dic``'s patterns as Pyphen's ``HyphDict`` stores them (``{"abc": (offset, values)}``, each parsed
    when a word first needs it), or ``None`` for a dictionary Pyphen had better read itself (``^^hh`` escapes, ``/``
    alternatives, an unknown encoding)."""
    raw = path.read_bytes()
    first, _, body = raw.partition(b"\n")
    encoding = first.decode("ascii", "replace").strip()
    if encoding.lower() == "microsoft-cp1251":
        encoding = "cp1251"
    try:
        text = body.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None
    if "^^" in text or "/" in text:
        return None
    # Whole-text operations, not a loop over 14,000 lines: this runs on every build.
    skipped = "|".join(map(re.escape, ignored))
    text = re.sub(rf"(?m)^\s*(?:{skipped}).*$", "", text) if skipped else text
    kept = "\n".join(line for line in re.sub(r"[^\S\n]+", "", text).split("\n") if line)  # a pattern has no spaces
    if _ZEROS_ONLY.search(kept):  # Pyphen skips a pattern with no value above 0 (English has a few), keeping another's
        kept = "\n".join(line for line in kept.split("\n") if _NONZERO.search(line))
    if not kept:
        return None
    letters = kept.encode("utf-8").translate(None, b"0123456789").decode("utf-8")
    return Patterns(dict(zip(letters.split("\n"), kept.split("\n"), strict=True)))


_NONZERO = re.compile(r"[1-9]")
_ZEROS_ONLY = re.compile(r"(?m)^[^1-9\n]*$")


class Patterns(dict[str, tuple[int, tuple[int, ...]]]):
    """Pyphen's patterns by their letters, each parsed from its line the first time ``get`` asks for it (as
    ``HyphDict.positions`` does): a build hyphenates a few hundred words, the English dictionary has 14,000 lines."""

    def __init__(self, lines: dict[str, str]) -> None:
        super().__init__()
        self._lines = lines
        self.maxlen = max(map(len, lines))

    def get(self, key: str, default: Any = None) -> Any:
        found = dict.get(self, key)
        if found is None:
            line = self._lines.get(key)
            if line is None:
                return default
            found = self[key] = _parsed(line)
        return found

    def every(self) -> dict[str, tuple[int, tuple[int, ...]]]:
        """Every pattern, parsed."""
        for key in self._lines:
            self.get(key)
        return dict(self)


def _parsed(line: str) -> tuple[int, tuple[int, ...]]:
    """``a1b2c`` → (offset of the first non-zero value, the values from there to the last non-zero one), as Pyphen's
    ``(\\d?)(\\D?)`` pairs read it: a digit belongs to the letter after it; two digits in a row are two places."""
    values: list[int] = []
    pending: int | None = None
    for ch in line:
        if ch.isdigit():
            if pending is not None:
                values.append(pending)
            pending = int(ch)
        else:
            values.append(pending or 0)
            pending = None
    if pending is not None:
        values.append(pending)
    values.append(0)
    start, end = 0, len(values)
    while not values[start]:
        start += 1
    while not values[end - 1]:
        end -= 1
    return start, tuple(values[start:end])
