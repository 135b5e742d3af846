"""Laying the page out again from the first page that changed, in WeasyPrint 70.0.

Placing floats lays the print page out more than once (``typeset.floats``), and each time only what follows a
moved float changes: the pages before it are the same, box for box. WeasyPrint already knows how to keep a page
(it re-makes only the pages whose content changed when it repaginates for page counters): it starts each page
from the state the page before left (``context.page_maker``: where the text resumes, counters, the page side).
So a layout after the first one takes the earlier layout's first pages and its state at the page where the
change begins, and WeasyPrint lays out only the pages from there on: what a move late in an article saves. (A
figure moved on page 2 of a long document saves a page; there the saving is the first layout's end, which
``render``'s ``stop`` cuts off once the move shows.)

A page is kept only when nothing carries over from it into the next page but where the text resumes: no footnote
put off to the next page, no box broken across it out of the flow; and no page is kept when the page uses running
elements (``position: running()``) or target counters, which WeasyPrint registers while it lays a page out. The document before the change must be the
same (``floats`` moves blocks only later in the document), so the places where pages resume are the same.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

FIRST_CHECK = 4
"""Pages made before a layout's ``stop`` is first asked (then at 8, 16…: the asking costs a layout a tenth of a page)."""
_installed = False
_active: Renderer | None = None
"""The renderer whose layout is running (WeasyPrint's layout functions are patched for the whole process)."""


@dataclass
class _Layout:
    page_maker: list[Any]
    """WeasyPrint's state at the start of each page, and after the last."""
    raw: list[tuple[Any, Any, list[Any]]]
    """Each page box, its children and its root box's children before margin boxes and fixed boxes were added."""
    carries: list[bool]
    """Whether a page puts off footnotes or broken out-of-flow boxes to the next one."""
    keepable: bool = True
    """No running elements or target-counter lookups, which a kept page would not register in the next layout."""


@dataclass
class _Seed:
    page_maker: list[Any]
    pages: list[Any]
    used: bool = False


@dataclass
class Renderer:
    """Renders one document again and again, each time from ``from_page`` on where it can."""

    font_config: Any = None
    previous: _Layout | None = None
    kept_pages: int = 0
    """Pages taken from earlier layouts (tests read it)."""
    stopped_at: int | None = None
    """The pages the last layout made before ``stop`` ended it (``None``: it went to the end)."""
    _stop: Callable[[list[Any]], bool] | None = None
    _seed: _Seed | None = None
    _pages: list[tuple[Any, Any, list[Any]]] = field(default_factory=list)
    _carries: list[bool] = field(default_factory=list)
    _context: Any = None

    def render(self, html: Any, from_page: int = 0, stop: Callable[[list[Any]], bool] | None = None) -> Any:
        """``html`` (a ``weasyprint.HTML``) laid out; pages before ``from_page`` are the previous layout's. ``stop`` is
        asked, after ``FIRST_CHECK`` pages made and then each time their number doubles, with the page boxes so
        far: when it says so, the layout ends there and the document has only those pages (``stopped_at``). It is
        not asked on the last page, nor when WeasyPrint would lay the pages out again (``_may_stop``)."""
        global _active
        install()
        self._stop, self.stopped_at = stop, None
        if self.font_config is None:
            from weasyprint.text.fonts import FontConfiguration

            self.font_config = FontConfiguration()  # one for every layout: kept pages' text uses its fonts
        self._seed = self._seeded(from_page)
        self._pages, self._carries, self._context = [], [], None
        _active = self
        try:
            document = html.render(font_config=self.font_config)
        finally:
            _active = None
        if self._seed is not None:
            self.kept_pages += len(self._seed.pages)
        context, self._seed = self._context, None
        self.previous = None if context is None else _Layout(
            list(context.page_maker), self._pages, self._carries,
            keepable=not _running(context) and not _targets_looked_up(context.target_collector))
        return document

    def _seeded(self, from_page: int) -> _Seed | None:
        previous = self.previous
        if previous is None or not previous.keepable:
            return None
        first = min(from_page, len(previous.raw) - 1, len(previous.page_maker) - 1)
        while first > 0 and previous.carries[first - 1]:
            first -= 1
        if first <= 0:
            return None
        pages = []
        for page, children, root_children in previous.raw[:first]:
            page.children = children
            children[0].children = list(root_children)
            pages.append(page)
        page_maker = [(*entry[:4], _remake_state(changed=False)) for entry in previous.page_maker[:first]]
        page_maker.append((*previous.page_maker[first][:4], _remake_state(changed=True)))
        return _Seed(page_maker, pages)

    def _initialized(self, context: Any) -> None:
        if self._seed is not None:
            context.page_maker = list(self._seed.page_maker)

    def _made(self, context: Any, pages: list[Any], made: Iterator[Any]) -> Iterator[Any]:
        """WeasyPrint's pages as it makes them, each one's raw children and carry-over noted."""
        self._context = context
        previous_carries = self.previous.carries if self.previous is not None else []
        raw: list[tuple[Any, Any, list[Any]]] = []
        carries: list[bool] = []
        check = FIRST_CHECK
        for index, page in enumerate(made):
            kept = index < len(pages) and page is pages[index]
            if kept and index < len(previous_carries):
                carries.append(previous_carries[index])
            else:
                carries.append(bool(context.reported_footnotes) or bool(context.broken_out_of_flow))
            raw.append((page, page.children, list(page.children[0].children)))
            yield page
            if self._stop is not None and self.stopped_at is None and index + 1 == check:
                check *= 2
                if _may_stop(context, index) and self._stop([box for box, _, _ in raw]):
                    self.stopped_at = index + 1
                    # WeasyPrint would make the next page on its next pass: it is told that page is as it was.
                    del context.page_maker[index + 2:]
                    context.page_maker[index + 1][-1]["content_changed"] = False
                    break
        self._pages, self._carries = raw, carries  # the last repagination's pages are the document's


def _may_stop(context: Any, index: int) -> bool:
    """Whether a layout may end after page ``index``: the document goes on after it, and nothing will make WeasyPrint
    lay the pages out again (a page counter, a ``target-counter()``): that pass would look for the pages cut off."""
    maker = context.page_maker
    return (maker[index + 1][0] is not None and not _targets_looked_up(context.target_collector)
            and not any(state["content_changed"] or state["pages_wanted"] for *_, state in maker[:index + 1]))


def _running(context: Any) -> bool:
    """Whether the layout met a running element (WeasyPrint's lookups leave empty entries for names never set)."""
    return any(boxes for pages in context.running_elements.values() for boxes in pages.values())


def _targets_looked_up(collector: Any) -> bool:
    """Whether anything shows a target's counter or text (``target-counter()``, ``target-text()``)."""
    return any(item.missing_target_counters for item in collector.counter_lookup_items.values()) or any(
        item.parse_again_functions for item in collector.target_lookup_items.values())


def _remake_state(changed: bool) -> dict[str, Any]:
    return {"content_changed": changed, "pages_wanted": False, "anchors": [], "content_lookups": []}


def install() -> None:
    """Patch the pinned WeasyPrint's ``initialize_page_maker`` and ``make_all_pages`` (as ``layout_document`` calls
    them): they do what they did unless a ``Renderer`` is rendering."""
    global _installed
    if _installed:
        return
    from weasyprint import layout
    from weasyprint.layout.page import set_page_type_computed_styles

    initialize_page_maker, make_all_pages = layout.initialize_page_maker, layout.make_all_pages

    def patched_initialize_page_maker(context: Any, root_box: Any) -> None:
        initialize_page_maker(context, root_box)
        if _active is not None:
            _active._initialized(context)

    def patched_make_all_pages(context: Any, root_box: Any, html: Any, pages: list[Any]) -> Iterator[Any]:
        renderer = _active
        if renderer is None:
            made: Iterator[Any] = make_all_pages(context, root_box, html, pages)
            return made
        seed = renderer._seed
        if seed is not None and not pages and not seed.used:
            seed.used, pages = True, list(seed.pages)
            for page in pages:  # the styles of its page type (``:first``, ``:left``), which its margin boxes need
                set_page_type_computed_styles(page.page_type, html, context.style_for)
        return renderer._made(context, pages, make_all_pages(context, root_box, html, pages))

    layout.initialize_page_maker = patched_initialize_page_maker
    layout.make_all_pages = patched_make_all_pages
    _installed = True
