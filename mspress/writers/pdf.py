"""The PDF writer: the print page typeset by WeasyPrint with mspress's Chinese typesetting, figures and tables
placed where they fit (``typeset.floats``)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mspress.typeset.floats import PART_ATTRIBUTE, place_floats


@dataclass(frozen=True, slots=True)
class TypesetPdf:
    pdf: bytes
    pages: int
    widened_tables: tuple[tuple[str, str], ...] = ()
    """Tables too wide for a column, set across the page: (part name, label or caption)."""


def typeset(html: str, base: Path) -> TypesetPdf:
    """Typeset with WeasyPrint. Only ``data:`` URLs (figures our code embedded) may load:
    no network, no files outside the document."""
    import logging

    weasyprint = prepare()
    from weasyprint.urls import URLFetcher

    from mspress.typeset import relayout

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    fetcher = URLFetcher(allowed_protocols={"data"})

    def parse() -> Any:
        return weasyprint.HTML(string=html, base_url=str(base), url_fetcher=fetcher)

    # Each layout after the first starts where the moves begin, the pages before kept (typeset/relayout.py).
    document, widened = place_floats(parse, relayout.Renderer().render)
    # Tagged: headings, paragraphs, lists, tables and figures marked up for screen readers and reflow.
    pdf = document.write_pdf(pdf_tags=True) or b""
    return TypesetPdf(pdf, len(document.pages), tuple(_described(block) for block in widened))


def prepare() -> Any:
    """``weasyprint``, imported, with mspress's typesetting installed: what ``typeset`` needs, done ahead where a
    process is forked after it (batch workers) or waits for its page (``writers.typesetter``)."""
    weasyprint = import_weasyprint()
    from mspress.typeset import columns, weasyprint_patch

    weasyprint_patch.install()
    columns.install()
    return weasyprint


def import_weasyprint() -> Any:
    """``import weasyprint`` without its library probing. WeasyPrint opens each C library by several names, bare ones
    (``pango-1.0-0``) first; cffi hands a bare name it cannot open to ``ctypes.util.find_library``, which on Linux
    runs ldconfig, gcc and ld — some 50 processes, 0.2 s of every build. Every name that works on Linux is a soname
    (``libpango-1.0.so.0``) that opens directly, so the probe is skipped there while WeasyPrint is imported."""
    import sys

    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint

        return weasyprint
    import ctypes.util

    probe = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint
    finally:
        ctypes.util.find_library = probe
    return weasyprint


def pdf_bytes(html: str, base: Path) -> bytes:
    return typeset(html, base).pdf


def _described(block: Any) -> tuple[str, str]:
    """The part a table's block is in and how the author names the table: its label, else its caption."""
    tables = list(block.iter("table"))
    captions = [_first_line(element) for element in block.iter("caption")]
    label = tables[0].get("id") if tables else None
    return block.get(PART_ATTRIBUTE) or "", label or (captions[0] if captions else "")


def _first_line(element: Any) -> str:
    """An element's text up to its first line break: a bilingual caption's first line, for a one-line message."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "br":
            break
        parts += [*child.itertext(), child.tail or ""]
    return " ".join("".join(parts).split())
