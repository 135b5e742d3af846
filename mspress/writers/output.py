"""The one way mspress writes a file: whole, then renamed over the old one, with the user's umask."""
from __future__ import annotations

import os
from pathlib import Path

from mspress.errors import InputUnreadable, Location


class OutputUnwritable(InputUnreadable):
    """The output cannot be written (a file where a folder should be, no permission, a full disk): exit 2."""


def write_atomic(path: Path, data: bytes) -> Path:
    """Readers see the old file or the new one, never half of one; mode 0666 less the umask (0644 typically)."""
    tmp = path.parent / f".{path.name}.{os.urandom(6).hex()}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # os.open applies the umask itself: no need to change the process's umask to learn it.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputUnwritable(Location(path), f"cannot write {path}: {exc.strerror}; check that {path.parent} is a writable folder",
                               "output") from None
    return path
