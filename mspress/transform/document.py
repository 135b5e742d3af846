"""The resolved document: the article after resolution, as a pandoc AST with no output format's markup.

Every writer starts here: the HTML page (and through it the PDF) renders its parts; any other pandoc writer
(docx, jats, typst…) renders ``pandoc_document()``. Citation numbers, cross-reference labels and reference
texts are therefore the same in every output.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mspress.citations.marks import AuthorYearMarks, Marks, NumericMarks, StyleMarks, styled
from mspress.config import Settings
from mspress.errors import Location
from mspress.model import Citation, Metadata, Numbering, Reference
from mspress.sources.markdown import Part, safe_url
from mspress.sources.project import Project
from mspress.styles.gbt7714 import Formatted, Piece, author_year_labels, format_bibliography, format_reference
from mspress.transform.ast import LINE_BREAK, Node, div, header, link, para, span, text
from mspress.transform.resolve import Resolver


@dataclass(frozen=True, slots=True)
class ResolvedDocument:
    api_version: list[int]
    metadata: Metadata
    settings: Settings
    parts: dict[str, list[Node]]
    """Blocks by part name: ``abstract.zh``, ``abstract.en``, then the body files' stems."""
    body: tuple[str, ...]
    """Names of the body parts, in order."""
    references: list[Node]
    """The reference list: one Div ``#ref-<key>`` per entry, in print order."""
    numbering: Numbering
    math_places: Mapping[str, Location] = field(default_factory=dict)
    """Where each formula (its TeX) is first written: for messages about a formula an output cannot print."""

    def pandoc_document(self) -> dict[str, Any]:
        """The whole article for any pandoc writer: titles, abstracts, body, references."""
        words = self.settings.journal.labels
        meta = self.metadata
        title = {"t": "MetaInlines", "c": text(meta.title.either("zh"))}
        subtitle = {"t": "MetaInlines", "c": text(meta.title.either("en"))}
        blocks: list[Node] = []
        for lang in ("zh", "en"):
            label = [span(["label"], text(getattr(words, lang).abstract))]
            abstract = self.parts[f"abstract.{lang}"]
            if abstract and abstract[0]["t"] in ("Para", "Plain"):
                abstract = [para(label + abstract[0]["c"]), *abstract[1:]]
            else:
                abstract = [para(label), *abstract]
            blocks.append(div(abstract, classes=["abstract"], pairs=[("lang", lang)]))
        for name in self.body:
            blocks.extend(self.parts[name])
        if self.references:
            blocks.append(header(1, text(words.zh.references), "references", ["unnumbered"]))
            blocks.extend(self.references)
        return {"pandoc-api-version": self.api_version, "meta": {"title": title, "subtitle": subtitle}, "blocks": blocks}


def resolve(project: Project) -> ResolvedDocument:
    """Resolve citations, cross references, captions and figures of a project whose checks passed.

    The project's parsed parts become the resolved document's (they are rewritten in place, not copied):
    resolve a project once.
    """
    assert project.metadata is not None, "resolve only after load problems are reported"
    settings, numbering = project.settings, project.numbering
    options = settings.journal.references
    cited = [project.library.references[key] for key in numbering.order]
    marks: Marks
    listed: list[Formatted]
    if settings.journal.csl is not None:
        marks, listed = _with_style(settings, numbering, cited, project.citations)
    elif options.system == "author-year":
        marks = AuthorYearMarks(author_year_labels(cited, options))
        listed = format_bibliography(cited, options)
    else:
        marks = NumericMarks(dict(numbering.numbers), settings.journal.citations, settings.journal.labels.zh.narrative)
        listed = [format_reference(ref, options) for ref in cited]
    resolver = Resolver(project.found.uses, project.labels, settings.journal.labels, marks, project.root)
    places = math_places(project.parts)
    parts = {}
    for part in project.parts:
        resolver.visit(part.blocks)
        parts[part.source.name] = part.blocks
    system = settings.journal.system
    references = [reference_entry(f, numbering.numbers[f.key], system == "numeric") for f in listed]
    return ResolvedDocument(project.pandoc_api, project.metadata, settings, parts, project.body_names,
                            [div(references, "refs", ["reference-list", system])] if references else [], numbering, places)


def math_places(parts: Sequence[Part]) -> dict[str, Location]:
    """Each formula's TeX → where it is first written (at its ``$``), found in the text in document order."""
    places: dict[str, Location] = {}
    for part in parts:
        formulas = list(_formulas(part.blocks))
        if not formulas:
            continue
        source = part.source
        # Code and comments blanked, footnote definitions kept: a formula may be in a note.
        searched = "".join(a if a != " " else b for a, b in zip(part.masked, part.notes, strict=True))
        cursor = 0
        for tex in formulas:
            at = searched.find(tex, cursor) if tex.strip() else -1
            if at < 0:  # pandoc's text differs from the file's (a formula across lines of a block quote): its first line
                first = tex.strip().split("\n")[0]
                at = searched.find(first, cursor) if first else -1
            if at < 0:
                places.setdefault(tex, Location(source.path))
                continue
            cursor = at + 1
            while at > 0 and searched[at - 1] == "$":
                at -= 1
            places.setdefault(tex, Location.in_text(source.path, source.text, at))
    return places


def _formulas(value: Any) -> Iterator[str]:
    """The TeX of every Math inline, in document order (footnotes too)."""
    if isinstance(value, list):
        for item in value:
            yield from _formulas(item)
    elif isinstance(value, dict):
        kind = value.get("t")
        if kind == "Math":
            yield str(value["c"][1])
        elif kind not in ("Code", "CodeBlock", "RawBlock", "RawInline"):
            yield from _formulas(value.get("c"))


def _with_style(settings: Settings, numbering: Numbering, cited: list[Reference], citations: list[Citation]) -> tuple[Marks, list[Formatted]]:
    """Marks and list of a CSL style (citeproc-py, imported only here), on mspress's numbering."""
    from mspress.styles.csl.engine import format_with_style

    style = settings.journal.csl
    assert style is not None
    uses = [(key, locator) for citation in citations for key, locator in zip(citation.keys, citation.locators, strict=True)
            if key in numbering.numbers]
    result = format_with_style(style, cited, uses)
    a = result.affixes
    if result.numeric:
        return NumericMarks(dict(numbering.numbers), settings.journal.citations, settings.journal.labels.zh.narrative,
                            a.open, a.close, a.delimiter, a.superscript), list(result.entries)
    order = result.order if style.sorted_citation and settings.journal.citations.sort else {}
    return StyleMarks(result.cites, result.narratives, a.open, a.close, a.delimiter, a.superscript, order), list(result.entries)


def reference_entry(entry: Formatted, number: int, numbered: bool) -> Node:
    """One entry of the list; ``numbered``: led by its label (``[n]``, or the CSL style's ``n.``)."""
    label = [span(["ref-label"], text(entry.label or f"[{number}]"))] if numbered else []
    lang = "zh-CN" if entry.lang == "zh" else entry.lang
    return div([para(label + rich_inlines(entry.rich))], f"ref-{entry.key}", ["reference"], [("lang", lang)])


def rich_inlines(pieces: tuple[Piece, ...]) -> list[Node]:
    """A formatted entry's rich text as pandoc inlines: links, sub- and superscripts, a CSL style's italics."""
    out: list[Node] = []
    for piece in pieces:
        if piece.text == "\n":
            out.append(LINE_BREAK)
        elif piece.href and safe_url(piece.href):
            out.append(link(styled(text(piece.text), piece.marks), piece.href))
        else:
            out.extend(styled(text(piece.text), piece.marks))
    return out

