"""One bibliography entry seen through GB/T 7714: its language, its fields normalised for printing."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from mspress.model import Piece, Reference
from mspress.sources.latex import decode
from mspress.styles.gbt7714.fields import ARXIV_ID, bare_doi, carrier, edition_number, first_place, plain_number, preprint_server, url_in_text
from mspress.styles.gbt7714.language import EntryLang, entry_language, is_english, uses_cjk_terms
from mspress.styles.gbt7714.options import Options, Punctuation
from mspress.styles.gbt7714.persons import format_names
from mspress.styles.gbt7714.text import journal_title, punctuate, sentence_case

_ASCII_SPACES = re.compile(r"[ \t\r\n]+")  # an em space (after a standard's number) is content
STAND_IN_ROLES = ("editora", "editorb", "editorc", "namea", "nameb", "namec")
"""BibLaTeX's other name lists, where exporters put a work's creator who is neither author nor editor."""
ONLINE_TYPES = {"online", "www", "electronic", "webpage"}
VERBATIM = {"url", "doi", "urldate", "date", "year", "pages", "number", "eid", "scale", "dimensions", "version", "cstr",
            "eprint", "isbn", "issn", "langid", "language", "key"}


@dataclass
class Block:
    """A run of the entry between two ``. `` separators."""

    pieces: list[Piece] = field(default_factory=list)

    def add(self, text: str, href: str | None = None) -> Block:
        if text:
            self.pieces.append(Piece(text, href))
        return self

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)


class Entry:
    def __init__(self, ref: Reference, options: Options) -> None:
        self.ref = ref
        self.options = options
        names_text = " ".join(ref.raw_fields.get(role, "") for role in ref.names)
        self.lang: EntryLang = entry_language(ref.fields, names_text)
        self.cjk = uses_cjk_terms(self.lang)
        self.p = Punctuation.of(options.punctuation_for(self.cjk))
        self._names: dict[tuple[str, ...], str] = {}

    # --- raw access ---------------------------------------------------------------------------
    def raw(self, *names: str) -> str:
        return next((self.ref.fields[n] for n in names if self.ref.fields.get(n)), "")

    def get(self, *names: str) -> str:
        """A printable field: LaTeX decoded, punctuation set to the style's width."""
        for name in names:
            value = self.ref.fields.get(name)
            if value:
                value = value.replace("\u00a0", " ")
                return value if name in VERBATIM else punctuate(value, self.p.full)
        return ""

    @property
    def english(self) -> bool:
        """Sentence case is for English titles only (not French, Portuguese…)."""
        return is_english(self.ref.fields, self.lang)

    @property
    def converts_case(self) -> bool:
        policy = self.options.title_case
        return policy == "sentence" or (policy == "by-format" and self.ref.source_format == "bibtex")

    def title(self, name: str = "title") -> str:
        """A title with its subtitle and title addition (``title: subtitle``), in the case the profile asks for.

        A conference's name (an ``inproceedings``' ``booktitle``) is printed as written.
        """
        prefix = name[: -len("title")] if name.endswith("title") else ""
        names = (name, f"{prefix}subtitle", f"{prefix}titleaddon")
        conference = name == "booktitle" and self.ref.entry_type in ("inproceedings", "conference")
        convert = self.english and self.converts_case and not conference
        if not convert and self.ref.source_format == "csl-json":  # CSL text is not LaTeX: nothing to decode
            return punctuate(": ".join(v for v in (self.ref.fields.get(n, "").strip() for n in names) if v), self.p.full)
        parts = [self.ref.raw_fields.get(part, "").strip() for part in names]
        if not parts[0]:
            return ""
        raw = ": ".join(part for part in parts if part)
        text = (sentence_case(raw) if convert else decode(raw)).replace("\u00a0", " ")
        return punctuate(_ASCII_SPACES.sub(" ", text).strip(), self.p.full)

    def journal(self) -> str:
        name = (self.options.short_journal and self.get("shortjournal")) or self.get("journal", "journaltitle")
        return journal_title(name)

    # --- names ----------------------------------------------------------------------------------
    def names(self, *roles: str) -> str:
        """The first of ``roles`` the entry has, formatted (memoised: the author-year head asks again)."""
        cached = self._names.get(roles)
        if cached is None:
            cached = ""
            tried = roles
            if "author" in roles and not any(self.ref.names.get(role) for role in roles):
                tried = (*roles, *STAND_IN_ROLES)  # a map's cartographer, a film's director, exported as editora/namea
            for role in tried:
                people = self.ref.names.get(role, ())
                if people:
                    cached = format_names(people, self.options, self.cjk, self.p.comma, self.p.full)
                    break
            self._names[roles] = cached
        return cached

    def term(self, zh: str, en: str) -> str:
        return zh if self.cjk else en

    # --- derived values ---------------------------------------------------------------------------
    @cached_property
    def year(self) -> str:
        year = self.raw("year")
        if year:
            return year
        date = self.raw("date")
        return date[:4] if re.match(r"\d{4}", date) else ""

    @property
    def date(self) -> str:
        """A full date (YYYY-MM-DD or YYYY-MM) when the entry gives one."""
        date = self.raw("date")
        return date if re.match(r"^\d{4}-\d{2}", date) else ""

    def pages(self) -> str:
        return self._pages

    @cached_property
    def _pages(self) -> str:
        """Pages with ``-`` ranges; CNKI's ``210+209`` (continued on page 209) as ``210, 209``."""
        pages = self.raw("pages")
        if not pages:
            return ""
        pages = re.sub(r"\s*(?:--|–|—|~|～)\s*", "-", pages)
        pages = re.sub(r"\s*(?:\+|,)\s*(?=\w)", self.p.comma, pages)  # 210+209 and 68-73, 86 → the style's comma
        return re.sub(r"(?<=[^\x00-\x7f])\s+(?=\d)|(?<=\d)\s+(?=[^\x00-\x7f])", "", pages)

    def number(self, *names: str) -> str:
        """A volume or issue number, without the leading zeros CNKI writes; ranges with a hyphen (``7-8``)."""
        return re.sub(r"\s*(?:--|–|—)\s*", "-", plain_number(self.raw(*names)))

    def place(self) -> str:
        return first_place(self.get("address", "location"))

    def edition(self) -> str:
        edition = self.get("edition")
        if not edition:
            return ""
        number = edition_number(edition)
        if number is None:
            return re.sub(r"^(\d+)\s*版$", r"\1 版", edition) if self.cjk else edition
        if number == 1:
            return ""
        if self.cjk:
            return f"{number} 版"
        suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
        return f"{number}{suffix} ed."

    def volume_label(self) -> str:
        volume = plain_number(self.get("volume"))
        if not volume:
            return ""
        if volume.isdigit():
            if self.lang == "ko":
                return f"제 {volume} 권"
            if self.cjk:
                return f"第 {volume} 卷"
            return f"v.{volume}"
        return volume

    def verbatim(self, name: str) -> str:
        """A field exactly as written (URLs and DOIs are not LaTeX)."""
        value = self.ref.raw_fields.get(name) or self.ref.fields.get(name, "")
        return value.strip().strip("{}").replace("\\_", "_").replace("\\%", "%").replace("\\&", "&").replace("\\#", "#")

    @cached_property
    def url(self) -> str:
        if not self.options.print_url:
            return ""
        return self.verbatim("url") or url_in_text(self.ref.raw_fields) or self.eprint_url

    @cached_property
    def preprint_server(self) -> str:
        """``arXiv`` when the ``journal`` field names a preprint server rather than a journal."""
        return preprint_server(self.raw("journal", "journaltitle")) or ""

    @cached_property
    def eprint_url(self) -> str:
        """The arXiv page of an entry that gives only its arXiv identifier (``eprint``, or in ``journal``/``volume``)."""
        server = (self.raw("archiveprefix", "eprinttype") or self.preprint_server).lower()
        if server != "arxiv":
            return ""
        for text in (self.verbatim("eprint"), self.raw("journal", "journaltitle"), self.raw("volume")):
            m = ARXIV_ID.search(text[:200]) if text else None  # an identifier is short; a long value is not scanned
            if m:
                return f"https://arxiv.org/abs/{m.group(1)}"
        return ""

    @cached_property
    def doi(self) -> str:
        doi = bare_doi(self.verbatim("doi"))
        if not doi or not self.options.print_doi:
            return ""
        url = self.verbatim("url")
        return "" if url and doi.lower() in url.lower() else doi

    @property
    def title_href(self) -> str | None:
        """In HTML, a title links to its DOI when the DOI itself is not printed."""
        doi = bare_doi(self.verbatim("doi"))
        return f"https://doi.org/{doi}" if doi and not self.options.print_doi else None

    @property
    def online(self) -> bool:
        if self.ref.entry_type in ONLINE_TYPES:
            return True
        return bool(self.url) or (bool(self.doi) and self.options.doi_online)

    def code(self, letters: str) -> str:
        """``[M]``, ``[J/OL]``, ``[CP/DK]``: the type and, for an electronic resource, its medium."""
        medium = "OL" if self.online else carrier(self.raw("medium", "howpublished"))
        return f"[{letters}/{medium}]" if medium else f"[{letters}]"

    def urldate(self) -> str:
        date = self.raw("urldate")
        return f"[{date}]" if date else ""
