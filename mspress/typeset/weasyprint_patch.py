"""Inter-character justification and Chinese spacing for WeasyPrint 70.0.

WeasyPrint justifies only by widening spaces (``count_expandable_spaces`` counts U+0020 and U+00A0),
so Chinese paragraphs, which have none, come out ragged. This module replaces, in the pinned version
only, ``layout.inline.justify_line`` and ``text_align`` and wraps ``Layout.set_text`` and
``Layout.reactivate``:

- a justified line's slack goes first to a quarter-em between Chinese and Latin text, then to the
  gaps between Chinese characters and to word spaces (CSS ``text-justify: inter-character``); gaps
  inside Latin words are used only when a line has too few others;
- a line that is not justified (a paragraph's last line) gets the quarter-ems if they fit;
- while lines are broken, each Chinese↔Latin boundary reserves its quarter-em as letter spacing,
  so lines are measured with it; a line that is drawn trades the reserve for exact gaps;
- adjacent punctuation is squeezed (OpenType ``halt``), which changes widths, so it applies while
  lines are broken as well as when they are drawn.

The extra space is added to glyph advances when a line is drawn, after Pango has shaped it, so it
lands exactly in the gap it is meant for. ``install()`` refuses any other WeasyPrint version.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from mspress.text import has_cjk
from mspress.typeset import spacing

PATCHED_VERSION = "70.0"
MAX_STRETCH_EM = 0.05
"""Above this gap per opportunity, a line also stretches inside Latin words."""
MAX_SPACE_STRETCH_EM = 0.04
"""A word space (0.256 em in Noto Serif CJK) grows at most this much, so no gap passes 0.3 em."""
_installed = False


class UnsupportedWeasyPrint(RuntimeError):
    pass


def install() -> None:
    global _installed
    if _installed:
        return
    import weasyprint
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    if weasyprint.__version__ != PATCHED_VERSION:
        raise UnsupportedWeasyPrint(
            f"mspress's Chinese justification patches WeasyPrint {PATCHED_VERSION}, but {weasyprint.__version__} is "
            f"installed: pin weasyprint=={PATCHED_VERSION} or port mspress/typeset/weasyprint_patch.py")
    set_text, reactivate, text_align = line_break.Layout.set_text, line_break.Layout.reactivate, inline.text_align

    def patched_set_text(self: Any, text: str, justify: bool = False) -> None:
        set_text(self, text, justify)
        _squeeze_punctuation(self)
        if not justify:  # while lines are broken; drawing turns the reserve into exact gaps
            _reserve_autospace(self)

    def patched_reactivate(self: Any, style: Any) -> None:
        reactivate(self, style)
        thousandths = getattr(self, "mspress_thousandths", None)
        if thousandths:
            _widen_glyphs(self, thousandths)

    def patched_text_align(context: Any, line: Any, available_width: float, last: bool) -> float:
        if line.style["text_align_all"] != "justify" or last:
            _autospace_only(context, line, available_width - line.width)
        return float(text_align(context, line, available_width, last))

    line_break.Layout.set_text = patched_set_text
    line_break.Layout.reactivate = patched_reactivate
    inline.text_align = patched_text_align
    inline.justify_line = _justify_line
    _installed = True


# --- pieces of a plan ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Plan:
    """Extra space for one line, in points: per Chinese↔Latin boundary, character gap and word space."""

    autospace: float = 0.0
    chars: float = 0.0
    spaces: float = 0.0
    latin_too: bool = False

    def scaled(self, factor: float) -> _Plan:
        return _Plan(self.autospace * factor, self.chars * factor, self.spaces * factor, self.latin_too)

    def gaps(self, text: str) -> dict[int, float]:
        """Extra space before character ``i`` of ``text`` (i ≥ 1)."""
        found: dict[int, float] = {}

        def add(i: int, value: float) -> None:
            if value and 0 < i < len(text):
                found[i] = found.get(i, 0.0) + value

        boundaries = spacing.autospace_positions(text)
        for i in boundaries:
            add(i, self.autospace)
        if self.chars:
            for i in set(spacing.stretch_positions(text, self.latin_too)) - set(boundaries):
                add(i, self.chars)
        if self.spaces:
            for i, ch in enumerate(text):
                if ch in " \u00a0":
                    add(i + 1, self.spaces)
        return found


def _counts(boxes: list[Any], latin_too: bool) -> tuple[int, int, int]:
    """(Chinese↔Latin boundaries, stretchable character gaps, word spaces) over the line's boxes."""
    auto = gaps = spaces = 0
    for box in boxes:
        text = box.text
        boundaries = spacing.autospace_positions(text)
        auto += len(boundaries)
        gaps += len(set(spacing.stretch_positions(text, latin_too)) - set(boundaries))
        spaces += sum(1 for i, ch in enumerate(text[:-1]) if ch in " \u00a0")
    return auto, gaps, spaces


def _plan(boxes: list[Any], extra: float, em: float) -> _Plan | None:
    quarter = spacing.AUTOSPACE_EM * em
    for latin_too in (False, True):
        auto, gaps, spaces = _counts(boxes, latin_too)
        rest = extra - auto * quarter
        if rest <= 0:
            return _Plan(autospace=extra / auto) if auto else None
        j = rest / (gaps + spaces) if gaps + spaces else 0.0
        if latin_too or (gaps + spaces and j <= MAX_STRETCH_EM * em):
            break
    if gaps + spaces == 0:
        return _Plan(autospace=quarter) if auto else None
    if gaps and j > MAX_SPACE_STRETCH_EM * em:
        cap = MAX_SPACE_STRETCH_EM * em
        return _Plan(quarter, (rest - spaces * cap) / gaps, cap, latin_too)
    return _Plan(quarter, j, j, latin_too)


# --- line-level entry points --------------------------------------------------------------------


def _text_boxes(box: Any) -> Iterator[Any]:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child)


def _justify_line(context: Any, line: Any, extra_width: float) -> None:
    """Spread ``extra_width`` over the line; scaled once so the applied widths fill it exactly."""
    boxes = list(_text_boxes(line))
    reserved = {id(box): _reserved(box) for box in boxes}
    pool = extra_width + sum(reserved.values())
    plan = _plan(boxes, pool, line.style["font_size"])
    if plan is None:
        plan = _Plan()
    else:
        gained = sum(_gain(box, plan) for box in boxes)
        if gained > 0:
            plan = plan.scaled(pool / gained)
    _add_spacing(line, plan, 0.0, reserved)


def _autospace_only(context: Any, line: Any, slack: float) -> None:
    """Quarter-ems on a line that is not justified, as far as its free space allows."""
    boxes = list(_text_boxes(line))
    auto = _counts(boxes, False)[0]
    if not auto:
        return
    reserved = {id(box): _reserved(box) for box in boxes}
    pool = max(slack, 0.0) + sum(reserved.values())
    quarter = spacing.AUTOSPACE_EM * line.style["font_size"]
    _add_spacing(line, _Plan(autospace=min(quarter, pool / auto)), 0.0, reserved)


def _add_spacing(box: Any, plan: _Plan, x_advance: float, reserved: dict[int, float]) -> float:
    """WeasyPrint's ``add_word_spacing`` with our gaps: move boxes, resize them, remember the gaps."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        thousandths = spacing.quantize(plan.gaps(box.text), box.style["font_size"])
        gain = _drawn(thousandths, box) - reserved.get(id(box), 0.0)
        box.pango_layout.mspress_thousandths = thousandths
        box.width += gain
        x_advance += gain
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        children = box.children[::-1] if box.style["direction"] == "rtl" else box.children
        for child in children:
            if child.is_in_normal_flow():
                x_advance = _add_spacing(child, plan, x_advance, reserved)
        box.width += x_advance - before
    else:
        box.translate(x_advance, 0)
    return x_advance


def _reserved(box: Any) -> float:
    """Width the line-breaking layout reserved in ``box`` for Chinese↔Latin quarter-ems.

    Measured against the box's own width, because a reserve can straddle the end of a line (predicting it
    from the box's text alone left lines up to 0.08 em short).
    """
    if not has_cjk(box.text):
        return 0.0
    return float(box.width) - _probe_width(box, justify=True)


def _probe_width(box: Any, justify: bool) -> float:
    from weasyprint.text.line_break import Layout, line_size

    probe = Layout(box.style, box.justification_spacing)
    probe.set_text(box.text, justify=justify)
    first, _ = probe.get_first_line()
    return float(line_size(first, box.style)[0])


def _gain(box: Any, plan: _Plan) -> float:
    return _applied(box, plan.gaps(box.text))


def _applied(box: Any, gaps: dict[int, float]) -> float:
    """How much wider ``box`` is drawn with ``gaps``: exactly what ``_widen_glyphs`` will add."""
    return _drawn(spacing.quantize(gaps, box.style["font_size"]), box)


def _drawn(thousandths: dict[int, int], box: Any) -> float:
    return float(sum(thousandths.values()) * box.style["font_size"] / 1000)


def _widen_glyphs(layout: Any, thousandths: dict[int, int]) -> None:
    """Widen the glyph that ends just before character ``i`` by ``thousandths[i]`` of an em.

    WeasyPrint writes a glyph's extra advance as a whole number of thousandths (it truncates), so each
    glyph is widened by the wanted number plus half of one. A gap inside a cluster (a ligature) moves
    to the end of the cluster, so every gap is drawn.
    """
    from weasyprint.text.ffi import TO_UNITS, ffi, pango

    text = layout.text
    size = layout.style["font_size"]
    char_at = _char_index_by_byte(text)
    # draw_first_line sets this too; setting it first keeps Pango from re-shaping our widened line.
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    first, _ = layout.get_first_line()
    run = first.runs
    while run != ffi.NULL:
        item = ffi.cast("PangoGlyphItem *", run.data)
        glyphs, offset, length = item.glyphs, item.item.offset, item.item.length
        count = glyphs.num_glyphs
        for g in range(count):
            if g < count - 1 and glyphs.log_clusters[g + 1] == glyphs.log_clusters[g]:
                continue  # widen only the last glyph of a cluster
            start = char_at.get(offset + glyphs.log_clusters[g], 0)
            end = char_at.get(offset + (length if g == count - 1 else glyphs.log_clusters[g + 1]), start + 1)
            wanted = sum(thousandths.get(i, 0) for i in range(start + 1, end + 1))
            if wanted:
                glyphs.glyphs[g].geometry.width += int(round((wanted + 0.5) * size / 1000 * TO_UNITS))
        run = run.next


def _char_index_by_byte(text: str) -> dict[int, int]:
    index, position = {}, 0
    for i, ch in enumerate(text):
        index[position] = i
        position += len(ch.encode("utf-8"))
    index[position] = len(text)
    return index


def _reserve_autospace(layout: Any) -> None:
    """Letter spacing that makes Pango measure a quarter-em per Chinese↔Latin boundary.

    Pango puts half of a character's letter spacing on each side of it, so half a quarter-em on the
    two characters around a boundary adds a quarter-em in all; where it lands does not matter,
    because drawing replaces it with the exact gap.
    """
    from weasyprint.text.ffi import TO_UNITS, ffi, pango

    text = layout.text
    boundaries = spacing.autospace_positions(text) if text else []
    if not boundaries:
        return
    letter = layout.style["letter_spacing"]
    base = 0.0 if letter == "normal" else float(letter)
    half = spacing.AUTOSPACE_EM * layout.style["font_size"] / 2
    attr_list = pango.pango_layout_get_attributes(layout.layout)
    if attr_list == ffi.NULL:
        attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    starts = {i: b for b, i in _char_index_by_byte(text).items()}
    for k in boundaries:
        attr = pango.pango_attr_letter_spacing_new(int(round((base + half) * TO_UNITS)) | 1)
        attr.start_index, attr.end_index = starts[k - 1], starts[k + 1]
        pango.pango_attr_list_change(attr_list, attr)
    pango.pango_layout_set_attributes(layout.layout, attr_list)


def _squeeze_punctuation(layout: Any) -> None:
    """Set the first of two adjacent punctuation marks half-width (``halt``), as ctex does."""
    from weasyprint.text.ffi import ffi, pango

    text = layout.text
    squeeze = spacing.squeeze_positions(text) if text else []
    if not squeeze:
        return
    attr_list = pango.pango_layout_get_attributes(layout.layout)
    if attr_list == ffi.NULL:
        attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    starts = {i: b for b, i in _char_index_by_byte(text).items()}
    for i in squeeze:
        attr = pango.pango_attr_font_features_new(b"halt 1")
        attr.start_index, attr.end_index = starts[i], starts[i + 1]
        pango.pango_attr_list_insert(attr_list, attr)
    pango.pango_layout_set_attributes(layout.layout, attr_list)
