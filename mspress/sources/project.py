"""Load a whole project leniently: every problem becomes a diagnostic, nothing is skipped silently.

``check`` and the build both start here: one pandoc parse, one list of citations, one numbering.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mspress.citations.labels import LabelNumbers, number_labels
from mspress.citations.numbering import number
from mspress.citations.reader import Found, read_citations
from mspress.config import Settings, load_settings
from mspress.errors import Diagnostic, Location, Severity, relative_to
from mspress.model import Citation, CrossRef, Metadata, Numbering, SourceText
from mspress.sources.bibtex import Library, LibraryCache, load_library
from mspress.sources.files import MAX_METADATA_BYTES, present, read_text
from mspress.sources.manuscript import ManuscriptFiles, collect, read_manuscript
from mspress.sources.markdown import Part
from mspress.sources.metadata import load_metadata


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
    labels: LabelNumbers
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


def load_project(root: Path, settings: Settings | None = None, files: ManuscriptFiles | None = None,
                 library_cache: LibraryCache | None = None) -> Project:
    """``files``: the manuscript already read (and being parsed) by ``read_manuscript``; ``library_cache``: the library
    a warm process loaded before."""
    files = files or read_manuscript(root)
    settings = settings or load_settings(root)
    problems = list(files.problems)
    meta_path = root / "manuscript" / "metadata.yaml"
    rel_meta = relative_to(meta_path, root)
    metadata = None
    if present(meta_path):
        metadata = collect(problems, lambda: load_metadata(read_text(meta_path, root, MAX_METADATA_BYTES), rel_meta))
    else:
        problems.append(Diagnostic("missing-metadata", Severity.ERROR, f"missing {rel_meta.as_posix()}: create it with title, authors and affiliations",
                                   Location(rel_meta)))
    library = load_library(root, library_cache)
    api, parts = files.parsing.result()
    labels = number_labels(parts, {s.name for s in files.sections})
    known = set(library.references)
    found = read_citations(parts, known | set(labels.numbers))
    return Project(settings, metadata, rel_meta, tuple(parts), api, library, found, labels,
                   number(found.citations, known), tuple(problems))
