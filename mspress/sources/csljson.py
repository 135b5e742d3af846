"""CSL-JSON (Zotero's export) → ``Reference``, with the BibLaTeX field names the GB/T 7714 engine reads."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from mspress.errors import Diagnostic, Location, Severity
from mspress.model import Name, Reference

TYPES = {
    "article-journal": "article", "article-magazine": "article", "article-newspaper": "article", "article": "preprint",
    "book": "book", "chapter": "incollection", "entry-encyclopedia": "incollection", "entry-dictionary": "incollection",
    "paper-conference": "inproceedings", "thesis": "phdthesis", "report": "techreport", "webpage": "online",
    "post": "online", "post-weblog": "online", "dataset": "dataset", "patent": "patent", "standard": "standard",
    "map": "map", "legislation": "legislation", "legal_case": "legislation", "software": "software",
    "motion_picture": "video", "broadcast": "video", "graphic": "image", "manuscript": "misc", "personal_communication": "letter",
    "periodical": "periodical", "collection": "collection", "document": "misc",
}
FIELDS = {
    "title": "title", "publisher": "publisher", "publisher-place": "address", "event-place": "address",
    "volume": "volume", "issue": "number", "page": "pages", "edition": "edition", "DOI": "doi", "URL": "url",
    "number": "number", "collection-title": "series", "genre": "type", "version": "version", "ISBN": "isbn",
    "ISSN": "issn", "language": "langid", "container-title-short": "shortjournal", "journalAbbreviation": "shortjournal",
    "event-title": "eventtitle", "event": "eventtitle", "scale": "scale", "dimensions": "dimensions", "archive": "archiveprefix",
}
ROLES = {"author": "author", "editor": "editor", "translator": "translator", "container-author": "bookauthor"}
_NOCASE = re.compile(r'<span class="nocase">(.*?)</span>')


def bounded_int(digits: str) -> int:
    """A JSON integer; one too long for any date, page or count is kept as 0 rather than converted for ever."""
    return int(digits) if len(digits) <= 18 else 0


def parse_csl_json(text: str, path: Path, into: dict[str, Reference], problems: list[Diagnostic]) -> None:
    try:
        items = json.loads(text, parse_int=bounded_int)
    except json.JSONDecodeError as exc:
        problems.append(Diagnostic("bib-syntax", Severity.ERROR, f"malformed CSL-JSON: {exc.msg}", Location(path, exc.lineno, exc.colno)))
        return
    except RecursionError:
        problems.append(Diagnostic("bib-syntax", Severity.ERROR, "CSL-JSON nested too deeply for a library: an item is a flat object",
                                   Location(path)))
        return
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        problems.append(Diagnostic("bib-syntax", Severity.ERROR, "CSL-JSON must be a list of items", Location(path)))
        return
    for index, item in enumerate(items):
        where = _item_location(text, path, item, index)
        if not isinstance(item, dict) or not item.get("id"):
            problems.append(Diagnostic("bib-syntax", Severity.ERROR, "a CSL-JSON item needs an \"id\"", where))
            continue
        key = str(item["id"])
        if key in into:
            problems.append(Diagnostic("duplicate-key", Severity.ERROR,
                                       f"duplicate citation key {key!r} (first defined at {into[key].location}): rename or delete one entry", where))
            continue
        into[key] = to_reference(item, where)


def _item_location(text: str, path: Path, item: Any, index: int) -> Location:
    if isinstance(item, dict) and "id" in item:
        m = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(item["id"], ensure_ascii=False)), text)
        if m:
            return Location.in_text(path, text, m.start())
    return Location(path, 1, 1)


def to_reference(item: dict[str, Any], location: Location) -> Reference:
    kind = TYPES.get(str(item.get("type", "")), "misc")
    raw: dict[str, str] = {}
    for source, target in FIELDS.items():
        value = item.get(source)
        if value not in (None, "") and target not in raw:
            raw[target] = str(value)
    container = item.get("container-title")
    if container:
        raw["journal" if kind in ("article", "periodical") else "booktitle"] = str(container)
    if item.get("type") == "article-newspaper":
        raw["entrysubtype"] = "newspaper"
    if kind == "phdthesis" and re.search(r"硕士|master", str(item.get("genre", "")), re.I):
        kind = "mastersthesis"
    issued, accessed = _date(item.get("issued")), _date(item.get("accessed"))
    if issued:
        raw["date"], raw["year"] = issued, issued[:4]
    if accessed:
        raw["urldate"] = accessed
    fields = {k: v for k, v in raw.items()}
    if "title" in raw:
        # Zotero marks text whose case must stay with <span class="nocase">: braces in BibTeX terms.
        fields["title"] = re.sub(r"<[^>]+>", "", raw["title"])
        raw["title"] = re.sub(r"<[^>]+>", "", _NOCASE.sub(r"{\1}", raw["title"]))
    names = {target: tuple(_name(n) for n in item[source] if isinstance(n, dict))
             for source, target in ROLES.items() if isinstance(item.get(source), list) and item[source]}
    fields = {k: v for k, v in fields.items() if v}
    return Reference(str(item["id"]), kind, fields, names, location, raw, "csl-json")


def _date(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    parts = (value.get("date-parts") or [[]])[0]
    if parts:
        return "-".join(f"{int(p):02d}" if i else str(p) for i, p in enumerate(parts) if str(p).strip())
    return str(value.get("raw") or value.get("literal") or "")


def _name(data: dict[str, Any]) -> Name:
    if data.get("literal"):
        return Name(family=str(data["literal"]), corporate=True)
    particle = " ".join(str(data[k]) for k in ("dropping-particle", "non-dropping-particle") if data.get(k))
    given = str(data.get("given", ""))
    return Name(family=str(data.get("family", "")), given=given, particle=particle, suffix=str(data.get("suffix", "")),
                given_raw=given)
