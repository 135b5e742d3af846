"""``references/*.bib`` → ``{key: Reference}``; syntax errors name the file and line."""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from bibtexparser import model as bibmodel
from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares import ResolveStringReferencesMiddleware

from mspress.errors import Diagnostic, Location, Severity, relative_to
from mspress.model import Reference
from mspress.sources.csljson import CREATORS_IN_PLACE_OF_AUTHOR, ROLES, TYPES, bibtex_names, entry_type_and_fields, note_lines, parse_csl_json, refines_date
from mspress.sources.files import read_text, stamp
from mspress.sources.latex import decode
from mspress.sources.names import NAME_FIELDS, parse_names
from mspress.sources.placeholders import is_placeholder

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

LIBRARY_SUFFIXES = (".bib", ".json")
"""BibTeX/BibLaTeX and CSL-JSON files."""
_ENTRY_KEY = re.compile(r"\s*@\w+\s*[{(]\s*([^,\s]+)\s*,")
_ASCII_SPACE = re.compile(r"[ \t\r\n]+")  # an em space from \quad is content, not layout


@dataclass(frozen=True, slots=True)
class Library:
    references: dict[str, Reference]
    problems: tuple[Diagnostic, ...]
    """Malformed entries and duplicate keys; the rest of the library still loads."""
    broken_keys: frozenset[str]
    """Keys of malformed entries (so citing them is not reported a second time)."""


@dataclass(slots=True)
class LibraryCache:
    """The library a warm process (``preview``) loaded last, read again only when a file's time or size changes."""

    signature: tuple[tuple[str, int, int], ...] | None = None
    library: Library | None = None


def load_library(root: Path, cache: LibraryCache | None = None) -> Library:
    """Every ``references/*.bib`` (BibTeX, BibLaTeX) and ``references/*.json`` (CSL-JSON) file."""
    folder = root / "references"
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in LIBRARY_SUFFIXES) if folder.is_dir() else []
    if cache is not None:
        signature = tuple((p.name, *stamp(p)) for p in files)
        if cache.library is None or cache.signature != signature:
            cache.library, cache.signature = load_library(root), signature
        return cache.library
    references: dict[str, Reference] = {}
    problems: list[Diagnostic] = []
    broken: set[str] = set()
    for path in files:
        load_file(path, root, references, problems, broken)
    link_entries(references, problems)
    return Library(references, tuple(problems), frozenset(broken))


def load_file(path: Path, root: Path, into: dict[str, Reference], problems: list[Diagnostic], broken: set[str]) -> None:
    text = read_text(path, root)
    if path.suffix.lower() == ".json":
        parse_csl_json(text, relative_to(path, root), into, problems)
    else:
        parse_bibtex(text, relative_to(path, root), into, problems, broken)


def parse_bibtex(text: str, path: Path, into: dict[str, Reference], problems: list[Diagnostic], broken: set[str] | None = None) -> None:
    """Parse one file into ``into``; malformed entries go to ``problems`` and their keys to ``broken``."""
    broken = set() if broken is None else broken
    # @string macros resolved by bibtexparser; enclosing braces and quotes we strip ourselves (faster).
    library = parse_string(text, parse_stack=[ResolveStringReferencesMiddleware(allow_inplace_modification=True)])
    for entry in library.entries:
        location = Location(path, (entry.start_line or 0) + 1)
        if entry.key in into:
            problems.extend(_duplicate(entry.key, location, into[entry.key].location))
            continue
        into[entry.key] = to_reference(entry, location)
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, bibmodel.DuplicateBlockKeyBlock):
            first = into.get(block.key)
            problems.extend(_duplicate(block.key, Location(path, line), first.location if first else None))
        else:
            error = getattr(block, "error", None)
            reason = " ".join(str(getattr(error, "abort_reason", "") or error or "").split())
            key = _ENTRY_KEY.match(block.raw or "")
            name = f" {key.group(1)!r}" if key else ""
            if key:
                broken.add(key.group(1))
            detail = f": {reason}" if reason else ""
            problems.append(Diagnostic("bib-syntax", Severity.ERROR,
                                       f"malformed BibTeX entry{name}{detail}; check braces, quotes and commas", Location(path, line)))


def _duplicate(key: str, second: Location, first: Location | None) -> list[Diagnostic]:
    """One diagnostic at each definition, each naming the other."""
    if first is None:
        return [Diagnostic("duplicate-key", Severity.ERROR, f"duplicate citation key {key!r}: rename or delete one entry", second)]
    return [Diagnostic("duplicate-key", Severity.ERROR, f"citation key {key!r} is defined again at {second}: rename or delete one entry", first),
            Diagnostic("duplicate-key", Severity.ERROR, f"duplicate citation key {key!r} (first defined at {first}): rename or delete one entry", second)]


class DecodedFields(Mapping[str, str]):
    """Field values decoded from LaTeX when first read: most fields of a large library are never printed."""

    __slots__ = ("_raw", "_done")

    def __init__(self, raw: dict[str, str]) -> None:
        self._raw = {k: v for k, v in raw.items() if k not in NAME_FIELDS}
        self._done: dict[str, str] = {}

    def __getitem__(self, key: str) -> str:
        value = self._done.get(key)
        if value is None:
            value = self._done[key] = _ASCII_SPACE.sub(" ", decode(self._raw[key])).strip()
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def __contains__(self, key: object) -> bool:
        return key in self._raw

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        """Without the KeyError ``Mapping.get`` pays for every absent field (most are)."""
        return self[key] if key in self._raw else default


def _unenclose(value: str) -> str:
    """``{text}`` or ``"text"`` → ``text`` (only when the outer pair encloses the whole value)."""
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        return value[1:-1]
    if len(value) >= 2 and value[0] == "{" and value[-1] == "}":
        inner = value[1:-1]
        if "}" not in inner:
            return inner
        depth = 0
        for brace in _BRACE.finditer(value):  # only the braces, not every character
            depth += 1 if brace.group() == "{" else -1
            if depth == 0 and brace.start() < len(value) - 1:
                return value
        return inner
    return value


_BRACE = re.compile(r"(?<!\\)[{}]")


def to_reference(entry: bibmodel.Entry, location: Location) -> Reference:
    raw = {f.key.lower(): _unenclose(str(f.value).strip()) for f in entry.fields}
    lines = {f.key.lower(): (f.start_line or 0) + 1 for f in entry.fields}
    return reference_from_raw(entry.key, entry.entry_type.lower(), raw, location, lines)


_ALIASES = {"trydate": "urldate", "citedate": "urldate", "modifydate": "date",
            "journal-iso": "shortjournal"}
"""Fields that EndNote-to-BibTeX conversions (CNKI's among them) and the old gbt7714 styles write for BibLaTeX's."""
_TIME = re.compile(r"T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")


_ESCAPED_TAG = re.compile(r'\{\\textless\}(?:(span class="nocase")|(/span)|/?[a-z]+(?: [^{}]*)?)\{\\textgreater\}')
_CSL_TYPE_OF = {bibtex: csl for csl, bibtex in reversed(TYPES.items())}
"""A BibTeX type's CSL type (the first CSL type that maps to it), for reading a note's lines as CSL variables."""


def _with_note_lines(entry_type: str, raw: dict[str, str]) -> str:
    """Zotero's "Extra" lines, which its BibTeX export writes into ``note``, read as in CSL-JSON: they fill the fields
    the entry lacks (``Pages: 288``, ``Archive Place: 北京``), ``type:`` and ``tex.entrytype:`` set the type, other
    ``tex.`` lines give a field outright. The entry's type, possibly changed, is returned; ``raw`` is filled."""
    lines = note_lines(decode(raw["note"]))
    if not (lines.variables or lines.people or lines.type or lines.tex):
        return entry_type
    item = {"type": lines.type or _CSL_TYPE_OF.get(entry_type, "document"), **lines.variables}
    kind, fields = entry_type_and_fields(item)
    for name, value in fields.items():
        if name in ("date", "year") and refines_date(value, raw.get("date") or raw.get("year") or ""):
            raw.pop("year", None)  # the note refines the date: issued: 1984/.. (still running), 1887（光绪十三年…）
            raw[name] = value
        raw.setdefault(name, value)
    for role, people in lines.people.items():
        target = ROLES.get(role) or ("author" if role in CREATORS_IN_PLACE_OF_AUTHOR else None)
        if target and target not in raw:
            raw[target] = bibtex_names(people)
    tex = dict(lines.tex)
    kind = tex.pop("entrytype", kind if lines.type else entry_type).lower()
    raw.update({name: value for name, value in tex.items() if value})
    return kind


def reference_from_raw(key: str, entry_type: str, raw: dict[str, str], location: Location, lines: Mapping[str, int],
                       members: tuple[Reference, ...] = (), placeholders_before: Mapping[str, str] | None = None) -> Reference:
    """A BibTeX entry's fields as a ``Reference``; values that stand for nothing are set aside, not printed
    (``placeholders_before``: those already set aside when the entry was first read)."""
    for name, value in raw.items():
        if "textless" in value:  # Zotero's escaped <span class="nocase">…</span>: protected text, in braces
            raw[name] = _ESCAPED_TAG.sub(lambda m: "{" if m.group(1) else ("}" if m.group(2) else ""), value)
    if ":" in raw.get("note", ""):
        entry_type = _with_note_lines(entry_type, raw)
    placeholders = {name: value for name, value in raw.items() if is_placeholder(name, value)}
    raw = {name: value for name, value in raw.items() if name not in placeholders}
    for alias, field in _ALIASES.items():
        if raw.get(alias) and not raw.get(field):
            raw[field] = raw[alias]
    if raw.get("placepublished") and raw.get("publisher"):  # without a publisher it is where a meeting was held
        raw.setdefault("address", raw["placepublished"])
    if "secondarytitle" in raw:
        raw.setdefault("journal" if entry_type == "article" else "booktitle", raw["secondarytitle"])
    for name in ("date", "urldate"):
        if name in raw:
            raw[name] = _TIME.sub("", raw[name])  # 2016-01-01T00:00:00 → 2016-01-01
    names = {k: parse_names(raw[k]) for k in NAME_FIELDS if raw.get(k)}
    placeholders = {**(placeholders_before or {}), **placeholders}
    return Reference(key, entry_type, DecodedFields(raw), names, location, raw, "bibtex", lines, placeholders, members)


# --- entries built from others: crossref, xdata, @set ------------------------------------------------------
_INHERITED_AS = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon"}
"""BibLaTeX's inheritance: a chapter's or paper's parent gives its title as the child's ``booktitle``."""
_CONTAINED = {"inbook", "incollection", "inproceedings", "inreference", "bookinbook", "suppbook", "suppcollection", "conference"}
_NOT_INHERITED = {"ids", "crossref", "xref", "xdata", "entryset", "label", "shorthand", "sortkey", "sortname", "options", "keywords",
                  "abstract", "file", "note", "annote", "annotation"}


def link_entries(references: dict[str, Reference], problems: list[Diagnostic]) -> None:
    """Fill each entry's missing fields from its ``crossref``/``xdata`` parents (their own parents' too, whatever the
    order of the entries), then give each ``@set`` its members.

    A missing parent or member, a loop, an empty set or one that contains itself is an error at the field's line;
    the entry keeps its own fields.
    """
    written = dict(references)  # parents as written: the result does not depend on which entry comes first
    for key, ref in written.items():
        links = _links(ref)
        if ref.source_format != "bibtex" or not links:
            continue
        raw = dict(ref.raw_fields)
        for name, parent_key in links:
            inherited = _inherited(written, parent_key, [key])
            if isinstance(inherited, str):
                problems.append(Diagnostic("unknown-crossref", Severity.ERROR, f"{key!r}: {name} {inherited}", ref.field_location(name)))
                continue
            contained = name == "crossref" and ref.entry_type in _CONTAINED
            for field, value in inherited.items():
                target = _INHERITED_AS.get(field, field) if contained else field
                if field == "author" and contained and "author" in raw:
                    target = "bookauthor"
                raw.setdefault(target, value)
        references[key] = reference_from_raw(key, ref.entry_type, raw, ref.location, ref.lines, placeholders_before=ref.placeholders)
    for key, ref in written.items():
        if ref.entry_type != "set" or ref.source_format != "bibtex":
            continue
        members = [m.strip() for m in ref.raw_fields.get("entryset", "").split(",") if m.strip()]
        found = [references[m] for m in members if m in references and m != key]
        for member in members:
            if member == key or member not in references:
                why = "names the set itself" if member == key else f"names {member!r}, which is not in the library"
                problems.append(Diagnostic("unknown-crossref", Severity.ERROR, f"{key!r}: entryset {why}: list the entries the set "
                                           "prints", ref.field_location("entryset")))
        if not members:
            problems.append(Diagnostic("unknown-crossref", Severity.ERROR, f"{key!r}: a @set needs entryset = {{key1, key2}}",
                                       ref.location))
        references[key] = reference_from_raw(key, ref.entry_type, dict(ref.raw_fields), ref.location, ref.lines, tuple(found),
                                             ref.placeholders)


def _links(ref: Reference) -> list[tuple[str, str]]:
    """``(field, key)`` of each parent an entry names in ``xdata`` (first) and ``crossref``."""
    return [(name, value.strip()) for name in ("xdata", "crossref") for value in ref.raw_fields.get(name, "").split(",")
            if value.strip()]


def _inherited(written: dict[str, Reference], key: str, path: list[str]) -> dict[str, str] | str:
    """The fields a parent passes on, its own parents' included; or why it passes none (missing, a loop)."""
    parent = written.get(key)
    if parent is None:
        return f"names {key!r}, which is not in the library: add that entry or remove the field"
    if key in path:
        return f"makes a loop ({' → '.join([*path[path.index(key):], key])}): remove one of the links"
    fields = {k: v for k, v in parent.raw_fields.items() if k not in _NOT_INHERITED}
    for _, grand in _links(parent):
        inherited = _inherited(written, grand, [*path, key])
        if isinstance(inherited, str):
            return inherited
        for field, value in inherited.items():
            fields.setdefault(field, value)
    return fields
