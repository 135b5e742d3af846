"""Citation keys and cross-reference labels as written: glued Chinese text, locators, did-you-mean."""
from __future__ import annotations

import re
from collections.abc import Iterable

CROSSREF_PREFIXES = ("fig:", "tbl:", "sec:", "eq:")
KEY = r"[\w][\w:.#$%&+?<>~/-]*"
"""Pandoc's citation key: a letter, digit or _, then word characters and internal punctuation."""
_TRAILING = ":.#$%&+?<>~/-"


def is_crossref(key: str) -> bool:
    return key.startswith(CROSSREF_PREFIXES)


def clean_key(raw: str) -> str:
    """Trailing punctuation is not part of a key."""
    return raw.rstrip(_TRAILING)


def split_known(raw: str, known: Iterable[str] | set[str]) -> tuple[str, str]:
    """Split ``fig:flow所示`` into a known id and the text glued after it.

    Chinese has no spaces, so a key written inside Chinese text runs into the next characters; the longest
    known id that is a prefix wins.
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
    text = suffix.strip().lstrip(",，、;；").strip()
    text = re.sub(r"^(pp?\.|pages?|page|第)\s*", "", text)
    return re.sub(r"页$", "", text).strip()


def did_you_mean(name: str, candidates: Iterable[str], sigil: str = "") -> str:
    """`` (did you mean x?)`` for the closest candidate (``sigil`` before it: ``@`` for keys), else ''."""
    import difflib  # only when there is a mistake to explain

    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {sigil}{close[0]}?)" if close else ""


def unknown_key(key: str, known: Iterable[str] = ()) -> str:
    """The message for a citation key that is not in the library (one wording for check and build)."""
    return f"unknown citation key @{key}{did_you_mean(key, known, '@')}: add it to references/*.bib or fix the key"


def unknown_label(label: str, labels: Iterable[str] = ()) -> str:
    if label.startswith("eq:"):
        return (f"unknown cross reference @{label}{did_you_mean(label, labels, '@')}: label a display equation "
                f"$$ … $$ {{#{label}}}")
    return f"unknown cross reference @{label}{did_you_mean(label, labels, '@')}: label a figure, table or heading {{#{label}}}"
