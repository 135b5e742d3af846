"""Inter-character justification, Chinese spacing and Latin type for WeasyPrint 70.0.

WeasyPrint justifies only by widening spaces (``count_expandable_spaces`` counts U+0020 and U+00A0),
so Chinese paragraphs, which have none, come out ragged. This module replaces, in the pinned version
only, ``layout.inline.justify_line`` and ``text_align``, wraps ``Layout.set_text`` and
``Layout.reactivate``, and gives ``text.line_break`` its hyphenation languages:

- a justified line's slack goes first to a quarter-em between Chinese and Latin text, then to the
  gaps between Chinese characters and, a little, to word spaces (CSS ``text-justify: inter-character``);
  once the Chinese gaps are as wide as a stretched word space, both grow alike. A line that is not
  Chinese widens its word spaces, up to 0.5 em first. A Latin word is not letter-spaced: by 0.02 em
  at most, and only on a line that has used up every other limit;
- a line that is not justified (a paragraph's last line) gets the quarter-ems if they fit;
- while lines are broken, each Chinese↔Latin boundary reserves its quarter-em as letter spacing,
  so lines are measured with it; a line that is drawn trades the reserve for exact gaps;
- adjacent punctuation is squeezed (OpenType ``halt``), which changes widths, so it applies while
  lines are broken as well as when they are drawn;
- in Chinese text (``lang="zh…"``), the marks a Latin font has too (“ ” ‘ ’ … — ·) are taken from the
  font that sets the Chinese characters, full-width, though the font list names a Latin face first;
- Latin words in Chinese text are hyphenated (``hyphens: auto``) with English patterns (``hyphenation``).

One more, for speed: pydyf's page references are built once per page count, not once per tagged box.

The extra space is added to glyph advances when a line is drawn, after Pango has shaped it, so it
lands exactly in the gap it is meant for. ``install()`` refuses any other WeasyPrint version.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from mspress.text import has_cjk
from mspress.typeset import hyphenation, spacing

PATCHED_VERSION = "70.0"
LATIN_SPACE_EM = 0.25
"""A word space in Liberation Serif."""
SPACE_STRETCH_EM = 0.04
"""A word space grows this much before the gaps between Chinese characters take the rest."""
MAX_GAP_EM = 0.29
"""Chinese gaps grow to a stretched word space's width before anything else does: no gap on a Chinese line passes
0.3 em while the line has room."""
LATIN_MAX_GAP_EM = 0.5
"""A word space of a line that is not Chinese (English abstract, English reference entries) may grow to this."""
LATIN_TRACKING_EM = 0.02
"""The most a gap inside a Latin word grows, on a line that has used up its other limits (on the example, 6 of 280
body lines, all in a Boolean search string): under typo_metrics' 0.03-em measure of letter spacing, about what
microtype's 2 % font expansion does to a letter. 0 turns it off: those lines then have gaps of up to 0.52 em."""
_installed = False


class UnsupportedWeasyPrint(RuntimeError):
    pass


def install() -> None:
    global _installed
    if _installed:
        return
    import weasyprint
    from weasyprint.layout import inline, preferred
    from weasyprint.text import line_break
    from weasyprint.text.ffi import ffi

    if weasyprint.__version__ != PATCHED_VERSION:
        raise UnsupportedWeasyPrint(
            f"mspress's Chinese justification patches WeasyPrint {PATCHED_VERSION}, but {weasyprint.__version__} is "
            f"installed: pin weasyprint=={PATCHED_VERSION} or port mspress/typeset/weasyprint_patch.py")
    set_text, reactivate, text_align = line_break.Layout.set_text, line_break.Layout.reactivate, inline.text_align
    split_first_line = preferred.split_first_line
    # WeasyPrint's Pango bindings do not declare it; the library has it since Pango 1.0.
    ffi.cdef("PangoAttribute * pango_attr_family_new (const char *family);", override=True)

    def patched_set_text(self: Any, text: str, justify: bool = False) -> None:
        set_text(self, text, justify)
        _chinese_marks_font(self)
        _squeeze_punctuation(self)
        if not justify:  # while lines are broken; drawing turns the reserve into exact gaps
            _reserve_autospace(self)

    def patched_reactivate(self: Any, style: Any) -> None:
        reactivate(self, style)
        thousandths = getattr(self, "mspress_thousandths", None)
        if thousandths:
            _widen_glyphs(self, thousandths)

    def patched_intrinsic_line(text: str, style: Any, *args: Any, **kwargs: Any) -> Any:
        layout, length, resume_index, width, height, baseline = split_first_line(text, style, *args, **kwargs)
        return layout, length, resume_index, width + _edge_reserve(text, length, style), height, baseline

    def patched_text_align(context: Any, line: Any, available_width: float, last: bool) -> float:
        if line.style["text_align_all"] != "justify" or last:
            _autospace_only(context, line, available_width - line.width)
        return float(text_align(context, line, available_width, last))

    line_break.Layout.set_text = patched_set_text
    line_break.Layout.reactivate = patched_reactivate
    line_break.pyphen = hyphenation.HyphenationLanguages(line_break.pyphen)
    inline.text_align = patched_text_align
    preferred.split_first_line = patched_intrinsic_line
    inline.justify_line = _justify_line
    _page_references_once_per_page()
    _installed = True


def _page_references_once_per_page() -> None:
    """WeasyPrint's PDF tags look up each box's page in pydyf's ``PDF.page_references``, a property that builds the
    tuple of every page's reference on each call: tagging took time in boxes × pages (2 s of a 159-page build).
    The tuple is kept until a page is added."""
    import pydyf

    every_page = getattr(getattr(pydyf.PDF, "page_references", None), "fget", None)
    if every_page is None:  # another pydyf: nothing to speed up here
        return

    def page_references(self: Any) -> tuple[bytes, ...]:
        count = len(self.pages["Kids"])
        kept: tuple[int, tuple[bytes, ...]] | None = self.__dict__.get("_mspress_page_references")
        if kept is None or kept[0] != count:
            kept = self.__dict__["_mspress_page_references"] = (count, tuple(every_page(self)))
        return kept[1]

    pydyf.PDF.page_references = property(page_references)


# --- pieces of a plan ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Plan:
    """Extra space for one line, in points: per Chinese↔Latin boundary, character gap, word space and, as a last
    resort, gap inside a Latin word."""

    autospace: float = 0.0
    chars: float = 0.0
    spaces: float = 0.0
    letters: float = 0.0
    fills: bool = True
    """Does it fill the line? Not when a line has nothing but Latin words and they have reached their limit."""

    def scaled(self, factor: float) -> _Plan:
        return _Plan(self.autospace * factor, self.chars * factor, self.spaces * factor, self.letters * factor)

    def gaps(self, text: str, ends_line: bool = True) -> dict[int, float]:
        """Extra space before character ``i`` of ``text`` (i ≥ 1); a box's trailing word space is widened too (at
        ``i == len(text)``) unless the box ``ends_line``."""
        found: dict[int, float] = {}

        def add(i: int, value: float) -> None:
            if value and 0 < i < len(text) + (not ends_line):
                found[i] = found.get(i, 0.0) + value

        for positions, value in ((spacing.autospace_positions(text), self.autospace), (spacing.char_positions(text), self.chars),
                                 (spacing.space_positions(text), self.spaces),
                                 (spacing.track_positions(text) if self.letters else (), self.letters)):
            if value:
                for i in positions:
                    add(i, value)
        return found


@dataclass(frozen=True, slots=True)
class _Counts:
    boundaries: int
    """Chinese↔Latin boundaries."""
    chars: int
    """Stretchable gaps next to Chinese characters."""
    spaces: int
    texts: tuple[str, ...]

    @property
    def letters(self) -> int:
        """Gaps inside Latin words (counted only for the rare line that gets that far)."""
        return sum(len(spacing.track_positions(text)) for text in self.texts)


def _counts(boxes: list[Any]) -> _Counts:
    auto = gaps = spaces = 0
    for box in boxes:
        text = box.text
        auto += len(spacing.autospace_positions(text))
        gaps += len(spacing.char_positions(text))
        found = spacing.space_positions(text)
        spaces += len(found) - (box is boxes[-1] and bool(found) and found[-1] == len(text))  # a line-final space
    return _Counts(auto, gaps, spaces, tuple(box.text for box in boxes))


def _plan(boxes: list[Any], extra: float, em: float, chinese: bool) -> _Plan | None:
    """Where a line's ``extra`` width goes, stage by stage until it is used up:

    1. a quarter-em at each Chinese↔Latin boundary;
    2. Chinese gaps and word spaces alike, up to ``SPACE_STRETCH_EM``;
    3. Chinese gaps alone, up to ``MAX_GAP_EM`` (a stretched word space is as wide);
    4. in a line that is not Chinese (``lang``), both alike until a word space is ``LATIN_MAX_GAP_EM``;
    5. gaps inside Latin words, up to ``LATIN_TRACKING_EM``: too little to see or to measure as letter spacing;
    6. Chinese gaps and word spaces alike, without limit.
    """
    n = _counts(boxes)
    quarter = spacing.AUTOSPACE_EM * em
    rest = extra - n.boundaries * quarter
    if rest <= 0:
        return _Plan(autospace=extra / n.boundaries) if n.boundaries else None
    wide = n.chars + n.spaces
    cap, level, track = SPACE_STRETCH_EM * em, MAX_GAP_EM * em, LATIN_TRACKING_EM * em
    if wide == 0:  # nothing but boundaries and Latin words: the boundaries take what tracking leaves
        count = n.letters
        letters = min(track, rest / count) if count else 0.0
        rest -= letters * count
        if n.boundaries:
            return _Plan(quarter + rest / n.boundaries, letters=letters)
        return _Plan(letters=letters, fills=rest <= 0) if letters else None
    if rest <= wide * cap:
        return _Plan(quarter, rest / wide, rest / wide)
    rest -= wide * cap
    if n.chars and rest <= n.chars * (level - cap):
        return _Plan(quarter, cap + rest / n.chars, cap)
    rest -= n.chars * (level - cap)
    both = 0.0 if chinese else (LATIN_MAX_GAP_EM - LATIN_SPACE_EM - SPACE_STRETCH_EM) * em
    if rest <= wide * both:
        return _Plan(quarter, level + rest / wide, cap + rest / wide)
    rest -= wide * both
    count = n.letters
    letters = min(track, rest / count) if count else 0.0
    rest -= letters * count
    return _Plan(quarter, level + both + rest / wide, cap + both + rest / wide, letters)


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
    lang = line.style["lang"]
    plan = _plan(boxes, pool, line.style["font_size"], bool(lang) and str(lang).lower().startswith("zh"))
    if plan is None:
        plan = _Plan()
    else:
        gained = sum(_gain(box, plan, box is boxes[-1]) for box in boxes)
        if gained > 0 and plan.fills:
            plan = plan.scaled(pool / gained)
    _add_spacing(line, plan, 0.0, reserved, boxes[-1] if boxes else None)


def _autospace_only(context: Any, line: Any, slack: float) -> None:
    """Quarter-ems on a line that is not justified, as far as its free space allows."""
    boxes = list(_text_boxes(line))
    auto = _counts(boxes).boundaries
    if not auto:
        return
    reserved = {id(box): _reserved(box) for box in boxes}
    pool = max(slack, 0.0) + sum(reserved.values())
    quarter = spacing.AUTOSPACE_EM * line.style["font_size"]
    _add_spacing(line, _Plan(autospace=min(quarter, pool / auto)), 0.0, reserved, boxes[-1])


def _add_spacing(box: Any, plan: _Plan, x_advance: float, reserved: dict[int, float], last: Any) -> float:
    """WeasyPrint's ``add_word_spacing`` with our gaps: move boxes, resize them, remember the gaps."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        thousandths = spacing.quantize(plan.gaps(box.text, box is last), box.style["font_size"])
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
                x_advance = _add_spacing(child, plan, x_advance, reserved, last)
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


_probe_widths: dict[tuple[Any, ...], float] = {}
PROBE_CACHE_SIZE = 8192


def _probe_width(box: Any, justify: bool) -> float:
    """The width of ``box``'s text laid out alone; remembered, as the pages are laid out more than once."""
    from weasyprint.text.line_break import Layout, _font_style_cache_key, line_size

    style = box.style
    key = (box.text, justify, _font_style_cache_key(style, include_size=True), style["letter_spacing"], style["word_spacing"],
           box.justification_spacing)
    width = _probe_widths.get(key)
    if width is None:
        probe = Layout(style, box.justification_spacing)
        probe.set_text(box.text, justify=justify)
        first, _ = probe.get_first_line()
        width = float(line_size(first, style)[0])
        if len(_probe_widths) >= PROBE_CACHE_SIZE:
            _probe_widths.clear()
        _probe_widths[key] = width
    return width


def _gain(box: Any, plan: _Plan, ends_line: bool) -> float:
    return _applied(box, plan.gaps(box.text, ends_line))


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


@lru_cache(maxsize=4096)
def _byte_by_char_index(text: str) -> dict[int, int]:
    """The UTF-8 offset of each character index (and of the end); shared, not to be changed."""
    return {i: b for b, i in _char_index_by_byte(text).items()}


@lru_cache(maxsize=4096)
def _char_index_by_byte(text: str) -> dict[int, int]:
    """The character index at each UTF-8 offset (and the end's); shared, not to be changed."""
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
    from weasyprint.text.ffi import ffi, pango

    text = layout.text
    boundaries = spacing.autospace_positions(text) if text else []
    if not boundaries:
        return
    units = _reserve_units(layout.style)
    attr_list = pango.pango_layout_get_attributes(layout.layout)
    if attr_list == ffi.NULL:
        attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    starts = _byte_by_char_index(text)
    for k in boundaries:
        attr = pango.pango_attr_letter_spacing_new(units)
        attr.start_index, attr.end_index = starts[k - 1], starts[k + 1]
        pango.pango_attr_list_change(attr_list, attr)
    pango.pango_layout_set_attributes(layout.layout, attr_list)


def _reserve_units(style: Any) -> int:
    """The letter spacing (Pango units) of the two characters around a boundary: half a quarter-em each."""
    from weasyprint.text.ffi import TO_UNITS

    letter = style["letter_spacing"]
    base = 0.0 if letter == "normal" else float(letter)
    return int(round((base + spacing.AUTOSPACE_EM * style["font_size"] / 2) * TO_UNITS)) | 1


def _edge_reserve(text: str, length: int, style: Any) -> float:
    """What Pango leaves out of a line's width but counts when it breaks lines: the reserve's letter spacing before
    the line's first character and after its last. Added to the widths a box is sized by (a table cell, an
    inline block), else a cell sized to ``第10组`` breaks it before ``组``."""
    from weasyprint.text.ffi import TO_UNITS

    boundaries = spacing.autospace_positions(text) if text else ()
    if not boundaries:
        return 0.0
    end = len(text.encode()[:length].decode(errors="ignore").rstrip(" "))
    edges = (1 in boundaries) + (end - 1 in boundaries or end in boundaries)
    # Pango puts half a character's letter spacing on each side of it.
    return edges * (_reserve_units(style) / 2 + 1) / TO_UNITS if end else 0.0


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
    starts = _byte_by_char_index(text)
    for i in squeeze:
        attr = pango.pango_attr_font_features_new(b"halt 1")
        attr.start_index, attr.end_index = starts[i], starts[i + 1]
        pango.pango_attr_list_insert(attr_list, attr)
    pango.pango_layout_set_attributes(layout.layout, attr_list)


def _chinese_marks_font(layout: Any) -> None:
    """In Chinese text, set ``spacing.SHARED_MARKS`` in the font Pango picks for Chinese characters.

    The font list names the Latin face first, so that Latin letters and digits are set in it; Pango would take
    these marks from it as well, proportional, where Chinese text wants them full-width.
    """
    from weasyprint.text.ffi import ffi, pango

    text, style = layout.text, layout.style
    lang = style["lang"]
    if not text or not lang or not str(lang).lower().startswith("zh"):
        return
    runs = spacing.shared_mark_runs(text)
    if not runs:
        return
    family = _han_family(style)
    if family is None:
        return
    attr_list = pango.pango_layout_get_attributes(layout.layout)
    if attr_list == ffi.NULL:
        attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    starts = _byte_by_char_index(text)
    for start, end in runs:
        attr = pango.pango_attr_family_new(family)
        attr.start_index, attr.end_index = starts[start], starts[end]
        pango.pango_attr_list_change(attr_list, attr)
    pango.pango_layout_set_attributes(layout.layout, attr_list)


_han_families: dict[tuple[Any, ...], bytes | None] = {}


def _han_family(style: Any) -> bytes | None:
    """The family of the font Pango sets a Chinese character in, for this style (``None``: the first family)."""
    key = (tuple(style["font_family"]), style["font_weight"], style["font_style"], style["font_stretch"], style["lang"])
    if key not in _han_families:
        from weasyprint.text.ffi import ffi, pango
        from weasyprint.text.line_break import Layout

        probe = Layout(style)
        pango.pango_layout_set_text(probe.layout, "中".encode(), -1)
        first, _ = probe.get_first_line()
        family: bytes | None = None
        if first.runs != ffi.NULL:
            item = ffi.cast("PangoGlyphItem *", first.runs.data).item
            description = ffi.gc(pango.pango_font_describe_with_absolute_size(item.analysis.font), pango.pango_font_description_free)
            family = ffi.string(pango.pango_font_description_get_family(description))
            if family == str(style["font_family"][0]).encode():
                family = None  # the first family sets Chinese too: nothing to change
        _han_families[key] = family
    return _han_families[key]
