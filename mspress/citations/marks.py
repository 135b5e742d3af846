"""How a citation is printed in the text, as AST inlines: numbers in brackets, or author and year.

The numbers come from ``citations.numbering`` and the author-year labels from the GB/T 7714 engine (or, with a
CSL style, each item's text from citeproc-py); this module only prints them, so every writer and ``check
--report`` agree. Each number and each item links to ``#ref-<key>``.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from mspress.citations.numbering import compress
from mspress.config import CitationForm
from mspress.transform.ast import Node, link, span, superscript, text

if TYPE_CHECKING:
    from mspress.model import Piece


class Marks(Protocol):
    def inlines(self, keys: tuple[str, ...], locators: tuple[str, ...], narrative: bool, after_word: bool) -> list[Node]:
        """A citation as printed; ``after_word``: the text already ends with the word a narrative number takes (文献)."""
        ...


def _link(key: str, label: str) -> Node:
    return link(text(label), f"#ref-{key}")


@dataclass(frozen=True, slots=True)
class NumericMarks:
    numbers: dict[str, int]
    form: CitationForm
    word: str = "文献"
    """What a narrative number is printed after (``文献[8]``): the journal's ``labels.zh.narrative``."""
    open: str = "["
    close: str = "]"
    delimiter: str = ","
    raised: bool = True
    """Superscript (GB/T 7714's ``^[1]``); a CSL style's citation layout decides for itself (Vancouver: ``(1)``)."""

    def inlines(self, keys: tuple[str, ...], locators: tuple[str, ...], narrative: bool, after_word: bool) -> list[Node]:
        body: list[Node] = []
        if any(locators):
            for key, locator in zip(keys, locators, strict=True):
                body += [*text(self.open), _link(key, str(self.numbers[key])), *text(self.close + locator)]
        else:
            by_number = {self.numbers[k]: k for k in keys}
            body = text(self.open)
            for i, (a, b) in enumerate(compress(by_number, self.form.min_run, self.form.sort)):
                body += text(self.delimiter) if i else []
                body.append(_link(by_number[a], str(a)))
                if a != b:
                    body += [*text(self.form.dash), _link(by_number[b], str(b))]
            body += text(self.close)
        if narrative:
            return [span(["cite-inline"], ([] if after_word or not self.word else text(self.word)) + body)]
        return [span(["cite"], [superscript(body)] if self.raised else body)]


@dataclass(frozen=True, slots=True)
class AuthorYearMarks:
    labels: dict[str, tuple[str, str]]
    """Key → (name as cited, year with its a/b suffix)."""

    def inlines(self, keys: tuple[str, ...], locators: tuple[str, ...], narrative: bool, after_word: bool) -> list[Node]:
        def page(locator: str) -> list[Node]:
            return [span(["locator"], [superscript(text(locator))])] if locator else []

        out: list[Node] = []
        if narrative:
            for i, (key, locator) in enumerate(zip(keys, locators, strict=True)):
                name, year = self.labels[key]
                out += [*(text("；") if i else []), *text(name + "（"), _link(key, year), *text("）"), *page(locator)]
            return [span(["cite-ay"], out)]
        out = text("（")
        for i, (key, locator) in enumerate(zip(keys, locators, strict=True)):
            name, year = self.labels[key]
            out += [*(text("；") if i else []), _link(key, f"{name}，{year}")]
            if len(keys) > 1:
                out += page(locator)
        out += text("）")
        if len(keys) == 1:
            out += page(locators[0])
        return [span(["cite-ay"], out)]


@dataclass(frozen=True, slots=True)
class StyleMarks:
    """Author-date (or label) marks of a CSL style: citeproc-py's text of each item, linked, joined as the style's
    ``<citation><layout>`` says (``(Smith et al., 2019; Lee, 2018, p. 25)``); in a sentence ``Smith et al. (2019)``."""

    items: Mapping[tuple[str, str], tuple[Piece, ...]]
    """(key, locator) → the item as the style prints it in brackets."""
    narratives: Mapping[tuple[str, str], tuple[Piece, ...]]
    """(key, locator) → the item as a sentence names it."""
    open: str = "("
    close: str = ")"
    delimiter: str = "; "
    raised: bool = False
    order: Mapping[str, int] = field(default_factory=dict)
    """Key → place in the reference list: the items of one citation in that order (empty: as written)."""

    def inlines(self, keys: tuple[str, ...], locators: tuple[str, ...], narrative: bool, after_word: bool) -> list[Node]:
        pairs = list(zip(keys, locators, strict=True))
        if self.order and not narrative:
            pairs.sort(key=lambda pair: self.order.get(pair[0], len(self.order)))
        if narrative:
            out: list[Node] = []
            for i, (key, locator) in enumerate(pairs):
                out += [*(text(self.delimiter) if i else []), link(styled_inlines(self.narratives[key, locator]), f"#ref-{key}")]
            return [span(["cite-ay"], out)]
        body = text(self.open)
        for i, (key, locator) in enumerate(pairs):
            body += [*(text(self.delimiter) if i else []), link(styled_inlines(self.items[key, locator]), f"#ref-{key}")]
        body += text(self.close)
        return [span(["cite-ay"], [superscript(body)] if self.raised else body)]


STYLED = {"italic": "Emph", "bold": "Strong", "superscript": "Superscript", "subscript": "Subscript", "smallcaps": "SmallCaps"}
"""Font styles of rich text (``Piece.marks``) → pandoc's inline types."""


def styled(inlines: list[Node], styles: Iterable[str]) -> list[Node]:
    """``inlines`` inside each of ``styles`` (outermost first)."""
    for style in reversed(list(styles)):
        if style in STYLED:
            inlines = [{"t": STYLED[style], "c": inlines}]
    return inlines


def styled_inlines(pieces: Iterable[Piece]) -> list[Node]:
    """Rich text as inlines, each run in its font styles (links are left to the caller)."""
    out: list[Node] = []
    for piece in pieces:
        out += styled(text(piece.text), piece.marks)
    return out
