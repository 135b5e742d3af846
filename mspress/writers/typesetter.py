"""The PDF typesetter in a process of its own, forked as a build starts: it imports WeasyPrint and mspress's
typesetting (a quarter of a second) while the build reads, checks and resolves the manuscript and makes the page,
then typesets the page it is handed. A build's two stages thus run on two cores.

Linux only, and only before WeasyPrint is imported: a warm process (``preview``, a batch worker) has it already and
typesets in itself, as does a build where ``fork`` is unsafe or missing (macOS, Windows).
"""
from __future__ import annotations

import os
import pickle
import signal
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mspress.writers.pdf import TypesetPdf


class Typesetter:
    """The forked typesetter, from the building process's side: ``typeset`` once, or ``close``."""

    def __init__(self, pid: int, requests: int, replies: int) -> None:
        self._pid, self._requests, self._replies = pid, requests, replies
        self._open = True

    def typeset(self, html: str, base: Path) -> TypesetPdf:
        """What ``writers.pdf.typeset(html, base)`` gives, typeset in the forked process; typeset here if that
        process has gone (killed, out of memory)."""
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
            self._reap()
        if not reply:
            return typeset(html, base)
        kind, value = pickle.loads(reply)
        if kind == "raised":
            raise value
        if kind == "failed":
            raise RuntimeError(f"the PDF typesetter failed:\n{value}")
        result: TypesetPdf = value
        return result

    def close(self) -> None:
        """Stop the forked process when no PDF is wanted of it (the build stopped, or wrote no PDF)."""
        if self._open:
            os.kill(self._pid, signal.SIGKILL)
            for fd in (self._requests, self._replies):
                os.close(fd)
            self._reap()

    def _reap(self) -> None:
        self._open = False
        os.waitpid(self._pid, 0)


def start() -> Typesetter | None:
    """Fork the typesetter, or ``None`` where it would not help or is unsafe (see the module's note). Call it before
    the building process starts any thread."""
    if not sys.platform.startswith("linux") or "weasyprint" in sys.modules:
        return None
    requests_in, requests_out = os.pipe()
    replies_in, replies_out = os.pipe()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()  # else both processes would write what is buffered
        except OSError:
            pass
    pid = os.fork()
    if pid == 0:
        os.close(requests_out)
        os.close(replies_in)
        _serve(requests_in, replies_out)
    os.close(requests_in)
    os.close(replies_out)
    return Typesetter(pid, requests_out, replies_in)


def _serve(requests: int, replies: int) -> None:
    """The forked process: get ready, typeset the one page asked for, hand back the PDF (or what went wrong), end."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the building process's to handle: it stops this one
        from mspress.typeset import columns, weasyprint_patch
        from mspress.writers.pdf import import_weasyprint, typeset

        import_weasyprint()
        weasyprint_patch.install()
        columns.install()
        with os.fdopen(requests, "rb") as pipe:
            request = pipe.read()
        if request:  # nothing: the build needs no PDF
            html, base = pickle.loads(request)
            reply: tuple[str, Any]
            try:
                reply = ("typeset", typeset(html, base))
            except Exception as exc:  # noqa: BLE001 — handed to the building process, which reports it as its own
                reply = ("raised", exc) if _survives_pickling(exc) else ("failed", traceback.format_exc())
            with os.fdopen(replies, "wb") as pipe:
                pipe.write(pickle.dumps(reply))
    except BaseException:  # noqa: BLE001 — the building process typesets itself when no reply comes
        code = 1
    finally:
        os._exit(code)


def _survives_pickling(exc: BaseException) -> bool:
    try:
        return type(pickle.loads(pickle.dumps(exc))) is type(exc)
    except Exception:  # noqa: BLE001
        return False
