"""Names as GB/T 7714 prints them: surname first, initials without dots, 等 / et al."""
from __future__ import annotations

import re

from ..model import Name
from ..names import ET_AL
from .language import is_cjk
from .options import Options, Punctuation

_INITIAL_SPLIT = re.compile(r"[\s.]+")


def format_names(names: tuple[Name, ...], options: Options, cjk_terms: bool) -> str:
    punct = Punctuation.for_edition(options.edition)
    truncated = ET_AL in names
    people = [n for n in names if n != ET_AL]
    if len(people) > options.et_al_after:
        people, truncated = people[: options.et_al_after], True
    parts = [format_name(n, options) for n in people]
    if truncated:
        parts.append("等" if cjk_terms else "et al.")
    return punct.comma.join(parts)


def format_name(name: Name, options: Options) -> str:
    if name.corporate:
        return name.family
    if any(is_cjk(ch) for ch in name.family + name.given):
        return f"{name.family}{name.given}".replace(" ", "")
    family = name.family.upper() if options.uppercase else name.family
    if name.particle:
        family = f"{name.particle} {family}"
    text = " ".join(p for p in (family, initials(name.given, options.edition)) if p)
    if name.suffix:
        suffix = name.suffix.rstrip(".")
        text += f", {suffix}" if options.edition == 2015 else f" {suffix}"
    return text


def initials(given: str, edition: int) -> str:
    """``D. D.`` → ``D D``; ``Jean-Luc`` → ``J L`` (2015) or ``J-L`` (2025); ``DA`` → ``D A``."""
    out = []
    for word in _INITIAL_SPLIT.split(given.strip()):
        if not word:
            continue
        if word.isupper() and word.isalpha() and len(word) <= 3:
            out.extend(word)
            continue
        pieces = [p[0] for p in word.split("-") if p]
        out.append(("-" if edition == 2025 else " ").join(pieces))
    return " ".join(out)
