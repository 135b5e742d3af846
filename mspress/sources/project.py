"""Load a whole project leniently: every problem becomes a diagnostic, nothing is skipped silently.

``check`` and the build both start here, so they see the same citations and the same numbering.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mspress.sources.bibtex import Library, load_library
from mspress.citations.reader import extract, number
from mspress.config import BuildConfig, load_config
from mspress.errors import Diagnostic, Location, ManuscriptError, ManuscriptErrors, Severity, relative_to
from mspress.sources.metadata import load_metadata
from mspress.model import Citation, Manuscript, Metadata, Numbering, SourceText
from mspress.sources.files import read_text, section_files


class ProjectUnreadable(ManuscriptError):
    """The input could not be read at all (no manuscript/ directory, say)."""


@dataclass(frozen=True, slots=True)
class Project:
    config: BuildConfig
    metadata: Metadata | None
    """``None`` when metadata.yaml could not be used (the reason is a diagnostic)."""
    metadata_path: Path
    abstract_zh: SourceText
    abstract_en: SourceText
    sections: tuple[SourceText, ...]
    library: Library
    citations: tuple[Citation, ...]
    numbering: Numbering
    load_problems: tuple[Diagnostic, ...]

    @property
    def root(self) -> Path:
        return self.config.root

    @property
    def parts(self) -> tuple[SourceText, ...]:
        return (self.abstract_zh, self.abstract_en, *self.sections)

    def manuscript(self) -> Manuscript:
        assert self.metadata is not None, "build only after load problems are reported"
        return Manuscript(self.root, self.metadata, self.metadata_path, self.abstract_zh, self.abstract_en, self.sections)


def load_project(root: Path) -> Project:
    folder = root / "manuscript"
    if not folder.is_dir():
        raise ProjectUnreadable(Location(Path("manuscript")), "no manuscript/ directory here; use -C DIR to name the project")
    problems: list[Diagnostic] = []
    config = _collect(problems, lambda: load_config(root)) or BuildConfig(root=root)
    meta_path = folder / "metadata.yaml"
    rel_meta = relative_to(meta_path, root)
    metadata = None
    if meta_path.is_file():
        metadata = _collect(problems, lambda: load_metadata(read_text(meta_path, root), rel_meta))
    else:
        problems.append(Diagnostic("missing-metadata", Severity.ERROR, f"missing {rel_meta.as_posix()}: create it with title, authors and affiliations", Location(rel_meta)))
    abstracts = [_abstract(folder / f"abstract.{lang}.md", root, lang, problems) for lang in ("zh", "en")]
    sections = tuple(s for path in section_files(folder) if (s := _collect(problems, lambda p=path: SourceText(p.stem, relative_to(p, root), read_text(p, root)))))
    if not sections:
        problems.append(Diagnostic("missing-section", Severity.ERROR, "no body sections: add files named like manuscript/01-introduction.md", Location(Path("manuscript"))))
    library = load_library(root)
    known = set(library.references)
    parts = (*abstracts, *sections)
    citations = tuple(c for part in parts for c in extract(part, known))
    return Project(config, metadata, rel_meta, abstracts[0], abstracts[1], sections, library, citations,
                   number(citations, known), tuple(problems))


def _abstract(path: Path, root: Path, lang: str, problems: list[Diagnostic]) -> SourceText:
    rel = relative_to(path, root)
    if not path.is_file():
        word = "中文摘要" if lang == "zh" else "English abstract"
        problems.append(Diagnostic("missing-metadata", Severity.ERROR, f"missing {word}: create {rel.as_posix()}", Location(rel)))
        return SourceText(f"abstract.{lang}", rel, "")
    source = _collect(problems, lambda: SourceText(f"abstract.{lang}", rel, read_text(path, root)))
    return source or SourceText(f"abstract.{lang}", rel, "")


def _collect(problems: list[Diagnostic], load):  # type: ignore[no-untyped-def]
    """Run ``load``; a user error becomes diagnostics and the result ``None``."""
    try:
        return load()
    except ManuscriptErrors as exc:
        problems.extend(exc.diagnostics)
    except ManuscriptError as exc:
        problems.append(exc.diagnostic)
    return None
