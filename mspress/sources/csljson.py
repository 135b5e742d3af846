"""CSL-JSON (Zotero's export) → ``Reference``, with the BibLaTeX field names the GB/T 7714 engine reads.

Zotero keeps what its item types have no field for in ``note`` (its "Extra" field), one ``key: value`` per line:
CSL variables (``original-date: 1887``, ``type: periodical``), names (``original-author: Yu || Xiao``),
``CSTR: …`` and Better BibTeX's ``tex.field: value``. These are read as citeproc-js reads them: a line fills a
variable the item lacks, ``type:`` overrides the item's type, and ``tex.`` lines give BibTeX fields outright.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mspress.errors import Diagnostic, Location, Severity
from mspress.model import Name, Reference
from mspress.sources.latex import SUB, SUP
from mspress.sources.names import NAME_FIELDS, parse_names
from mspress.sources.placeholders import is_placeholder

TYPES = {
    "article-journal": "article", "article-magazine": "article", "article-newspaper": "article", "article": "preprint",
    "review": "article", "review-book": "article", "book": "book", "classic": "book", "chapter": "incollection",
    "entry-encyclopedia": "incollection", "entry-dictionary": "incollection", "entry": "incollection",
    "paper-conference": "inproceedings", "thesis": "phdthesis", "report": "techreport", "webpage": "online",
    "post": "online", "post-weblog": "online", "dataset": "dataset", "patent": "patent", "standard": "standard",
    "map": "map", "legislation": "legislation", "regulation": "legislation", "bill": "legislation", "hearing": "legislation",
    "treaty": "legislation", "legal_case": "legislation", "software": "software", "motion_picture": "video",
    "broadcast": "video", "song": "audio", "graphic": "image", "figure": "image", "manuscript": "misc",
    "personal_communication": "letter", "interview": "misc", "speech": "misc", "performance": "misc", "event": "misc",
    "periodical": "periodical", "collection": "collection", "document": "misc",
}
FIELDS = {
    "title": "title", "title-short": "shorttitle", "publisher": "publisher", "publisher-place": "address",
    "volume": "volume", "issue": "number", "page": "pages", "edition": "edition", "DOI": "doi", "URL": "url",
    "collection-title": "series", "collection-number": "seriesnumber", "genre": "type", "version": "version",
    "ISBN": "isbn", "ISSN": "issn", "language": "langid", "container-title-short": "shortjournal",
    "journalAbbreviation": "shortjournal", "event-title": "eventtitle", "event": "eventtitle", "scale": "scale",
    "dimensions": "dimensions", "medium": "medium", "CSTR": "cstr", "cstr": "cstr", "call-number": "applicationnumber",
    "number-of-pages": "pagetotal", "section": "section", "status": "pubstate",
}
ROLES = {"author": "author", "editor": "editor", "translator": "translator", "container-author": "bookauthor",
         "compiler": "editor", "editorial-director": "editor", "collection-editor": "editor"}
CREATORS_IN_PLACE_OF_AUTHOR = ("director", "composer", "performer", "producer", "executive-producer", "host",
                               "interviewer", "illustrator", "guest", "narrator", "script-writer")
"""Roles that are a work's responsible person when it has no author (a film's director, a song's composer)."""
ARCHIVE_TYPES = {"personal_communication", "manuscript", "document", "letter"}
"""Item types that are archive documents when they give an archive (``archive``/``archive_location``)."""
CSL_NAME_VARIABLES = {*ROLES, *CREATORS_IN_PLACE_OF_AUTHOR, "recipient", "original-author", "reviewed-author", "chair",
                      "contributor", "curator", "organizer", "translator"}
CSL_DATE_VARIABLES = {"issued", "accessed", "original-date", "submitted", "event-date", "available-date"}
_NOTE_LINE = re.compile(r"\{?:?([A-Za-z][\w.]*(?:[ -][A-Za-z][\w.]*){0,3}) *:(.*)")
"""``key: value`` (or Zotero's older ``{:key: value}``), matched on a stripped line: no backtracking over spaces."""
_NOTE_KEYS = {"doi": "DOI", "url": "URL", "isbn": "ISBN", "issn": "ISSN", "cstr": "CSTR", "pmid": "PMID", "pmcid": "PMCID",
              "pages": "page", "book-title": "container-title", "publication-title": "container-title",
              "proceedings-title": "container-title", "place": "publisher-place", "date": "issued", "series": "collection-title",
              "series-title": "collection-title", "loc.-in-archive": "archive_location", "loc-in-archive": "archive_location",
              "archive-location": "archive_location", "application-number": "call-number", "series-number": "collection-number",
              "original-date": "original-date", "place-published": "publisher-place", "num-pages": "number-of-pages"}
"""Zotero's field labels (``Loc. in Archive``, ``Pages``) and lower-cased CSL names → CSL variables."""
CSL_VARIABLES = {*FIELDS, "container-title", "number", "archive", "archive_location", "archive-place", "original-title",
                 "original-container-title", "original-publisher", "original-publisher-place", "authority", "jurisdiction",
                 "PMID", "PMCID", "title-short", "source", "references", "annote", "abstract", "keyword", "note"}
_NOCASE = re.compile(r'<span class="nocase">(.*?)</span>')
VERBATIM_FIELDS = {"url", "doi", "urldate", "date", "eprint", "isbn", "issn", "cstr"}
_MARKUP = re.compile(r"<(/?)(sub|sup|i|b|span|sc)\b[^>]*>", re.I)


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


@dataclass(frozen=True, slots=True)
class NoteLines:
    """What Zotero's "Extra" lines (in ``note``) give: CSL variables, names, a type, Better BibTeX's ``tex.`` fields."""

    variables: dict[str, Any]
    people: dict[str, list[dict[str, str]]]
    type: str | None
    tex: dict[str, str]


def note_lines(note: str) -> NoteLines:
    """Read ``key: value`` lines as citeproc-js does; keys as CSL writes them or as Zotero labels them
    (``Archive Place``, ``Pages``); other lines are left as the note's text."""
    variables: dict[str, Any] = {}
    people: dict[str, list[dict[str, str]]] = {}
    tex: dict[str, str] = {}
    kind = None
    for line in note.splitlines():
        m = _NOTE_LINE.fullmatch(line.strip())
        value = m.group(2).strip().removesuffix("}").strip() if m else ""
        if not m or not value:
            continue
        key = m.group(1).strip().lower()
        if key.startswith("tex."):
            tex[key[4:]] = value
            continue
        key = re.sub(r"[\s_]+", "-", key)
        key = _NOTE_KEYS.get(key, key)
        if key == "type":
            kind = value.lower() if value.lower() in TYPES else kind  # citeproc-js ignores a type CSL does not define
        elif key in CSL_NAME_VARIABLES:
            family, _, given = value.partition("||")
            people.setdefault(key, []).append({"family": family.strip(), "given": given.strip()} if given.strip()
                                              else {"literal": family.strip()})
        elif key in CSL_DATE_VARIABLES:
            variables.setdefault(key, {"raw": value})
        elif key in CSL_VARIABLES:
            variables.setdefault(key, value)
    return NoteLines(variables, people, kind, tex)


def with_note_variables(item: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The item with the variables its ``note`` lines give (filling what it lacks; a date that refines the item's,
    ``issued: 1957/1990``, replaces it; ``type:`` overrides), and the ``tex.`` fields they give."""
    note = item.get("note")
    if not isinstance(note, str) or not note.strip():
        return item, {}
    lines = note_lines(note)
    item = dict(item)
    for key, value in lines.variables.items():
        if key in CSL_DATE_VARIABLES and key in item:
            if refines_date(str(value["raw"]), _date(item[key])):
                item[key] = value
        else:
            item.setdefault(key, value)
    for key, persons in lines.people.items():
        item.setdefault(key, persons)
    if lines.type:
        item["type"] = lines.type
    return item, lines.tex


def to_reference(item: dict[str, Any], location: Location) -> Reference:
    item, tex = with_note_variables(item)
    kind, raw = entry_type_and_fields(item)
    names: dict[str, Sequence[Name]] = {target: tuple(_name(n) for n in item[source] if isinstance(n, dict))
                                        for source, target in ROLES.items() if isinstance(item.get(source), list) and item[source]}
    if "author" not in names:
        stand_in = next((item[role] for role in CREATORS_IN_PLACE_OF_AUTHOR if isinstance(item.get(role), list) and item[role]), None)
        if stand_in:
            names["author"] = tuple(_name(n) for n in stand_in if isinstance(n, dict))
    if tex:
        kind = tex.pop("entrytype", kind).lower()
        for field, value in tex.items():
            if field in NAME_FIELDS:
                names[field] = parse_names(value)
            else:
                raw[field] = value
    placeholders = {k: v for k, v in raw.items() if is_placeholder(k, v)}
    raw = {k: v for k, v in raw.items() if k not in placeholders}
    fields = {k: v if k in VERBATIM_FIELDS else _plain(v) for k, v in raw.items() if v}
    # For case conversion (``title_case = "sentence"``) the raw values are BibTeX: CSL text escaped (it is not
    # LaTeX: $5 and C:\ stay), and Zotero's <span class="nocase"> as braces.
    raw = {k: v if k in VERBATIM_FIELDS else _NOCASE.sub(r"{\1}", _plain(_as_latex(v), keep_nocase=True)) for k, v in raw.items() if v}
    return Reference(str(item["id"]), kind, fields, names, location, raw, "csl-json", placeholders=placeholders)


def entry_type_and_fields(item: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """A CSL item's type and variables as the BibLaTeX type and fields the engine reads."""
    csl_type = str(item.get("type", "")).lower()
    kind = TYPES.get(csl_type, "misc")
    if csl_type in ARCHIVE_TYPES and (item.get("archive_location") or item.get("archive")):
        kind = "archive"
    raw: dict[str, str] = {}
    for source, target in FIELDS.items():
        value = item.get(source)
        if value not in (None, "") and target not in raw and not isinstance(value, dict | list):
            raw[target] = str(value)
    _place_number(item, kind, raw)
    container = item.get("container-title")
    if container:
        raw["journal" if kind in ("article", "periodical") else "booktitle"] = str(container)
    if csl_type == "article-newspaper":
        raw["entrysubtype"] = "newspaper"
    if kind == "preprint" and item.get("number") and "eprint" not in raw:
        raw["eprint"] = str(item["number"])
        raw.setdefault("archiveprefix", "arXiv" if "arxiv" in str(item["number"]).lower() else "")
    if kind == "archive":
        for source, target in (("archive", "institution"), ("archive_location", "number"), ("archive-place", "address")):
            if item.get(source):
                raw[target] = str(item[source])
    if kind == "phdthesis" and re.search(r"硕士|master", str(item.get("genre", "")), re.I):
        kind = "mastersthesis"
    issued, accessed = _date(item.get("issued")), _date(item.get("accessed"))
    if re.fullmatch(r"\d{4}(-\d{2}){1,2}|\d{4}/(\d{4}|\.\.)?", issued):  # 1984/.. : a serial still running
        raw["date"] = issued
    elif issued:
        raw["year"] = issued  # a year, or a date as the work gives it: 1887（光绪十三年三月十三日）
    if accessed:
        raw["urldate"] = accessed
    _translation(item, raw)
    return kind, raw


def _place_number(item: dict[str, Any], kind: str, raw: dict[str, str]) -> None:
    """CSL's one ``number``: an article number (as the page when there is none), or a report's, patent's, standard's."""
    number = item.get("number")
    if number in (None, "") or isinstance(number, dict | list):
        return
    if kind == "article":
        raw.setdefault("eid", str(number))
    elif kind != "preprint":
        raw.setdefault("number", str(number))


def _translation(item: dict[str, Any], raw: dict[str, str]) -> None:
    """``original-title``/``original-author`` (the English version of a Chinese item, zotero-chinese's bilingual styles)."""
    title = item.get("original-title")
    if not title:
        return
    raw["title_translation_en"] = str(title)
    authors = item.get("original-author")
    if isinstance(authors, list):
        raw["author_transliteration_en"] = bibtex_names(authors)
    for source, target in (("original-container-title", "journal_translation_en"), ("original-publisher", "publisher_translation_en"),
                           ("original-publisher-place", "address_translation_en")):
        if item.get(source):
            raw[target] = str(item[source])


def _as_latex(text: str) -> str:
    """CSL text written so that LaTeX decoding gives it back unchanged."""
    return text.translate(_LATEX_ESCAPES) if any(ch in text for ch in "\\$~{}%#&^_") else text


_LATEX_ESCAPES = str.maketrans({"\\": r"\textbackslash{}", "$": r"\$", "~": r"\textasciitilde{}", "{": r"\{", "}": r"\}",
                                "^": r"\textasciicircum{}", "_": r"\_", "%": r"\%", "#": r"\#"})


def refines_date(new: str, old: str) -> bool:
    """A date from Zotero's note that makes the item's more precise (``1957/1990`` for ``1957``, ``1887（光绪…）``)."""
    return bool(old) and new.startswith(old[:4])


def bibtex_names(people: list[Any]) -> str:
    """CSL names as a BibTeX name list (``Yu, Xiao and {IEEE}``)."""
    return " and ".join(f"{{{p['literal']}}}" if p.get("literal") else f"{p.get('family', '')}, {p.get('given', '')}"
                        for p in people if isinstance(p, dict))


def _plain(value: str, keep_nocase: bool = False) -> str:
    """CSL's rich text: ``<sub>``/``<sup>`` kept as marks, other tags dropped (``nocase`` spans kept when asked),
    entities decoded."""
    if "<" not in value and "&" not in value:
        return value

    def tag(m: re.Match[str]) -> str:
        name = m.group(2).lower()
        if name in ("sub", "sup"):
            marks = SUB if name == "sub" else SUP
            return marks[1] if m.group(1) else marks[0]
        if keep_nocase and name == "span":
            return m.group(0)
        return ""

    import html  # its entity table is loaded only for CSL text that has markup or entities

    return html.unescape(_MARKUP.sub(tag, value))


def _date(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    parts = (value.get("date-parts") or [[]])[0]
    if parts and isinstance(parts, list):
        try:
            return "-".join(f"{int(p):02d}" if i else str(int(p)) for i, p in enumerate(parts[:3]) if str(p).strip())
        except (TypeError, ValueError):
            return ""
    return str(value.get("raw") or value.get("literal") or "")


def _name(data: dict[str, Any]) -> Name:
    if data.get("literal"):
        return Name(family=str(data["literal"]), corporate=True)
    # A dropping particle follows the given names when the name is inverted (Beethoven L van); the standard
    # abbreviates it with them (Veen P H v d). A non-dropping one stays before the family name (van der Merwe K).
    given = str(data.get("given", ""))
    return Name(family=str(data.get("family", "")), given=given, particle=str(data.get("non-dropping-particle", "")),
                suffix=str(data.get("suffix", "")), given_raw=given, dropping=str(data.get("dropping-particle", "")))
