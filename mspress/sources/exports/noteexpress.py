"""NoteExpress's text format (``{Reference Type}: Journal Article``, ``{Title}: …``) → records, as CNKI, Wanfang and
NoteExpress itself write it.

CNKI puts every author in one ``{Author}`` (``唐力;刘启钢;孙文桥``, keywords with ``;;``), a thesis's university in
``{Publisher}`` and its degree in ``{Type of Work}``, a conference's name in ``{Secondary Title}`` and its
proceedings in ``{Tertiary Title}``, a standard's number in ``{ISBN}``, a patent's number in ``{Notes}``; Wanfang
repeats ``{Author}`` per name and adds the English version (``{Translated Title}``, ``{Translated Author}``).
"""
from __future__ import annotations

import re

from mspress.sources.exports.record import MAX_RECORDS, Asked, Record, RecordBuilder, tagged
from mspress.sources.exports.refer import kind_of, split_list, split_names

_FIELD = re.compile(r"^\{([^{}\n]{1,80})\}:[ \t]?(.*)$")
_START = re.compile(r"^\ufeff?\s{0,3}\{Reference Type\}:", re.I)
_SILENT = frozenset(("author address", "database provider", "translated keywords", "translated abstract", "trydate", "subject",
                     "call number", "accession number", "label", "research notes", "caption", "custom 1", "custom 2",
                     "custom 3", "custom 4", "custom 5", "custom 6", "custom 7", "custom 8", "author affiliation",
                     "reprint", "file attachments", "short title", "pagecount", "page count", "number of pages"))
"""Affiliations, the database, the English abstract, a standard's date of taking effect (CNKI's ``TryDate``), a
patent's claims: nothing GB/T 7714 prints."""


def sniff(text: str) -> bool:
    first = next((line for line in text.split("\n", 50)[:50] if line.strip()), "")
    return bool(_START.match(first))


def parse(text: str) -> list[Record]:
    records: list[Record] = []
    fields: list[tuple[str, str]] = []
    start = 0
    for number, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r").lstrip("\ufeff")
        m = _FIELD.match(line)
        name = _name(m.group(1)) if m else ""
        if m and name == "reference type":
            if fields:
                records.append(_record(start, fields))
                if len(records) >= MAX_RECORDS:
                    return records
            fields, start = [(name, m.group(2))], number
        elif not fields:
            continue
        elif m:
            fields.append((name, m.group(2)))
        elif line.strip():
            field, value = fields[-1]
            fields[-1] = (field, f"{value}\n{line.strip()}")  # Wanfang breaks long abstracts over lines
    if fields:
        records.append(_record(start, fields))
    return records


def _name(field: str) -> str:
    """``Subsidiary Author,`` (CNKI's typo) → ``subsidiary author``."""
    return " ".join(field.strip().strip(",，").lower().split())


def _record(line: int, fields: list[tuple[str, str]]) -> Record:
    tags = tagged(fields)
    get = Asked(lambda tag: tags.get(tag, []))  # every field read goes through it: the others are reported unread
    written = (get("reference type") or ["Generic"])[0]
    kind = kind_of(written, " ".join(get("srcdatabase")))
    b = RecordBuilder(line, written, kind)

    for value in get("title")[:1]:
        b.add("title", value)
    for value in get("translated title"):
        b.add("title_en", value)
    for role, name in (("author", "author"), ("author_en", "translated author"), ("editor", "secondary author")):
        people = get(name)
        if kind == "thesis" and role == "editor":
            continue  # a thesis's secondary author is its supervisor, as its tertiary author is
        for value in people:
            for person in split_names(value):
                b.person(role, person)
    for value in get("subsidiary author"):  # CNKI: a conference's organisers, a patent's applicant
        if kind == "conference":
            b.add("organization", value)
        elif kind == "patent":
            b.person("holder", value)
        else:
            for person in split_names(value):
                b.person("translator", person)
    get("tertiary author")  # a thesis's supervisor, which GB/T 7714 does not print
    secondary, tertiary = get("secondary title"), get("tertiary title")
    if kind == "conference":
        for value in tertiary or secondary:
            b.add("container", value)
        for value in secondary:
            b.add("event", value)
    else:
        for value in get("journal") + secondary:
            b.add("container", value)
        for value in tertiary:
            b.add("series", value)
    b.add_each(get, {"translated journal": "container_en", "alternate journal": "container_short"})
    for value in get("publisher"):
        if kind == "newspaper" and b.has("container"):
            continue  # CNKI repeats the newspaper as its publisher
        b.add("publisher", value)
    b.add_each(get, {"place published": "place", "year": "year", "date": "date", "volume": "volume"})
    for value in get("issue"):
        b.add("number" if kind in ("report", "patent") else "issue", value)
    pages = get("pages")
    for value in pages if kind not in ("standard", "book", "thesis") else []:  # a book's or thesis's number of pages
        b.add("pages", value)
    for value in get("isbn/issn") + get("isbn") + get("issn") + get("图书印刷版isbn"):
        if kind == "standard" and not re.fullmatch(r"(?i)(isbn[: ]*)?[\d-]{9,17}x?", value):
            b.add("number", value)  # CNKI writes a standard's number as its ISBN
        elif kind in ("article", "magazine", "newspaper"):
            b.add("issn", value)
        else:
            b.add("isbn", value)
    notes = get("notes")
    for value in notes if kind == "patent" else []:  # other notes: a serial's CN number, the library's remarks
        if not b.has("number"):
            b.add("number", value)
    b.add_each(get, {"url": "url", "doi": "doi", "abstract": "abstract"})
    for value in get("keywords"):
        for keyword in split_list(value.replace("\n", ";")):
            b.add("keywords", keyword)
    for value in get("language"):
        b.add("language", value)
    degree = get("type of work")
    for value in degree if kind in ("thesis", "report") else []:
        b.add("degree", value)
    b.add_each(get, {"edition": "edition", "srcdatabase": "source_database"})
    for name in tags:
        if name not in get.asked and name not in _SILENT:
            b.skip("{" + name.title() + "}")
    return b.build()
