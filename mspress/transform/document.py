"""Markdown parts → HTML fragments, through one pandoc parse and one pandoc write."""
from __future__ import annotations

import re
from typing import Any

from mspress import pandoc
from mspress.transform.crossref import Labels, number_blocks
from mspress.errors import Diagnostic, Location, ManuscriptErrors
from mspress.model import Manuscript, Numbering, SourceText
from mspress.transform.resolve import Resolver

_MARKER = "MSPRESSPARTBOUNDARY"
_MARKER_HTML = re.compile(rf"<p>{_MARKER}(\d+)</p>\n?")


def render_parts(manuscript: Manuscript, numbering: Numbering, known_keys: set[str], marks: Any) -> tuple[dict[str, str], Labels]:
    """HTML of every part by name, with citations and cross references resolved."""
    parts = list(manuscript.parts)
    api_version, blocks = _parse_all(parts)
    body = {p.name for p in manuscript.sections}
    labels, heading_numbers = number_blocks([(p.name, b) for p, b in zip(parts, blocks)], body)
    problems: list[Diagnostic] = []
    for part, part_blocks in zip(parts, blocks):
        resolver = Resolver(numbering, labels, known_keys, heading_numbers, manuscript.root, part, marks)
        resolver.visit(part_blocks)
        problems.extend(resolver.problems)
    if problems:
        raise ManuscriptErrors(problems)
    joined: list[Any] = []
    for i, part_blocks in enumerate(blocks):
        joined.append(_marker_block(i))
        joined.extend(part_blocks)
    ast = {"pandoc-api-version": api_version, "meta": {}, "blocks": joined}
    html = pandoc.to_html(ast, Location(parts[0].path))
    pieces = _MARKER_HTML.split(html)
    fragments = {parts[int(pieces[i])].name: pieces[i + 1].strip() for i in range(1, len(pieces), 2)}
    return fragments, labels


def _parse_all(parts: list[SourceText]) -> tuple[Any, list[list[Any]]]:
    """Parse every part in one pandoc run; fall back to one run per part if a part swallowed a marker."""
    combined = "".join(f"\n\n{_MARKER}{i}\n\n{p.text}\n" for i, p in enumerate(parts))
    ast = pandoc.parse(combined, Location(parts[0].path))
    split = _split_on_markers(ast["blocks"], len(parts))
    if split is not None:
        return ast["pandoc-api-version"], split
    return ast["pandoc-api-version"], [pandoc.parse(p.text, Location(p.path))["blocks"] for p in parts]


def _split_on_markers(blocks: list[Any], count: int) -> list[list[Any]] | None:
    result: list[list[Any]] = []
    for block in blocks:
        index = _marker_index(block)
        if index is not None:
            if index != len(result):
                return None
            result.append([])
        elif result:
            result[-1].append(block)
    return result if len(result) == count else None


def _marker_index(block: Any) -> int | None:
    if block.get("t") == "Para" and len(block["c"]) == 1 and block["c"][0].get("t") == "Str":
        value = block["c"][0]["c"]
        if value.startswith(_MARKER) and value[len(_MARKER):].isdigit():
            return int(value[len(_MARKER):])
    return None


def _marker_block(i: int) -> dict[str, Any]:
    return {"t": "Para", "c": [{"t": "Str", "c": f"{_MARKER}{i}"}]}

