"""Hyphenation languages for WeasyPrint's line breaker, and a quicker reading of Pyphen's dictionaries.

WeasyPrint asks ``pyphen.language_fallback(lang)`` which patterns a text's ``lang`` takes; Pyphen has none for
Chinese, and the hyphenatable words of a Chinese text are its Latin ones: ``zh…`` gets ``LATIN_IN_CHINESE``.
Reading a dictionary is most of what hyphenation costs a build (Pyphen parses the English one in about 60 ms,
each word's patterns with a regular expression); ``read_patterns`` parses the same file into the same patterns in
less than half that, and leaves the few dictionaries with escapes or non-standard hyphenation to Pyphen.
"""
from __future__ import annotations

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
            if patterns:
                hd = pyphen.HyphDict.__new__(pyphen.HyphDict)
                hd.patterns, hd.cache, hd.maxlen = patterns, {}, max(len(key) for key in patterns)
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


def read_patterns(path: Path, ignored: tuple[str, ...]) -> dict[str, tuple[int, tuple[int, ...]]] | None:
    """A ``hyph_*.dic``'s patterns as Pyphen's ``HyphDict`` stores them (``{"abc": (offset, values)}``), or ``None``
    for a dictionary Pyphen had better read itself (``^^hh`` escapes, ``/`` alternatives, an unknown encoding)."""
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
    patterns: dict[str, tuple[int, tuple[int, ...]]] = {}
    for line in text.split("\n"):
        line = line.strip()
        if not line or line.startswith(ignored):
            continue
        # As Pyphen's ``(\d?)(\D?)`` pairs: a digit belongs to the letter after it; two digits in a row are two places.
        values: list[int] = []
        letters: list[str] = []
        pending: int | None = None
        for ch in line:
            if ch.isdigit():
                if pending is not None:
                    values.append(pending)
                pending = int(ch)
            else:
                values.append(pending or 0)
                letters.append(ch)
                pending = None
        if pending is not None:
            values.append(pending)
        values.append(0)
        if not any(values):
            continue
        start, end = 0, len(values)
        while not values[start]:
            start += 1
        while not values[end - 1]:
            end -= 1
        patterns["".join(letters)] = start, tuple(values[start:end])
    return patterns
