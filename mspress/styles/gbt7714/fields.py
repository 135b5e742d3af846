"""What GB/T 7714 needs of each entry type, and what a well-formed field looks like."""
from __future__ import annotations

import re
from collections.abc import Mapping

# Each requirement is a tuple of alternatives: one of them must be present.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (("title",), ("journal", "journaltitle"), ("year", "date")),
    "book": (("title",), ("publisher",), ("year", "date")),
    "mvbook": (("title",), ("publisher",), ("year", "date")),
    "collection": (("title",), ("publisher",), ("year", "date")),
    "proceedings": (("title",), ("year", "date")),
    "inbook": (("title",), ("booktitle", "maintitle"), ("publisher",), ("year", "date")),
    "incollection": (("title",), ("booktitle", "maintitle"), ("publisher",), ("year", "date")),
    "inproceedings": (("title",), ("booktitle", "eventtitle"), ("year", "date")),
    "conference": (("title",), ("booktitle", "eventtitle"), ("year", "date")),
    "phdthesis": (("author",), ("title",), ("school", "institution"), ("year", "date")),
    "mastersthesis": (("author",), ("title",), ("school", "institution"), ("year", "date")),
    "thesis": (("author",), ("title",), ("school", "institution"), ("year", "date")),
    "techreport": (("title",), ("institution", "publisher", "number"), ("year", "date")),
    "report": (("title",), ("institution", "publisher", "number"), ("year", "date")),
    "standard": (("title",), ("number",)),
    "patent": (("title",), ("number",), ("year", "date")),
    "online": (("title",), ("url", "doi")),
    "www": (("title",), ("url",)),
    "electronic": (("title",), ("url",)),
    "dataset": (("title",), ("url", "doi", "publisher")),
    "software": (("title",), ("url", "doi", "publisher")),
    "misc": (("title",),),
}

KNOWN_LANGUAGES = {"english", "american", "british", "en", "chinese", "zh", "zh-cn", "zh-hans", "zh-hant", "pinyin",
                   "japanese", "ja", "korean", "ko", "russian", "ru", "german", "french", "spanish", "italian", "中文"}

_CHECKS = {
    "doi": (re.compile(r"^10\.\d{4,9}/\S+$"), "a DOI looks like 10.1016/j.xxx.2020.01.001 (no https://doi.org/ prefix)"),
    "year": (re.compile(r"^(\d{4}[a-z]?|\[\d{4}\]|c\d{4})$"), "a year is four digits, such as 2015"),
    "pages": (re.compile(r"^[\w.+]+(\s*(-{1,2}|–|—|~|～)\s*[\w.+]+)?(\s*[,;]\s*[\w.+]+(\s*(-{1,2}|–|—)\s*[\w.+]+)?)*$"),
              "pages look like 240--248, e9--e11 or 2796"),
    "date": (re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$"), "a date is YYYY, YYYY-MM or YYYY-MM-DD"),
    "urldate": (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "an access date is YYYY-MM-DD"),
}


def missing_fields(entry_type: str, fields: Mapping[str, str], names: Mapping[str, object]) -> list[str]:
    """Requirements of the type that the entry does not meet, as ``a or b`` strings."""
    needed = REQUIRED.get(entry_type, REQUIRED["misc"])
    present = {k for k, v in fields.items() if v} | {k for k, v in names.items() if v}
    return [" or ".join(choice) for choice in needed if not present & set(choice)]


def field_problem(name: str, value: str) -> str | None:
    """Why ``value`` is malformed for field ``name``, or ``None``."""
    if name in ("langid", "language"):
        return None if value.strip().lower() in KNOWN_LANGUAGES else f"unknown language {value!r}; use english, chinese, japanese, russian…"
    check = _CHECKS.get(name)
    if check is None:
        return None
    pattern, hint = check
    return None if pattern.match(value.strip()) else f"malformed {name} {value!r}: {hint}"
