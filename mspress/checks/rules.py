"""Project checks: each rule is a plain function; ``RULES`` lists them in order. No pandoc here."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from mspress.citations.keys import unknown_key, unknown_label
from mspress.errors import Diagnostic, Location, Severity
from mspress.model import Reference
from mspress.sources.figures import figure_problem
from mspress.sources.markdown import VERBATIM_NODES
from mspress.sources.project import Project
from mspress.styles.gbt7714.fields import edition_readable, field_problem, missing_fields, misspelt_field, preprint_server
from mspress.styles.gbt7714.language import declared_language, language_code
from mspress.text import is_han, normalise, script_language

Rule = Callable[[Project], Iterable[Diagnostic]]
ERROR, WARNING = Severity.ERROR, Severity.WARNING

_ASCII_PUNCTUATION = re.compile(r"[,;:]\s*")
_FULLWIDTH = re.compile(r"[，。；：（）、！？“”]")


def d(code: str, severity: Severity, message: str, location: Location) -> Diagnostic:
    return Diagnostic(code, severity, message, location)


def load_problems(project: Project) -> Iterator[Diagnostic]:
    yield from project.load_problems
    yield from project.library.problems


def undefined_citations(project: Project) -> Iterator[Diagnostic]:
    known = set(project.library.references) | project.library.broken_keys
    for citation in project.citations:
        for key in citation.keys:
            if key not in known:
                yield d("undefined-citation", ERROR, unknown_key(key, known), citation.location)


def uncited_references(project: Project) -> Iterator[Diagnostic]:
    # an entry other entries draw on (crossref, xdata, a set's member) is in use without being cited
    drawn_on = {value.strip() for ref in project.library.references.values() for name in ("crossref", "xdata", "entryset")
                for value in ref.raw_fields.get(name, "").split(",")}
    for key, ref in project.library.references.items():
        if key not in project.numbering.numbers and key not in drawn_on and ref.printable:
            yield d("uncited-reference", WARNING, f"reference {key!r} is never cited: cite it or remove it from the library", ref.location)


def duplicate_references(project: Project) -> Iterator[Diagnostic]:
    seen: dict[str, Reference] = {}
    for ref in project.library.references.values():
        for identity in work_identities(ref):
            first = seen.setdefault(identity, ref)
            if first is not ref:
                yield d("duplicate-reference", WARNING,
                        f"{ref.key!r} and {first.key!r} ({first.location}) are the same work: keep one key", ref.location)
                break


def work_identities(ref: Reference) -> list[str]:
    """What makes two entries the same work: the DOI, else title, year and first author (check and import share it)."""
    found = []
    doi = ref.fields.get("doi", "").strip().lower()
    if doi:
        found.append("doi:" + doi)
    title = normalise(ref.fields.get("title", ""))
    authors = ref.names.get("author", ())
    if title:
        first = normalise(authors[0].family) if authors else ""
        found.append(f"work:{title}|{ref.fields.get('year', ref.fields.get('date', '')[:4])}|{first}")
    return found


def missing_required_fields(project: Project) -> Iterator[Diagnostic]:
    if project.settings.journal.csl is not None:  # GB/T 7714's requirements are not a CSL style's
        for key in project.numbering.numbers:
            ref = project.library.references[key]
            if ref.entry_type == "set":
                yield d("set-with-csl", ERROR, f"{key!r} is a @set, which a CSL style cannot print as one entry: cite its "
                        "entries instead", ref.location)
        return
    for key in project.numbering.numbers:
        ref = project.library.references[key]
        for need in missing_fields(ref.entry_type, ref.fields, ref.names):
            yield d("missing-field", ERROR, f"{key!r} (@{ref.entry_type}) lacks {need}, which GB/T 7714 requires for this type", ref.location)


def invalid_fields(project: Project) -> Iterator[Diagnostic]:
    for ref in project.library.references.values():
        for name, value in ref.fields.items():
            problem = field_problem(name, value)
            if problem:
                yield d("invalid-field", WARNING, f"{ref.key!r}: {problem}", ref.field_location(name))


def reference_values(project: Project) -> Iterator[Diagnostic]:
    """Values that are certainly wrong: placeholders, misspelt fields, a preprint server as a journal, an edition
    that cannot be normalised, a Chinese title declared English."""
    gbt7714 = project.settings.journal.csl is None
    for ref in project.library.references.values():
        yield from reference_value_problems(ref, gbt7714)


def reference_value_problems(ref: Reference, gbt7714: bool = True) -> Iterator[Diagnostic]:
    """``gbt7714``: the messages may say what GB/T 7714 prints (a CSL style prints what it prints)."""
    key = ref.key
    for name, value in ref.placeholders.items():
        yield d("placeholder-value", WARNING, f"{key!r}: {name} {value!r} stands for no value and is left out: "
                "write the real value or delete the field", ref.field_location(name))
    if ref.source_format == "bibtex":
        for name in ref.raw_fields:
            meant = misspelt_field(name)
            if meant is not None and meant not in ref.raw_fields:
                yield d("unknown-field", WARNING, f"{key!r}: unknown field {name!r} is ignored; did you mean {meant!r}?",
                        ref.field_location(name))
    journal = ref.fields.get("journal") or ref.fields.get("journaltitle") or ""
    server = preprint_server(journal) if ref.entry_type == "article" else None
    if server:
        printed = "printed as a preprint [PP] (2015: [A]); " if gbt7714 else ""
        yield d("preprint-as-journal", WARNING, f"{key!r}: journal {journal!r} is the preprint server {server}, not a journal: "
                f"{printed}type it @misc with eprint and archiveprefix", ref.field_location("journal"))
    edition = ref.fields.get("edition", "")
    if edition and not edition_readable(edition):
        yield d("edition-unreadable", WARNING, f"{key!r}: edition {edition!r} is printed as written: give a number (2), or "
                "the statement the standard prints (2 版, 2nd ed., Rev. ed., 修订版)", ref.field_location("edition"))
    declared = declared_language(ref.fields)
    title = ref.fields.get("title", "")
    if declared and language_code(declared[1]) == "en" and script_language(title) == "zh":
        takes = ", so the entry takes et al. and ed. rather than 等 and 版" if gbt7714 else ""
        yield d("language-mismatch", WARNING, f"{key!r}: {declared[0]} {declared[1]!r} but the title is Chinese{takes}: set it to "
                "chinese or remove it", ref.field_location(declared[0]))


def crossrefs(project: Project) -> Iterator[Diagnostic]:
    labels = project.labels
    for label, first, second in labels.duplicates:
        yield d("duplicate-label", ERROR, f"label {{#{label}}} is also defined at {first}: rename one", second)
    used: set[str] = set()
    for ref in project.crossrefs:
        used.add(ref.label)
        if ref.label in labels.unnumbered:
            yield d("undefined-crossref", ERROR, f"@{ref.label} refers to an unnumbered heading ({labels.unnumbered[ref.label]}): "
                    "number the heading or refer to it by its title", ref.location)
        elif ref.label not in labels.numbers:
            yield d("undefined-crossref", ERROR, unknown_label(ref.label, labels.locations), ref.location)
    for label, where in labels.locations.items():
        if labels.kinds[label] in ("fig", "tbl") and label not in used:
            kind = "figure" if labels.kinds[label] == "fig" else "table"
            yield d("unreferenced-figure", WARNING, f"{kind} {{#{label}}} is never referred to: cite it in the text as @{label}", where)


def figures(project: Project) -> Iterator[Diagnostic]:
    for part in project.parts:
        cursor = 0
        for image, figure in _images(part.blocks, None):
            target = image["c"][2][0]
            at = part.source.text.find(target, cursor)
            cursor = max(cursor, at + 1)
            where = Location.in_text(part.source.path, part.source.text, max(at, 0))
            problem = figure_problem(project.root, target)
            if problem:
                yield d("missing-figure", ERROR, problem, where)
            if figure is not None and not figure["c"][0][0].startswith("fig:"):
                yield d("unreferenced-figure", WARNING, "figure has no label, so the text cannot refer to it: add {#fig:name} and cite @fig:name", where)
            if not _has_text(image["c"][1]):
                yield d("figure-without-alt", WARNING, "image has no description for readers who cannot see it: write one, "
                        "![图题或描述](figures/x.png) (a figure's caption is its description)", where)


def _has_text(value: Any) -> bool:
    if isinstance(value, list):
        return any(_has_text(item) for item in value)
    return isinstance(value, dict) and (value.get("t") in ("Str", "Math", "Code") or _has_text(value.get("c")))


def _images(value: Any, figure: dict[str, Any] | None) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
    """Every Image node in order, with the Figure block it stands in (``None`` for an image in the text)."""
    if isinstance(value, list):
        for item in value:
            yield from _images(item, figure)
    elif isinstance(value, dict):
        kind = value.get("t")
        if kind == "Image":
            yield value, figure
        elif kind not in VERBATIM_NODES:
            yield from _images(value.get("c"), value if kind == "Figure" else figure)


def metadata(project: Project) -> Iterator[Diagnostic]:
    for part in project.sources[:2]:
        if part.text.strip() == "" and (project.root / part.path).is_file():
            yield d("missing-metadata", ERROR, f"{part.path.as_posix()} is empty: write the abstract", Location(part.path))
    meta = project.metadata
    if meta and meta.keywords_zh and meta.keywords_en and len(meta.keywords_zh) != len(meta.keywords_en):
        yield d("keyword-mismatch", WARNING, f"{len(meta.keywords_zh)} Chinese key words but {len(meta.keywords_en)} English ones: they should correspond",
                Location(project.metadata_path))


def abstracts_cite_nothing(project: Project) -> Iterator[Diagnostic]:
    for citation in project.citations:
        if citation.part.startswith("abstract."):
            yield d("citation-in-abstract", WARNING, "an abstract should stand alone: remove the citation", citation.location)


def punctuation(project: Project) -> Iterator[Diagnostic]:
    for parsed in project.parts:
        part, masked = parsed.source, "".join(a if a != " " else b for a, b in zip(parsed.masked, parsed.notes, strict=True))
        if part.name == "abstract.en":
            for m in _FULLWIDTH.finditer(masked):
                yield d("mixed-punctuation", WARNING, f"full-width {m.group(0)!r} in English text: use ASCII punctuation",
                        Location.in_text(part.path, part.text, m.start()))
        else:
            for m in _ASCII_PUNCTUATION.finditer(masked):
                if m.start() and m.end() < len(masked) and is_han(masked[m.start() - 1]) and is_han(masked[m.end()]):
                    mark = masked[m.start()]
                    wide = {",": "，", ";": "；", ":": "："}[mark]
                    yield d("mixed-punctuation", WARNING, f"ASCII {mark!r} between Chinese characters: use {wide!r}",
                            Location.in_text(part.path, part.text, m.start()))


RULES: tuple[tuple[str, Rule], ...] = (
    ("load", load_problems),
    ("citations", undefined_citations),
    ("uncited", uncited_references),
    ("duplicates", duplicate_references),
    ("fields", missing_required_fields),
    ("field-syntax", invalid_fields),
    ("field-values", reference_values),
    ("crossrefs", crossrefs),
    ("figures", figures),
    ("metadata", metadata),
    ("abstracts", abstracts_cite_nothing),
    ("punctuation", punctuation),
)


def run(project: Project) -> list[Diagnostic]:
    found = [diag for _, rule in RULES for diag in rule(project)]
    return sorted(found, key=lambda x: (x.location.path.as_posix(), x.location.line, x.location.column))
