"""Orchestration only: load → check → render → write."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mspress.checks import rules as checks
from mspress.config import BuildConfig
from mspress.errors import Diagnostic, ManuscriptErrors, Severity
from mspress.styles.gbt7714 import Options, author_year_labels, format_bibliography, format_reference
from mspress.citations.marks import AuthorYearMarks, NumericMarks
from mspress.model import Numbering
from mspress.sources.project import load_project
from mspress.writers.html import NumberedReference, Page, render_page
from mspress.writers.pdf import pdf_bytes, write_atomic


@dataclass(frozen=True, slots=True)
class BuildResult:
    outputs: tuple[Path, ...]
    numbering: Numbering
    warnings: tuple[Diagnostic, ...]


def reference_options(config: BuildConfig) -> Options:
    """The journal's reference profile, as the GB/T 7714 engine takes it."""
    return Options(edition=config.edition, system=config.system, uppercase_surnames=config.uppercase_surnames,
                   punctuation=config.punctuation, print_doi=config.print_doi, print_url=config.print_url,
                   doi_online=config.doi_online, short_journal=config.short_journal, et_al_after=config.et_al_after,
                   bilingual=config.bilingual)


def build(config: BuildConfig, formats: tuple[str, ...] = ("html", "pdf")) -> BuildResult:
    """Run the checks, then render; nothing is written unless every check passes."""
    from mspress.transform.document import render_parts  # imports pandoc: only the build needs it

    project = load_project(config.root)
    diagnostics = checks.run(project)
    errors = [x for x in diagnostics if x.severity is Severity.ERROR]
    if errors:
        raise ManuscriptErrors(errors)
    manuscript, numbering = project.manuscript(), project.numbering
    options = reference_options(config)
    cited = [project.library.references[key] for key in numbering.order]
    if config.system == "author-year":
        marks: NumericMarks | AuthorYearMarks = AuthorYearMarks(author_year_labels(cited, options))
        listed = format_bibliography(cited, options)
    else:
        marks = NumericMarks(dict(numbering.numbers), config.compress_min_run, config.range_dash, config.sort_citations)
        listed = [format_reference(ref, options) for ref in cited]
    fragments, _labels = render_parts(manuscript, numbering, set(project.library.references), marks)
    references = tuple(NumberedReference(numbering.numbers[f.key], f) for f in listed)
    page = Page(fragments, tuple(s.name for s in manuscript.sections), references, config.style, config.system)
    html = {medium: render_page(config.root, manuscript.metadata, page, medium) for medium in ("screen", "print") if _wanted(medium, formats)}
    pdf = pdf_bytes(html["print"], config.root) if "pdf" in formats else None
    outputs = []
    out = config.output_path
    if "html" in formats:
        outputs.append(write_atomic(out / f"{config.output_name}.html", html["screen"].encode("utf-8")))
    if pdf is not None:
        outputs.append(write_atomic(out / f"{config.output_name}.pdf", pdf))
    return BuildResult(tuple(outputs), numbering, tuple(diagnostics))


def _wanted(medium: str, formats: tuple[str, ...]) -> bool:
    return ("html" in formats) if medium == "screen" else ("pdf" in formats)
