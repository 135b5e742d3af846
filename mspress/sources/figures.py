"""Where a figure path may point: a file of the project, of a type browsers and WeasyPrint show."""
from __future__ import annotations

import re
from pathlib import Path

IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".webp": "image/webp"}
RASTER_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
"""The only ``data:`` figures a manuscript may write itself (an SVG can carry script)."""
MAX_IMAGE_BYTES = 20 * 1024 * 1024
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def url_scheme(url: str) -> str | None:
    """``https`` of ``https://…``, lower-cased; ``None`` for a relative address."""
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else None


def figure_problem(root: Path, target: str) -> str | None:
    """Why ``target`` (relative to manuscript/) cannot be used as a figure, or ``None``."""
    if target.startswith("data:"):
        media = target[5:].split(";", 1)[0].split(",", 1)[0].strip().lower()
        return None if media in RASTER_TYPES else f"figure data of type {media or 'unknown'!r}: embed PNG, JPEG, GIF or WebP, or use a file"
    if url_scheme(target) is not None or target.startswith("//"):
        return f"figure {target!r} is not a project file: copy it under manuscript/figures/"
    path = figure_path(root, target)
    if not path.is_relative_to(root.resolve()):
        return f"figure {target!r} is outside the project: copy it under manuscript/figures/"
    if path.suffix.lower() not in IMAGE_TYPES:
        return f"figure {target!r}: use SVG, PNG, JPEG, GIF or WebP"
    if not path.is_file():
        return f"figure file not found: {target} (paths are relative to manuscript/)"
    if path.stat().st_size > MAX_IMAGE_BYTES:
        return f"figure {target!r} is larger than 20 MB"
    return None


def figure_path(root: Path, target: str) -> Path:
    return (root / "manuscript" / target).resolve()
