"""Reading project files: UTF-8 text with located errors, body sections in ``NN`` order."""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from mspress.errors import Location, ManuscriptError, relative_to

SECTION_NAME = re.compile(r"^(\d+)-[\w.-]+\.md$")


MAX_TEXT_BYTES = 10 * 1024 * 1024
"""The largest text file mspress reads (a section, metadata.yaml, a library, a profile): a whole book is 2 MB."""
PACKAGE = Path(__file__).resolve().parent.parent
"""mspress's own files (packaged journals and templates), the one place outside a project it reads."""


def inside(path: Path, root: Path) -> bool:
    """Whether ``path``, links followed, is a file of the project (or of mspress itself)."""
    try:
        real = path.resolve()
        return real.is_relative_to(root.resolve()) or real.is_relative_to(PACKAGE)
    except (OSError, RuntimeError):  # a link that loops, a name too long: nothing mspress may read
        return False


def read_bytes(path: Path, root: Path, limit: int = MAX_TEXT_BYTES, shown: Path | None = None) -> bytes:
    """The one way mspress reads a file of a project: a regular file, inside the project (links are followed only
    to files inside it), at most ``limit`` bytes. Each refusal is a user error naming the file."""
    rel = shown if shown is not None else relative_to(path, root)
    if not inside(path, root):
        try:
            path.resolve(strict=True)
            why = "a link to a file outside the project: copy the file into the project"
        except (OSError, RuntimeError):
            why = "a link that loops or leads nowhere: replace it by the file"
        raise ManuscriptError(Location(rel), f"{rel.as_posix()} is {why}", "outside-project")
    return read_regular(path, rel, limit)


def read_regular(path: Path, shown: Path, limit: int) -> bytes:
    """A regular file's bytes, at most ``limit`` of them (a FIFO or device never blocks the read)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ManuscriptError(Location(shown), f"file not found: create {shown.as_posix()}") from None
    except OSError as exc:
        raise ManuscriptError(Location(shown), f"cannot read file: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ManuscriptError(Location(shown), f"{shown.as_posix()} is not a regular file: give a file", "not-a-file")
        if info.st_size > limit:
            raise ManuscriptError(Location(shown), f"{shown.as_posix()} is larger than {_size(limit)}, the limit for this "
                                  "kind of file: split it", "too-large")
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise ManuscriptError(Location(shown), f"cannot read file: {exc.strerror}") from None
    if len(data) > limit:
        raise ManuscriptError(Location(shown), f"{shown.as_posix()} is larger than {_size(limit)}: split it", "too-large")
    return data


MAX_METADATA_BYTES = 256 * 1024
"""metadata.yaml holds a page of front matter; YAML is parsed in Python, slowly: a larger one is a mistake."""


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} kB"


def read_text(path: Path, root: Path, limit: int = MAX_TEXT_BYTES) -> str:
    """Read a UTF-8 project file, turning I/O and encoding problems into user errors."""
    rel = relative_to(path, root)
    data = read_bytes(path, root, limit, shown=rel)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ManuscriptError(Location(rel, line), "not valid UTF-8: save the file as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def present(path: Path) -> bool:
    """Something is there (a file, a link, a FIFO…), for the read to take or refuse."""
    return path.exists() or path.is_symlink()


def section_files(folder: Path) -> list[Path]:
    """Body files ``NN-name.md`` sorted by the number ``NN``, then by name."""
    # Anything so named but a folder: a link, a FIFO… is then refused by the read, with its reason.
    found = [p for p in folder.iterdir() if not p.is_dir() and SECTION_NAME.match(p.name)]
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


def stamp(path: Path) -> tuple[int, int]:
    """(modification time in ns, size): what a warm process (``preview``) compares to know a file changed;
    ``(-1, -1)`` when it is gone or unreadable (reading it will say so)."""
    try:
        status = path.stat()
    except OSError:
        return -1, -1
    return status.st_mtime_ns, status.st_size
