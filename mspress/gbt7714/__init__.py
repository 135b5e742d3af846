"""GB/T 7714 reference formatting: editions 2015 and 2025, numeric and author-year."""
from .formatter import Formatted, author_year_labels, format_bibliography, format_reference
from .options import Options

__all__ = ["Formatted", "Options", "author_year_labels", "format_bibliography", "format_reference"]
