"""Where a URL or DOI in the print page's reference list may break: after ``/ . _ ? & =`` and before ``-``, without
a hyphen.

A line may break only at a space, so a long URL either overflows its column or, with ``overflow-wrap: anywhere``,
breaks between any two letters. A zero-width space after each of those marks (before a letter or digit) gives the
line breaker the places a reader expects; WeasyPrint draws no glyph for it, so text copied from the PDF is the URL
as it was. A URL breaks before a hyphen, not after it (a word joiner keeps the hyphen with what follows): a line
ending in ``-`` reads as a hyphenated word, and ``pdftotext`` drops such a hyphen when it joins the lines. Each URL
is put in a ``<span class="url">``, which base.css keeps from being hyphenated.
"""
from __future__ import annotations

import re
from typing import Any

ZWSP = "\u200b"
WORD_JOINER = "\u2060"
_URL = re.compile(r"(?:https?://|ftp://|www\.|doi:\s?|10\.\d{4,9}/)[^\s<>\"]+?(?=[.,;:)\]]?(?:\s|$))", re.IGNORECASE)
_AFTER = re.compile(r"([/._?&=]+)(?=[^\W_])")
_HYPHEN = re.compile(r"(?<=[^\W_])-(?=[^\W_])")
URL_CLASS = "url"


def breakable(text: str) -> str:
    """``text`` with a zero-width space at each break of every URL or DOI in it."""
    return _URL.sub(lambda m: _marked(m.group(0)), text) if _maybe_url(text) else text


def _marked(url: str) -> str:
    return _HYPHEN.sub(ZWSP + "-" + WORD_JOINER, _AFTER.sub(lambda b: b.group(1) + ZWSP, url))


def _maybe_url(text: str) -> bool:
    return "/" in text or "doi:" in text.lower()


_URL_IN_TEXT = re.compile(r">[^<]*?(?:https?://|ftp://|www\.|doi:|10\.\d{4,9}/)", re.IGNORECASE)
"""The start of a URL or DOI after a tag and before the next one: in text, not in an attribute."""


def breakable_urls(fragment: str) -> str:
    """An HTML fragment with each URL or DOI of its text ``breakable`` and in a ``<span class="url">`` (attributes
    are left alone)."""
    if not _URL_IN_TEXT.search(f">{fragment}"):
        return fragment  # the usual list, whose links are its titles: no parse
    from lxml import html as lxml_html

    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    changed = False
    for element in list(root.iter()):
        if isinstance(element.tag, str) and element.get("class") != URL_CLASS:
            changed |= _wrap_urls(element, inside=True)
        if element is not root:
            changed |= _wrap_urls(element, inside=False)
    if not changed:
        return fragment
    return (root.text or "") + "".join(lxml_html.tostring(child, encoding="unicode") for child in root)


def _wrap_urls(element: Any, inside: bool) -> bool:
    """Wrap the URLs of ``element``'s text (``inside``) or of its tail."""
    from lxml import etree

    value = element.text if inside else element.tail
    if not value or not _maybe_url(value) or not _URL.search(value):
        return False
    spans: list[Any] = []
    before, position = "", 0
    for match in _URL.finditer(value):
        if not spans:
            before = value[:match.start()]
        else:
            spans[-1].tail = value[position:match.start()]
        span = etree.Element("span", {"class": URL_CLASS})
        span.text = _marked(match.group(0))
        spans.append(span)
        position = match.end()
    spans[-1].tail = value[position:]
    if inside:
        element.text = before
        for i, span in enumerate(spans):
            element.insert(i, span)
    else:
        element.tail = before
        parent = element.getparent()
        at = parent.index(element) + 1
        for i, span in enumerate(spans):
            parent.insert(at + i, span)
    return True
