"""The one way mspress writes its outputs: every file whole to a temporary name first, then all renamed over the
old ones, with the user's umask. Readers see the old set or the new one; a failure (a full disk) leaves the old."""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from mspress.errors import Location, ManuscriptError


class OutputUnwritable(ManuscriptError):
    """The output cannot be written (a file where a folder should be, no permission, a full disk): exit 1, as for
    any build that could not finish; the last good outputs stay."""


def _temporary(path: Path) -> Path:
    """``.manuscript.html.<pid>-<random>``: the process that writes it is named, so debris of a killed one is known."""
    return path.parent / f".{path.name}.{os.getpid()}-{os.urandom(6).hex()}"


def write_all(outputs: dict[Path, bytes]) -> tuple[Path, ...]:
    """Write every output, or none: all temporary files first, then the renames (mode 0666 less the umask)."""
    written: dict[Path, Path] = {}
    current = next(iter(outputs), Path("output"))
    try:
        for path, data in outputs.items():
            current = path
            path.parent.mkdir(parents=True, exist_ok=True)
            remove_debris(path)
            tmp = _temporary(path)
            # os.open applies the umask itself: no need to change the process's umask to learn it.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            written[path] = tmp
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        for path in written:  # what would stop a rename is found before the first one
            current = path
            if path.is_dir() and not path.is_symlink():
                raise IsADirectoryError(21, "a folder has the output's name")
        for path, tmp in list(written.items()):
            current = path
            os.replace(tmp, path)
            del written[path]
    except OSError as exc:
        raise OutputUnwritable(Location(current), f"cannot write {current}: {exc.strerror}; check that {current.parent} is a "
                               "writable folder with free space", "output") from None
    finally:
        for tmp in written.values():
            tmp.unlink(missing_ok=True)
    return tuple(outputs)


def write_atomic(path: Path, data: bytes) -> Path:
    """One file, whole or not at all."""
    return write_all({path: data})[0]


def remove_debris(path: Path) -> None:
    """Remove the temporary files that a build killed while writing left beside ``path`` (those of a process that
    is still running are another build's, and stay)."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.(\d+)-[0-9a-f]{{12}}")
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match and not _running(int(match.group(1))) and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
            except OSError:
                continue


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if not 0 < pid < 2**22:  # no process has such a number (Linux's pid_max is at most 2^22)
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: leave its files
    return True


def flush_standard_streams() -> None:
    """What the command printed, written out before the process ends or forks without Python's own exit."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None: the descriptor was closed when Python started
                stream.flush()
        except (OSError, ValueError):  # the reader went away
            pass
