"""Rewrite the parsed AST into the resolved document: citation marks, cross references, numbered headings and
captions, embedded figures, Chinese–Latin spacing. Output is plain pandoc nodes (no HTML).

Numbers come from ``citations.numbering`` and ``citations.labels``; nothing here decides a number.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mspress.citations.labels import LabelNumbers
from mspress.citations.marks import Marks
from mspress.citations.reader import CiteUse, is_inlines
from mspress.config import Labels
from mspress.sources.figures import IMAGE_TYPES, MAX_IMAGE_BYTES, figure_path, figure_problem
from mspress.sources.files import read_bytes
from mspress.sources.markdown import VERBATIM_NODES
from mspress.text import QUOTES, is_cjk, is_latin
from mspress.transform.ast import LINE_BREAK, Node, link, plain_text, span, text

GLUED_MARKS = ("cite", "cite-inline")
"""Marks bound to the character before them, so no line starts with a citation."""


@dataclass
class Resolver:
    uses: dict[int, CiteUse]
    labels: LabelNumbers
    words: Labels
    marks: Marks
    root: Path

    def visit(self, value: Any) -> None:
        if is_inlines(value):
            value[:] = self.inlines(value)
        elif isinstance(value, list):
            for item in value:
                self.visit(item)
        elif isinstance(value, dict) and value.get("t") not in VERBATIM_NODES:
            kind = value.get("t")
            if kind == "Header":
                self.header(value)
            elif kind in ("Figure", "Table"):
                self.caption(value, "fig" if kind == "Figure" else "tbl")
            elif kind == "Image":
                self.image(value)
            self.visit(value.get("c"))

    def inlines(self, items: list[Node]) -> list[Node]:
        out: list[Node] = []
        i = 0
        while i < len(items):
            item = items[i]
            i += 1
            if item["t"] == "Cite":
                out.extend(self.cite(item, out))
                continue
            if item["t"] == "Math" and id(item) in self.labels.equations:
                label = self.labels.equations[id(item)]
                out.append(self.equation(item, label))
                i = _after_label(items, i, label, out)
                continue
            if item["t"] not in VERBATIM_NODES:
                self.visit(item)
            out.append(item)
        return glue_citations(drop_cjk_latin_spaces(out))

    def equation(self, math: Node, label: str) -> Node:
        """A numbered display equation: the formula and its number ``(1)``, which cross references link to."""
        return span(["equation"], [math, span(["eqnum"], text(f"({self.labels.by_node[id(math)]})"))], label)

    def cite(self, node: Node, before: list[Node]) -> list[Node]:
        use = self.uses[id(node)]
        after = text(use.trailing) if use.trailing else []
        if use.citation is None:
            refs: list[Node] = []
            for i, ref in enumerate(use.crossrefs):
                refs += (text("，") if i else []) + [self.crossref(ref.label, [] if i else before)]
            return refs + after
        c = use.citation
        word = self.words.zh.narrative
        return self.marks.inlines(c.keys, c.locators, c.narrative, bool(word) and _ends_with(before, word)) + after

    def crossref(self, label: str, before: list[Node]) -> Node:
        """``图1``, ``表1``, ``2.1``, ``式(1)`` — an equation's word not repeated after it (``公式@eq:x`` prints ``公式(1)``)."""
        kind = self.labels.kinds[label]
        number = self.labels.numbers[label]
        if kind == "eq":
            word = self.words.zh.equation
            shown = f"({number})" if word and _ends_with(before, word.strip()) else f"{word}({number})"
            return link(text(shown), f"#{label}", ["xref"])
        word = {"fig": self.words.zh.figure, "tbl": self.words.zh.table, "sec": self.words.zh.section}[kind]
        return link(text(f"{word}{number}"), f"#{label}", ["xref"])

    def header(self, node: Node) -> None:
        number = self.labels.by_node.get(id(node))
        if number:
            node["c"][2][:0] = [span(["secnum"], text(number))]

    def caption(self, node: Node, kind: str) -> None:
        number = self.labels.by_node.get(id(node))
        if number is None:
            return
        pairs = dict(node["c"][0][2])
        image = _first_image(node["c"][2]) if kind == "fig" else None
        if image is not None:
            pairs.update(dict(image["c"][0][2]))
        blocks = node["c"][1][1]
        zh_inlines = blocks[0]["c"] if blocks else []
        zh_word, en_word = (self.words.zh.figure, self.words.en.figure) if kind == "fig" else (self.words.zh.table, self.words.en.table)
        lines = [span(["caption-zh"], [span(["caption-label"], text(f"{zh_word}{number}")), *zh_inlines])]
        if pairs.get("caption-en"):
            lines += [LINE_BREAK, span(["caption-en"], [span(["caption-label"], text(f"{en_word}{number}")), *text(pairs["caption-en"])])]
        node["c"][1][1] = [{"t": "Plain", "c": lines}]

    def image(self, node: Node) -> None:
        """Embed the figure (checked before the build): the outputs never read files at run time. A formula in its
        description is written as text (``α=0.05``): an ``alt`` attribute cannot hold math, and shows no TeX."""
        node["c"][1] = [{"t": "Str", "c": plain_text(item)} if item.get("t") == "Math" else item for item in node["c"][1]]
        target = node["c"][2][0]
        if not target.startswith("data:") and figure_problem(self.root, target, content=False) is None:
            path = figure_path(self.root, target)
            data = base64.b64encode(read_bytes(path, self.root, MAX_IMAGE_BYTES)).decode("ascii")  # the one read path
            node["c"][2][0] = f"data:{IMAGE_TYPES[path.suffix.lower()]};base64,{data}"


def _after_label(items: list[Node], i: int, label: str, out: list[Node]) -> int:
    """Where the text goes on after a numbered equation's ``{#eq:x}`` (and the space before it), which is not printed;
    text glued to the label stays."""
    j = i + 1 if i < len(items) and items[i]["t"] in ("Space", "SoftBreak") else i
    tag = "{#" + label + "}"
    if j < len(items) and items[j]["t"] == "Str" and items[j]["c"].startswith(tag):
        if items[j]["c"][len(tag):]:
            out.append({"t": "Str", "c": items[j]["c"][len(tag):]})
        return j + 1
    return i


def drop_cjk_latin_spaces(items: list[Node]) -> list[Node]:
    """Remove a typed space between Chinese and Latin text; the PDF and the browser space them alike. A curly quote
    on a Latin word is English (``parents’ rights``, ``said ‘hello’``): its space stays."""
    out: list[Node] = []
    for i, item in enumerate(items):
        if item["t"] in ("Space", "SoftBreak") and 0 < i < len(items) - 1:
            left, right = items[i - 1], items[i + 1]
            if left["t"] == "Str" and right["t"] == "Str" and left["c"] and right["c"]:
                a, b = left["c"][-1], right["c"][0]
                a_cjk = is_cjk(a) and not _quote_on_latin(a, left["c"][-2:-1])
                b_cjk = is_cjk(b) and not _quote_on_latin(b, right["c"][1:2])
                if (a_cjk and is_latin(b)) or (is_latin(a) and b_cjk):
                    continue
        out.append(item)
    return out


def _quote_on_latin(quote: str, neighbour: str) -> bool:
    """Is ``quote`` a curly quote attached to a Latin letter or digit (``neighbour``, maybe empty)?"""
    return quote in QUOTES and neighbour != "" and is_latin(neighbour)


def glue_citations(items: list[Node]) -> list[Node]:
    """Bind each citation mark to the character before it, so no line starts with a citation."""
    out: list[Node] = []
    for item in items:
        previous = out[-1] if out else None
        if (item["t"] == "Span" and set(item["c"][0][1]) & set(GLUED_MARKS)
                and previous is not None and previous["t"] == "Str" and previous["c"]):
            char = previous["c"][-1]
            previous["c"] = previous["c"][:-1]
            if not previous["c"]:
                out.pop()
            item = span(["nobreak"], [{"t": "Str", "c": char}, item])
        out.append(item)
    return out


def _first_image(blocks: list[Node]) -> Node | None:
    for block in blocks:
        for inline in block.get("c", []) if isinstance(block.get("c"), list) else []:
            if isinstance(inline, dict) and inline.get("t") == "Image":
                return inline
    return None


def _ends_with(before: list[Node], word: str) -> bool:
    return bool(before) and before[-1].get("t") == "Str" and before[-1]["c"].endswith(word)
