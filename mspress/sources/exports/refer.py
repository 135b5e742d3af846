"""EndNote's tagged text (``%0 Journal Article``, ``%A 张三``…, the "Refer/BibIX" format) → records, as CNKI writes it.

CNKI's "EndNote" export puts several names in one ``%A`` (``张三;李四``), the degree in ``%9`` (博士/硕士), the
university in ``%J`` or ``%I``, a standard's number in ``%V``, the standard's kind or 年鉴 in ``%~``, a patent's
number in ``%@``, the DOI in ``%R`` and the page count in a first ``%P`` before the pages; a line without a tag
continues the value above it.
"""
from __future__ import annotations

import re

from mspress.sources.exports.record import MAX_RECORDS, Asked, Record, RecordBuilder, tagged
from mspress.text import has_han

TYPES = {
    "journal article": "article", "electronic article": "article", "magazine article": "magazine",
    "newspaper article": "newspaper", "book": "book", "edited book": "book", "electronic book": "book",
    "book section": "chapter", "electronic book section": "chapter", "encyclopedia": "chapter", "dictionary": "chapter",
    "conference paper": "conference", "conference proceedings": "conference", "thesis": "thesis", "dissertation": "thesis",
    "report": "report", "government document": "report", "patent": "patent", "standard": "standard", "web page": "webpage",
    "blog": "webpage", "dataset": "dataset", "computer program": "software",
}
"""EndNote's (and NoteExpress's, which shares them) type names → record kinds; any other is ``generic``."""

_TAG = re.compile(r"^%(\S)(?: (.*))?$")
_START = re.compile(r"^\ufeff?\s{0,3}%0 \S")
_SILENT = frozenset("+WLMFZ>(<)*=$#^!&1234567")
"""Affiliations, database, call and accession numbers, notes, labels, links to files: nothing GB/T 7714 prints."""


def sniff(text: str) -> bool:
    first = next((line for line in text.split("\n", 50)[:50] if line.strip()), "")
    return bool(_START.match(first))


def kind_of(written: str, subtype: str = "") -> str:
    """The record kind of an EndNote/NoteExpress type name; CNKI files standards and yearbook tables under "Legal
    Rule or Regulation" or "Standard" and says which in ``%~``/``{SrcDatabase}``."""
    kind = TYPES.get(written.strip().lower(), "generic")
    if re.search(r"标准", subtype):
        return "standard"
    if re.search(r"年鉴|年鑑", subtype):
        return "chapter"
    if re.search(r"科技成果", subtype):
        return "report"
    return kind


def parse(text: str) -> list[Record]:
    records: list[Record] = []
    fields: list[tuple[str, str]] = []
    start = 0
    for number, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r").lstrip("\ufeff")
        m = _TAG.match(line)
        if m and m.group(1) == "0":
            if fields:
                records.append(_record(start, fields))
                if len(records) >= MAX_RECORDS:
                    return records
            fields, start = [("0", m.group(2) or "")], number
        elif not fields:
            continue  # text before the first record
        elif m:
            fields.append((m.group(1), m.group(2) or ""))
        elif line.strip():
            tag, value = fields[-1]
            fields[-1] = (tag, f"{value}\n{line.strip()}")  # a value continued on the next line
    if fields:
        records.append(_record(start, fields))
    return records


def split_list(value: str) -> list[str]:
    """``张三;李四;``, ``a;;b``: the values CNKI writes in one field."""
    return [part.strip() for part in re.split(r"[;；]+", value) if part.strip()]


_HAN_LIST = re.compile(r"(?<=[\u3400-\u9fff])(?:[，、]|,(?=\S))\s*(?=[\u3400-\u9fff])")
"""A comma or 、 between two Chinese names (an ASCII comma followed by a blank is Zotero's 张, 三: one name)."""


def split_names(value: str) -> list[str]:
    """The names written in one field: ``张三;李四;``, ``Smith, John; Doe, Jane``, ``张三，李四``, ``张三、李四``."""
    names: list[str] = []
    for part in split_list(value):
        names.extend(p.strip() for p in _HAN_LIST.split(part) if p.strip())
    return names


def _record(line: int, fields: list[tuple[str, str]]) -> Record:
    tags = tagged(fields)
    get = Asked(lambda tag: tags.get(tag, []))  # every tag read goes through it: the others are reported unread
    written = (get("0") or ["Generic"])[0]
    kind = kind_of(written, " ".join(get("~")))
    b = RecordBuilder(line, written, kind)

    for value in get("T")[:1]:
        b.add("title", value)
    for value in get("Q"):
        b.add("title_en", value)
    for value in get("A"):
        for name in split_names(value):
            b.person("author", name)
    for value in get("H"):
        for name in split_names(value):
            b.person("author_en", name)
    editors = get("E")  # a thesis's %E is its advisor (EndNote's Thesis type), which GB/T 7714 does not print
    for value in editors if kind != "thesis" else []:
        for name in split_names(value):
            b.person("editor", name)
    for value in get("?"):  # EndNote: translators; CNKI: a conference's organiser
        if kind == "conference":
            b.add("organization", value)
        else:
            for name in split_names(value):
                b.person("translator", name)
    get("Y")  # a thesis's supervisors (CNKI), a series editor (EndNote): neither is printed by GB/T 7714
    hosts = get("J") + get("B")
    if kind == "thesis":
        for value in get("I") + hosts:
            b.add("publisher", value)  # the university, in %I or %J
    else:
        for value in hosts:
            b.add("event" if kind == "conference" and b.has("container") else "container", value)
        for value in get("I"):
            if kind == "newspaper" and b.has("container"):
                continue  # CNKI repeats the newspaper as its publisher
            joiner = "，" if has_han(value) else ", "
            b.add("publisher", joiner.join(split_list(value)))  # a standard's issuing bodies, in one field
    b.add_each(get, {"S": "series", "C": "place", "D": "year", "8": "date"})
    for value in get("V"):
        b.add("number" if kind == "standard" else "volume", value)
    for value in get("N"):
        b.add("number" if kind in ("report", "patent") else "issue", value)
    pages = get("P")
    ranges = [p for p in pages if re.search(r"\d\s*[-~–+,]\s*\d", p)]
    for value in (ranges or pages)[:1] if kind not in ("standard", "book", "thesis") else []:
        b.add("pages", value)  # CNKI gives a conference paper's page count first, then its pages
    for value in get("@"):
        if kind == "patent":
            b.add("number", value)
        elif kind in ("article", "magazine", "newspaper"):
            b.add("issn", value)
        else:
            b.add("isbn", value)
    for value in get("R") + [v for v in get("O") if re.match(r"(?i)(doi:?\s*)?10\.\d{4,9}/", v)]:
        b.add("doi", value)
    b.add_each(get, {"U": "url", "X": "abstract"})
    for value in get("K"):
        for keyword in split_list(value.replace("\n", ";")):
            b.add("keywords", keyword)
    b.add_each(get, {"G": "language", "9": "degree", "7": "edition", "~": "source_database"})
    for tag in tags:
        if tag not in get.asked and tag not in _SILENT:
            b.skip(f"%{tag}")
    return b.build()
