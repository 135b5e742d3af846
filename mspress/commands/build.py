"""``mspress build``: load → check → resolve → write. Orchestration only; nothing is written unless every check passes."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mspress.checks import rules
from mspress.config import Settings
from mspress.errors import Diagnostic, Location, ManuscriptError, ManuscriptErrors, Severity, relative_to
from mspress.model import Journal, Numbering
from mspress.sources.bibtex import LibraryCache
from mspress.sources.manuscript import ManuscriptFiles
from mspress.sources.project import load_project
from mspress.text import normalise
from mspress.writers.output import write_all

if TYPE_CHECKING:
    from mspress.transform.document import ResolvedDocument
    from mspress.writers.pdf import TypesetPdf
    from mspress.writers.typesetter import Typesetter



@dataclass(frozen=True, slots=True)
class BuildResult:
    outputs: tuple[Path, ...]
    numbering: Numbering
    warnings: tuple[Diagnostic, ...]


def resolved(settings: Settings, files: ManuscriptFiles | None = None,
             library_cache: LibraryCache | None = None) -> tuple[ResolvedDocument, tuple[Diagnostic, ...]]:
    """The project's resolved document and its warnings; its errors, all at once, as ``ManuscriptErrors``.

    ``files``: the manuscript already read (and being parsed), when the caller started that early;
    ``library_cache``: the library a warm process loaded before.
    """
    from mspress.transform.document import resolve

    project = load_project(settings.root, settings, files, library_cache)
    diagnostics = rules.run(project)
    errors = [x for x in diagnostics if x.severity is Severity.ERROR]
    if errors:
        raise ManuscriptErrors(errors)
    return resolve(project), tuple(diagnostics)


def outputs_inside(settings: Settings, paths: list[Path]) -> None:
    """Every output goes into the project: a folder on its way (``output``, or one in ``output_name``) that is a link
    to a folder elsewhere is refused, whether or not the rest of the path exists yet."""
    from mspress.errors import Location, ManuscriptError

    root = settings.root.resolve()
    for path in paths:
        folder = path.parent
        while not (folder.exists() or folder.is_symlink()) and folder != folder.parent:
            folder = folder.parent
        try:
            inside = folder.resolve().is_relative_to(root)
        except (OSError, RuntimeError):  # a link that loops
            inside = False
        if not inside:
            shown = relative_to(folder, settings.root).as_posix()
            raise ManuscriptError(Location(Path(settings.output_dir)), f"{shown}/ is a link to a folder outside the project: "
                                  "make it a folder of the project", "outside-project")


def layout_warnings(settings: Settings, journal: Journal | None, printed: TypesetPdf) -> Iterator[Diagnostic]:
    """What the typeset page tells the author: tables set across the page, and more pages than the journal gave."""
    for part, name in printed.widened_tables:
        path = Path("manuscript") / f"{part}.md"
        yield Diagnostic("wide-table", Severity.WARNING, f"table {name} is wider than a column, so it spans both: mark it "
                         "{.wide} to say so, or narrow it (fewer or shorter columns)", _table_line(settings.root, path, name))
    span = journal.page_span if journal else None
    if span and printed.pages > span:
        yield Diagnostic("page-overrun", Severity.WARNING, f"the PDF has {printed.pages} pages and journal.pages gives {span} "
                         f"({journal.pages if journal else ''}): shorten the article or correct the pages",
                         _line_of(settings.root, Path("manuscript") / "metadata.yaml", "pages:"))


def _line_of(root: Path, path: Path, *needles: str) -> Location:
    """Where the first of ``needles`` found first appears in a project file (its first line if none is)."""
    text = _project_text(root, path) or ""
    for needle in filter(None, needles):
        at = text.find(needle)
        if at >= 0:
            return Location.in_text(path, text, at)
    return Location(path)


_CAPTION = re.compile(r"^ {0,3}(?:[Tt]able)?:[ \t]+(?=\S)")
"""A pandoc table caption's first line: ``: 表题`` or ``Table: 表题``."""
_ATTRIBUTES = re.compile(r"\{[^{}\n]*\}\s*$")


def _table_line(root: Path, path: Path, name: str) -> Location:
    """Where the author wrote the table ``printed.widened_tables`` names: the label ``name`` (``tbl:a``, the whole
    label, anywhere in its attribute block), else the caption ``name`` prints (its number glued on: ``表3两组比较``)."""
    from mspress.citations.labels import find_label
    from mspress.sources.markdown import without_verbatim

    text = _project_text(root, path)
    if text is None or not name:
        return Location(path)
    masked = without_verbatim(text)  # not a label or caption in code or a comment
    at = find_label(masked, name)
    if at >= 0:
        return Location.in_text(path, text, at)
    printed = normalise(name)
    best: tuple[int, int] | None = None  # (characters matched, offset)
    offset = 0
    for line in masked.split("\n"):
        caption = _CAPTION.match(line)
        if caption:
            # Markup, citations and the like print otherwise: the longest start of the caption that the printed one holds.
            written = normalise(_ATTRIBUTES.sub("", line[caption.end():]))
            low, high = 0, len(written)
            while low < high:  # a start the printed caption holds: each shorter start it holds too
                middle = (low + high + 1) // 2
                low, high = (middle, high) if written[:middle] in printed else (low, middle - 1)
            if low and low >= min(len(written), 3) and (best is None or low > best[0]):
                best = (low, offset + caption.end())
        offset += len(line) + 1
    return Location.in_text(path, text, best[1]) if best else Location(path)


def _project_text(root: Path, path: Path) -> str | None:
    from mspress.sources.files import read_text

    try:
        return read_text(root / path, root)
    except (OSError, ManuscriptError, UnicodeDecodeError):
        return None


def build(settings: Settings, formats: tuple[str, ...] = (), files: ManuscriptFiles | None = None,
          pdf_maker: Typesetter | None = None) -> BuildResult:
    """Write ``formats`` (none: the profile's ``formats``) once every check has passed and every output is made.
    ``pdf_maker``: the forked typesetter the caller started, else the PDF is typeset in this process."""
    formats = formats or settings.formats
    document, warnings = resolved(settings, files)
    contents: dict[str, bytes] = {}
    word = None
    if "docx" in formats:
        from mspress.writers.docx import start_docx

        word = start_docx(document)  # pandoc and rsvg-convert make it while WeasyPrint lays out the PDF
    if "html" in formats or "pdf" in formats:
        from mspress.writers.html import render_page, start_page

        page_made = start_page(document)
        if "pdf" in formats and pdf_maker is None:
            from mspress.writers.pdf import import_weasyprint

            import_weasyprint()  # while pandoc writes the HTML
        page = page_made()
        if "html" in formats:
            contents["html"] = render_page(settings, document.metadata, page, "screen").encode("utf-8")
        if "pdf" in formats:
            from mspress.writers.pdf import typeset

            print_page = render_page(settings, document.metadata, page, "print")
            printed = pdf_maker.typeset(print_page, settings.root) if pdf_maker else typeset(print_page, settings.root)
            contents["pdf"] = printed.pdf
            warnings += tuple(layout_warnings(settings, document.metadata.journal, printed))
    if word is not None:
        contents["docx"], more = word.result()
        warnings += more
    # Written only once every output is made, so a failure leaves the last good set together.
    targets = {settings.output_path / f"{settings.output_name}.{fmt}": data for fmt, data in contents.items()}
    outputs_inside(settings, list(targets))
    outputs = write_all(targets)
    return BuildResult(outputs, document.numbering, warnings)
