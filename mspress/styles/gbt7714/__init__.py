"""GB/T 7714 reference formatting: editions 2015 and 2025, numeric and author-year.

Names are imported on first use, so reading the options (``check``) does not load the formatter.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mspress.model import Formatted, Piece
from mspress.styles.gbt7714.options import Options

if TYPE_CHECKING:
    from mspress.styles.gbt7714.formatter import author_year_labels, format_bibliography, format_reference

__all__ = ["Formatted", "Piece", "Options", "author_year_labels", "format_bibliography", "format_reference"]


def __getattr__(name: str) -> Any:
    if name in ("author_year_labels", "format_bibliography", "format_reference"):
        from mspress.styles.gbt7714 import formatter

        return getattr(formatter, name)
    raise AttributeError(name)
