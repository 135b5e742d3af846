"""Measure a built PDF the way a production editor looks at it: rows of glyphs, their edges and gaps.

Glyph positions come from PyMuPDF's ``get_texttrace``; a superscript citation is merged into the row
it sits on. Pages of one or more columns with 2-em paragraph indents are assumed (our template).
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


def rows(document: pymupdf.Document, skip_top: float = 60, skip_bottom: float = 60, body: float | None = None) -> list[Row]:
    """Rows of every page, running heads and page numbers left out; a row is cut where a gap passes 1.5 em (the
    gutter of a two-column page, a table's cells), and a superscript is merged into the row it stands over."""
    found: list[Row] = []
    if body is None:  # the document's text size: a page of references has more small glyphs than text
        sizes = Counter(round(span["size"], 1) for page in document for span in page.get_texttrace() for c in span["chars"] if c[0] != 0x20)
        body = sizes.most_common(1)[0][0] if sizes else 0
    for page in document:
        height = page.rect.height
        glyphs = [Glyph(chr(c[0]), c[1], c[3][0], c[3][0] + (c[3][2] - c[3][0]), c[2][1], span["size"])
                  for span in page.get_texttrace() for c in span["chars"]
                  if skip_top < c[2][1] < height - skip_bottom]
        lines: list[Row] = []
        for glyph in sorted(glyphs, key=lambda g: (round(g.baseline, 0), g.x0)):
            row = next((r for r in lines if abs(r.baseline - glyph.baseline) < 1.0), None)
            if row is None:
                row = Row(page.number + 1, glyph.baseline)
                lines.append(row)
            row.glyphs.append(glyph)
        lines = [r for r in lines if not _merge_superscript(r, lines, body)]
        page_rows = [part for line in lines for part in _cut(line)]
        merged = [r for r in page_rows if not _merge_superscript(r, page_rows, body)]  # a mark that shared a baseline
        for row in merged:
            row.glyphs.sort(key=lambda g: g.x0)
        found.extend(sorted(merged, key=lambda r: (r.baseline, r.start)))
    return found


def _cut(line: Row) -> list[Row]:
    glyphs = sorted(line.glyphs, key=lambda g: g.x0)
    parts = [Row(line.page, line.baseline, [glyphs[0]])]
    for a, b in zip(glyphs, glyphs[1:], strict=False):
        if b.x0 - a.x1 > 1.5 * max(a.size, b.size):
            parts.append(Row(line.page, line.baseline))
        parts[-1].glyphs.append(b)
    return parts


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
    """Body text rows split into paragraph-internal rows and last rows of paragraphs; ``right`` of each column by
    its left edge."""

    em: float
    lefts: list[float]
    rights: dict[float, float]
    inner: list[Row]
    last: list[Row]

    def right_of(self, row: Row) -> float:
        return self.rights[self.column(row)]

    def column(self, row: Row) -> float:
        return max((left for left in self.lefts if left <= row.start + 0.35 * self.em), default=self.lefts[0])


def body_rows(document: pymupdf.Document, em: float) -> Body:
    """Rows of text set at ``em`` points (the body size) that start at a column's left edge or 2 em in."""
    all_rows = rows(document, body=em)
    text_rows = [r for r in all_rows if abs(r.size - em) < 0.3]
    starts = Counter(round(r.start) for r in text_rows)
    lefts: list[float] = []
    for x, n in sorted(starts.items()):
        if n >= max(5, 0.05 * len(text_rows)) and not any(abs(x - left) < 2.5 * em for left in lefts):
            lefts.append(float(x))
    in_column = [r for r in text_rows if any(abs(r.start - left) < 0.35 * em or abs(r.start - left - 2 * em) < 0.35 * em for left in lefts)]
    body = Body(em, lefts, {}, [], [])
    for left in lefts:
        ends = [round(r.end) for r in in_column if body.column(r) == left]
        body.rights[left] = float(statistics.mode(ends))
    column_rows = {left: [r for r in all_rows if body.column(r) == left and r.start >= left - 0.35 * em] for left in lefts}
    for left, col in column_rows.items():
        col.sort(key=lambda r: (r.page, r.baseline))
        for row, following in zip(col, col[1:] + [None], strict=False):
            if row not in in_column:
                continue
            continues = (following is not None and following in in_column and following.page == row.page
                         and abs(following.start - left) < 0.35 * em and following.baseline - row.baseline < 2.2 * em)
            (body.inner if continues else body.last).append(row)
    return body
