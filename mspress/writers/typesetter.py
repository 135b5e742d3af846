"""The PDF typesetter in a process of its own, forked as a build starts: it imports WeasyPrint and mspress's
typesetting (a quarter of a second) while the build reads, checks and resolves the manuscript and makes the page,
then typesets the page it is handed. A build's two stages thus run on two cores.

Linux only, and only before WeasyPrint is imported and while the building process has no other thread: a warm
process (``preview``, a batch worker) has WeasyPrint already and typesets in itself, as does a build where ``fork``
is unsafe or missing (macOS, Windows) or fails (a process limit).
"""
from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mspress.errors import ManuscriptError, SetupError
from mspress.writers.output import flush_standard_streams

if TYPE_CHECKING:
    from mspress.writers.pdf import TypesetPdf

PR_SET_PDEATHSIG = 1
"""Linux's prctl option: a signal for this process when its parent ends."""


class Typesetter:
    """The forked typesetter, from the building process's side: ``typeset`` once, or ``close``."""

    def __init__(self, pid: int, requests: int, replies: int) -> None:
        self._pid, self._requests, self._replies = pid, requests, replies
        self._open = True

    def typeset(self, html: str, base: Path) -> TypesetPdf:
        """What ``writers.pdf.typeset(html, base)`` gives, typeset in the forked process; typeset here if that
        process has gone without a whole answer (killed, out of memory)."""
        from mspress.writers.pdf import typeset

        requests, replies = os.fdopen(self._requests, "wb"), os.fdopen(self._replies, "rb")
        try:
            with requests:
                requests.write(pickle.dumps((html, base)))
            reply = replies.read()
        except BrokenPipeError:  # the process has gone
            reply = b""
        except BaseException:  # Ctrl-C: it stops too
            os.kill(self._pid, signal.SIGKILL)
            raise
        finally:
            replies.close()
            ended_well = self._reap()
        answer: tuple[str, Any, str] = ("none", None, "")
        if ended_well:
            try:
                answer = pickle.loads(reply)
            except Exception:  # noqa: BLE001 — an answer cut short
                pass
        kind, value, where = answer
        if kind == "typeset":
            result: TypesetPdf = value
            return result
        if kind == "raised" and isinstance(value, BaseException):
            if not isinstance(value, ManuscriptError | SetupError):  # a bug: where it happened, in the typesetter
                value.add_note(f"in the forked PDF typesetter:\n{where}")
            raise value
        if kind == "failed":
            raise RuntimeError(f"the PDF typesetter failed:\n{where}")
        return typeset(html, base)

    def close(self) -> None:
        """Stop the forked process when no PDF is wanted of it (the build stopped, or wrote no PDF)."""
        if self._open:
            os.kill(self._pid, signal.SIGKILL)
            for fd in (self._requests, self._replies):
                os.close(fd)
            self._reap()

    def _reap(self) -> bool:
        """Wait for the process to end; whether it ended of itself with status 0."""
        self._open = False
        _, status = os.waitpid(self._pid, 0)
        return os.waitstatus_to_exitcode(status) == 0


def start() -> Typesetter | None:
    """Fork the typesetter, or ``None`` where it would not help or is unsafe (see the module's note)."""
    if not sys.platform.startswith("linux") or "weasyprint" in sys.modules or threading.active_count() > 1:
        return None
    flush_standard_streams()  # else both processes would write what is buffered
    fds: list[int] = []
    # Ctrl-C between the fork and the child's own handling would run the building process's code in the child.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        requests_in, requests_out = os.pipe()
        fds += (requests_in, requests_out)
        replies_in, replies_out = os.pipe()
        fds += (replies_in, replies_out)
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            _serve(parent, requests_in, replies_out, (requests_out, replies_in))
    except OSError:  # no more processes or files allowed: the build typesets in itself
        for fd in fds:
            os.close(fd)
        return None
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    os.close(requests_in)
    os.close(replies_out)
    return Typesetter(pid, requests_out, replies_in)


def _serve(parent: int, requests: int, replies: int, others: tuple[int, ...]) -> None:
    """The forked process: get ready, typeset the one page asked for, hand back the PDF (or what went wrong), end."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the building process's to handle: it stops this one
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        _die_with(parent)
        for fd in others:
            os.close(fd)
        from mspress.writers.pdf import prepare, typeset

        prepare()
        with os.fdopen(requests, "rb") as pipe:
            request = pipe.read()
        if request:  # nothing: the build needs no PDF
            html, base = pickle.loads(request)
            reply: tuple[str, Any, str]
            try:
                reply = ("typeset", typeset(html, base), "")
            except Exception as exc:  # noqa: BLE001 — handed to the building process, which reports it as its own
                where = traceback.format_exc()
                reply = ("raised", exc, where) if _survives_pickling(exc) else ("failed", None, where)
            with os.fdopen(replies, "wb") as pipe:
                pipe.write(pickle.dumps(reply))
    except BaseException:  # noqa: BLE001 — the building process typesets itself when no whole answer comes
        code = 1
    finally:
        os._exit(code)


def _die_with(parent: int) -> None:
    """Be killed with the building process, whatever ends it (a CI job's timeout included), not left typesetting."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (AttributeError, OSError):  # a C library without prctl: the closed pipe still ends it, later
        pass
    if os.getppid() != parent:  # it ended before that took effect
        raise SystemExit(1)


def _survives_pickling(exc: BaseException) -> bool:
    try:
        return type(pickle.loads(pickle.dumps(exc))) is type(exc)
    except Exception:  # noqa: BLE001
        return False
