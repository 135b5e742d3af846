"""GB/T 7714 reference formatting (2015 and 2025 editions)."""
from .formatter import Formatted, format_reference
from .options import Options

__all__ = ["Formatted", "Options", "format_reference"]
