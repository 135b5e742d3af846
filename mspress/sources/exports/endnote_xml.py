"""EndNote's XML export (``<xml><records><record>…``) → records, parsed by lxml with no entity, DTD or network access.

Values sit in ``<style face=… font=…>`` runs; a subscript or superscript run keeps its marks (``latex.SUB``/``SUP``)
as every other source of mspress does. The element names are EndNote's own for every type: the host is
``secondary-title`` (journal, book, conference), ``number`` the issue (a report's or patent's number),
``secondary-authors`` and ``tertiary-authors`` a thesis's supervisors (left out), ``work-type`` a thesis's degree.
"""
from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from mspress.errors import InputUnreadable, Location
from mspress.sources.exports.record import MAX_RECORDS, Asked, Record, RecordBuilder
from mspress.sources.exports.refer import kind_of, split_list, split_names
from mspress.sources.latex import SUB, SUP

_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]{0,200}\?>")
_SILENT = frozenset(("database", "source-app", "rec-number", "foreign-keys", "ref-type", "notes", "research-notes", "label",
                     "accession-num", "call-num", "remote-database-name", "remote-database-provider", "auth-address",
                     "auth-affiliaton", "custom1", "custom2", "custom3", "custom4", "custom5", "custom6", "custom7", "orig-pub",
                     "reprint-edition", "caption", "modified-date", "alt-periodical", "num-vols", "reviewed-item",
                     "misc1", "misc2", "misc3", "short-title", "work-extent", "section"))
"""Record numbers, the library's name, notes, affiliations, accession and call numbers: nothing GB/T 7714 prints."""


def sniff(text: str) -> bool:
    head = _DECLARATION.sub("", text[:4096]).lstrip()
    return head.startswith("<xml") or (head.startswith("<") and "<records" in head[:2048])


def parse(text: str, shown: str) -> list[Record]:
    if "<!ENTITY" in text or "<!DOCTYPE" in text[:4096]:
        raise InputUnreadable(Location(Path(shown)), "the XML declares a document type or entities, which an EndNote export "
                              "never does: export the library again from EndNote (File → Export → XML)", "export-unreadable")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(_DECLARATION.sub("", text, count=1), parser)
    except etree.XMLSyntaxError as exc:
        raise InputUnreadable(Location(Path(shown), exc.lineno or 1, max(exc.offset or 1, 1)), f"malformed XML ({exc.msg}): export the "
                              "library again, or open the file in a text editor at this place", "export-unreadable") from None
    except ValueError:  # lxml refuses text whose XML declaration is malformed (names an encoding it cannot follow)
        raise InputUnreadable(Location(Path(shown)), "malformed XML declaration (the first line, <?xml …?>): export the library "
                              "again", "export-unreadable") from None
    records = []
    for element in root.iter("record"):
        records.append(_record(element))
        if len(records) >= MAX_RECORDS:
            break
    return records


def _text(element: etree._Element | None) -> str:
    """The element's text, its sub- and superscript runs between marks."""
    if element is None:
        return ""
    styles = element.findall("style")
    if not styles:
        return "".join(str(t) for t in element.itertext()).strip()
    parts = [element.text or ""]
    for style in styles:
        face = style.get("face") or ""
        run = "".join(str(t) for t in style.itertext())
        marks = SUB if "subscript" in face else SUP if "superscript" in face else None
        parts.append(f"{marks[0]}{run}{marks[1]}" if marks and run.strip() else run)
        parts.append(style.tail or "")
    return "".join(parts).strip()


def _all(element: etree._Element, path: str) -> list[str]:
    return [text for found in element.findall(path) if (text := _text(found))]


def _record(element: etree._Element) -> Record:
    ref_type = element.find("ref-type")
    written = (ref_type.get("name") if ref_type is not None else None) or "Generic"
    kind = kind_of(written)
    b = RecordBuilder(int(getattr(element, "sourceline", None) or 1), written, kind)
    get = Asked(lambda path: _all(element, path))  # every element read goes through it: the others are reported unread

    for value in get("titles/title")[:1]:
        b.add("title", value)
    for value in get("titles/translated-title"):
        b.add("title_en", value)
    for value in get("titles/secondary-title") + get("periodical/full-title"):
        if kind == "thesis":
            continue  # a thesis has no host; EndNote repeats the university there at times
        b.add("container_short" if b.has("container") and b.first("container") != value else "container", value)
    b.add_each(get, {"periodical/abbr-1": "container_short", "titles/tertiary-title": "series"})
    # a thesis's secondary (and tertiary) authors are its advisers, which GB/T 7714 does not print
    for role, path in (("author", "contributors/authors/author"), ("editor", "contributors/secondary-authors/author"),
                       ("translator", "contributors/subsidiary-authors/author"),
                       ("author_en", "contributors/translated-authors/author")):
        people = get(path)
        if kind == "thesis" and role == "editor":
            continue
        for value in people:
            for name in split_names(value):
                b.person(role, name)
    for value in get("dates/year"):
        b.add("year", value)
    for value in get("dates/pub-dates/date"):
        if re.match(r"^\d{4}\D\d", value):
            b.add("date", value)  # only a full date: EndNote writes "June" or the year alone here too
    for value in get("access-date"):
        b.add("urldate", value)
    pages = get("pages")
    for value in pages if kind not in ("book", "thesis") else []:  # a book's or thesis's number of pages
        b.add("pages", value)
    for value in get("volume"):
        b.add("number" if kind == "standard" else "volume", value)
    for value in get("number") + get("issue"):
        if kind in ("report", "patent", "standard"):
            b.add("number", value)
        elif kind in ("article", "magazine", "newspaper", "chapter", "conference"):
            b.add("issue", value)
    for value in get("isbn"):
        b.add("issn" if kind in ("article", "magazine", "newspaper") else "isbn", value)
    b.add_each(get, {"electronic-resource-num": "doi", "urls/related-urls/url": "url", "urls/web-urls/url": "url", "abstract": "abstract"})
    for value in get("keywords/keyword"):
        for keyword in split_list(value):
            b.add("keywords", keyword)
    b.add_each(get, {"language": "language", "publisher": "publisher", "pub-location": "place", "edition": "edition", "work-type": "degree"})
    used = {path.split("/")[0] for path in get.asked}
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag and tag not in used and tag not in _SILENT:
            b.skip(f"<{tag}>")
    return b.build()
