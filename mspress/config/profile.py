"""The settings as typed objects: a journal's profile (references, citation form, labels, layout) and the
project's settings around it."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from mspress.errors import ConfigError, Diagnostic, Location, Severity
from mspress.styles.gbt7714.options import Options

if TYPE_CHECKING:
    from mspress.styles.csl.style import CslStyle


@dataclass(frozen=True, slots=True)
class CitationForm:
    """How citation numbers are printed in the text."""

    min_run: int = 2
    """Consecutive numbers collapse into a range from this many on: 2 (``[1-2]``) or 3 (``[1,2]``, ``[1-3]``)."""
    dash: str = "-"
    """The dash of a range: ``-`` (the standard) or ``–``."""
    sort: bool = True
    """Sort the numbers inside one citation (``[3,1]`` → ``[1,3]``); false keeps the written order."""


@dataclass(frozen=True, slots=True)
class LabelSet:
    """The words a journal prints in one language."""

    abstract: str
    keywords: str
    references: str
    figure: str
    table: str
    section: str
    clc: str
    document_code: str
    article_id: str
    doi: str
    received: str
    revised: str
    funding: str
    biography: str
    corresponding: str
    email: str
    narrative: str
    """What a number cited in the sentence follows: ``文献`` in ``文献[8]指出``."""
    contents: str
    """The HTML page's table of contents."""
    equation: str
    """What an equation's number follows in a cross reference: ``式`` in ``式(1)``."""


@dataclass(frozen=True, slots=True)
class Labels:
    zh: LabelSet
    en: LabelSet


PAPER_SIZES = {"A4": (210, 297), "B5": (176, 250), "16K": (184, 260)}
"""Page sizes in millimetres (width, height); 16K is the Chinese 16开."""


@dataclass(frozen=True, slots=True)
class Layout:
    """The printed page, shared by the PDF and the Word file. Sizes in points, lengths in millimetres."""

    running_head: bool = True
    """Journal name, year, volume and issue at the top of each page after the first."""
    page_numbers: str = "journal"
    """``journal``: the first page is the first of ``journal.pages`` in metadata.yaml; ``from-1``: page 1."""
    paper: str = "A4"
    margins: tuple[float, float, float, float] = (22, 20, 20, 20)
    """Top, right, bottom, left (the CSS order)."""
    body_size: float = 10.5
    """五号."""
    title_size: float = 16
    heading_sizes: tuple[float, ...] = (12, 11, 11)
    """Levels 1, 2, 3…; deeper levels take the last."""
    reference_size: float = 8.5
    note_size: float = 8
    """First-page notes and footnotes."""
    line_height: float = 1.65
    """Line pitch as a multiple of the body size (at least: a taller formula widens its line)."""
    columns: int = 1
    """The PDF's body and references in one column or two; the front matter and first-page notes span the page."""
    column_gap: float = 7
    """Between two columns, in millimetres."""
    font_zh: str = "宋体"
    """The Word file's fonts: Chinese text (Word's East Asian slot), Chinese headings, Latin text (ASCII slot)."""
    font_heading_zh: str = "黑体"
    font_latin: str = "Times New Roman"

    @property
    def page_size(self) -> tuple[int, int]:
        return PAPER_SIZES[self.paper]

    def text_width_em(self, size: float) -> float:
        """The text block's width in em of a ``size``-point font."""
        return (self.page_size[0] - self.margins[1] - self.margins[3]) / 25.4 * 72 / size

    def heading_size(self, level: int) -> float:
        return self.heading_sizes[min(level, len(self.heading_sizes)) - 1]


@dataclass(frozen=True, slots=True)
class JournalProfile:
    name: str
    """The profile's name (its folder's name)."""
    title: str
    """The journal's name as the profile gives it (for messages and the README)."""
    folder: Path | None
    """The profile's folder: its ``templates/`` come between the project's and the packaged ones."""
    references: Options
    citations: CitationForm
    labels: Labels
    layout: Layout
    csl: CslStyle | None = None
    """A CSL style that formats the references and citations instead of GB/T 7714 (``csl = "styles/x.csl"``)."""

    @property
    def style(self) -> str:
        return f"csl:{self.csl.shown.as_posix()}" if self.csl else f"gb7714-{self.references.edition}"

    @property
    def system(self) -> str:
        """``numeric`` or ``author-year`` (GB/T 7714's choice, or the CSL style's kind: author-date counts as author-year)."""
        if self.csl is not None:
            return "numeric" if self.csl.numeric else "author-year"
        return self.references.system


@dataclass(frozen=True, slots=True)
class Settings:
    root: Path
    """The project directory."""
    journal: JournalProfile
    formats: tuple[str, ...] = ("html", "pdf")
    """What ``mspress build`` writes when the command line names no format."""
    output_dir: str = "output"
    output_name: str = "manuscript"
    """Outputs are ``<output_dir>/<output_name>.html``, ``.pdf`` …"""

    @property
    def output_path(self) -> Path:
        return self.root / self.output_dir

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        """Where templates are looked up, first match wins: project, journal, packaged default."""
        journal = (self.journal.folder / "templates",) if self.journal.folder else ()
        return (self.root / "templates", *journal, Path(__file__).parent.parent / "templates")

    def with_overrides(self, style: str | None = None, system: str | None = None) -> Settings:
        """The command line's ``--style`` / ``--system`` over the profile's; ``--style`` replaces a CSL style."""
        references, csl = self.journal.references, self.journal.csl
        if style is not None:
            references, csl = replace(references, edition=edition_of(style)), None
        if system is not None and csl is not None:
            raise ConfigError([Diagnostic("config", Severity.ERROR, f"--system chooses between GB/T 7714's two systems, and the journal "
                                          f"formats with the CSL style {csl.shown.as_posix()}, which decides its own: add --style "
                                          "gb7714-2015 (or gb7714-2025) to use GB/T 7714", Location(Path("<command line>")))])
        if system is not None:
            references = replace(references, system=system)
        return replace(self, journal=replace(self.journal, references=references, csl=csl))


def edition_of(style: str) -> int:
    return int(style.rsplit("-", 1)[1])
