"""GB/T 7714 reference formatting: editions 2015 and 2025, numeric and author-year."""
from mspress.styles.gbt7714.entry import Piece
from mspress.styles.gbt7714.formatter import Formatted, author_year_labels, format_bibliography, format_reference
from mspress.styles.gbt7714.options import Options

__all__ = ["Formatted", "Piece", "Options", "author_year_labels", "format_bibliography", "format_reference"]
