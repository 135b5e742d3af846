"""The article page (HTML, and the HTML WeasyPrint makes the PDF from), assembled with Jinja.

Templates are looked up in the project's ``templates/``, then the journal's, then the packaged ones.
"""
from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import os
import re
import signal
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from mspress import pandoc
from mspress.background import Pending
from mspress.config import Labels, Layout, Settings
from mspress.errors import Location, ManuscriptError, relative_to
from mspress.model import Metadata
from mspress.text import QUOTES, is_apostrophe, is_cjk
from mspress.transform.ast import Node, clone, div, link, plain_text, text
from mspress.transform.document import ResolvedDocument
from mspress.typeset.breaks import breakable_urls
from mspress.writers.print_page import print_parts

PAGE_TEMPLATE = "article.html.j2"


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    ident: str
    text: str


@dataclass(frozen=True, slots=True)
class Page:
    """What the template receives besides the metadata."""

    parts: dict[str, str]
    """HTML fragments by part name (``abstract.zh``, ``abstract.en``, section stems, ``references``, ``notes``)."""
    sections: tuple[str, ...]
    """Names of the body parts, in order."""
    labels: Labels
    layout: Layout
    style: str
    system: str = "numeric"
    contents: tuple[Heading, ...] = ()
    """The body's headings of levels 1 and 2, for the reader's table of contents."""
    reference_texts: tuple[str, ...] = ()
    """Each entry of the list as plain text (``citation_reference`` meta tags)."""
    abstracts: dict[str, str] = field(default_factory=dict)
    """Each abstract as plain text (the page's description), by language."""
    math_places: Mapping[str, Location] = field(default_factory=dict)
    """Where each formula (its TeX) is written: for a formula the print page cannot typeset."""


def page_of(document: ResolvedDocument) -> Page:
    return start_page(document)()


def start_page(document: ResolvedDocument) -> Callable[[], Page]:
    """``page_of`` begun: pandoc writes the parts' HTML in a thread while the caller goes on (a build imports
    WeasyPrint meanwhile); the function returned waits for it and gives the page."""
    journal = document.settings.journal
    parts, references = clone(document.parts), clone(document.references)
    link_citations_both_ways(parts, references, document.numbering.numbers)
    contents = tuple(Heading(b["c"][0], b["c"][1][0], _heading_text(b["c"][2])) for name in document.body for b in parts[name]
                     if b["t"] == "Header" and b["c"][0] <= 2 and b["c"][1][0])
    entries = document.references[0]["c"][1] if document.references else []
    log: list[dict[str, Any]] = []
    writing = Pending(lambda: fragments(parts, references, document.api_version, log), "pandoc-html")

    def page() -> Page:
        html_parts = writing.result()
        if log:
            from mspress.writers.math_svg import unreadable_math

            unreadable_math(log, document.math_places)
        return Page(html_parts, document.body, journal.labels, journal.layout, journal.style,
                    journal.system, contents, tuple(_entry_text(e) for e in entries),
                    {lang: " ".join(plain_text(document.parts[f"abstract.{lang}"]).split()) for lang in ("zh", "en")},
                    document.math_places)

    return page


def _entry_text(entry: Node) -> str:
    """A reference entry as plain text, without its ``[n]``."""
    inlines = [i for block in entry["c"][1] for i in block["c"] if not (i["t"] == "Span" and "ref-label" in i["c"][0][1])]
    return " ".join(plain_text(inlines).split())


def _heading_text(inlines: list[Node]) -> str:
    """``2.1 结果``: the section number (a Span the stylesheet spaces) and the title, with a space between."""
    if inlines and inlines[0]["t"] == "Span" and "secnum" in inlines[0]["c"][0][1]:
        return f"{plain_text(inlines[0]).strip()} {plain_text(inlines[1:]).strip()}"
    return plain_text(inlines).strip()


CITATION_MARKS = ("cite", "cite-inline", "cite-ay")
_BRACKETED = re.compile(r"[\[(（［]([^\])）］]*)[\])）］]")
"""A numeric mark's brackets: GB/T 7714's ``[1-3]`` or a CSL style's ``(1-3)``."""
_NUMBER_OR_RANGE = re.compile(r"(\d+)(?:\s*[-–]\s*(\d+))?")


def link_citations_both_ways(parts: dict[str, list[Node]], references: list[Node], numbers: Mapping[str, int]) -> None:
    """Give every citation mark an anchor (``cite-<n>``, on its first link) and every reference entry links back to
    each mark that cites it, ranges included (``[4-7]`` cites 5 and 6 too); hidden in print. Works on the page's
    own copy of the resolved document."""
    by_number = {n: key for key, n in numbers.items()}
    places: dict[str, list[str]] = defaultdict(list)
    count = 0

    def cited_keys(mark: Node, links: list[Node]) -> list[str]:
        keys = [str(a["c"][2][0])[len("#ref-"):] for a in links if str(a["c"][2][0]).startswith("#ref-")]
        numbered = "cite-ay" not in mark["c"][0][1]  # in (Smith, 2019) the numbers are years
        for group in _BRACKETED.findall(plain_text(mark)) if numbered else ():
            for first, last in _NUMBER_OR_RANGE.findall(group):
                keys += [by_number[n] for n in range(int(first), int(last or first) + 1) if n in by_number]
        return list(dict.fromkeys(keys))

    def visit(value: object) -> None:
        nonlocal count
        if isinstance(value, list):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            if value.get("t") == "Span" and set(value["c"][0][1]) & set(CITATION_MARKS):
                links = _links(value)
                if links:
                    count += 1
                    links[0]["c"][0][0] = f"cite-{count}"
                    for key in cited_keys(value, links):
                        places[key].append(f"cite-{count}")
                return
            visit(value.get("c"))

    visit(list(parts.values()))
    for entry in references[0]["c"][1] if references else []:
        entry["c"][0][2].append(["role", "listitem"])  # pandoc makes the list a role="list"
        ids = places.get(entry["c"][0][0][len("ref-"):], [])
        back = [link(text("↩" if len(ids) == 1 else f"↩{i}"), f"#{ident}", ["backlink"]) for i, ident in enumerate(ids, 1)]
        for i, item in enumerate(back, 1):
            item["c"][2][1] = f"回到正文第 {i} 处引用"  # the link's title: where it leads
        if back:
            entry["c"][1].append(div([{"t": "Plain", "c": back}], classes=["backlinks"]))


def _links(value: object) -> list[Node]:
    if isinstance(value, list):
        return [found for item in value for found in _links(item)]
    if isinstance(value, dict):
        return [value] if value.get("t") == "Link" else _links(value.get("c"))
    return []


def fragments(parts: dict[str, list[Node]], references: list[Node], api_version: list[int],
              log: list[dict[str, Any]] | None = None) -> dict[str, str]:
    """Every part (and the reference list) as HTML, through one pandoc run; ``log`` receives pandoc's warnings."""
    # pandoc writes the footnotes after everything: the last, empty piece ("notes") collects them.
    named: list[tuple[str, list[Node]]] = [*parts.items(), ("references", references), ("notes", [])]
    marker = f"mspress-part-{os.urandom(8).hex()}"  # raw HTML is off in the reader, so no text can forge it
    blocks: list[Node] = []
    for i, (_, part_blocks) in enumerate(named):
        blocks.append({"t": "RawBlock", "c": ["html", f"<!--{marker}:{i}-->"]})
        blocks.extend(part_blocks)
    ast = {"pandoc-api-version": api_version, "meta": {}, "blocks": blocks}
    html = pandoc.convert(ast, "html5", Location(Path("manuscript")), ["--wrap=none", "--mathml"], log).decode("utf-8")
    pieces = re.split(rf"<!--{marker}:(\d+)-->\n?", html)
    return {named[int(pieces[i])][0]: pieces[i + 1].strip() for i in range(1, len(pieces), 2)}


class ProjectTemplates(jinja2.BaseLoader):
    """Templates looked up project > journal > packaged, and read through the project's one read path: a link to a
    file outside the project (or mspress), a FIFO, a file over the size limit or not UTF-8 is an error."""

    def __init__(self, folders: tuple[Path, ...], root: Path) -> None:
        self.folders, self.root = folders, root

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        from jinja2.loaders import split_template_path

        from mspress.sources.files import present, read_bytes

        pieces = split_template_path(template)  # refuses ``..``
        for n, folder in enumerate(self.folders):
            path = folder.joinpath(*pieces)
            if present(path) and not path.is_dir():
                uptodate = _unchanged(path, [f.joinpath(*pieces) for f in self.folders[:n]])
                data = read_bytes(path, self.root)
                try:
                    return data.decode("utf-8"), str(path), uptodate
                except UnicodeDecodeError:
                    raise ManuscriptError(Location(relative_to(path, self.root)), "template is not valid UTF-8: save it as UTF-8",
                                          "template-error") from None
        raise jinja2.TemplateNotFound(template)


MAX_SEQUENCE = 1_000_000
"""The longest string or list a template may make with ``*``."""
TEMPLATE_SECONDS = 20
"""How long rendering the page may take: a template that loops for ever is stopped with an error."""


class LimitedSandbox(SandboxedEnvironment):
    """Jinja's sandbox (no attribute or file access), plus bounds on what a template can make: ``'a' * 10**10``
    and ``2 ** 10**9`` are errors instead of exhausting memory."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        from jinja2.exceptions import SecurityError

        if operator == "**" and isinstance(right, int) and abs(right) > 1000:
            raise SecurityError(f"a power of {right} is beyond what a template needs")
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, str | list | tuple) and isinstance(count, int) and len(sequence) * count > MAX_SEQUENCE:
                    raise SecurityError(f"repeating a text or list to {len(sequence) * count:,} items is beyond the limit of {MAX_SEQUENCE:,}")
        return super().call_binop(context, operator, left, right)


def _unchanged(path: Path, earlier: list[Path]) -> Callable[[], bool]:
    """Jinja's test whether a compiled template is still good (a warm process): the file unchanged, and no template
    of that name now in a folder looked up first."""
    from mspress.sources.files import present, stamp

    seen = stamp(path)
    return lambda: stamp(path) == seen and not any(present(p) for p in earlier)


def environment(settings: Settings) -> SandboxedEnvironment:
    """The project's template environment; one per template folders, kept: a warm process (``preview``) compiles a
    template again only when its file changes."""
    # Absolute: a relative folder names another project's templates once the working directory changes.
    return _environment(tuple(folder.absolute() for folder in settings.template_dirs), settings.root.absolute())


@functools.lru_cache(maxsize=4)
def _environment(template_dirs: tuple[Path, ...], root: Path) -> SandboxedEnvironment:
    # Sandboxed: project templates come with manuscripts an editor did not write.
    loader = ProjectTemplates(template_dirs, root)
    env = LimitedSandbox(loader=loader, undefined=jinja2.StrictUndefined, autoescape=True,
                               trim_blocks=True, lstrip_blocks=True)
    env.filters["css_string"] = css_string
    env.filters["width_em"] = width_em
    env.filters["fit_line"] = fit_line
    return env


_EM = {ch: em for em, chars in (
    (0.19, "'"), (0.26, "|"), (0.28, " \u00a0,./:;\\ijlt"), (0.33, "!()-I[]`fr"), (0.41, '"'), (0.48, "^{}"), (0.5, "*Jcksvxyz"),
    (0.56, "#$0123456789?_abdeghnopqu–"), (0.58, "+<=>~"), (0.61, "FLTZ"), (0.67, "BEPS"), (0.72, "ACDHKNRUVXYw"), (0.78, "&GOQ"),
    (0.83, "m"), (0.89, "%M"), (0.94, "W"), (1.0, "—"), (1.02, "@"),
) for ch in chars}
"""Advance widths in em, the wider of Liberation Serif's and Liberation Sans's (the running heads' face): capitals
0.6–0.95, lower case and digits about ½, narrow letters and marks less."""
_APOSTROPHE_EM = 0.33


@functools.lru_cache(maxsize=4096)
def _char_em(ch: str) -> float:
    known = _EM.get(ch)
    if known is not None:
        return known
    if is_cjk(ch) or unicodedata.east_asian_width(ch) in "FW":
        return 1.0
    if unicodedata.combining(ch):
        return 0.0
    base = unicodedata.normalize("NFD", ch)[0]  # é as e, Å as A
    if base in _EM:
        return _EM[base]
    return 0.72 if ch.isupper() else 0.56


def _widths(text: str, word_spacing: float) -> list[float]:
    # An apostrophe (Hamilton’s) is the Latin font's; other curly quotes count as full-width marks.
    return [_APOSTROPHE_EM if ch in QUOTES and is_apostrophe(text, i) else _char_em(ch) + (word_spacing if ch == " " else 0.0)
            for i, ch in enumerate(text)]


def width_em(value: object, word_spacing: float = 0.0) -> float:
    """About how wide ``value`` sets, in em: a Chinese character or full-width mark 1, a Latin capital about 0.7, a
    lower-case letter or digit about ½ (``_EM``); ``word_spacing`` (em) is added to each space, as CSS adds it."""
    return sum(_widths(str(value), word_spacing))


def fit_line(value: object, room_em: float, word_spacing: float = 0.0) -> str:
    """``value`` as it is if it fits in ``room_em``, else cut with an ellipsis so that it does (a running head)."""
    text = str(value.unescape() if hasattr(value, "unescape") else value)
    widths = _widths(text, word_spacing)
    if sum(widths) <= room_em:
        return text
    room, used, end = room_em - _char_em("…"), 0.0, 0
    for width in widths:  # each width once: a long name costs no more than its length
        if used + width > room:
            break
        used += width
        end += 1
    return text[:end].rstrip() + "…"


def css_string(value: object) -> Any:
    """Text for inside a double-quoted CSS string in a <style> element: CSS-escaped, not HTML-escaped (a style
    element is raw text, where ``&amp;`` would print as such), and unable to close the string or the element."""
    from markupsafe import Markup

    text = value.unescape() if isinstance(value, Markup) else str(value)
    escaped = "".join(f"\\{ord(c):X} " if c in '\\"<>\n\r\f' or ord(c) < 0x20 else c for c in text)
    return Markup(escaped)


READER_SCRIPT = "reader.js"
"""The HTML file's only script (previews of cited entries, figures enlarged on a tap); the page works without it."""


def render_page(settings: Settings, metadata: Metadata, page: Page, medium: str) -> str:
    """The full HTML document for ``medium`` ``screen`` (HTML file) or ``print`` (PDF)."""
    env = environment(settings)
    root = settings.root
    if medium == "print":
        page = replace(page, parts=print_parts(page.parts))
        if any("<math" in fragment for fragment in page.parts.values()):
            from mspress.writers.math_svg import print_math  # ziamath is loaded only for a page with math

            page = replace(page, parts=print_math(page.parts, page.math_places))
        page = replace(page, parts={**page.parts, "references": breakable_urls(page.parts.get("references", ""))})  # typeset/breaks.py
    script = (Path(__file__).parent.parent / "templates" / READER_SCRIPT).read_text(encoding="utf-8") if medium == "screen" else ""
    # The Content-Security-Policy allows this script by its hash and nothing else: no script from a manuscript runs.
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    context: dict[str, Any] = {"meta": metadata, "page": page, "labels": page.labels, "layout": page.layout, "medium": medium,
                               "script": script, "script_hash": f"sha256-{digest}",
                               "pdf_name": f"{settings.output_name}.pdf" if "pdf" in settings.formats else ""}
    try:
        with _time_limit(TEMPLATE_SECONDS, Location(Path("templates") / PAGE_TEMPLATE)):
            css = env.get_template(f"{medium}.css").render(**context)
            return env.get_template(PAGE_TEMPLATE).render(**context, css=css, markup=_markup)
    except jinja2.TemplateSyntaxError as exc:
        where = Location(_template_path(root, exc.filename), exc.lineno or 1)
        raise ManuscriptError(where, f"template syntax error: {exc.message}", "template-error") from None
    except jinja2.UndefinedError as exc:
        raise ManuscriptError(_failing_template(root, exc), f"template uses an undefined value: {exc.message}", "template-error") from None
    except jinja2.TemplateError as exc:
        raise ManuscriptError(_failing_template(root, exc), f"template error: {exc.message}", "template-error") from None
    except (MemoryError, OverflowError, RecursionError) as exc:
        raise ManuscriptError(_failing_template(root, exc), f"the templates asked for more than memory allows ({type(exc).__name__}): "
                              "look for a text built up without end", "template-error") from None


@contextlib.contextmanager
def _time_limit(seconds: int, where: Location) -> Iterator[None]:
    """Stop the block with a user error after ``seconds`` (a timer signal: only in the main thread, where builds run)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise ManuscriptError(where, f"the templates took more than {seconds} s to render, the limit: look for a loop that "
                              "never ends", "template-error")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _markup(fragment: str) -> Any:
    """HTML that pandoc wrote from the resolved document."""
    from markupsafe import Markup

    return Markup(fragment)


def _template_path(root: Path, filename: str | None) -> Path:
    return relative_to(Path(filename), root) if filename else Path("templates")


def _failing_template(root: Path, exc: BaseException) -> Location:
    tb = exc.__traceback__
    where = Location(Path("templates") / PAGE_TEMPLATE)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".j2", ".css", ".html")):
            where = Location(_template_path(root, name), tb.tb_lineno)
        tb = tb.tb_next
    return where
