"""Values exporters write for a value they do not have (``Null``, ``N/A``, ``0--0``): read as no value at all."""
from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"(?i)\s*\{?\s*(null|none|nil|n/?a|nan|unknown|undefined|\?+|-+|—+|无|暂无|不详|"
                          r"issue date|patent number|publication date|date published|page numbers?|place published|"
                          r"publisher name|volume number|issue number)\s*\}?\s*")
"""Also the field labels of a template left unfilled (``year = {Issue Date}``, ``number = {Patent Number}``)."""
_ZERO = re.compile(r"\s*0+\s*(?:(?:-{1,2}|–|—|~)\s*0+\s*)?")
_NUMBERED_FIELDS = {"year", "pages", "volume", "number", "issue", "edition", "date", "eid"}


def is_placeholder(name: str, value: str) -> bool:
    """``Null``, ``N/A``, ``-``, and zero pages or years: what exporters write for a value they do not have."""
    if len(value) > 24:  # every placeholder is short: most values are decided here
        return False
    if _PLACEHOLDER.fullmatch(value):
        return name not in ("note", "annote", "annotation", "keywords", "abstract")
    return name in _NUMBERED_FIELDS and bool(_ZERO.fullmatch(value))
