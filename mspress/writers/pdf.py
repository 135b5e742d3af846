"""The PDF writer: the print page typeset by WeasyPrint with mspress's Chinese typesetting."""
from __future__ import annotations

from pathlib import Path


def pdf_bytes(html: str, base: Path) -> bytes:
    """Typeset with WeasyPrint. Only ``data:`` URLs (figures our code embedded) may load:
    no network, no files outside the document."""
    import logging

    import weasyprint
    from weasyprint.urls import URLFetcher

    from mspress.typeset import weasyprint_patch

    weasyprint_patch.install()

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    fetcher = URLFetcher(allowed_protocols={"data"})
    document = weasyprint.HTML(string=html, base_url=str(base), url_fetcher=fetcher)
    return document.write_pdf() or b""
