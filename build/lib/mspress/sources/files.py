"""Reading project files: UTF-8 text with located errors, body sections in ``NN`` order."""
from __future__ import annotations

import re
from pathlib import Path

from mspress.errors import Location, ManuscriptError, relative_to

SECTION_NAME = re.compile(r"^(\d+)-[\w.-]+\.md$")


def read_text(path: Path, root: Path) -> str:
    """Read a UTF-8 project file, turning I/O and encoding problems into user errors."""
    rel = relative_to(path, root)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ManuscriptError(Location(rel), f"file not found: create {rel.as_posix()}") from None
    except OSError as exc:
        raise ManuscriptError(Location(rel), f"cannot read file: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ManuscriptError(Location(rel, line), "not valid UTF-8: save the file as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def section_files(folder: Path) -> list[Path]:
    """Body files ``NN-name.md`` sorted by the number ``NN``, then by name."""
    found = [p for p in folder.iterdir() if p.is_file() and SECTION_NAME.match(p.name)]
    return sorted(found, key=lambda p: (int(SECTION_NAME.match(p.name).group(1)), p.name))  # type: ignore[union-attr]



ABSTRACTS = ("abstract.zh.md", "abstract.en.md")


def stray_files(folder: Path) -> list[tuple[Path, str]]:
    """Markdown files in ``manuscript/`` that are neither an abstract nor ``NN-name.md``, each with a name to use."""
    taken = [int(m.group(1)) for p in folder.iterdir() if (m := SECTION_NAME.match(p.name))]
    following = max(taken, default=0) + 1
    stray = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in (".md", ".markdown") and path.is_file() and path.name not in ABSTRACTS \
                and not SECTION_NAME.match(path.name):
            stray.append((path, f"{following:02d}-{path.stem}.md"))
            following += 1
    return stray
