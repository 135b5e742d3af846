"""Load a whole project leniently: every problem becomes a diagnostic, nothing is skipped silently.

``check`` and the build both start here: one pandoc parse, one list of citations, one numbering.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TypeVar

from mspress.citations.labels import Labels, number_labels
from mspress.citations.numbering import number
from mspress.citations.reader import Found, read_citations
from mspress.config import Settings, load_settings
from mspress.errors import Diagnostic, InputUnreadable, Location, ManuscriptError, ManuscriptErrors, Severity, relative_to
from mspress.model import Citation, CrossRef, Metadata, Numbering, SourceText
from mspress.sources.bibtex import Library, load_library
from mspress.sources.files import read_text, section_files, stray_files
from mspress.sources.markdown import Part, parse_parts
from mspress.sources.metadata import load_metadata

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Project:
    settings: Settings
    metadata: Metadata | None
    """``None`` when metadata.yaml could not be used (the reason is a diagnostic)."""
    metadata_path: Path
    parts: tuple[Part, ...]
    """The Chinese abstract, the English abstract, then the body files in ``NN`` order, as pandoc read them."""
    pandoc_api: list[int]
    library: Library
    found: Found
    """Every citation and cross reference, with the AST node each stands for."""
    labels: Labels
    numbering: Numbering
    load_problems: tuple[Diagnostic, ...]

    @property
    def root(self) -> Path:
        return self.settings.root

    @property
    def citations(self) -> list[Citation]:
        return self.found.citations

    @property
    def crossrefs(self) -> list[CrossRef]:
        return self.found.crossrefs

    @property
    def sources(self) -> tuple[SourceText, ...]:
        return tuple(p.source for p in self.parts)

    @property
    def body_names(self) -> tuple[str, ...]:
        return tuple(p.source.name for p in self.parts[2:])


def load_project(root: Path, settings: Settings | None = None) -> Project:
    folder = root / "manuscript"
    if not folder.is_dir():
        raise InputUnreadable(Location(Path("manuscript")), "no manuscript/ directory here; use -C DIR to name the project")
    settings = settings or load_settings(root)
    problems: list[Diagnostic] = []
    abstracts = [_abstract(folder / f"abstract.{lang}.md", root, lang, problems) for lang in ("zh", "en")]
    sections = [s for path in section_files(folder) if (s := _collect(problems, lambda p=path: _source(p, p.stem, root)))]
    if not sections:
        problems.append(Diagnostic("missing-section", Severity.ERROR, "no body sections: add files named like manuscript/01-introduction.md",
                                   Location(Path("manuscript"))))
    problems.extend(_stray(folder, root))
    parsing = parse_parts([*abstracts, *sections])  # pandoc reads while Python loads the rest
    meta_path = folder / "metadata.yaml"
    rel_meta = relative_to(meta_path, root)
    metadata = None
    if meta_path.is_file():
        metadata = _collect(problems, lambda: load_metadata(read_text(meta_path, root), rel_meta))
    else:
        problems.append(Diagnostic("missing-metadata", Severity.ERROR, f"missing {rel_meta.as_posix()}: create it with title, authors and affiliations",
                                   Location(rel_meta)))
    library = load_library(root)
    api, parts = parsing.result()
    labels = number_labels(parts, {s.name for s in sections})
    known = set(library.references)
    found = read_citations(parts, known | set(labels.numbers))
    return Project(settings, metadata, rel_meta, tuple(parts), api, library, found, labels,
                   number(found.citations, known), tuple(problems))


def _source(path: Path, name: str, root: Path) -> SourceText:
    return SourceText(name, relative_to(path, root), read_text(path, root))


def _abstract(path: Path, root: Path, lang: str, problems: list[Diagnostic]) -> SourceText:
    rel = relative_to(path, root)
    empty = SourceText(f"abstract.{lang}", rel, "")
    if not path.is_file():
        word = "中文摘要" if lang == "zh" else "English abstract"
        problems.append(Diagnostic("missing-metadata", Severity.ERROR, f"missing {word}: create {rel.as_posix()}", Location(rel)))
        return empty
    return _collect(problems, lambda: _source(path, f"abstract.{lang}", root)) or empty


def _stray(folder: Path, root: Path) -> list[Diagnostic]:
    """Markdown files the build would leave out, said aloud."""
    return [Diagnostic("stray-file", Severity.WARNING,
                       f"{relative_to(path, root).as_posix()} is not part of the article: name body files NN-name.md "
                       f"(for example {suggestion}) or move the file out of manuscript/", Location(relative_to(path, root)))
            for path, suggestion in stray_files(folder)]


def _collect(problems: list[Diagnostic], load: Callable[[], T]) -> T | None:
    """Run ``load``; a user error becomes diagnostics and the result ``None``."""
    try:
        return load()
    except ManuscriptErrors as exc:
        problems.extend(exc.diagnostics)
    except ManuscriptError as exc:
        problems.append(exc.diagnostic)
    return None
