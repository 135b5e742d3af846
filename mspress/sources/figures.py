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


def figure_problem(root: Path, target: str, content: bool = True) -> str | None:
    """Why ``target`` (relative to manuscript/) cannot be used as a figure, or ``None``. ``content``: also open a
    raster image to see that it is whole and not too large (the checks do; embedding after them need not again)."""
    if target.startswith("data:"):
        media = target[5:].split(";", 1)[0].split(",", 1)[0].strip().lower()
        return None if media in RASTER_TYPES else f"figure data of type {media or 'unknown'!r}: embed PNG, JPEG, GIF or WebP, or use a file"
    if "\0" in target:
        return f"figure path {target!r} contains a NUL character: retype it"
    if url_scheme(target) is not None or target.startswith("//"):
        return f"figure {target!r} is not a project file: copy it under manuscript/figures/"
    try:
        path = figure_path(root, target)
        if not path.is_relative_to(root.resolve()):
            return f"figure {target!r} is outside the project: copy it under manuscript/figures/"
        regular = path.is_file()
    except (OSError, RuntimeError) as exc:  # a link that loops, a name too long
        return f"figure {target!r} cannot be used ({exc.strerror if isinstance(exc, OSError) else exc}): fix the path"
    if path.suffix.lower() not in IMAGE_TYPES:
        return f"figure {target!r}: use SVG, PNG, JPEG, GIF or WebP"
    if not regular:
        return f"figure file not found: {target} (paths are relative to manuscript/; a figure must be a regular file)"
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return f"figure {target!r} is larger than 20 MB"
    if path.suffix.lower() == ".svg":
        return f"figure {target!r} is a {size // (1024 * 1024)} MB SVG, over the 5 MB limit: simplify it or save it as PNG" \
            if size > MAX_SVG_BYTES else None
    return raster_problem(path, target) if content else None


MAX_SVG_BYTES = 5 * 1024 * 1024
"""An SVG is drawn element by element: a drawing this large takes minutes to typeset."""
MAX_PIXELS = 50_000_000
"""A figure printed 17 cm wide at 600 dpi has 16 megapixels; more is a mistake, or a decompression bomb."""


def raster_problem(path: Path, target: str) -> str | None:
    """A PNG, JPEG, GIF or WebP that a reader could not show (broken, or too many pixels), said before the build."""
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return (f"figure {target!r} is {width}×{height} pixels, over the {MAX_PIXELS // 1_000_000}-megapixel limit: "
                            "save it smaller (300 dpi at its printed size is enough)")
                image.verify()
    except Image.DecompressionBombError:
        return (f"figure {target!r} has far more than {MAX_PIXELS // 1_000_000} megapixels, the limit: "
                "save it smaller (300 dpi at its printed size is enough)")
    except (OSError, SyntaxError, ValueError) as exc:
        return f"figure {target!r} is not a readable image ({exc}): export it again"
    return None


def figure_path(root: Path, target: str) -> Path:
    return (root / "manuscript" / target).resolve()
