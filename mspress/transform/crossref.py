"""Numbers for figures, tables and headings, decided once from the document's order."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Block = dict[str, Any]


@dataclass(slots=True)
class Labels:
    """Label → printed number (``1``, ``2.3``) and kind (``fig``, ``tbl``, ``sec``)."""

    numbers: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)

    def add(self, label: str, kind: str, number: str) -> None:
        self.numbers[label] = number
        self.kinds[label] = kind


def number_blocks(parts: list[tuple[str, list[Block]]], body_parts: set[str]) -> tuple[Labels, dict[int, str]]:
    """Number figures and tables in order, and headings of body parts hierarchically.

    Returns the labels and, for each numbered Header block (by ``id()``), its section number.
    """
    labels = Labels()
    counters = {"fig": 0, "tbl": 0}
    levels = [0, 0, 0, 0, 0, 0]
    heading_numbers: dict[int, str] = {}
    for name, blocks in parts:
        for block in _walk_blocks(blocks):
            kind = block["t"]
            if kind in ("Figure", "Table"):
                short = "fig" if kind == "Figure" else "tbl"
                counters[short] += 1
                block["_number"] = str(counters[short])
                ident = block["c"][0][0]
                if ident:
                    labels.add(ident, short, str(counters[short]))
            elif kind == "Header" and name in body_parts:
                level, (ident, classes, _), _ = block["c"]
                if "unnumbered" in classes or "-" in classes:
                    continue
                levels[level - 1] += 1
                for deeper in range(level, len(levels)):
                    levels[deeper] = 0
                number = ".".join(str(n) for n in levels[:level])
                heading_numbers[id(block)] = number
                if ident:
                    labels.add(ident, "sec", number)
    return labels, heading_numbers


def _walk_blocks(blocks: list[Block]) -> Any:
    for block in blocks:
        yield block
        if block["t"] in ("Div", "BlockQuote"):
            inner = block["c"][1] if block["t"] == "Div" else block["c"]
            yield from _walk_blocks(inner)
