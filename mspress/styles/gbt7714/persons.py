"""Names as GB/T 7714 prints them: surname first, initials without dots, 等 / et al."""
from __future__ import annotations

import re
from collections.abc import Sequence

from mspress.model import Name
from mspress.sources.latex import decode
from mspress.sources.names import ET_AL, split_top_level
from mspress.styles.gbt7714.options import Options
from mspress.styles.gbt7714.pinyin import is_pinyin_name
from mspress.styles.gbt7714.text import punctuate
from mspress.text import has_cyrillic, has_han

_SPACE = re.compile(r"[\s~]+")


def format_names(names: Sequence[Name], options: Options, cjk_terms: bool, comma: str, full: bool) -> str:
    """The name list: at most ``et_al_after`` names, then 等 or et al.; organisations' punctuation set to the style."""
    truncated = ET_AL in names
    limit = options.et_al_after
    people = [n for n in names[: limit + 1] if n != ET_AL]
    if len(people) > limit:
        people, truncated = people[:limit], True
    parts = [punctuate(n.family, full) if n.corporate else format_name(n, options) for n in people]
    if truncated:
        parts.append("等" if cjk_terms else "et al.")
    return comma.join(parts)


def format_name(name: Name, options: Options) -> str:
    if name.corporate:
        return name.family
    if has_han(name.family):
        # A Chinese (or Japanese) name is never split; Latin initials after it are dropped.
        return name.family + ("" if not has_han(name.given) else name.given).replace(" ", "")
    family = name.family.upper() if options.uppercase and not has_cyrillic(name.family) else name.family
    if name.particle:
        particle = name.particle.upper() if options.uppercase and name.particle[:1].isupper() else name.particle
        family = f"{particle} {family}"
    text = " ".join(p for p in (family, given_names(name, options)) if p)
    if name.suffix:
        # 2015: PEEBLES P Z, Jr; 2025 prints the suffix after the initials without a comma (Peebles P Z Jr., B.1[18])
        text += ", " + name.suffix.rstrip(".") if options.edition == 2015 else " " + name.suffix
    return text


def given_names(name: Name, options: Options) -> str:
    """Initials, then a dropping particle's (``P H v d``); a Chinese name in pinyin keeps its given name whole where the
    options say (2025: Wang Shanshan)."""
    raw = name.given_raw or name.given
    if options.full_pinyin_names and "{" not in raw and not name.particle and is_pinyin_name(name.family, name.given):
        given = "".join(name.given.split())  # a given name is written as one word (GB/T 28039): Jiang Ning → Jiangning
        return given[0].upper() + given[1:].lower() if "-" not in given else given
    return " ".join(p for p in (initials(raw, options.edition), initials(name.dropping, options.edition)) if p)


def initials(given_raw: str, edition: int) -> str:
    """``D. D.`` → ``D D``; ``Jean-Luc`` → ``J L`` (2015) or ``J-L`` (2025); ``{\\relax Jiangning}`` stays whole."""
    out = []
    for token in split_top_level(given_raw.strip(), _SPACE):
        if token.startswith("{") and token.endswith("}"):
            out.append(decode(token).strip())
            continue
        word = decode(token).strip().strip(".")
        if not word:
            continue
        if word.isupper() and word.isalpha() and len(word) <= 3 and "." not in word:
            out.extend(word)
            continue
        capital = word[0].isupper()  # Joong-kyoo → J-K; a particle's v. d. stays lower-case
        pieces = [p[0].upper() if capital else p[0] for p in re.split(r"[-.]", word) if p]
        out.append(("-" if edition == 2025 and "-" in word else " ").join(pieces))
    return " ".join(out)
