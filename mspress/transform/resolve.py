"""Rewrite pandoc's AST: citation marks, cross references, numbered headings and captions, inlined figures.

Numbers come from ``citations.number`` and ``crossref.number_blocks``; nothing here decides a number.
"""
from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mspress.citations.reader import unknown_key, narrative_matches, is_crossref, locator_text, split_known
from mspress.transform.crossref import Labels
from mspress.errors import Diagnostic, Location, Severity
from mspress.sources.figures import IMAGE_TYPES, figure_path, figure_problem
from mspress.model import Numbering, SourceText
from mspress.typeset.spacing import is_cjk, is_latin

Node = dict[str, Any]
INLINE_TYPES = {"Str", "Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps", "Quoted",
                "Cite", "Code", "Space", "SoftBreak", "LineBreak", "Math", "RawInline", "Link", "Image", "Note", "Span"}
LABEL_WORDS = {"fig": ("图", "Fig. "), "tbl": ("表", "Table ")}


def raw(markup: str) -> Node:
    return {"t": "RawInline", "c": ["html", markup]}


def text(value: str) -> Node:
    return {"t": "Str", "c": value}


def span(classes: list[str], inlines: list[Node]) -> Node:
    return {"t": "Span", "c": [["", classes, []], inlines]}


@dataclass
class Resolver:
    numbering: Numbering
    labels: Labels
    known_keys: set[str]
    heading_numbers: dict[int, str]
    root: Path
    part: SourceText
    marks: Any
    """``NumericMarks`` or ``AuthorYearMarks``: how a citation is printed."""
    problems: list[Diagnostic] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.ids = self.known_keys | set(self.labels.numbers)
        """Citation keys and cross-reference labels: what an ``@id`` may name."""

    # --- problems -------------------------------------------------------------------------
    def locate(self, needle: str) -> Location:
        offset = self.part.text.find(needle)
        return Location.in_text(self.part.path, self.part.text, max(offset, 0))

    def problem(self, code: str, needle: str, message: str) -> None:
        self.problems.append(Diagnostic(code, Severity.ERROR, message, self.locate(needle)))

    # --- traversal ------------------------------------------------------------------------
    def visit(self, node: Any) -> None:
        if isinstance(node, list):
            if node and all(isinstance(x, dict) and x.get("t") in INLINE_TYPES for x in node):
                node[:] = self.inlines(node)
            else:
                for item in node:
                    self.visit(item)
        elif isinstance(node, dict):
            kind = node.get("t")
            if kind == "Header":
                self.header(node)
            elif kind == "Figure":
                self.caption(node, "fig")
            elif kind == "Table":
                self.caption(node, "tbl")
            self.visit(node.get("c"))

    def inlines(self, items: list[Node]) -> list[Node]:
        out: list[Node] = []
        for item in items:
            kind = item["t"]
            if kind == "Cite":
                out.extend(self.cite(item, out))
            elif kind == "Str" and "@" in item["c"]:
                out.extend(self.narrative_in_text(item["c"], out))
            elif kind == "Image":
                self.image(item)
                out.append(item)
            else:
                if kind not in ("Str", "Code", "Math", "RawInline"):
                    self.visit(item.get("c"))
                out.append(item)
        return glue_citations(drop_cjk_latin_spaces(out))

    # --- citations and cross references ---------------------------------------------------
    def cite(self, node: Node, before: list[Node]) -> list[Node]:
        items = node["c"][0]
        resolved = [split_known(c["citationId"], self.ids) for c in items]
        keys = [k for k, _ in resolved]
        trailing = "".join(rest for _, rest in resolved)
        after = [text(trailing)] if trailing else []
        if all(is_crossref(k) for k in keys):
            refs: list[Node] = []
            for i, key in enumerate(keys):
                refs.extend(([text("，")] if i else []) + [self.crossref(key)])
            return refs + after
        locators = [locator_text(_plain(c["citationSuffix"])) for c in items]
        narrative = items[0]["citationMode"]["t"] == "AuthorInText"
        return [self.citation_mark(keys, locators, narrative, before)] + after

    def narrative_in_text(self, value: str, before: list[Node]) -> list[Node]:
        out: list[Node] = []
        pos = 0
        for m in narrative_matches(value):
            key, rest = split_known(m.group("key"), self.ids)
            if value[pos : m.start()]:
                out.append(text(value[pos : m.start()]))
            if is_crossref(key):
                out.append(self.crossref(key))
            else:
                out.append(self.citation_mark([key], [""], True, before + out))
            pos = m.start() + 1 + len(key)
        if value[pos:]:
            out.append(text(value[pos:]))
        return out

    def crossref(self, key: str) -> Node:
        number = self.labels.numbers.get(key)
        if number is None:
            self.problem("undefined-crossref", f"@{key}", f"unknown cross reference @{key}: label a figure, table or heading {{#{key}}}")
            return text(f"??{key}")
        kind = self.labels.kinds[key]
        word = LABEL_WORDS.get(kind, ("", ""))[0]
        return raw(f'<a class="xref" href="#{html.escape(key)}">{word}{number}</a>')

    def citation_mark(self, keys: list[str], locators: list[str], narrative: bool, before: list[Node]) -> Node:
        for key in keys:
            if key not in self.numbering.numbers:
                self.problem("undefined-citation", f"@{key}", unknown_key(key))
                return text(f"[?{key}]")
        return raw(self.marks.render(keys, locators, narrative, _ends_with(before, "文献")))

    # --- blocks ------------------------------------------------------------------------------
    def header(self, node: Node) -> None:
        number = self.heading_numbers.get(id(node))
        if number:
            node["c"][2][:0] = [span(["secnum"], [text(number)])]

    def caption(self, node: Node, kind: str) -> None:
        number = node.get("_number")
        if number is None:
            return
        attrs = dict(node["c"][0][2])
        if kind == "fig":
            image = _first_image(node["c"][2])
            if image is not None:
                attrs.update(dict(image["c"][0][2]))
        caption_blocks = node["c"][1][1]
        zh_inlines = caption_blocks[0]["c"] if caption_blocks else []
        zh_word, en_word = LABEL_WORDS[kind]
        lines = [span(["caption-zh"], [span(["caption-label"], [text(f"{zh_word}{number}")]), *zh_inlines])]
        if attrs.get("caption-en"):
            lines += [{"t": "LineBreak"}, span(["caption-en"], [span(["caption-label"], [text(f"{en_word}{number}")]), text(attrs["caption-en"])])]
        node["c"][1][1] = [{"t": "Plain", "c": lines}]

    def image(self, node: Node) -> None:
        target = node["c"][2][0]
        problem = figure_problem(self.root, target)
        if problem:
            self.problem("missing-figure", target, problem)
        elif not target.startswith("data:"):
            path = figure_path(self.root, target)
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            node["c"][2][0] = f"data:{IMAGE_TYPES[path.suffix.lower()]};base64,{data}"


def drop_cjk_latin_spaces(items: list[Node]) -> list[Node]:
    """Remove a typed space between Chinese and Latin text; the PDF and the browser space them alike."""
    out: list[Node] = []
    for i, item in enumerate(items):
        if item["t"] in ("Space", "SoftBreak") and 0 < i < len(items) - 1:
            left, right = items[i - 1], items[i + 1]
            if left["t"] == "Str" and right["t"] == "Str" and left["c"] and right["c"]:
                a, b = left["c"][-1], right["c"][0]
                if (is_cjk(a) and is_latin(b)) or (is_latin(a) and is_cjk(b)):
                    continue
        out.append(item)
    return out


CITATION_MARKUP = ('<sup class="cite">', '<span class="cite-inline">')


def glue_citations(items: list[Node]) -> list[Node]:
    """Bind each citation mark to the character before it, so no line starts with a citation."""
    out: list[Node] = []
    for item in items:
        previous = out[-1] if out else None
        if (item["t"] == "RawInline" and item["c"][1].startswith(CITATION_MARKUP)
                and previous is not None and previous["t"] == "Str" and previous["c"]):
            char = previous["c"][-1]
            previous["c"] = previous["c"][:-1]
            if not previous["c"]:
                out.pop()
            item = raw(f'<span class="nobreak">{html.escape(char)}{item["c"][1]}</span>')
        out.append(item)
    return out


def _first_image(blocks: list[Node]) -> Node | None:
    for block in blocks:
        for inline in block.get("c", []) if isinstance(block.get("c"), list) else []:
            if isinstance(inline, dict) and inline.get("t") == "Image":
                return inline
    return None


def _plain(inlines: list[Node]) -> str:
    parts = []
    for item in inlines:
        if item["t"] == "Str":
            parts.append(item["c"])
        elif item["t"] in ("Space", "SoftBreak"):
            parts.append(" ")
    return "".join(parts)


def _ends_with(before: list[Node], word: str) -> bool:
    return bool(before) and before[-1].get("t") == "Str" and before[-1]["c"].endswith(word)
