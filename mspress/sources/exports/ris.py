"""RIS (Zotero's, EndNote's, Mendeley's, many databases' export) → records, read by rispy.

Tags mean what Zotero's RIS translator makes them mean, per type: ``T2`` is the journal of an article, the book of
a chapter, the conference of a paper; ``SN`` an ISSN, ISBN, report or patent number; ``PB`` a university for a
thesis, an institution for a report. rispy reads the tags; records are cut here first, so that each keeps the
line it starts on and a record without its ``ER`` line (the last of a file cut short) is still read.
"""
from __future__ import annotations

import re
from typing import Any

import rispy  # type: ignore[import-untyped]

from mspress.sources.exports.record import MAX_RECORDS, Asked, Record, RecordBuilder
from mspress.sources.exports.refer import split_names

TYPES = {
    "JOUR": "article", "EJOUR": "article", "JFULL": "article", "ABST": "article", "INPR": "article", "SER": "book",
    "MGZN": "magazine", "NEWS": "newspaper", "BOOK": "book", "EBOOK": "book", "EDBOOK": "book", "CLSWK": "book",
    "ANCIENT": "book", "PAMP": "book", "CHAP": "chapter", "ECHAP": "chapter", "DICT": "chapter", "ENCYC": "chapter",
    "CONF": "conference", "CPAPER": "conference", "THES": "thesis", "RPRT": "report", "GOVDOC": "report",
    "PAT": "patent", "STAND": "standard", "ELEC": "webpage", "WEB": "webpage", "BLOG": "webpage", "ICOMM": "webpage",
    "DATA": "dataset", "DBASE": "dataset", "AGGR": "dataset", "COMP": "software",
}
"""RIS types (the specification's and Zotero's) → record kinds; any other is ``generic``."""

_LIST_TAGS = ["AU", "A1", "A2", "A3", "A4", "ED", "TA", "KW", "UR", "N1", "SP", "EP", "SN", "L1", "L2", "L4"]
_KNOWN = {tag: tag for tag in [*rispy.TAG_KEY_MAPPING, "ED", "BT", "CT", "M2", "SV", "C1", "C2", "C3", "C4", "C5", "C6", "UK"]}
"""rispy's tag names replaced by the tags themselves: the mapping below reads tags, as RIS's documentation names them."""
_SILENT = frozenset("ER ID DP DB AN CN LB AD CA L1 L2 L4 N1 M2 ST NV RN RP OP RI SE SV C4 C5 C6 C7 C8 Y3".split())
"""Tags with nothing GB/T 7714 prints (database, call number, attachments, notes, short title): left out silently."""
_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]) {1,2}-(?: |$)")
_START = re.compile(r"^\ufeff?\s{0,3}TY {1,2}-")


def sniff(text: str) -> bool:
    """RIS when one of the first few non-blank lines starts a record (``TY  - JOUR``)."""
    seen = 0
    for line in text.split("\n", 200)[:200]:
        if not line.strip():
            continue
        if _START.match(line):
            return True
        seen += 1
        if seen > 4:
            return False
    return False


def parse(text: str) -> list[Record]:
    records = []
    for line, chunk in _chunks(text.split("\n")):
        parsed = rispy.loads("\n".join([*_tagged_lines(chunk), "ER  - "]), mapping=_KNOWN, list_tags=_LIST_TAGS, enforce_list_tags=False,
                             skip_unknown_tags=False)
        if parsed:
            records.append(_record(line, parsed[0]))
        if len(records) >= MAX_RECORDS:
            break
    return records


def _tagged_lines(chunk: list[str]) -> list[str]:
    """Every line starting with its tag: a wrapped value's next lines joined to it here (rispy would make a repeated
    tag's continuation a value of its own, or fail on it); two spaces before the hyphen, as rispy wants (some exporters
    write one, and Zotero reads both)."""
    lines: list[str] = []
    for row in chunk:
        row = row.lstrip("\ufeff")
        if not row.strip():
            continue
        if lines and not _TAG_LINE.match(row):
            lines[-1] = f"{lines[-1].rstrip()} {row.strip()}"
        else:
            lines.append(_TAG_LINE.sub(lambda m: f"{m.group(1)}  - ", row))
    return lines


def _chunks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """(first line, lines) of each record: from its ``TY`` line to its ``ER`` line, the next ``TY`` or the end."""
    chunks: list[tuple[int, list[str]]] = []
    current: tuple[int, list[str]] | None = None
    for number, line in enumerate(lines, 1):
        if _START.match(line):
            if current is not None:
                chunks.append(current)
            current = (number, [line.strip()])
        elif current is not None:
            if line.startswith("ER  -") or line.startswith("ER -") or line.rstrip() == "ER":
                chunks.append(current)
                current = None
            else:
                current[1].append(line)
    if current is not None:
        chunks.append(current)
    return chunks


def _values(entry: dict[str, Any], tag: str) -> list[str]:
    value = entry.get(tag)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _record(line: int, entry: dict[str, Any]) -> Record:
    get = Asked(lambda tag: _values(entry, tag))  # every tag read goes through it: the others are reported unread
    written = " ".join(get("TY")).strip().upper() or "GEN"
    kind = TYPES.get(written, "generic")
    b = RecordBuilder(line, written, kind)

    for tag in ("TI", "T1", "CT"):
        for value in get(tag)[:1]:
            if not b.has("title"):
                b.add("title", value)
    book_title = get("BT")
    if not b.has("title") and kind == "book":
        b.add("title", " ".join(book_title[:1]))
    for value in get("TT"):
        b.add("title_en", value)
    # T2: the host (journal, book, proceedings) — but a conference paper's T2 is the conference, a report's or a
    # book's the series (Zotero's fieldMap); C3 is a conference paper's proceedings title.
    host, proceedings = get("T2"), get("C3")
    if kind == "conference":
        for value in host:
            b.add("event", value)
        for value in proceedings or book_title:
            b.add("container", value)
    elif kind in ("report", "book", "software"):
        for value in host:
            b.add("series", value)
    else:
        for value in host or book_title:
            b.add("container", value)
    for tag in ("JF", "JO"):
        for value in get(tag):
            b.add("container_short" if b.has("container") else "container", value)
    for tag in ("J2", "JA"):
        for value in get(tag):
            b.add("container_short", value)
    for value in get("T3"):
        b.add("series", value)
    # People (Zotero's RIS: A2 editors, A3 a book's editors, A4 translators; PB a patent's assignee). A thesis's A2
    # and A3 are its supervisors (Zotero's contributor, EndNote's advisor), which GB/T 7714 does not print.
    secondary, tertiary, subsidiary = get("A2"), get("A3"), get("A4")
    for role, values in (("author", get("AU") + get("A1")), ("editor", get("ED")), ("author_en", get("TA")),
                         ("editor", secondary if kind not in ("patent", "book", "thesis") else []),
                         ("editor", tertiary if kind == "book" else []),
                         ("translator", subsidiary if kind not in ("conference", "thesis") else [])):
        for value in values:
            for name in split_names(value):  # CNKI and some exporters write 张三;李四 in one AU
                b.person(role, name)
    # Dates: PY the year, DA the full date, Y2 the day it was accessed (Zotero), C2 a patent's issue date
    for value in get("PY") + get("Y1"):
        b.add("year", value)
    issued = get("C2")
    for value in get("DA") + (issued if kind == "patent" else []):
        b.add("date", value)
    for value in get("Y2"):
        b.add("urldate", value)
    # Numbers
    volume = get("VL")
    for value in volume if kind != "patent" else []:
        b.add("volume", value)
    for value in get("IS"):
        b.add("number" if kind in ("report", "patent", "standard") else "issue", value)
    pages, ends = get("SP"), get("EP")
    if kind in ("book", "thesis"):
        pages = []  # Zotero writes the number of pages there
    for value in pages:
        b.add("start_page", value)
    for value in ends if pages else []:
        b.add("end_page", value)
    for value in get("SN"):
        if kind in ("article", "magazine", "newspaper"):
            b.add("issn", value)
        elif kind in ("patent", "report", "standard"):
            b.add("number", value)
        else:
            b.add("isbn", value)
    for value in get("M1"):
        if kind == "patent":
            b.add("application_number", value)
        elif kind in ("report", "standard") and not b.has("number"):
            b.add("number", value)
    b.add_each(get, {"M3": "degree", "DO": "doi", "UR": "url", "AB": "abstract", "N2": "abstract", "KW": "keywords", "LA": "language",
                     "PB": "publisher"})
    venue = get("C1")
    for value in get("CY") + (venue if kind == "conference" else []):
        b.add("place", value)
    for value in get("ET"):
        b.add("edition", value)
    for tag in entry:
        if tag not in get.asked and tag not in _SILENT and tag != "UK":
            b.skip(tag)
    for tag in entry.get("UK", {}):
        if isinstance(tag, str) and tag not in _SILENT:
            b.skip(tag)
    return b.build()
