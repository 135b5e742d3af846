"""Measure a built PDF the way a production editor looks at it: rows of glyphs, their edges and gaps.

Glyph positions come from PyMuPDF's ``get_texttrace``; a superscript citation is merged into the row
it sits on. Only one-column pages with 2-em paragraph indents are assumed (our template).
"""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

import pymupdf

CLOSING = set("，。、；：？！）」』”’》〉】〕…")
OPENING = set("（「『“‘《〈【〔")
SPACES = {" ", "\u00a0", "\u3000", "\u2005", "\u2009"}


@dataclass
class Glyph:
    char: str
    gid: int
    x0: float
    x1: float
    baseline: float
    size: float


@dataclass
class Row:
    page: int
    baseline: float
    glyphs: list[Glyph] = field(default_factory=list)

    @property
    def size(self) -> float:
        return Counter(round(g.size, 1) for g in self.glyphs).most_common(1)[0][0]

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)

    @property
    def start(self) -> float:
        return min(g.x0 for g in self.glyphs)

    @property
    def end(self) -> float:
        return max(g.x1 for g in self.glyphs if g.char not in SPACES)

    def max_gap(self, em: float) -> float:
        """Largest space between consecutive visible glyphs, in em (a space glyph counts as gap)."""
        visible = sorted((g for g in self.glyphs if g.char not in SPACES), key=lambda g: g.x0)
        return max((b.x0 - a.x1 for a, b in zip(visible, visible[1:], strict=False)), default=0.0) / em


def rows(document: pymupdf.Document, skip_top: float = 60, skip_bottom: float = 60) -> list[Row]:
    """Rows of every page, running heads and page numbers left out."""
    found: list[Row] = []
    for page in document:
        height = page.rect.height
        glyphs = [Glyph(chr(c[0]), c[1], c[3][0], c[3][0] + (c[3][2] - c[3][0]), c[2][1], span["size"])
                  for span in page.get_texttrace() for c in span["chars"]
                  if skip_top < c[2][1] < height - skip_bottom]
        page_rows: list[Row] = []
        for glyph in sorted(glyphs, key=lambda g: (round(g.baseline, 0), g.x0)):
            row = next((r for r in page_rows if abs(r.baseline - glyph.baseline) < 1.0), None)
            if row is None:
                row = Row(page.number + 1, glyph.baseline)
                page_rows.append(row)
            row.glyphs.append(glyph)
        body = statistics.mode(round(g.size, 1) for g in glyphs) if glyphs else 0
        merged = [r for r in page_rows if not _merge_superscript(r, page_rows, body)]
        for row in merged:
            row.glyphs.sort(key=lambda g: g.x0)
        found.extend(sorted(merged, key=lambda r: r.baseline))
    return found


def _merge_superscript(row: Row, page_rows: list[Row], body: float) -> bool:
    if row.size >= body * 0.9:
        return False
    host = next((r for r in page_rows if r is not row and r.size >= body * 0.95 and 0 < r.baseline - row.baseline < body * 0.6
                 and r.start - body <= row.start <= r.end + body), None)
    if host is None:
        return False
    host.glyphs.extend(row.glyphs)
    return True


@dataclass
class Body:
    """Body text rows split into paragraph-internal rows and last rows of paragraphs."""

    em: float
    left: float
    right: float
    inner: list[Row]
    last: list[Row]


def body_rows(document: pymupdf.Document, em: float) -> Body:
    """Rows of text set at ``em`` points (the body size) that start at the left edge or 2 em in."""
    all_rows = rows(document)
    text_rows = [r for r in all_rows if abs(r.size - em) < 0.3]
    left = statistics.mode(round(r.start, 0) for r in text_rows)
    indented = [r for r in text_rows if abs(r.start - left) < 0.35 * em or abs(r.start - left - 2 * em) < 0.35 * em]
    right = statistics.mode(round(r.end, 0) for r in indented)
    inner, last = [], []
    for i, row in enumerate(all_rows):
        if row not in indented:
            continue
        following = all_rows[i + 1] if i + 1 < len(all_rows) else None
        continues = (following is not None and following in indented and following.page == row.page
                     and abs(following.start - left) < 0.35 * em and following.baseline - row.baseline < 2.2 * em)
        (inner if continues else last).append(row)
    return Body(em, left, right, inner, last)
