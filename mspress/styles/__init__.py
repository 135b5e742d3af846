"""Stage 3, styles: reference formatting. ``gbt7714`` is GB/T 7714 (2015 and 2025, numeric and author-year); it
takes ``Reference`` values and returns rich text any writer can render."""
