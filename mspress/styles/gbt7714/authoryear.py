"""The author-year system (著者-出版年制): year labels with a/b suffixes, list order, in-text labels."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mspress.model import Name
from mspress.styles.gbt7714.entry import Entry
from mspress.styles.gbt7714.pinyin import pinyin_key
from mspress.text import has_han

LANGUAGE_GROUP = {"zh": 0, "ja": 1, "ko": 2, "en": 3, "ru": 4}
CONTRIBUTIONS = {"incollection", "inbook", "inproceedings", "conference", "inreference"}


def anonymous(e: Entry) -> str:
    return e.term("佚名", "Anon")


def plain_year(e: Entry) -> str:
    year = e.get("year") or e.year
    if year:
        return year.replace("-", "—") if e.options.edition == 2025 and re.match(r"^\d{4}-(\d{4})?$", year) else year
    urldate = e.raw("urldate")
    if urldate:
        return f"[{urldate[:4]}]"
    return e.term("无日期", "n.d.")


def _with_suffix(e: Entry, suffix: str) -> str:
    year = plain_year(e)
    if not suffix:
        return year
    if year.startswith("[") and year.endswith("]"):
        return f"{year[:-1]}{suffix}]"
    if not year[-1:].isdigit() and not year.endswith("—") and not year.endswith("）"):
        return f"{year}-{suffix}"
    return year + suffix


def creators(e: Entry) -> Sequence[Name]:
    """Who an entry is listed under: the patent holder, the author, else (for whole works) the editor."""
    names = e.ref.names
    if e.ref.entry_type == "patent":
        return names.get("holder") or names.get("author") or ()
    if e.ref.entry_type in CONTRIBUTIONS:
        return names.get("author") or ()
    return names.get("author") or names.get("editor") or ()


def creator_roles(e: Entry) -> tuple[str, ...]:
    if e.ref.entry_type == "patent":
        return ("holder", "author")
    return ("author",) if e.ref.entry_type in CONTRIBUTIONS else ("author", "editor")


def citation_label(e: Entry) -> str:
    """The in-text name: a Chinese name in full, a Western surname; 等 / et al. for two or more."""
    people = creators(e)
    if not people or people[0].family == "others":
        return anonymous(e)
    first = people[0]
    chinese = has_han(first.family) and not first.given.isascii()
    name = first.family + first.given if chinese and not first.corporate else first.family
    return f"{name} {e.term('等', 'et al.')}" if len(people) > 1 else name


def first_author_key(e: Entry) -> str:
    names = creators(e)
    if e.raw("key"):
        return e.raw("key")
    text = " ".join(n.family + " " + n.given for n in names[:3]) or anonymous(e)
    return pinyin_key(text) if e.lang == "zh" else text  # by pinyin, tone numbers breaking ties


def sort_key(e: Entry, year_label: str | None = None) -> tuple:  # type: ignore[type-arg]
    """Chinese first, then Japanese, Korean, Western, Russian; then author (pinyin, or the ``key`` field), then
    year with its suffix, so 2012a precedes 2012b."""
    return (LANGUAGE_GROUP.get(e.lang, 5), first_author_key(e).casefold(), year_label or plain_year(e))


@dataclass
class YearLabels:
    labels: dict[str, str]

    def get(self, key: str) -> str | None:
        return self.labels.get(key)

    @classmethod
    def assign(cls, entries: list[Entry], cited: list[str]) -> YearLabels:
        """Works sharing author list and year get a, b, … in the order they are cited."""
        order = {key: i for i, key in enumerate(cited)}
        groups: dict[tuple[str, str], list[Entry]] = {}
        for e in entries:
            groups.setdefault((citation_label(e), plain_year(e)), []).append(e)
        labels = {}
        for group in groups.values():
            group.sort(key=lambda e: order.get(e.ref.key, len(order)))
            for i, e in enumerate(group):
                labels[e.ref.key] = _with_suffix(e, "abcdefghijklmnopqrstuvwxyz"[i] if len(group) > 1 and i < 26 else "")
        return cls(labels)
