"""A CSL style file named by a profile (``csl = "styles/vancouver.csl"``): read through the project's one read path
and checked before anything is built, so ``check`` reports a broken style too.

Reading it needs lxml only; citeproc-py is imported when the style formats (``styles.csl.engine``). Nothing here
reaches the network or reads another file: a DOCTYPE (the way XML names external entities) is refused, and a
dependent style (one that only names its parent with ``<link rel="independent-parent">``) is reported with the
parent to download by hand, never fetched.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mspress.errors import ConfigError, Diagnostic, Location, ManuscriptError, Severity, relative_to
from mspress.sources.files import PACKAGE, read_bytes

if TYPE_CHECKING:
    from lxml.etree import _Element

NS = "http://purl.org/net/xbiblio/csl"
MAX_STYLE_BYTES = 1024 * 1024
"""The largest style file read: APA 7th, among the largest styles there are, is 86 kB."""
MAX_DEPTH = 50
"""Macros calling macros, at most this deep (APA 7th: 6)."""
MAX_EXPANDED = 200_000
"""Elements a citation or bibliography may expand to through its macros: beyond it a style is refused, as one
whose macros call each other in a tree would take for ever to format."""
_LOCALE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


@dataclass(frozen=True, slots=True)
class CslStyle:
    """A checked CSL style: its bytes and what mspress needs to know before formatting with it."""

    path: Path
    """Where it was read."""
    shown: Path
    """The path for messages, relative to the project (``styles/vancouver.csl``)."""
    data: bytes
    title: str
    """``<info><title>``, or the file's name."""
    numeric: bool
    """The style's in-text citation prints ``citation-number``: the marks are mspress's numbers, compressed by
    mspress; otherwise citeproc-py's text for each item (author-date, labels)."""
    numbered_list: bool
    """The bibliography prints ``citation-number`` (``1.``, ``[1]``), which becomes each entry's label."""
    sorted_citation: bool
    """The style sorts the items of one citation (``<citation><sort>``)."""
    year_suffix: bool
    """``disambiguate-add-year-suffix``: two works of one author and year get 2019a, 2019b."""

    @property
    def location(self) -> Location:
        return Location(self.shown)


@dataclass(frozen=True, slots=True)
class CslSetting:
    """``csl = "…"`` as one layer of settings wrote it, before the file is read."""

    value: str
    base: Path
    """The folder of the file that holds the setting: the project (pyproject.toml) or the journal's profile."""
    where: Location
    """The setting's line, for a message about the path."""


def path_problem(value: str) -> str | None:
    """What is wrong with a ``csl`` value on its face (the file is looked at later)."""
    if "://" in value or value.startswith("//"):
        return "must name a .csl file in the project, not a URL: download the style and give its path (mspress fetches nothing)"
    if Path(value).is_absolute() or value.startswith("~"):
        return "must be a path relative to the file that sets it: copy the style into the project"
    if not value.lower().endswith(".csl"):
        return "must name a .csl file (e.g. styles/apa.csl); mspress ships no CSL styles"
    return None


def load_style(setting: CslSetting, root: Path) -> CslStyle:
    """Read and check the style a setting names; every refusal is a ``ConfigError`` (exit status 2)."""
    base = Path(os.path.abspath(setting.base))
    path = Path(os.path.normpath(base / setting.value))
    within = Path(os.path.abspath(root)) if not base.is_relative_to(PACKAGE) else PACKAGE
    if not path.is_relative_to(within):
        raise _error(f"csl: {setting.value} leads outside the project: copy the style into the project", setting.where)
    shown = relative_to(path, root)
    if not (path.exists() or path.is_symlink()):
        raise _error(f"csl: {shown.as_posix()} does not exist: save the .csl file there (mspress fetches no styles)", setting.where)
    try:
        data = read_bytes(path, root, MAX_STYLE_BYTES, shown=shown)
    except ManuscriptError as exc:
        raise _error(f"csl: {exc.diagnostic.message}", setting.where) from None
    return check_style(data, path, shown)


def check_style(data: bytes, path: Path, shown: Path) -> CslStyle:
    """The facts of a style, or a ``ConfigError`` at the line of the first problem."""
    from lxml import etree

    doctype = re.search(rb"<!DOCTYPE", data, re.IGNORECASE)
    if doctype:
        line = data[: doctype.start()].count(b"\n") + 1
        raise _error("a CSL style has no DOCTYPE: remove it (mspress reads no entities or other files a style names)", Location(shown, line))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno or 1, 1)
        message = re.sub(r", line \d+, column \d+$", "", str(exc.msg or exc))
        raise _error(f"malformed CSL style (not well-formed XML): {message}", Location(shown, line or 1, column or 1)) from None
    if root is None:
        raise _error("malformed CSL style: no XML element in the file", Location(shown))
    where = Location(shown, _line(root))
    if root.tag != f"{{{NS}}}style":
        found = etree.QName(root).localname if isinstance(root.tag, str) else "?"
        raise _error(f'not a CSL style: the file holds <{found}>, where a style starts <style xmlns="{NS}">', where)
    title = (root.findtext(f"{{{NS}}}info/{{{NS}}}title") or path.stem).strip()
    citation, bibliography = root.find(f"{{{NS}}}citation"), root.find(f"{{{NS}}}bibliography")
    parent = root.find(f"{{{NS}}}info/{{{NS}}}link[@rel='independent-parent']")
    if parent is not None and citation is None:
        raise _error(f"{title!r} is a dependent CSL style: it only names its parent {parent.get('href', '')}; save the parent "
                     "style's .csl file in the project and name that one", Location(shown, _line(parent)))
    _check_structure(root, shown, citation, bibliography)
    macros = {m.get("name", ""): m for m in root.iter(f"{{{NS}}}macro")}
    for element in root.iter():
        name = element.get("macro")
        if name is not None and name not in macros:
            raise _error(f"macro {name!r} is not defined in the style", Location(shown, _line(element)))
    assert citation is not None and bibliography is not None  # checked by _check_structure
    sizes = _Expansion(macros, shown)
    for part in (citation, bibliography):
        if sizes.size(part) > MAX_EXPANDED:
            raise _error(f"<{etree.QName(part).localname}> expands to more than {MAX_EXPANDED:,} elements through its macros: "
                         "the style is too complex to format", Location(shown, _line(part)))
    numeric, numbered = ("citation-number" in sizes.variables(part.find(f"{{{NS}}}layout")) for part in (citation, bibliography))
    return CslStyle(path, shown, data, title, numeric, numbered, citation.find(f"{{{NS}}}sort") is not None,
                    citation.get("disambiguate-add-year-suffix") == "true")


def _check_structure(root: _Element, shown: Path, citation: _Element | None, bibliography: _Element | None) -> None:
    where = Location(shown, _line(root))
    version = root.get("version", "1.0")
    if not version.startswith("1."):
        raise _error(f"CSL version {version} is not supported: use a CSL 1.0 style (the CSL styles repository has them all)", where)
    if root.get("class") == "note":
        raise _error("a note style (citations in footnotes) is not supported: choose an in-text style (numeric or author-date)", where)
    locale = root.get("default-locale")
    if locale is not None and not _LOCALE.fullmatch(locale):
        raise _error(f"default-locale {locale!r} is not a language tag such as en-US or zh-CN", where)
    for name, element in (("citation", citation), ("bibliography", bibliography)):
        if element is None:
            why = "mspress prints a reference list" if name == "bibliography" else "it defines how citations are printed"
            raise _error(f"the style has no <{name}>: {why}", where)
        if element.find(f"{{{NS}}}layout") is None:
            raise _error(f"<{name}> has no <layout>", Location(shown, _line(element)))


class _Expansion:
    """Sizes and variables of elements with their macros expanded; a macro that calls itself is an error."""

    def __init__(self, macros: dict[str, _Element], shown: Path) -> None:
        self.macros, self.shown = macros, shown
        self._sizes: dict[str, int] = {}
        self._active: set[str] = set()

    def size(self, element: _Element) -> int:
        total = 0
        for node in element.iter():
            total += 1
            name = node.get("macro")
            if name is not None:
                total += self._macro_size(name, node)
            if total > MAX_EXPANDED:
                break
        return total

    def _macro_size(self, name: str, caller: _Element) -> int:
        if name in self._active:
            raise _error(f"macro {name!r} calls itself", Location(self.shown, _line(caller)))
        if len(self._active) >= MAX_DEPTH:
            raise _error(f"macros call macros more than {MAX_DEPTH} deep", Location(self.shown, _line(caller)))
        if name not in self._sizes:
            self._active.add(name)
            self._sizes[name] = self.size(self.macros[name])
            self._active.discard(name)
        return self._sizes[name]

    def variables(self, element: _Element | None) -> set[str]:
        found: set[str] = set()
        if element is None:
            return found
        for node in self._walk(element, set()):
            found.update((node.get("variable") or "").split())
        return found

    def _walk(self, element: _Element, seen: set[str]) -> Iterator[_Element]:
        for node in element.iter():
            yield node
            name = node.get("macro")
            if name is not None and name not in seen:
                seen.add(name)
                yield from self._walk(self.macros[name], seen)


def _line(element: _Element) -> int:
    line = getattr(element, "sourceline", None)
    return line if isinstance(line, int) else 1


def _error(message: str, where: Location) -> ConfigError:
    return ConfigError([Diagnostic("config", Severity.ERROR, message, where)])
