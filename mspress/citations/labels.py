"""Numbers for figures, tables, equations and headings, decided once from the document's order (the AST)."""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from mspress.citations.keys import is_crossref
from mspress.errors import Location
from mspress.sources.markdown import VERBATIM_NODES, Part

Block = dict[str, Any]
KINDS = {"Figure": "fig", "Table": "tbl"}
EQUATION_LABEL = re.compile(r"\{#(eq:[^\s{}]+)\}")
"""pandoc-crossref's label of a display equation: ``$$ E = mc^2 $$ {#eq:energy}``, in the same paragraph."""


@dataclass(slots=True)
class LabelNumbers:
    numbers: dict[str, str] = field(default_factory=dict)
    """Label → printed number (``1``, ``2.3``)."""
    kinds: dict[str, str] = field(default_factory=dict)
    """Label → ``fig``, ``tbl``, ``eq`` or ``sec``."""
    locations: dict[str, Location] = field(default_factory=dict)
    """Where each label the author wrote (``{#fig:x}``) is defined."""
    duplicates: list[tuple[str, Location, Location]] = field(default_factory=list)
    """(label, first definition, second definition)."""
    unnumbered: dict[str, Location] = field(default_factory=dict)
    """Labels of headings marked unnumbered: there is no number to refer to."""
    by_node: dict[int, str] = field(default_factory=dict)
    """``id()`` of a numbered Figure, Table or Header block, or of a numbered display Math inline → its number."""
    equations: dict[int, str] = field(default_factory=dict)
    """``id()`` of a numbered display Math inline → its label (``eq:energy``)."""

    def add(self, label: str, kind: str, number: str, where: Location | None) -> None:
        if label in self.numbers and where is not None and label in self.locations:
            self.duplicates.append((label, self.locations[label], where))
            return
        self.numbers[label], self.kinds[label] = number, kind
        if where is not None:
            self.locations[label] = where


def number_labels(parts: Sequence[Part], body_parts: set[str]) -> LabelNumbers:
    """Number figures, tables and labelled display equations in order, and the headings of body parts hierarchically."""
    labels = LabelNumbers()
    counters = {"fig": 0, "tbl": 0, "eq": 0}
    levels = [0] * 6
    for part in parts:
        finder = _LabelFinder(part)
        for block in walk_blocks(part.blocks):
            kind = block["t"]
            if kind in KINDS:
                short = KINDS[kind]
                counters[short] += 1
                number = str(counters[short])
                labels.by_node[id(block)] = number
                if block["c"][0][0]:
                    labels.add(block["c"][0][0], short, number, finder.find(block["c"][0][0]))
            elif kind in ("Para", "Plain"):
                for math, label in labelled_equations(block["c"]):
                    counters["eq"] += 1
                    number = str(counters["eq"])
                    labels.by_node[id(math)], labels.equations[id(math)] = number, label
                    labels.add(label, "eq", number, finder.find(label))
            elif kind == "Header" and part.source.name in body_parts:
                level, (ident, classes, _), _ = block["c"]
                if "unnumbered" in classes or "-" in classes:
                    if ident and (where := finder.find(ident)) is not None:
                        labels.unnumbered[ident] = where
                    continue
                levels[level - 1] += 1
                levels[level:] = [0] * (len(levels) - level)
                number = ".".join(str(n) for n in levels[:level])
                labels.by_node[id(block)] = number
                if ident:
                    labels.add(ident, "sec", number, finder.find(ident))
    return labels


def labelled_equations(inlines: list[Any]) -> Iterator[tuple[Block, str]]:
    """Each display Math inline of a paragraph that a ``{#eq:x}`` follows (after a space, or none), with its label."""
    for i, item in enumerate(inlines):
        if item.get("t") != "Math" or item["c"][0]["t"] != "DisplayMath":
            continue
        j = i + 1
        if j < len(inlines) and inlines[j].get("t") in ("Space", "SoftBreak"):
            j += 1
        if j < len(inlines) and inlines[j].get("t") == "Str" and (m := EQUATION_LABEL.match(inlines[j]["c"])):
            yield item, m.group(1)


def find_label(text: str, label: str, start: int = 0) -> int:
    """Where ``text`` defines ``label`` (the index of its ``#``), from ``start``; -1 if nowhere. The whole label
    (``{#tbl:a}``, not ``{#tbl:ab}``), anywhere in its attribute block (``{.wide #tbl:a}``)."""
    found = re.compile(r"\{[^{}\n]*?(?<=[{\s])#" + re.escape(label) + r"(?=[\s}])").search(text, start)
    return -1 if found is None else found.end() - len(label) - 1


class _LabelFinder:
    """Finds ``{#label`` definitions in a part's text, in order, so a repeated label gets its second place."""

    def __init__(self, part: Part) -> None:
        self.part, self.cursor = part, 0

    def find(self, label: str) -> Location | None:
        if not is_crossref(label):
            return None  # pandoc's automatic heading ids are not the author's labels
        at = find_label(self.part.masked, label, self.cursor)
        if at < 0:
            at = find_label(self.part.masked, label)
        self.cursor = max(self.cursor, at + 1)
        return Location.in_text(self.part.source.path, self.part.source.text, max(at - 1, 0))


BLOCK_TYPES = {"Plain", "Para", "LineBlock", "CodeBlock", "RawBlock", "BlockQuote", "OrderedList", "BulletList",
               "DefinitionList", "Header", "HorizontalRule", "Table", "Figure", "Div"}


def walk_blocks(value: Any) -> Iterator[Block]:
    """Every block in document order, however deeply nested (lists, quotes, divs, table cells); not notes."""
    if isinstance(value, list):
        for item in value:
            yield from walk_blocks(item)
    elif isinstance(value, dict):
        kind = value.get("t")
        if kind in BLOCK_TYPES:
            yield value
        if kind != "Note" and kind not in VERBATIM_NODES:
            yield from walk_blocks(value.get("c"))
