"""Figures and tables where they fit, and tables as wide as they need.

WeasyPrint has no page floats: a figure that does not fit under the text before it moves whole to the next column
or page and leaves a gap. Journals set it at the head of the next column and let the text run on into the gap.
So the print page is laid out once, and the layout tells where each block landed:

- a figure or table that opens a column after a column left less than ``MIN_FILL`` full moves down past the text
  that fills the gap: whole blocks while they fit (their heights are known from the layout, and every column has
  the same width), then the first lines of the next paragraph, which is split where the layout broke its line
  (its first part justified to the end, its second part not indented), so the text runs on to the column's foot
  and the figure opens the next column or page;
- a table wider than its column (two-column pages) spans both columns (class ``wide``: ``column-span: all``).

The page is then laid out again with the blocks moved — a second layout only when something moved, at most
``MAX_LAYOUTS`` in all, and of those the one with the fewest and least short columns is kept. The first layout
ends as soon as its pages show the first float to move (``_FirstMove``): the pages after it would be laid out
again anyway, so on a long document the move costs a few pages, not a whole layout. Blocks are named by a
``data-flow`` number given in document order, so a move found in one layout applies to a fresh parse of the page.
"""
from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

MIN_FILL = 0.85
"""A column (or page) that ends before a float is at least this full, else the float moves on."""
MAX_LAYOUTS = 4
FLOW_ATTRIBUTE = "data-flow"
PART_ATTRIBUTE = "data-part"
"""The body part (file stem) a block comes from, for messages."""
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
SPLIT_START, SPLIT_END = "split-start", "split-end"
"""Classes of a paragraph's two parts around a float (print.css: justified to the end; not indented)."""
MIN_LINES = 2
"""Lines a split paragraph keeps on each side (orphans and widows)."""


@dataclass
class Column:
    page: int
    top: float
    bottom: float
    """Where the column's text may end: the page's content bottom, or the top of its footnotes."""
    used: float = 0.0
    """The lowest block's bottom (``top`` when the column is empty)."""
    first: str | None = None
    """The ``data-flow`` number of the block that opens the column."""
    cut: bool = False
    """The column ends above a page-wide block (its band is balanced: no gap to fill there)."""

    @property
    def fill(self) -> float:
        return (self.used - self.top) / (self.bottom - self.top) if self.bottom > self.top else 1.0


@dataclass(frozen=True)
class Line:
    """A line of a paragraph as the layout set it."""

    height: float
    characters: int
    """Characters other than spaces, as the document has them (not a hyphen the layout added)."""
    hyphenated: bool
    """Ends in a hyphen the layout added."""
    page: int
    notes: float = 0.0
    """The height of the footnotes called in the line: they go where the line goes."""


@dataclass
class Landing:
    """Where the blocks of the body landed."""

    columns: list[Column] = field(default_factory=list)
    heights: dict[str, float] = field(default_factory=dict)
    """Each block's height, summed over its pieces (a paragraph split across columns)."""
    lines: dict[str, list[Line]] = field(default_factory=dict)
    """Each paragraph's lines."""
    notes: dict[str, tuple[int, float]] = field(default_factory=dict)
    """Each block's first page, and the height of the footnotes it calls."""
    note_pages: set[int] = field(default_factory=set)
    """Pages that have footnotes."""
    note_area: float = 0.0
    """What a page's footnote area takes besides its footnotes (rule, margin), where one was seen."""
    too_wide: list[str] = field(default_factory=list)
    """Tables wider than their column."""
    spanning: dict[str, tuple[int, bool]] = field(default_factory=dict)
    """Page-wide blocks: their page, and whether they open it."""
    pages: int = 0

    def page_before(self, key: int) -> int:
        """The page before the first page block ``key`` or a later one lands on: the first page a change there may
        alter (the gap the text after a moved float fills ends the page before the float's)."""
        pages = [page for block, (page, _) in self.notes.items() if int(block) >= key]
        return max(0, min(pages, default=0) - 1)

    def shortfall(self) -> tuple[int, float]:
        """How many columns before the last page end under ``MIN_FILL``, and by how much in all."""
        short = [MIN_FILL - c.fill for c in self.columns if c.page < self.pages - 1 and c.fill < MIN_FILL and not c.cut]
        return len(short), sum(short)


@dataclass(frozen=True)
class Move:
    float: str
    after: str
    """The block the float now follows."""
    split_after: int = 0
    """If not 0, ``after`` is split after this many characters (spaces not counted), the float between its parts."""


@dataclass
class Placement:
    """The moves and widenings found so far, applied to each fresh parse."""

    moves: list[Move] = field(default_factory=list)
    widened: list[str] = field(default_factory=list)


Render = Callable[[Any, int, "Callable[[list[Any]], bool] | None"], Any]


def place_floats(parse: Callable[[], Any], render: Render) -> tuple[Any, list[ElementTree.Element]]:
    """The rendered document with its floats placed, and the blocks of the tables made page-wide. ``parse`` gives a fresh
    ``weasyprint.HTML``; ``render`` lays it out, told the first page that may differ from its previous layout, and
    stopped early when the callable it is given says so (``relayout.Renderer.render``)."""
    placement = Placement()
    best: tuple[tuple[int, int, float], Any, list[ElementTree.Element]] | None = None
    changed_page = 0
    cut_short = 0  # 1 once the first layout ended at its first move: it does not count among MAX_LAYOUTS
    for attempt in range(MAX_LAYOUTS + 1):
        html = parse()
        blocks = _number_blocks(html.etree_element)
        _apply(placement, blocks, html.etree_element)
        # The first layout ends once its pages show the first move: what follows would be laid out again anyway.
        first_move = _FirstMove(list(blocks), blocks) if attempt == 0 and MAX_LAYOUTS > 1 else None
        document = render(html, changed_page, first_move)
        landing = _landing([page._page_box for page in document.pages])
        widen = [key for key in landing.too_wide if key not in placement.widened]
        early = first_move.move if first_move is not None else None
        if early is not None:
            cut_short = 1
        else:  # a whole layout: it may be the best
            count, deficit = landing.shortfall()
            score = (-len(widen), -count, -deficit)
            if best is None or score > best[0]:
                best = (score, document, [blocks[key] for key in placement.widened])
        if attempt == MAX_LAYOUTS - 1 + cut_short:
            break
        move = early if early is not None else _next_move(landing, list(blocks), placement, blocks)
        if move is not None and widen and int(move.after) >= min(int(key) for key in widen):
            move = None  # a widened table changes the page after it: measure again before moving past it
        if not widen and move is None:
            break
        placement.widened += widen
        if move is not None:
            placement.moves.append(move)
        changed_page = landing.page_before(min(int(key) for key in [*widen, *([move.float] if move else [])]))
    assert best is not None
    return best[1], best[2]


def _number_blocks(root: ElementTree.Element) -> dict[str, ElementTree.Element]:
    """The body's blocks, numbered in document order. Each part's section is unwrapped, its blocks made children of
    ``main`` (with ``data-part``): WeasyPrint spans only a multi-column box's own children across its columns."""
    blocks: dict[str, ElementTree.Element] = {}
    for main in root.iter("main"):
        for section in list(main):
            if section.tag != "section" or "part" not in (section.get("class") or "").split():
                continue
            part = (section.get("id") or "").removeprefix("part-")
            at, first = list(main).index(section), len(blocks)
            main.remove(section)
            children = list(section)
            for index, child in enumerate(children):
                if _is_table_note(child, children[index - 1] if index else None):
                    continue  # moved into its table's block
                if child.tag == "table":
                    note = children[index + 1] if index + 1 < len(children) else None
                    child = _table_block(child, note if note is not None and _is_table_note(note, child) else None)
                main.insert(at + len(blocks) - first, child)
                key = str(len(blocks))
                child.set(FLOW_ATTRIBUTE, key)
                child.set(PART_ATTRIBUTE, part)
                blocks[key] = child
    return blocks


def _apply(placement: Placement, blocks: dict[str, ElementTree.Element], root: ElementTree.Element) -> None:
    parents = _parents(blocks, root)
    for key in placement.widened:
        _add_class(blocks[key], "wide")
    for move in placement.moves:
        element, anchor = blocks[move.float], blocks[move.after]
        parents[id(element)].remove(element)
        parent = parents[id(element)] = parents[id(anchor)]
        if move.split_after and (rest := _split(anchor, move.split_after)) is not None:
            parent.insert(list(parent).index(anchor) + 1, rest)
        parent.insert(list(parent).index(anchor) + 1, element)


def _table_block(table: ElementTree.Element, note: ElementTree.Element | None) -> ElementTree.Element:
    """A table in a ``div.table-block`` with its note (``注：…``) and its ``wide`` class: the note goes where the
    table goes, and a table box does not span columns well."""
    block = ElementTree.Element("div", {"class": "table-block"})
    block.tail, table.tail = table.tail, None
    block.append(table)
    if note is not None:
        block.append(note)
    if _is_wide(table):
        _add_class(block, "wide")
    return block


TABLE_NOTE = ("注：", "注:", "Note:", "Notes:")
"""How a table's note begins; a paragraph that merely starts with 注 or Note is text."""


def _is_table_note(element: ElementTree.Element, before: ElementTree.Element | None) -> bool:
    """A paragraph right after a table that begins ``注：`` (or ``Note:``) is the table's note."""
    if before is None or before.tag != "table" or element.tag != "p":
        return False
    return "".join(element.itertext()).lstrip().startswith(TABLE_NOTE)


def _is_float(element: ElementTree.Element) -> bool:
    return element.tag == "figure" or (element.tag == "div" and "table-block" in (element.get("class") or "").split())


def _parents(blocks: dict[str, ElementTree.Element], root: ElementTree.Element) -> dict[int, ElementTree.Element]:
    """Each block's parent (``main``), by the block's id()."""
    numbered = {id(block) for block in blocks.values()}
    return {id(child): parent for parent in root.iter("main") for child in parent if id(child) in numbered}


Position = tuple[list[int], str, int]
"""Where a paragraph is cut: the path of child indexes to an element, ``text`` or ``tail``, and the index in it."""


def _split(paragraph: ElementTree.Element, count: int) -> ElementTree.Element | None:
    """Cut ``paragraph`` before its character number ``count`` + 1 (spaces not counted, nor a page note's text: it
    is not in the line) and return the second part, a copy of the element holding the rest."""
    position = _cut_position(paragraph, count)
    if position is None:
        return None
    rest = copy.deepcopy(paragraph)
    rest.attrib.pop(FLOW_ATTRIBUTE, None)
    _keep_before(paragraph, position)
    _keep_after(rest, position)
    _add_class(paragraph, SPLIT_START)
    _add_class(rest, SPLIT_END)
    return rest


def _cut_position(paragraph: ElementTree.Element, count: int) -> Position | None:
    seen = 0

    def scan(text: str | None) -> int | None:
        nonlocal seen
        for index, char in enumerate(text or ""):
            if not char.isspace():
                if seen == count:
                    return index
                seen += 1
        return None

    def walk(node: ElementTree.Element, path: list[int]) -> Position | None:
        if (index := scan(node.text)) is not None:
            return path, "text", index
        for number, child in enumerate(node):
            if "page-note" not in (child.get("class") or "").split() and (found := walk(child, [*path, number])):
                return found
            if (index := scan(child.tail)) is not None:
                return [*path, number], "tail", index
        return None

    return walk(paragraph, [])


def _node(root: ElementTree.Element, path: list[int]) -> ElementTree.Element:
    for index in path:
        root = root[index]
    return root


def _keep_before(root: ElementTree.Element, position: Position) -> None:
    path, where, index = position
    node = _node(root, path)
    if where == "text":
        node.text = (node.text or "")[:index]
        del node[:]
        node.tail = None if path else node.tail
    else:
        node.tail = (node.tail or "")[:index]
    for depth in range(len(path), 0, -1):
        parent, child = _node(root, path[:depth - 1]), path[depth - 1]
        del parent[child + 1:]
        if depth < len(path) or where == "text":
            parent[child].tail = None


def _keep_after(root: ElementTree.Element, position: Position) -> None:
    path, where, index = position
    node = _node(root, path)
    if where == "text":
        node.text = (node.text or "")[index:]
        levels = path
    else:
        parent = _node(root, path[:-1])
        parent.text = (node.tail or "")[index:]
        del parent[:path[-1] + 1]
        levels = path[:-1]
    for depth in range(len(levels), 0, -1):
        parent, child = _node(root, levels[:depth - 1]), levels[depth - 1]
        parent.text = None
        del parent[:child]


def _add_class(element: ElementTree.Element, name: str) -> None:
    element.set("class", " ".join([*(element.get("class") or "").split(), name]))


PAGES_AFTER_GAP = 2
"""Pages laid out after a gap before its move is taken from an unfinished layout: the text that fills the gap (at
most a column's height) comes from the float's column and the next."""


class _FirstMove:
    """``stop`` for the first layout: whether the pages made so far show the first float to move, with
    ``PAGES_AFTER_GAP`` pages after its gap; ``move`` is that move. The first column's move in the first pages is
    the first in the document, the one a whole layout would give."""

    def __init__(self, order: list[str], blocks: dict[str, ElementTree.Element]) -> None:
        self.order, self.blocks = order, blocks
        self.move: Move | None = None

    def __call__(self, pages: list[Any]) -> bool:
        landing = _landing(pages)
        found = _column_move(landing, self.order, Placement(), self.blocks)
        if found is not None and found[1] <= len(pages) - 1 - PAGES_AFTER_GAP and self._settled(found[0], landing):
            self.move = found[0]
        return self.move is not None

    def _settled(self, move: Move, landing: Landing) -> bool:
        """Whether the text that fills the gap ends inside the pages made (the block after it has landed), so its
        heights, and the footnotes it calls, are all known."""
        after = self.order.index(move.after)
        return after + 1 < len(self.order) and self.order[after + 1] in landing.heights


def _next_move(landing: Landing, order: list[str], placement: Placement, blocks: dict[str, ElementTree.Element]) -> Move | None:
    """The first float that opens a column after a column left too empty (or a page-wide one that opens a page
    after a page left too empty), and where it goes instead."""
    found = _column_move(landing, order, placement, blocks)
    if found is not None:
        return found[0]
    moved = {move.float for move in placement.moves}
    for key, (page, opens) in landing.spanning.items():
        if not opens or key in moved or not _is_float(blocks[key]) or page - 1 >= landing.pages - 1:
            continue
        previous = [c for c in landing.columns if c.page == page - 1 and not c.cut and c.used > c.top]
        if previous and min(c.fill for c in previous) < MIN_FILL:
            # The text after a page-wide float fills what the page before left in each of its columns.
            gap = Gap(page - 1, sum(c.bottom - c.used for c in previous))
            move = _filler(key, gap, landing, order, blocks, split=False)
            if move is not None:
                return move
    return None


@dataclass
class Gap:
    """Room left at the foot of a column (or in all the columns of a page) on ``page``, filled by the text after a
    float."""

    page: int
    room: float
    filled: float = 0.0
    notes: bool = False
    """Footnotes were brought to the page: its footnote area is made, with its rule."""

    def takes(self, height: float, landing: Landing, page: int, notes: float) -> bool:
        """Would text of ``height`` from ``page``, calling footnotes of height ``notes``, fit? If so it is taken.
        Footnotes called from another page come along and take room at the page's foot."""
        extra = 0.0
        if notes and page != self.page:
            extra = notes
            if self.page not in landing.note_pages and not self.notes:
                extra += landing.note_area
        if self.filled + height + extra > self.room:
            return False
        self.filled += height + extra
        self.notes = self.notes or bool(extra)
        return True


def _column_move(landing: Landing, order: list[str], placement: Placement,
                 blocks: dict[str, ElementTree.Element]) -> tuple[Move, int] | None:
    """The first float that opens a column after a column left too empty, where it goes instead, and the gap's page."""
    moved = {move.float for move in placement.moves}
    for index, column in enumerate(landing.columns[1:], start=1):
        key = column.first
        if key is None or key in moved or not _is_float(blocks[key]) or _is_wide(blocks[key]):
            continue
        before = landing.columns[index - 1]
        if before.fill >= MIN_FILL or before.used <= before.top or before.cut or before.page == landing.pages - 1:
            continue
        move = _filler(key, Gap(before.page, before.bottom - before.used), landing, order, blocks)
        if move is not None:
            return move, before.page
    return None


def _filler(key: str, gap: Gap, landing: Landing, order: list[str], blocks: dict[str, ElementTree.Element],
            split: bool = True) -> Move | None:
    """Where the float goes to let the text after it fill ``gap``: after the whole blocks that fit, or inside the
    paragraph that reaches the gap's end. Never right after a heading, never past another float or a wide block."""
    last = None
    for following in order[order.index(key) + 1:]:
        element = blocks[following]
        if _is_float(element) or _is_wide(element) or following not in landing.heights:
            break
        page, notes = landing.notes.get(following, (gap.page, 0.0))
        if gap.takes(landing.heights[following], landing, page, notes):
            if element.tag not in HEADINGS:
                last = following
            continue
        lines = landing.lines.get(following, [])
        if split and element.tag == "p" and len(lines) >= 2 * MIN_LINES:
            # The most lines that fit, leaving two on each side, and not ending in a hyphen the layout added.
            fitting = 0
            for number, line in enumerate(lines, 1):
                if not gap.takes(line.height, landing, line.page, line.notes):
                    break
                if not line.hyphenated and MIN_LINES <= number <= len(lines) - MIN_LINES:
                    fitting = number
            if fitting:
                return Move(key, following, sum(line.characters for line in lines[:fitting]))
        break
    return Move(key, last) if last is not None else None


def _is_wide(element: ElementTree.Element) -> bool:
    return "wide" in (element.get("class") or "").split()


def _landing(pages: list[Any]) -> Landing:
    """``pages`` (WeasyPrint's page boxes): the columns of each page in reading order — a column cut by a page-wide block is one column above it and
    another below — and the blocks in them."""
    landing = Landing(pages=len(pages))
    note_heights = _note_heights(pages, landing)
    for number, box in enumerate(pages):
        bottom = box.content_box_y() + box.height
        for child in box.children:
            if type(child).__name__ == "FootnoteAreaBox" and child.children:
                bottom = min(bottom, child.position_y)
        flows = list(_flows(box))
        columns_of = {id(flow): [c for c in flow.children if getattr(c, "element", None) is flow.element] for flow in flows}
        # Page-wide blocks are the children of a flow set in columns that are not its columns; a flow in one column
        # has its blocks as children.
        spanning = [c for flow in flows if columns_of[id(flow)] for c in flow.children if c not in columns_of[id(flow)]]
        # What a column may not reach: a page-wide block, a later band of columns, another flow below it.
        obstacles = [c.position_y for c in spanning] + [flow.position_y for flow in flows]
        obstacles += [c.position_y for flow in flows for c in columns_of[id(flow)]]
        page_top = min((flow.position_y for flow in flows), default=0.0)
        for child in spanning:
            key = getattr(child, "element", None) is not None and child.element.get(FLOW_ATTRIBUTE)
            if key:
                landing.spanning.setdefault(key, (number, child.position_y <= page_top + 2 and number > 0))
                landing.heights[key] = landing.heights.get(key, 0.0) + child.margin_height()
                _add_notes(landing, key, number, _called_notes(child, note_heights))
        for flow in flows:
            columns = columns_of[id(flow)] or [flow]
            for column_box in columns:
                top = column_box.position_y
                end = min([bottom, *(y for y in obstacles if y > top + 1)])
                column = Column(number, top, end, used=top, cut=end < bottom - 1)
                landing.columns.append(column)
                for child in column_box.children:
                    if child.is_in_normal_flow() and child not in spanning:
                        column.used = max(column.used, child.position_y + child.margin_height() - child.margin_bottom)
                for block in _flow_blocks(column_box, spanning):
                    key = block.element.get(FLOW_ATTRIBUTE)
                    if column.first is None:
                        column.first = key
                    landing.heights[key] = landing.heights.get(key, 0.0) + block.margin_height()
                    if block.element.tag == "p":
                        lines = list(_lines(block, number, note_heights))
                        landing.lines.setdefault(key, []).extend(lines)
                        _add_notes(landing, key, number, sum(line.notes for line in lines))
                    else:
                        _add_notes(landing, key, number, _called_notes(block, note_heights))
                    if (_is_float(block.element) and block.element.tag == "div" and len(columns) > 1
                            and key not in landing.too_wide and _too_wide(block, column_box.width)):
                        landing.too_wide.append(key)
    return landing


def _note_heights(pages: list[Any], landing: Landing) -> dict[int, float]:
    """The height of each footnote, by its element's id(); the pages that have footnotes, and what a footnote area
    takes besides its footnotes."""
    heights: dict[int, float] = {}
    for number, page in enumerate(pages):
        for area in page.children:
            if type(area).__name__ != "FootnoteAreaBox" or not area.children:
                continue
            landing.note_pages.add(number)
            for note in area.children:
                heights[id(note.element)] = heights.get(id(note.element), 0.0) + note.margin_height()
            landing.note_area = max(landing.note_area, area.margin_height() - sum(n.margin_height() for n in area.children))
    return heights


def _called_notes(box: Any, note_heights: dict[int, float]) -> float:
    """The height of the footnotes whose calls are in ``box``."""
    if (getattr(box, "element_tag", "") or "").endswith("::footnote-call"):
        return note_heights.get(id(box.element), 0.0)
    return sum(_called_notes(child, note_heights) for child in getattr(box, "children", ()))


def _add_notes(landing: Landing, key: str, page: int, height: float) -> None:
    first, total = landing.notes.get(key, (page, 0.0))
    landing.notes[key] = (first, total + height)


SQUEEZED_LINES, SQUEEZED_CHARACTERS = 3, 3
"""A cell of this many lines or more with fewer characters a line than this is squeezed: the table needs the page."""


def _too_wide(block: Any, width: float) -> bool:
    """Wider than its column, or so squeezed into it that a cell sets a character or two a line."""
    if max((child.margin_width() for child in block.children), default=0) > width + 1:
        return True
    for cell in _descendants(block, "TableCellBox"):
        counts = [line.characters for line in _lines(cell)]
        if len(counts) >= SQUEEZED_LINES and sum(counts) / len(counts) < SQUEEZED_CHARACTERS:
            return True
    return False


def _descendants(box: Any, kind: str) -> Iterator[Any]:
    for child in getattr(box, "children", ()):
        if type(child).__name__ == kind:
            yield child
        elif not type(child).__name__.startswith(("Line", "Text", "Inline")):
            yield from _descendants(child, kind)


def _lines(paragraph: Any, page: int = 0, note_heights: dict[int, float] | None = None) -> Iterator[Line]:
    for line in paragraph.children:
        if type(line).__name__ != "LineBox":
            continue
        text = "".join(_texts(line)).rstrip()
        hyphen = line.style["hyphenate_character"]
        hyphenated = bool(hyphen) and text.endswith(hyphen)
        characters = sum(1 for c in text if not c.isspace()) - (len(hyphen.strip()) if hyphenated else 0)
        notes = _called_notes(line, note_heights) if note_heights else 0.0
        yield Line(line.margin_height(), characters, hyphenated, page, notes)


def _texts(box: Any) -> Iterator[str]:
    """The text of a line as the document has it: no pseudo-element's content (a footnote call's number)."""
    if "::" in (getattr(box, "element_tag", "") or ""):
        return
    if type(box).__name__ == "TextBox":
        yield box.text
    for child in getattr(box, "children", ()):
        yield from _texts(child)


def _flows(box: Any) -> Iterator[Any]:
    """The outermost boxes of the text's flows: the body (``main``) and the reference list."""
    element = getattr(box, "element", None)
    if element is not None and getattr(box, "element_tag", None) in ("main", "section") and (
            element.tag == "main" or "references" in (element.get("class") or "").split()):
        yield box
        return
    for child in getattr(box, "children", ()):
        if not type(child).__name__.startswith(("Line", "Text", "Inline")):
            yield from _flows(child)


def _flow_blocks(box: Any, spanning: list[Any]) -> Iterator[Any]:
    """The boxes of numbered blocks inside ``box``, in order, but for the page-wide ones."""
    for child in getattr(box, "children", ()):
        element = getattr(child, "element", None)
        if child in spanning:
            continue
        if element is not None and element.get(FLOW_ATTRIBUTE) is not None and child.element_tag == element.tag:
            yield child
        elif not type(child).__name__.startswith(("Line", "Text", "Inline")):
            yield from _flow_blocks(child, spanning)
