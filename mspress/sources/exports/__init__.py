"""Reference-manager exports → entries for a BibTeX library: RIS (Zotero, EndNote, CNKI), EndNote XML, NoteExpress
(CNKI, Wanfang), EndNote's tagged text (CNKI's "EndNote" export) and, failing those, a typed GB/T 7714 list (CNKI's
"GB/T 7714" export, a manuscript's list) read by the typed-reference reader.

The format is told by the content, not the file's name (CNKI names every export ``.txt``); the encoding likewise
(UTF-8 with or without a byte-order mark, UTF-16 as EndNote writes it on Windows, GB18030 as older CNKI and
NoteExpress do). Bytes in, ``Export`` out: no file is read here.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace
from pathlib import Path

from mspress.errors import InputUnreadable, Location
from mspress.model import Reference
from mspress.sources.exports import endnote_xml, noteexpress, refer, ris
from mspress.sources.exports.mapping import ImportedEntry, to_entry, unproxied
from mspress.sources.exports.record import Record

MAX_EXPORT_BYTES = 64 * 1024 * 1024
"""The largest export read: a library of 20 000 references with abstracts in EndNote XML is about 60 MB."""
LOW_CONFIDENCE = 0.75
"""A typed entry read with less confidence than this is reported, as ``refs --from-text`` does."""

RIS, ENDNOTE_XML, NOTEEXPRESS, ENDNOTE_TEXT, TYPED = "RIS", "EndNote XML", "NoteExpress", "EndNote text", "GB/T 7714 list"


@dataclass(frozen=True, slots=True)
class Export:
    """An export, read."""

    format: str
    """One of ``RIS``, ``ENDNOTE_XML``, ``NOTEEXPRESS``, ``ENDNOTE_TEXT``, ``TYPED``."""
    encoding: str
    entries: tuple[ImportedEntry, ...]
    unread: tuple[str, ...]
    """Tags no reader knows, in the order first met (their values are left out)."""


def read_export(data: bytes, shown: Path) -> Export:
    """The export's entries, in file order; an export that cannot be used at all is an ``InputUnreadable``."""
    text, encoding = decode(data, shown)
    if not text.strip():
        raise InputUnreadable(Location(shown), "the file is empty: export the references again", "export-empty")
    records: list[Record]
    if endnote_xml.sniff(text):
        name, records = ENDNOTE_XML, endnote_xml.parse(text, str(shown))
    elif ris.sniff(text):
        name, records = RIS, ris.parse(text)
    elif noteexpress.sniff(text):
        name, records = NOTEEXPRESS, noteexpress.parse(text)
    elif refer.sniff(text):
        name, records = ENDNOTE_TEXT, refer.parse(text)
    else:
        _not_another_format(text, shown)
        return Export(TYPED, encoding, tuple(_typed(text, shown)), ())
    entries = tuple(to_entry(record, Location(shown, record.line)) for record in records)
    if not entries:
        raise InputUnreadable(Location(shown), f"no references in this {name} file: export them again", "export-empty")
    unread: list[str] = []
    for record in records:
        unread.extend(tag for tag in record.unread if tag not in unread)
    return Export(name, encoding, entries, tuple(unread))


def decode(data: bytes, shown: Path) -> tuple[str, str]:
    """The text and the encoding it was in; newlines made ``\\n``."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif b"\x00" in data[:4096]:
        # UTF-16 without a byte-order mark: the zero byte of each ASCII character falls on one side
        sample = data[:4096]
        candidates = ["utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break  # a binary file that happens to decode
        return text.replace("\r\n", "\n").replace("\r", "\n"), encoding.removesuffix("-sig")
    raise InputUnreadable(Location(shown), "not a text file in UTF-8, UTF-16 or GB18030: export the references again as "
                          "text (RIS, EndNote XML, NoteExpress, EndNote) and save it as UTF-8", "export-unreadable")


_FORMATS_HINT = ("give a RIS (TY  - …), EndNote XML, NoteExpress ({Reference Type}: …) or EndNote text (%0 …) export, or a "
                 "GB/T 7714 list ([1] 作者. 题名[J]. 刊名, 年, 卷(期): 页码.)")


def _not_another_format(text: str, shown: Path) -> None:
    """Files that are none of the exports: what they are, and what to do."""
    head = text.lstrip("\ufeff \t\n")[:2000]
    if re.match(r"@\w+\s*[{(]", head):
        raise InputUnreadable(Location(shown), "this is a BibTeX file: copy it into the project's references/ folder as it is "
                              "(mspress reads every .bib there)", "export-format")
    if head.startswith(("[", "{")) and re.search(r'"(type|title|author|id)"\s*:', head):
        raise InputUnreadable(Location(shown), "this is a CSL-JSON file: copy it into the project's references/ folder as it is "
                              "(mspress reads every .json there)", "export-format")
    if head.startswith("<"):
        raise InputUnreadable(Location(shown), f"an XML or HTML file that is not an EndNote XML export: {_FORMATS_HINT}",
                              "export-format")


def _typed(text: str, shown: Path) -> list[ImportedEntry]:
    """A typed reference list, read as ``refs --from-text`` reads one: the list after a 参考文献 heading if there is one,
    else one entry per ``[n]``/``n.`` label or per line."""
    from mspress.checks.editor import find_list
    from mspress.sources.editor_files import Line
    from mspress.sources.typed_references import parse_entries, split_list

    lines = [Line(number, line) for number, line in enumerate(text.split("\n"), 1)]
    items = [(entry.location.line, entry.text) for entry in find_list(lines, shown).entries or ()] or split_list(text)
    parsed = parse_entries((entry, f"entry{n}", Location(shown, line)) for n, (line, entry) in enumerate(items[:20_000], 1))
    typed = [p for p in parsed if p.type_code]
    if not parsed or len(typed) * 2 < len(parsed):
        raise InputUnreadable(Location(shown), f"not a reference export mspress reads: {_FORMATS_HINT}", "export-format")
    entries = []
    for entry in parsed:
        notes = []
        if entry.unparsed or entry.confidence < LOW_CONFIDENCE:
            pieces = "; ".join(f"“{_short(piece)}”" for piece in entry.unparsed[:5])
            notes.append(f"it was not fully parsed (confidence {entry.confidence:.2f}; "
                         + (f"not read: {pieces})" if pieces else "read mostly by guessing)"))
        entries.append(ImportedEntry(_unproxied(entry.reference), entry.reference.location.line, entry.type_code or "", tuple(notes)))
    return entries


def _unproxied(ref: Reference) -> Reference:
    """A typed entry whose URL is a library proxy's login link, with the page it leads to instead (a DOI link to the
    entry's DOI is left out, as for the other formats)."""
    url = ref.fields.get("url", "")
    target = unproxied(url)
    if target == url:
        return ref
    fields, raw = dict(ref.fields), dict(ref.raw_fields)
    doi = re.match(r"(?i)https?://(?:dx\.)?doi\.org/(10\.\d{3,9}/\S+)$", target)
    if doi and not fields.get("doi"):
        fields["doi"] = raw["doi"] = doi.group(1)
    if fields.get("doi") and target.lower().endswith(fields["doi"].lower()):
        fields.pop("url")
        raw.pop("url", None)
    else:
        fields["url"] = raw["url"] = target
    return replace(ref, fields=fields, raw_fields=raw)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
