"""One ``Reference`` → its GB/T 7714 text and HTML, one small function per entry type."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Callable

from ..model import Reference
from .language import EntryLang, entry_language, uses_cjk_terms
from .options import Options, Punctuation
from .persons import format_names


@dataclass(frozen=True, slots=True)
class Formatted:
    key: str
    text: str
    """Plain text, without the ``[n]`` label."""
    html: str
    lang: EntryLang


@dataclass(slots=True)
class _Out:
    """Accumulates an entry as text and HTML in step."""

    text: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)

    def add(self, piece: str, href: str | None = None) -> None:
        if not piece:
            return
        self.text.append(piece)
        escaped = html.escape(piece, quote=False)
        self.html.append(f'<a href="{html.escape(href)}">{escaped}</a>' if href else escaped)


@dataclass(frozen=True, slots=True)
class _Entry:
    """The pieces shared by every type's template."""

    ref: Reference
    options: Options
    punct: Punctuation
    lang: EntryLang

    def get(self, *names: str) -> str:
        return next((self.ref.fields[n] for n in names if self.ref.fields.get(n)), "")

    @property
    def cjk(self) -> bool:
        return uses_cjk_terms(self.lang)

    def names(self, role: str) -> str:
        people = self.ref.names.get(role, ())
        return format_names(people, self.options, self.cjk) if people else ""

    def year(self) -> str:
        return self.get("year") or self.get("date")[:4]

    def pages(self) -> str:
        return re.sub(r"\s*[–—~～-]+\s*", "-", self.get("pages"))

    def online(self) -> bool:
        return bool(self.get("url")) or (self.options.print_doi and bool(self.get("doi")))

    def type_code(self, code: str) -> str:
        return f"[{code}/OL]" if self.online() else f"[{code}]"

    def title(self) -> str:
        title = self.get("title")
        subtitle = self.get("subtitle")
        return f"{title}{self.punct.colon}{subtitle}" if subtitle else title

    def edition(self) -> str:
        edition = self.get("edition")
        if not edition or edition in ("1", "1st"):
            return ""
        if edition.isdigit():
            return f"{edition}版" if self.cjk else f"{edition}{_ordinal(int(edition))} ed."
        return edition

    def publisher(self) -> str:
        p = self.punct
        place = self.get("address", "location") or ("出版地不详" if self.cjk else "S.l.")
        publisher = self.get("publisher", "institution", "school", "organization")
        place = f"[{place}]" if not self.get("address", "location") else place
        publisher = publisher or ("[出版者不详]" if self.cjk else "[s.n.]")
        return f"{place}{p.colon}{publisher}"

    def urldate(self) -> str:
        # 2015: every online item carries its access date; 2025 only websites, datasets, preprints.
        date = self.get("urldate")
        return f"[{date}]" if date and self.options.edition == 2015 else ""


def _period(text: str) -> str:
    """``text`` closed by ". ", without doubling a final period (``et al.``)."""
    return f"{text} " if text.endswith(".") else f"{text}. "


def _ordinal(n: int) -> str:
    return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _start(out: _Out, e: _Entry, code: str, title_href: str | None) -> None:
    authors = e.names("author") or e.names("editor")
    if authors:
        out.add(_period(authors))
    out.add(e.title(), title_href)
    out.add(e.type_code(code))
    out.add(". ")


def _finish(out: _Out, e: _Entry) -> None:
    url, doi = e.get("url"), e.get("doi")
    if url:
        out.add(url, url)
        out.add(". ")
    if doi and e.options.print_doi:
        out.add("DOI:")
        out.add(doi, f"https://doi.org/{doi}")
        out.add(". ")


def _translator(out: _Out, e: _Entry) -> None:
    translators = e.names("translator")
    if translators:
        out.add(_period(f"{translators}{e.punct.comma}{'译' if e.cjk else 'trans.'}"))


def _article(out: _Out, e: _Entry) -> None:
    p = e.punct
    _translator(out, e)
    journal = (e.options.short_journal and e.get("shortjournal")) or e.get("journal", "journaltitle")
    out.add(journal)
    volume, number, pages = e.get("volume"), e.get("number", "issue"), e.pages() or e.get("eid")
    year = e.year()
    out.add(f"{p.comma}{year}" if journal else year)
    if volume:
        out.add(f"{p.comma}{volume}")
    if number:
        out.add(f"{p.open_paren}{number}{p.close_paren}")
    if pages:
        out.add(f"{p.colon}{pages}")
    out.add(e.urldate())
    out.add(". ")


def _book(out: _Out, e: _Entry) -> None:
    p = e.punct
    _translator(out, e)
    if e.edition():
        out.add(_period(e.edition()))
    out.add(f"{e.publisher()}{p.comma}{e.year()}")
    if e.pages():
        out.add(f"{p.colon}{e.pages()}")
    out.add(e.urldate())
    out.add(". ")


def _part_of_book(out: _Out, e: _Entry) -> None:
    # The "//" form: the host book's editors and title follow the contribution.
    editors = e.names("editor") or e.names("bookauthor")
    out.text[-1:] = []
    out.html[-1:] = []
    out.add("//")
    if editors:
        out.add(f"{editors}. ")
    out.add(f"{e.get('booktitle', 'maintitle')}. ")
    _book(out, e)


def _thesis(out: _Out, e: _Entry) -> None:
    p = e.punct
    place = e.get("address", "location") or ("[出版地不详]" if e.cjk else "[S.l.]")
    out.add(f"{place}{p.colon}{e.get('school', 'institution')}{p.comma}{e.year()}")
    if e.pages():
        out.add(f"{p.colon}{e.pages()}")
    out.add(e.urldate())
    out.add(". ")


def _online(out: _Out, e: _Entry) -> None:
    p = e.punct
    date = e.get("date") if len(e.get("date")) > 4 else e.get("year")
    if date:
        out.add(f"{p.open_paren}{date}{p.close_paren}")
    if e.get("urldate"):
        out.add(f"[{e.get('urldate')}]")
    out.add(". ")


_TYPES: dict[str, tuple[str, Callable[[_Out, _Entry], None]]] = {
    "article": ("J", _article),
    "book": ("M", _book),
    "mvbook": ("M", _book),
    "collection": ("G", _book),
    "proceedings": ("C", _book),
    "incollection": ("M", _part_of_book),
    "inbook": ("M", _part_of_book),
    "inproceedings": ("C", _part_of_book),
    "conference": ("C", _part_of_book),
    "phdthesis": ("D", _thesis),
    "mastersthesis": ("D", _thesis),
    "thesis": ("D", _thesis),
    "techreport": ("R", _book),
    "report": ("R", _book),
    "online": ("EB", _online),
    "www": ("EB", _online),
    "electronic": ("EB", _online),
    "misc": ("Z", _book),
}


def format_reference(ref: Reference, options: Options) -> Formatted:
    names_text = " ".join(n.family + n.given for people in ref.names.values() for n in people)
    lang = entry_language(ref.fields, names_text)
    entry = _Entry(ref, options, Punctuation.for_edition(options.edition), lang)
    code, body = _TYPES.get(ref.entry_type, ("Z", _book))
    if ref.entry_type == "misc" and entry.get("url") and not entry.get("publisher"):
        code, body = "EB", _online
    doi = entry.get("doi")
    out = _Out()
    _start(out, entry, code, f"https://doi.org/{doi}" if doi and not options.print_doi else None)
    body(out, entry)
    _finish(out, entry)
    text = "".join(out.text).strip()
    return Formatted(ref.key, text, "".join(out.html).strip(), lang)
