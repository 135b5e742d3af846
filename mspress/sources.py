"""Read ``manuscript/`` into a ``Manuscript``: metadata, abstracts, ordered body sections."""
from __future__ import annotations

import re
from pathlib import Path

from .errors import Location, ManuscriptError, relative_to
from .metadata import load_metadata
from .model import Manuscript, SourceText

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


def load_manuscript(root: Path) -> Manuscript:
    folder = root / "manuscript"
    if not folder.is_dir():
        raise ManuscriptError(Location(Path("manuscript")), "no manuscript/ directory here; use -C DIR to name the project")
    meta_path = folder / "metadata.yaml"
    metadata = load_metadata(read_text(meta_path, root), relative_to(meta_path, root))
    abstracts = [_source(folder / f"abstract.{lang}.md", root, f"abstract.{lang}") for lang in ("zh", "en")]
    sections = tuple(_source(path, root, path.stem) for path in section_files(folder))
    if not sections:
        raise ManuscriptError(Location(Path("manuscript")), "no body sections: add files named like manuscript/01-introduction.md")
    return Manuscript(root, metadata, relative_to(meta_path, root), abstracts[0], abstracts[1], sections)


def section_files(folder: Path) -> list[Path]:
    """Body files ``NN-name.md`` sorted by the number ``NN``, then by name."""
    found = [p for p in folder.iterdir() if p.is_file() and SECTION_NAME.match(p.name)]
    return sorted(found, key=lambda p: (int(SECTION_NAME.match(p.name).group(1)), p.name))  # type: ignore[union-attr]


def _source(path: Path, root: Path, name: str) -> SourceText:
    return SourceText(name, relative_to(path, root), read_text(path, root))
