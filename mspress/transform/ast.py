"""Pandoc AST nodes built by mspress: plain pandoc types only, so every pandoc writer can render them."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

Node = dict[str, Any]


def text(value: str) -> list[Node]:
    """Words as Str nodes with Space between them (pandoc's own shape for text)."""
    out: list[Node] = []
    for i, word in enumerate(re.split(r" +", value)):
        if i:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def attr(ident: str = "", classes: Iterable[str] = (), pairs: Iterable[tuple[str, str]] = ()) -> list[Any]:
    return [ident, list(classes), [list(p) for p in pairs]]


def span(classes: Iterable[str], inlines: list[Node], ident: str = "", pairs: Iterable[tuple[str, str]] = ()) -> Node:
    return {"t": "Span", "c": [attr(ident, classes, pairs), inlines]}


def link(inlines: list[Node], target: str, classes: Iterable[str] = ()) -> Node:
    return {"t": "Link", "c": [attr("", classes), inlines, [target, ""]]}


def superscript(inlines: list[Node]) -> Node:
    return {"t": "Superscript", "c": inlines}


def para(inlines: list[Node]) -> Node:
    return {"t": "Para", "c": inlines}


def div(blocks: list[Node], ident: str = "", classes: Iterable[str] = (), pairs: Iterable[tuple[str, str]] = ()) -> Node:
    return {"t": "Div", "c": [attr(ident, classes, pairs), blocks]}


def header(level: int, inlines: list[Node], ident: str = "", classes: Iterable[str] = ()) -> Node:
    return {"t": "Header", "c": [level, attr(ident, classes), inlines]}


LINE_BREAK: Node = {"t": "LineBreak"}


def plain_text(value: Any) -> str:
    """A node's (or a list of nodes') text without markup: for metadata and tables of contents. Notes are left out."""
    if isinstance(value, list):
        return "".join(plain_text(item) for item in value)
    if not isinstance(value, dict):
        return ""
    kind = value.get("t")
    if kind in ("Str", "Code"):
        return str(value["c"] if kind == "Str" else value["c"][1])
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind == "Math":  # as Unicode (χ2, not \chi^2): a table of contents or a description shows no TeX
        from mspress.sources.latex import math_text, strip_marks

        return strip_marks(math_text(str(value["c"][1])))
    if kind == "Note":
        return ""
    content = value.get("c")
    return plain_text(content) if isinstance(content, list) else ""


def clone(value: Any) -> Any:
    """A deep copy of AST nodes (plain JSON values), by a JSON round trip: ten times faster than ``copy.deepcopy``."""
    return json.loads(json.dumps(value))
