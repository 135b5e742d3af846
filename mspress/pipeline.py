"""Orchestration only: load → resolve → check → render → write."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .bibtex import load_library
from .citations import extract, number
from .config import BuildConfig
from .errors import Diagnostic, ManuscriptErrors, Severity
from .gbt7714 import Options, format_reference
from .model import Citation, Manuscript, Numbering, Reference
from .render import NumberedReference, Page, render_page
from .sources import load_manuscript
from .writers import pdf_bytes, write_atomic


@dataclass(frozen=True, slots=True)
class Resolved:
    manuscript: Manuscript
    references: dict[str, Reference]
    citations: tuple[Citation, ...]
    numbering: Numbering


@dataclass(frozen=True, slots=True)
class BuildResult:
    outputs: tuple[Path, ...]
    numbering: Numbering


def resolve(root: Path) -> Resolved:
    """Load the project and number its citations; raise on anything that stops a build."""
    manuscript = load_manuscript(root)
    library = load_library(root)
    known = set(library.references)
    citations = tuple(c for part in manuscript.parts for c in extract(part, known))
    problems = list(library.problems) + _undefined(citations, known | library.broken_keys)
    if problems:
        raise ManuscriptErrors(problems)
    return Resolved(manuscript, library.references, citations, number(citations, known))


def _undefined(citations: tuple[Citation, ...], known: set[str]) -> list[Diagnostic]:
    return [Diagnostic("undefined-citation", Severity.ERROR, f"unknown citation key @{key}: add it to references/*.bib or fix the key", c.location)
            for c in citations for key in c.keys if key not in known]


def reference_options(config: BuildConfig) -> Options:
    return Options(edition=int(config.style.rsplit("-", 1)[1]), print_doi=config.print_doi, short_journal=config.short_journal)


def build(config: BuildConfig, formats: tuple[str, ...] = ("html", "pdf")) -> BuildResult:
    from .document import render_parts  # imports pandoc: only the build needs it

    resolved = resolve(config.root)
    manuscript, numbering = resolved.manuscript, resolved.numbering
    fragments, _labels = render_parts(manuscript, numbering, set(resolved.references))
    options = reference_options(config)
    references = tuple(NumberedReference(n, format_reference(resolved.references[key], options)) for key, n in
                       sorted(numbering.numbers.items(), key=lambda item: item[1]))
    page = Page(fragments, tuple(s.name for s in manuscript.sections), references, config.style)
    html = {medium: render_page(config.root, manuscript.metadata, page, medium) for medium in ("screen", "print") if _wanted(medium, formats)}
    pdf = pdf_bytes(html["print"], config.root) if "pdf" in formats else None
    outputs = []
    out = config.output_path
    if "html" in formats:
        outputs.append(write_atomic(out / f"{config.output_name}.html", html["screen"].encode("utf-8")))
    if pdf is not None:
        outputs.append(write_atomic(out / f"{config.output_name}.pdf", pdf))
    return BuildResult(tuple(outputs), numbering)


def _wanted(medium: str, formats: tuple[str, ...]) -> bool:
    return ("html" in formats) if medium == "screen" else ("pdf" in formats)
