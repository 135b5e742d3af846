"""``Reference`` (BibLaTeX field names, LaTeX decoded, names parsed) → a CSL-JSON item for citeproc-py.

The mapping follows BibLaTeX's own definitions of its types and fields and the CSL 1.0 variables (as pandoc and
Zotero map them); CSL 1.0.2's ``event-title`` is given beside 1.0's ``event`` (citeproc-py stores it, and newer
styles test it first).
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from mspress.model import Name, Reference
from mspress.sources.latex import strip_marks
from mspress.styles.gbt7714.fields import bare_doi, edition_number, url_in_text
from mspress.text import has_han

TYPES = {
    "article": "article-journal", "book": "book", "mvbook": "book", "booklet": "pamphlet", "collection": "book",
    "mvcollection": "book", "proceedings": "book", "mvproceedings": "book", "reference": "book", "mvreference": "book",
    "inbook": "chapter", "bookinbook": "chapter", "incollection": "chapter", "suppbook": "chapter", "suppcollection": "chapter",
    "inreference": "entry-encyclopedia", "inproceedings": "paper-conference", "conference": "paper-conference",
    "manual": "book", "misc": "article", "online": "webpage", "www": "webpage", "electronic": "webpage", "webpage": "webpage",
    "patent": "patent", "periodical": "periodical", "suppperiodical": "article-journal", "report": "report",
    "techreport": "report", "thesis": "thesis", "phdthesis": "thesis", "mastersthesis": "thesis", "unpublished": "manuscript",
    "dataset": "dataset", "software": "software", "standard": "standard", "map": "map", "legislation": "legislation",
    "letter": "personal_communication", "video": "motion_picture", "movie": "motion_picture", "image": "graphic",
    "artwork": "graphic", "audio": "song", "music": "song", "preprint": "article", "newspaper": "article-newspaper",
}
"""BibLaTeX (and BibTeX) entry types → CSL types."""
SUBTYPES = {"newspaper": "article-newspaper", "magazine": "article-magazine"}
"""``@article`` with ``entrysubtype``."""
THESIS_GENRES = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}
"""What a thesis is called when the entry has no ``type`` field (Zotero's words)."""

TEXT = {
    "shorttitle": "title_short", "volume": "volume", "pages": "page", "edition": "edition", "doi": "DOI", "url": "URL",
    "isbn": "ISBN", "issn": "ISSN", "note": "note", "version": "version", "venue": "event_place", "eventtitle": "event",
    "pagetotal": "number_of_pages", "volumes": "number_of_volumes", "chapter": "chapter_number", "series": "collection_title",
    "abstract": "abstract", "keywords": "keyword", "annotation": "annote", "pmid": "PMID", "pmcid": "PMCID",
    "shortjournal": "container_title_short", "scale": "scale", "dimensions": "dimensions",
}
"""Fields copied as they are."""
NUMBERS = {"volume", "issue", "edition", "number", "number_of_pages", "number_of_volumes", "chapter_number", "collection_number"}
"""Variables citeproc-py turns into integers (ordinal, roman): a run of ten digits or more there is no number."""
_DATE = re.compile(r"(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_MARKUP = re.compile("[\ue010-\ue01f]")


def to_csl(ref: Reference, ident: str, language: str = "") -> dict[str, Any]:
    """One CSL-JSON item, its ``id`` replaced by ``ident`` (citeproc-py lower-cases keys: ``Smith`` and ``smith``
    would be one item); ``language`` (``en``, ``zh``…) decides whether citeproc-py may title-case it."""
    fields = ref.fields
    kind = SUBTYPES.get(fields.get("entrysubtype", "").lower(), "") if ref.entry_type == "article" else ""
    kind = kind or TYPES.get(ref.entry_type, "article")
    item: dict[str, Any] = {"id": ident, "type": kind, "language": language}
    for name, variable in TEXT.items():
        if fields.get(name):
            item[variable] = fields[name]
    if item.get("DOI"):
        item["DOI"] = bare_doi(item["DOI"])  # given as https://doi.org/… (Zotero, Mendeley): the style adds its own
    if item.get("edition") and edition_number(item["edition"]):
        item["edition"] = str(edition_number(item["edition"]))  # 2nd edition → 2, for the style's own "2nd ed."
    if "URL" not in item:
        item["URL"] = url_in_text(ref.raw_fields)  # '' when there is none: empty values are dropped below
    title = _joined(fields.get("title", ""), fields.get("subtitle", ""), ": ")
    if title:
        item["title"] = _joined(title, fields.get("titleaddon", ""), ". ")
    container = fields.get("journaltitle") or fields.get("journal") or fields.get("booktitle") or fields.get("maintitle")
    if container:
        item["container_title"] = _joined(container, fields.get("booksubtitle", "") or fields.get("journalsubtitle", ""), ": ")
    if "event" in item:
        item["event_title"] = item["event"]  # CSL 1.0.2's name, which newer styles test first
    _numbers(ref, kind, item)
    _publisher(ref, kind, item)
    if kind == "thesis":
        genre = fields.get("type") or THESIS_GENRES.get(ref.entry_type)
        if genre:
            item["genre"] = genre
    elif fields.get("type"):
        item["genre"] = fields["type"]
    for source, variable in (("date", "issued"), ("urldate", "accessed"), ("eventdate", "event_date"), ("origdate", "original_date")):
        date = _date(fields.get(source, "") or (fields.get("year", "") if source == "date" else ""), fields.get("month", "") if source == "date" else "")
        if date:
            item[variable] = date
    for role, variable in (("author", "author"), ("editor", "editor"), ("translator", "translator"), ("bookauthor", "container_author")):
        names = _names(ref.names.get(role, ()))
        if names:
            item[variable] = names
    if "author" not in item and kind == "patent" and ref.names.get("holder"):
        item["author"] = _names(ref.names["holder"])
    cleaned = {key: _clean(key, value) for key, value in item.items()}
    return {key: value for key, value in cleaned.items() if value}


def _joined(first: str, second: str, separator: str) -> str:
    """``Title: Subtitle``, or ``Title? Subtitle`` when the title ends with its own mark."""
    if not second:
        return first
    return first + (" " if first.endswith(("?", "!", ":", ".")) else separator) + second


def _numbers(ref: Reference, kind: str, item: dict[str, Any]) -> None:
    """BibLaTeX ``number`` is a journal's issue, a report's or patent's number, a series volume."""
    fields = ref.fields
    issue = fields.get("issue") or (fields.get("number") if kind in ("article-journal", "article-magazine", "article-newspaper", "periodical") else "")
    if issue:
        item["issue"] = issue
    number = fields.get("number", "")
    if number and number != issue:
        item["collection_number" if kind in ("book", "chapter", "paper-conference") and fields.get("series") else "number"] = number
    if fields.get("eid") and "number" not in item:
        item["number"] = fields["eid"]  # an article number (e0209899): CSL 1.0.2's number


def _publisher(ref: Reference, kind: str, item: dict[str, Any]) -> None:
    fields = ref.fields
    publisher = fields.get("publisher") or fields.get("institution") or fields.get("school") or fields.get("organization")
    if publisher:
        item["publisher"] = publisher
    place = fields.get("location") or fields.get("address")
    if place:
        item["event_place" if kind == "paper-conference" and not publisher else "publisher_place"] = place


def _date(value: str, month: str = "") -> dict[str, Any] | None:
    """An ISO date or range (``2019-08-08/2019-08-11``) as CSL date-parts; anything else as a literal date."""
    value = value.strip()
    if not value:
        return None
    ends = [end.strip() for end in value.split("/", 1)]
    parts = [_date_parts(end) for end in ends if end]
    if not parts or any(p is None for p in parts):
        return {"literal": value}
    first = parts[0]
    assert first is not None
    if len(first) == 1 and month.strip().isdigit() and 1 <= int(month) <= 12 and len(parts) == 1:
        first.append(int(month))
    return {"date-parts": parts}


def _date_parts(text: str) -> list[int] | None:
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    parts = [int(p) for p in match.groups() if p]
    if len(parts) > 1 and not 1 <= parts[1] <= 12 or len(parts) > 2 and not 1 <= parts[2] <= 31:
        return None
    return parts


def _names(names: Sequence[Name]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for name in names:
        if name.family == "others" and not name.given:
            continue  # BibTeX's ``and others``: the list was cut at the source
        if name.corporate or not name.given and not name.particle:
            out.append({"literal": name.family} if name.corporate else {"family": name.family})
            continue
        if has_han(name.family):  # a Chinese name is one string: citeproc-py would print 王, . 珊珊 .
            out.append({"family": name.family + (name.given if has_han(name.given) else "")})
            continue
        data = {"family": name.family, "given": name.given}
        if name.particle:
            data["non-dropping-particle"] = name.particle
        if name.dropping:
            data["dropping-particle"] = name.dropping
        if name.suffix:
            data["suffix"] = name.suffix
        out.append({k: v for k, v in data.items() if v})
    return out


def _clean(key: str, value: Any) -> Any:
    """Text without mspress's own markup characters; a number too long to be one left out."""
    if isinstance(value, str):
        value = strip_marks(_MARKUP.sub("", value)).strip()  # H$_2$O: citeproc-py takes plain text
        if key in NUMBERS and re.search(r"\d{10,}", value):
            return ""
        return value
    if isinstance(value, list):
        return [{k: strip_marks(_MARKUP.sub("", v)) for k, v in name.items()} for name in value]
    if isinstance(value, Mapping) and "literal" in value:
        return {"literal": _MARKUP.sub("", str(value["literal"]))}
    return value
