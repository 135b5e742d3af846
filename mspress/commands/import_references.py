"""``mspress import FILE [--to DIR] [--force]`` for a reference-manager export: its entries written as
``DIR/references/<FILE's name>.bib``, with a report (on ``err``, ``path:line:col: warning: … [code]``) of every
entry that duplicates one of the project's library or an earlier one of the export, and of every entry that
could not be read whole. User mistakes are one ``path:line:col: error: …`` line and exit status 2."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from mspress.errors import Diagnostic, ExitCode, InputUnreadable, Location, ManuscriptError, Severity
from mspress.model import Reference
from mspress.sources.exports import MAX_EXPORT_BYTES, Export, read_export
from mspress.sources.exports.mapping import ImportedEntry

WARNING = Severity.WARNING


def import_references(source: Path, project: Path, replace: bool, out: Callable[[str], None], err: Callable[[str], None]) -> int:
    """Import ``source`` into ``project``'s references; ``replace``: overwrite ``references/<name>.bib``."""
    try:
        return _import(source, project, replace, out, err)
    except ManuscriptError as exc:
        for line in str(exc).splitlines():
            err(line)
        return exc.exit_code


def _import(source: Path, project: Path, overwrite: bool, out: Callable[[str], None], err: Callable[[str], None]) -> int:
    from mspress.sources.files import read_regular
    from mspress.writers.output import write_atomic

    if not project.is_dir():
        raise InputUnreadable(Location(project), "no such folder: give --to the folder of an mspress project (it must exist)",
                              "no-project")
    name = Path("references") / f"{source.stem}.bib"
    target = project / name
    try:
        inside = target.parent.resolve().is_relative_to(project.resolve())
    except (OSError, RuntimeError):  # a link that loops
        inside = False
    if not inside:
        raise InputUnreadable(Location(target.parent), "references/ is a link to a folder outside the project: make it a folder of "
                              "the project", "outside-project")
    if target.is_dir():
        raise InputUnreadable(Location(target), "a folder has the name of the library to write: rename it, or the export",
                              "target-exists")
    if (target.exists() or target.is_symlink()) and not overwrite:
        raise InputUnreadable(Location(target), f"{name.as_posix()} exists: give --force to replace it, or rename "
                              f"{source.name} to import it under another name", "target-exists")
    try:
        data = read_regular(source, source, MAX_EXPORT_BYTES)
    except ManuscriptError as exc:  # too large, not a regular file, unreadable: nothing can be imported
        raise InputUnreadable(exc.location, exc.diagnostic.message, "export-unreadable") from None
    export = read_export(data, source)
    library = _library(project, name, err)
    references = _keyed(export.entries, library)
    for diagnostic in _report(export, references, library, source, name, project):
        err(str(diagnostic))
    if not is_project(project):
        err(str(Diagnostic("not-a-project", WARNING, "this folder is not an mspress project yet (it has no manuscript/ folder "
                           "and no pyproject.toml with [tool.mspress]): to write an article with this library, make a project "
                           f"with `mspress new DIR` (a new folder) and move {name.as_posix()} into DIR/references/",
                           Location(project))))
    write_atomic(target, render(export, references, source).encode("utf-8"))
    count = len(references)
    out(f"wrote {name.as_posix()}: {count} {'entry' if count == 1 else 'entries'}")
    return ExitCode.DONE


def is_project(folder: Path) -> bool:
    """A folder ``mspress build`` works in: it has ``manuscript/``, or a ``pyproject.toml`` with ``[tool.mspress]``."""
    import tomllib

    if (folder / "manuscript").is_dir():
        return True
    try:
        with (folder / "pyproject.toml").open("rb") as file:
            settings = tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False
    tool = settings.get("tool")
    return isinstance(tool, dict) and "mspress" in tool


def _library(project: Path, name: Path, err: Callable[[str], None]) -> dict[str, Reference]:
    """The project's library, without the file being replaced; one that cannot be read is reported, not fatal."""
    from mspress.sources.bibtex import load_library

    try:
        library = load_library(project)
    except ManuscriptError as exc:
        err(str(Diagnostic("library-unreadable", WARNING, f"{exc.diagnostic.message}; duplicates of the library were not looked "
                           "for", exc.location)))
        return {}
    return {key: ref for key, ref in library.references.items() if ref.location.path != name}


def _keyed(entries: Iterable[ImportedEntry], library: dict[str, Reference]) -> list[Reference]:
    """Each entry's reference under a key like the project's own (``wang2020yiyu``), unique in the library too."""
    from mspress.commands.refs import typed_key

    taken = set(library)
    return [replace(entry.reference, key=typed_key(entry.reference, taken)) for entry in entries]


def _report(export: Export, references: list[Reference], library: dict[str, Reference], source: Path, name: Path,
            project: Path) -> list[Diagnostic]:
    """Duplicates (of the library, then of an earlier entry of the export) and entries not read whole, in file order."""
    from mspress.checks.rules import work_identities  # one notion of "the same work" for check and import
    from mspress.styles.gbt7714.fields import missing_fields

    known: dict[str, list[Reference]] = {}
    for ref in library.values():
        for identity in work_identities(ref):
            known.setdefault(identity, []).append(ref)
    imported = _imported_files(project, library.values())
    order = {key: n for n, key in enumerate(library)}
    seen: dict[str, tuple[int, ImportedEntry, Reference]] = {}
    found: list[Diagnostic] = []
    if export.unread:
        found.append(Diagnostic("export-unread", WARNING, f"left out the values of {', '.join(export.unread[:20])}"
                                f"{' …' if len(export.unread) > 20 else ''}: mspress has no field for them", Location(source)))
    for n, (entry, ref) in enumerate(zip(export.entries, references, strict=True), 1):
        where = Location(source, entry.line)
        identities = work_identities(ref)
        same = _same_work(identities, known, imported, order)
        earlier = next(((i, seen[i]) for i in identities if i in seen), None)
        if same:
            cite = same[0][1].key
            found.append(Diagnostic("duplicate-reference", WARNING, "duplicate of " + " and ".join(
                f"{other.location.path.name} entry {other.key} ({_why(identity)})" for identity, other in same)
                + f": imported as {ref.key}; cite {cite} and delete {ref.key} from {name.as_posix()}", where))
        elif earlier:
            identity, (number, first, first_ref) = earlier
            found.append(Diagnostic("duplicate-reference", WARNING, f"duplicate of entry {number} of this file (line "
                                    f"{first.line}, imported as {first_ref.key}; {_why(identity)}): imported as {ref.key} too; "
                                    f"delete one of them from {name.as_posix()}", where))
        for identity in identities:
            seen.setdefault(identity, (n, entry, ref))
        notes = list(entry.notes)
        missing = missing_fields(ref.entry_type, ref.fields, ref.names)
        if missing:
            notes.append(f"@{ref.entry_type} lacks {', '.join(missing)}, which GB/T 7714 requires for this type")
        if notes:
            found.append(Diagnostic("incomplete-reference", WARNING, f"entry {n} ({ref.key}, {entry.written_type}): "
                                    f"{'; '.join(notes)}: complete it in {name.as_posix()}", where))
    return found


IMPORT_HEADER = "% Imported by `mspress import`"
"""How the import's files start: an entry of such a file that repeats another of the library is the duplicate."""


def _imported_files(project: Path, refs: Iterable[Reference]) -> frozenset[Path]:
    """The library's files an import wrote (they start with ``IMPORT_HEADER``), as their references name them."""
    found = set()
    for path in {ref.location.path for ref in refs}:
        try:
            with (project / path).open("rb") as file:
                head = file.read(len(IMPORT_HEADER.encode("utf-8")) + 3)
        except OSError:
            continue
        if head.decode("utf-8", "replace").lstrip("\ufeff").startswith(IMPORT_HEADER):
            found.add(path)
    return frozenset(found)


def _same_work(identities: list[str], known: dict[str, list[Reference]], imported: frozenset[Path],
               order: dict[str, int]) -> list[tuple[str, Reference]]:
    """Every entry of the library that is the same work (with why), the one to cite first: an entry of a file the
    import did not write (the user's own), else the first in the library's order — the others are its duplicates."""
    same: dict[str, tuple[str, Reference]] = {}
    for identity in identities:
        for ref in known.get(identity, ()):
            same.setdefault(ref.key, (identity, ref))
    return sorted(same.values(), key=lambda found: (found[1].location.path in imported, order[found[1].key]))


def _why(identity: str) -> str:
    return "same DOI" if identity.startswith("doi:") else "same title, year and first author"


def render(export: Export, references: list[Reference], source: Path) -> str:
    """The .bib file: a comment naming the export, then one entry per reference."""
    from mspress.writers.bibtex import write_entry

    named = source.name.replace("@", "")  # an @ would start an entry
    head = f"{IMPORT_HEADER} from {named} ({export.format}, {export.encoding}): {len(references)} entries.\n"
    return head + "".join(f"\n{write_entry(ref)}\n" for ref in references)
