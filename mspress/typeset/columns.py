"""Two-column pages laid out once per column, not twice, in WeasyPrint 70.0.

WeasyPrint's ``columns_layout`` lays out every column of a page to find how much fits (and, on the last page,
to balance the columns), throws the result away, and lays out the same columns again with the same height to
keep them. This keeps the measured column instead when the second layout would get exactly the same input
(same start, same room, same page state) and the column holds nothing the first pass had to take back
(footnote calls, running elements, floats, positioned boxes): it is moved across to its column's place. On the
example that is every column but page 1's; the layout is the same box for box (tests/test_print_layout.py
compares the pages' text positions with and without it).
"""
from __future__ import annotations

from math import inf
from typing import Any

_installed = False
kept = 0
"""Columns kept from measuring since the patch was installed (tests read it)."""


def install() -> None:
    global _installed
    if _installed:
        return
    from weasyprint.layout import block, column

    lay_out_columns, lay_out_block = column.columns_layout, block.block_box_layout

    def columns_layout(context: Any, *args: Any, **kwargs: Any) -> Any:
        context.mspress_measured = {}
        try:
            return lay_out_columns(context, *args, **kwargs)
        finally:
            context.mspress_measured = None

    def block_box_layout(context: Any, box: Any, bottom_space: float, skip_stack: Any, containing_block: Any,
                         page_is_empty: bool, absolute_boxes: list[Any], fixed_boxes: list[Any], adjoining_margins: Any,
                         *args: Any, **kwargs: Any) -> Any:
        measured = getattr(context, "mspress_measured", None)
        if measured is None or not getattr(box, "is_column", False) or bottom_space in (inf, -inf):
            return lay_out_block(context, box, bottom_space, skip_stack, containing_block, page_is_empty, absolute_boxes,
                                 fixed_boxes, adjoining_margins, *args, **kwargs)
        key = (bottom_space, box.position_y, box.width, page_is_empty, _frozen(skip_stack))
        if adjoining_margins is None:  # columns_layout keeping a column: None, where measuring passes []
            hit = measured.pop(key, None)
            if hit is not None:
                global kept
                kept += 1
                result, x = hit
                result[0].translate(box.position_x - x, 0)
                return result
            return lay_out_block(context, box, bottom_space, skip_stack, containing_block, page_is_empty, absolute_boxes,
                                 fixed_boxes, adjoining_margins, *args, **kwargs)
        absolute: list[Any] = []
        fixed: list[Any] = []
        result = lay_out_block(context, box, bottom_space, skip_stack, containing_block, page_is_empty, absolute, fixed,
                               adjoining_margins, *args, **kwargs)
        absolute_boxes.extend(absolute)
        fixed_boxes.extend(fixed)
        if result[0] is not None and not absolute and not fixed and _plain(result[0], context):
            measured[key] = (result, box.position_x)
        return result

    column.columns_layout = block.columns_layout = columns_layout
    block.block_box_layout = block_box_layout
    _installed = True


def _frozen(stack: Any) -> Any:
    if isinstance(stack, dict):
        return tuple(sorted((key, _frozen(value)) for key, value in stack.items()))
    return stack


def _plain(box: Any, context: Any) -> bool:
    """Nothing in the column that measuring registered and then took back."""
    if getattr(box, "footnote", None) is not None or getattr(box, "note", None) is not None:
        return False
    if box.is_floated() or box in context.broken_out_of_flow or box in context.excluded_shapes:
        return False
    return all(_plain(child, context) for child in getattr(box, "children", ()))
