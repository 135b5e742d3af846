"""Typed values passed between the stages: sources → citations → styles → transform → writers."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from mspress.errors import Location

Lang = Literal["zh", "en"]


@dataclass(frozen=True, slots=True)
class Bilingual:
    """A text given in Chinese, English or both."""

    zh: str | None = None
    en: str | None = None

    def get(self, lang: Lang) -> str | None:
        return self.zh if lang == "zh" else self.en

    def either(self, lang: Lang) -> str:
        """The text in ``lang``, else in the other language (never invented)."""
        return self.get(lang) or self.zh or self.en or ""


@dataclass(frozen=True, slots=True)
class Author:
    name: Bilingual
    affiliations: tuple[int, ...]
    """1-based numbers of the author's affiliations, in the order of ``Metadata.affiliations``."""
    corresponding: bool = False
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Affiliation:
    id: str
    name: Bilingual


@dataclass(frozen=True, slots=True)
class Journal:
    name: Bilingual
    year: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None

    @property
    def first_page(self) -> int | None:
        """The first page ``pages`` (``187-192``, ``187``) gives, if it gives one."""
        found = _FIRST_PAGE.match(self.pages or "")
        return int(found[1]) if found else None

    @property
    def page_span(self) -> int | None:
        """How many pages ``pages`` (``187-192``) gives the article, if it gives a first and a last."""
        found = _PAGES.fullmatch(self.pages or "")
        if found and found[2] and int(found[2]) >= int(found[1]):
            return int(found[2]) - int(found[1]) + 1
        return None


_DASHES = "-‐‑‒–—~～"
_PAGES = re.compile(rf"\s*([0-9]{{1,9}})\s*(?:[{_DASHES}]+\s*([0-9]{{1,9}})?\s*)?")
"""``pages``: a first page, then maybe a dash or tilde and a last. ASCII digits only: ``str.isdigit`` takes ``²``,
which ``int`` then refuses."""
_FIRST_PAGE = re.compile(rf"\s*([0-9]{{1,9}})\s*(?:[{_DASHES}]|$)")


@dataclass(frozen=True, slots=True)
class Metadata:
    """The article's front matter (``manuscript/metadata.yaml``)."""

    title: Bilingual
    authors: tuple[Author, ...]
    affiliations: tuple[Affiliation, ...]
    keywords_zh: tuple[str, ...] = ()
    keywords_en: tuple[str, ...] = ()
    clc: tuple[str, ...] = ()
    """中图分类号."""
    document_code: str | None = None
    """文献标志码 (A–E)."""
    article_id: str | None = None
    """文章编号."""
    doi: str | None = None
    funding: tuple[str, ...] = ()
    """基金项目, one item per programme."""
    received: str | None = None
    """收稿日期 (ISO date)."""
    revised: str | None = None
    biography: str | None = None
    """作者简介."""
    journal: Journal | None = None


@dataclass(frozen=True, slots=True)
class SourceText:
    """One Markdown file of the manuscript."""

    name: str
    """Part name: ``abstract.zh``, ``abstract.en`` or the body file's stem."""
    path: Path
    """Path relative to the project root, for messages."""
    text: str


@dataclass(frozen=True, slots=True)
class Name:
    """One person or organisation from a BibTeX name list."""

    family: str
    given: str = ""
    particle: str = ""
    """``von``, ``van der``…"""
    suffix: str = ""
    """``Jr``, ``III``…"""
    corporate: bool = False
    """An organisation written in braces: printed exactly as given."""
    given_raw: str = ""
    """The given names as written, braces kept (``{\\relax Jiangning}`` is not to be abbreviated)."""
    dropping: str = ""
    """A particle that follows the given names once inverted (CSL's dropping particle, BibLaTeX's prefix without
    ``useprefix``): GB/T 7714 abbreviates it with them (``Veen P H v d``)."""


@dataclass(frozen=True, slots=True)
class Reference:
    """One bibliography entry, fields decoded from LaTeX to Unicode."""

    key: str
    entry_type: str
    """Lower-case BibTeX/BibLaTeX type (``article``, ``book``…)."""
    fields: Mapping[str, str]
    """Decoded values; math sub- and superscripts are kept between ``sources.latex.SUB``/``SUP`` marks (private-use
    characters, no output format's markup): ``strip_marks`` gives the plain text, ``marked_runs`` the runs."""
    names: Mapping[str, Sequence[Name]]
    """Parsed name lists by role: ``author``, ``editor``, ``translator``…"""
    location: Location
    raw_fields: Mapping[str, str] = field(default_factory=dict)
    """Undecoded values (braces kept), for case protection in titles."""
    source_format: Literal["bibtex", "csl-json"] = "bibtex"
    """The library's format: its conventions decide whether titles are case-converted."""
    lines: Mapping[str, int] = field(default_factory=dict)
    """Field → the line it is written on (BibTeX), for messages about one field."""
    placeholders: Mapping[str, str] = field(default_factory=dict)
    """Fields left out because their value stands for nothing (``year = {Null}``, ``pages = {0--0}``)."""
    members: tuple[Reference, ...] = ()
    """A BibLaTeX ``@set``'s entries, printed as one item."""

    @property
    def printable(self) -> bool:
        """Not an ``@xdata`` container (data for other entries) nor a ``@set`` without members."""
        return self.entry_type != "xdata" and (self.entry_type != "set" or bool(self.members))

    def field_location(self, name: str) -> Location:
        line = self.lines.get(name)
        return Location(self.location.path, line) if line else self.location


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of a formatted reference's rich text: what a reference style returns, for any writer to render."""

    text: str
    """``"\n"`` alone is a line break (between a Chinese entry and its English version)."""
    href: str | None = None
    marks: tuple[str, ...] = ()
    """Font styles, outermost first: ``italic``, ``bold``, ``superscript``, ``subscript``, ``smallcaps``."""


_HTML_TAGS = {"italic": "i", "bold": "b", "superscript": "sup", "subscript": "sub"}


@dataclass(frozen=True, slots=True)
class Formatted:
    """One reference entry as a style formats it (GB/T 7714 or a CSL style)."""

    key: str
    text: str
    """Plain text, without the entry's label."""
    rich: tuple[Piece, ...]
    """The same text as runs, some linked (DOI, URL, a title to its DOI), some styled."""
    lang: str
    """The entry's language (``zh``, ``en``, ``ja``…)."""
    label: str = ""
    """The entry's number as a CSL style prints it (``1.``); empty: the list's own ``[n]`` (or none, author-year)."""

    @property
    def html(self) -> str:
        """The rich text as an HTML fragment (for ``refs --format html``)."""
        import html  # its entity table is not worth loading for check

        out = []
        for piece in self.rich:
            if piece.text == "\n":
                out.append("<br>")
                continue
            inner = html.escape(piece.text, quote=False)
            if piece.href:
                inner = f'<a href="{html.escape(piece.href)}">{inner}</a>'
            for mark in reversed(piece.marks):
                if mark in _HTML_TAGS:
                    inner = f"<{_HTML_TAGS[mark]}>{inner}</{_HTML_TAGS[mark]}>"
            out.append(inner)
        return "".join(out)


@dataclass(frozen=True, slots=True)
class Citation:
    """One citation group as written: ``[@a; @b, p. 5]`` or a narrative ``@a``."""

    keys: tuple[str, ...]
    locators: tuple[str, ...]
    """Page locator of each key ('' when none)."""
    narrative: bool
    location: Location
    part: str
    """Name of the source part it occurs in."""


@dataclass(frozen=True, slots=True)
class CrossRef:
    """One ``@fig:x``, ``@tbl:x`` or ``@sec:x`` reference."""

    label: str
    location: Location
    part: str


@dataclass(frozen=True, slots=True)
class Numbering:
    """Citation numbers by order of first citation, computed once (``citations.number``)."""

    numbers: Mapping[str, int]
    """Key → 1-based number."""
    first_citation: Mapping[str, Location]
    counts: Mapping[str, int]
    """Key → how many times it is cited."""

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(sorted(self.numbers, key=self.numbers.__getitem__))
