"""The only module that writes ``output/``: each file is written whole, then renamed over the old one."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path



def write_atomic(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


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
