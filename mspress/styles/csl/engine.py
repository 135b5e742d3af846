"""Formatting with a CSL style through citeproc-py: the reference list and each cited item's in-text text.

The only module importing citeproc-py, and only when a profile names a CSL style. mspress keeps what citeproc-py
lacks or what must agree with the rest of the build:
- the numbers: items are registered in mspress's numbering order, so ``citation-number`` is mspress's number, and a
  numeric list is printed in that order whatever the style sorts by;
- numeric marks: only the style's brackets, delimiter and superscript are taken; mspress numbers, sorts and
  compresses them (``[1-3]``: citeproc-py collapses nothing);
- author-date marks: citeproc-py's text of each item (``Smith et al., 2019, p. 25``), joined by mspress as the
  style's layout says, with ``2019a``/``2019b`` given by mspress (citeproc-py does not disambiguate).
Any failure inside citeproc-py (a style it cannot follow) is a configuration error at the style's file.
"""
from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from mspress.errors import ConfigError, Diagnostic, Severity
from mspress.model import Formatted, Piece, Reference
from mspress.styles.csl.convert import to_csl
from mspress.styles.csl.rich import MARKUP, pieces, plain
from mspress.styles.csl.style import CslStyle
from mspress.styles.gbt7714.language import EntryLang, entry_language

LOCATOR_LABELS = {
    "chap.": "chapter", "chapter": "chapter", "ch.": "chapter", "sec.": "section", "section": "section", "§": "section",
    "fig.": "figure", "figure": "figure", "vol.": "volume", "volume": "volume", "para.": "paragraph", "¶": "paragraph",
    "l.": "line", "line": "line", "n.": "note", "note": "note", "art.": "article", "col.": "column", "no.": "issue",
}
"""A locator's leading word → its CSL label (pages have already lost theirs: ``citations.keys.locator_text``)."""


@dataclass(frozen=True, slots=True)
class Affixes:
    """How the style's ``<citation><layout>`` wraps and joins the items of one citation."""

    open: str = "["
    close: str = "]"
    delimiter: str = ","
    superscript: bool = False


@dataclass(frozen=True, slots=True)
class CslResult:
    entries: list[Formatted]
    """The reference list in print order: mspress's numbering (numeric) or the style's sort (author-date); an item the
    style does not list (APA: a personal communication) is left out."""
    numeric: bool
    affixes: Affixes
    cites: dict[tuple[str, str], tuple[Piece, ...]] = field(default_factory=dict)
    """(key, locator) → the item's in-text text, author-date styles only: ``Smith et al., 2019, p. 25``."""
    narratives: dict[tuple[str, str], tuple[Piece, ...]] = field(default_factory=dict)
    """(key, locator) → the same with the year in brackets, for ``@key`` in a sentence: ``Smith et al. (2019)``."""
    order: dict[str, int] = field(default_factory=dict)
    """Key → its place in the list, to sort the items of one citation when the style sorts them."""


def format_with_style(style: CslStyle, refs: Sequence[Reference], cited: Iterable[tuple[str, str]] = ()) -> CslResult:
    """``refs`` in mspress's numbering order; ``cited``: every (key, locator) the text cites (author-date marks)."""
    with _boundary(style):
        engine = _Engine(style, refs)
        entries = engine.entries()
        order = {entry.key: i for i, entry in enumerate(entries)}
        if style.numeric:
            return CslResult(entries, True, engine.numeric_affixes(refs[0].key) if refs else engine.affixes, order=order)
        cites = {pair: pieces(engine.cite(*pair)) for pair in dict.fromkeys(cited)}
        narratives = {pair: narrative(text, engine.and_word) for pair, text in cites.items()}
        return CslResult(entries, False, engine.affixes, cites, narratives, order)


@contextmanager
def _boundary(style: CslStyle) -> Iterator[None]:
    """citeproc-py's warnings are not the user's business; its exceptions are a style it cannot follow."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    except ConfigError:
        raise
    except Exception as exc:  # the boundary with a third-party library fed the user's style: report, with the file
        detail = " ".join(str(exc).split())[:200]
        raise ConfigError([Diagnostic("config", Severity.ERROR, f"citeproc-py cannot format with {style.title!r}: "
                                      f"{type(exc).__name__}{': ' + detail if detail else ''}; try another version of the style",
                                      style.location)]) from None


class _Engine:
    def __init__(self, style: CslStyle, refs: Sequence[Reference]) -> None:
        from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, Locator  # type: ignore[import-untyped]
        from citeproc.source.json import CiteProcJSON  # type: ignore[import-untyped]

        from mspress.styles.csl import patches

        patches.install()

        self._citation, self._item, self._locator = Citation, CitationItem, Locator
        self.style = style
        self._ids = {ref.key: f"item{i}" for i, ref in enumerate(refs)}
        self._keys = {ident: key for key, ident in self._ids.items()}
        self._refs = {ref.key: ref for ref in refs}
        self._csl: Any = CitationStylesStyle(io.BytesIO(style.data), validate=False)
        layout = self._csl.root.citation.layout
        # The layout's own affixes and alignment wrap a whole citation: mspress applies them, around linked items.
        self.affixes = Affixes(layout.attrib.pop("prefix", ""), layout.attrib.pop("suffix", ""), layout.attrib.pop("delimiter", "; "),
                               layout.attrib.pop("vertical-align", "") == "sup")
        items = [to_csl(ref, self._ids[ref.key], _language(ref)) for ref in refs]
        self._bib: Any = CitationStylesBibliography(self._csl, CiteProcJSON(items), MARKUP)
        self.and_word = str(self._csl.root.get_single_term("and") or "and")
        """The locale's "and": a sentence names ``Salas and D'Agostino``, brackets hold ``Salas & D'Agostino``."""
        for ref in refs:
            self._bib.register(Citation([CitationItem(self._ids[ref.key])]))

    def entries(self) -> list[Formatted]:
        if not self.style.numeric:
            self._bib.sort()
            if self.style.year_suffix:
                self._add_year_suffixes()
        out = []
        for number, item in enumerate(self._bib.items, 1):
            texts = self._csl.render_bibliography([item])  # one at a time: an entry a style leaves out prints nothing
            if not texts:
                continue  # APA's personal communications are cited in the text only
            key = self._keys[item.key]
            rich, label = pieces(str(texts[0])), ""
            if self.style.numbered_list:
                rich, label = _without_label(rich, number)
            out.append(Formatted(key, "".join(p.text for p in rich), rich, _language(self._refs[key]), label))
        return out

    def cite(self, key: str, locator: str = "") -> str:
        """One item as the citation layout prints it, without the layout's brackets (first position)."""
        extra: dict[str, Any] = {}
        if locator:
            label, value = _locator(locator)
            extra = {"locator": self._locator(label, value)} if label else {"suffix": f", {locator}"}
        citation = self._citation([self._item(self._ids[key], **extra)])
        citation.bibliography = self._bib
        return str(self._csl.render_citation(citation, [], lambda item: None) or "")

    def numeric_affixes(self, key: str) -> Affixes:
        """The brackets around a number: the layout's, plus any the number's own element adds (``[1]``)."""
        text = self.cite(key)
        number = str(self._bib.keys.index(self._ids[key]) + 1)
        bare = plain(text)
        before, _, after = bare.partition(number)
        superscript = self.affixes.superscript or "\ue012" in text
        return Affixes(self.affixes.open + before.strip(), after.strip() + self.affixes.close, self.affixes.delimiter.strip() or ",", superscript)

    def _add_year_suffixes(self) -> None:
        """Works whose in-text text is the same (``Smith, 2019``) get ``a``, ``b``… in the list's order."""
        seen: dict[str, list[Any]] = {}
        for item in self._bib.items:
            seen.setdefault(plain(self.cite(self._keys[item.key])), []).append(item)
        for same in seen.values():
            if len(same) > 1:
                for i, item in enumerate(same):
                    self._bib.source[item.key]["year_suffix"] = _letters(i)


def _language(ref: Reference) -> EntryLang:
    names = " ".join(ref.raw_fields.get(role, "") for role in ref.names)
    return entry_language(ref.fields, names)


def _letters(index: int) -> str:
    """0 → a, 25 → z, 26 → aa."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def _locator(locator: str) -> tuple[str, str]:
    """(CSL label, value); no label when the locator is not a page, chapter… (it is then printed as written)."""
    text = locator.strip()
    if re.fullmatch(r"[\divxlcIVXLC]+(?:\s*[-–]\s*[\divxlcIVXLC]+)?(?:\s*,\s*[\divxlcIVXLC]+(?:\s*[-–]\s*[\divxlcIVXLC]+)?)*", text):
        return "page", text
    word, _, rest = text.partition(" ")
    label = LOCATOR_LABELS.get(word.lower())
    return (label, rest.strip()) if label and rest.strip() else ("", text)


def _without_label(rich: tuple[Piece, ...], number: int) -> tuple[tuple[Piece, ...], str]:
    """The entry without its leading number (``1.``, ``[1]``), and that number as printed."""
    text = "".join(p.text for p in rich)
    match = re.match(rf"\s*([(\[]?{number}[.)\]:]?)\s*", text)
    if match is None:
        return rich, f"{number}."
    drop, out = match.end(), []
    for piece in rich:
        if drop >= len(piece.text):
            drop -= len(piece.text)
            continue
        out.append(Piece(piece.text[drop:], href=piece.href, marks=piece.marks))
        drop = 0
    return tuple(out), match.group(1)


_YEAR = re.compile(r",\s+(?=(?:\d{3,4}[a-z]{0,3}|n\.d\.|in press|forthcoming)(?!\w))")


def narrative(rich: tuple[Piece, ...], and_word: str = "and") -> tuple[Piece, ...]:
    """``Smith & Lee, 2019, p. 25`` → ``Smith and Lee (2019, p. 25)``: the year and what follows it in brackets and
    the locale's word for ``&``, as author-date styles name a work in a sentence; an item with no such year is left
    as it is."""
    text = "".join(p.text for p in rich)
    match = _YEAR.search(text)
    if match is None:
        return rich
    head, tail = _split(rich, match.start())
    _, tail = _split(tail, match.end() - match.start())
    head = tuple(Piece(p.text.replace(" & ", f" {and_word} "), href=p.href, marks=p.marks) for p in head)
    return (*head, Piece(" ("), *tail, Piece(")"))


def _split(rich: Sequence[Piece], at: int) -> tuple[tuple[Piece, ...], tuple[Piece, ...]]:
    head: list[Piece] = []
    tail: list[Piece] = []
    for piece in rich:
        if at >= len(piece.text):
            head.append(piece)
        elif at <= 0:
            tail.append(piece)
        else:
            head.append(Piece(piece.text[:at], href=piece.href, marks=piece.marks))
            tail.append(Piece(piece.text[at:], href=piece.href, marks=piece.marks))
        at -= len(piece.text)
    return tuple(head), tuple(tail)
