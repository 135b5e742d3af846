"""What a reference-manager export holds, whatever its format: records whose values are named in one vocabulary.

Each format's reader (RIS, EndNote XML, NoteExpress, EndNote/Refer text) turns its tags into these names, once,
knowing what the tag means for the record's type (RIS ``T2`` is a journal for an article, a conference for a
paper); ``mapping`` turns a record into BibTeX fields. Values are kept as the export gives them, trimmed.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

KINDS = frozenset(("article", "magazine", "newspaper", "book", "chapter", "conference", "proceedings", "thesis", "report",
                   "patent", "standard", "webpage", "dataset", "software", "generic"))
"""The record types mspress tells apart; every format's type names map onto these."""

VALUES = frozenset((
    "title", "title_en", "container", "container_en", "container_short", "event", "series", "volume", "issue", "pages",
    "start_page", "end_page", "number", "application_number", "year", "date", "urldate", "publisher", "place", "edition",
    "isbn", "issn", "doi", "url", "abstract", "keywords", "language", "degree", "organization", "source_database"))
"""Value names: ``*_en`` is the English version of a Chinese record (Wanfang's "Translated Title"), ``degree`` a
thesis's degree or a report's type, ``source_database`` the database a record came from (CNKI's 年鉴, 国家标准)."""

ROLES = frozenset(("author", "author_en", "editor", "translator", "holder"))
"""People: ``author_en`` the authors' names in the English version, ``holder`` a patent's assignee."""

MAX_VALUE = 200_000
"""Characters kept of one value: an abstract is a few thousand; more is no reference data."""
MAX_VALUES = 5_000
"""Values kept of one field in one record (authors, keywords): a physics paper lists a few thousand authors."""
MAX_RECORDS = 100_000
"""Records read from one export: a large library holds tens of thousands."""


@dataclass(frozen=True, slots=True)
class Record:
    """One reference of an export."""

    line: int
    """1-based line of the file where the record starts."""
    kind: str
    """One of ``KINDS``."""
    written_type: str
    """The type as the export names it (``JOUR``, ``Journal Article``, ``Thesis``), for messages."""
    values: Mapping[str, tuple[str, ...]]
    """Value name (``VALUES``) → the values given, in file order."""
    people: Mapping[str, tuple[str, ...]]
    """Role (``ROLES``) → names as written (``Zhang, San``, ``张三``, ``Henry Fan Yeung``)."""
    unread: tuple[str, ...] = ()
    """Tags the reader does not know, as written (their values are left out)."""

    def first(self, name: str) -> str:
        found = self.values.get(name)
        return found[0] if found else ""


def tagged(fields: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """A record's values by tag (trimmed, empty ones dropped, in file order), for formats of ``tag: value`` lines."""
    tags: dict[str, list[str]] = {}
    for tag, value in fields:
        if value.strip():
            tags.setdefault(tag, []).append(value.strip())
    return tags


class Asked:
    """A record's values by tag, remembering every tag the reader asks for: the record's tags it never asked for are
    the ones it does not read (reported as left out), so that the list of read tags cannot drift from the reading.
    A tag read on purpose for nothing (a thesis's supervisors) is asked for all the same."""

    def __init__(self, lookup: Callable[[str], list[str]]) -> None:
        self._lookup = lookup
        self.asked: set[str] = set()

    def __call__(self, tag: str) -> list[str]:
        self.asked.add(tag)
        return self._lookup(tag)


@dataclass
class RecordBuilder:
    """Collects one record's values while a reader goes through its lines or elements."""

    line: int
    written_type: str
    kind: str
    values: dict[str, list[str]] = field(default_factory=dict)
    people: dict[str, list[str]] = field(default_factory=dict)
    unread: list[str] = field(default_factory=list)

    def add(self, name: str, value: str) -> None:
        value = value.strip()
        if not value:
            return
        assert name in VALUES, name  # a reader's mapping table names only known values
        found = self.values.setdefault(name, [])
        if len(found) < MAX_VALUES:
            found.append(value[:MAX_VALUE])

    def person(self, role: str, value: str) -> None:
        value = value.strip()
        if not value:
            return
        assert role in ROLES, role
        found = self.people.setdefault(role, [])
        if len(found) < MAX_VALUES:
            found.append(value[:1000])  # no name is longer; a longer one is a paragraph in the wrong field

    def add_each(self, get: Callable[[str], list[str]], table: Mapping[str, str]) -> None:
        """Every value of each tag under its value name (``{"DO": "doi"}``), in the table's order."""
        for tag, name in table.items():
            for value in get(tag):
                self.add(name, value)

    def has(self, name: str) -> bool:
        return bool(self.values.get(name))

    def first(self, name: str) -> str:
        found = self.values.get(name)
        return found[0] if found else ""

    def skip(self, tag: str) -> None:
        if tag not in self.unread and len(self.unread) < 100:
            self.unread.append(tag)

    def build(self) -> Record:
        return Record(self.line, self.kind, self.written_type, {k: tuple(v) for k, v in self.values.items() if v},
                      {k: tuple(v) for k, v in self.people.items() if v}, tuple(self.unread))
