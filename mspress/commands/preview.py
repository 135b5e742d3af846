"""``mspress preview``: the article served on localhost and rebuilt on every save, in one warm process.

A save costs only what changed: pandoc reads the Markdown files whose text changed (``ParseCache``), the library is
read again when a file's time or size changes (``LibraryCache``), templates stay compiled (``writers.html``); the
citations, the numbering and every check are computed afresh each time. The page follows the builds over
server-sent events (``templates/preview.js``); the PDF is typeset in a background thread of the same process.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import signal
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from mspress.errors import Diagnostic, ExitCode, ManuscriptError, ManuscriptErrors, SetupError
from mspress.sources.bibtex import LibraryCache
from mspress.sources.markdown import ParseCache

Print = Callable[[str], None]
CLIENT = (Path(__file__).parent.parent / "templates" / "preview.js").read_text(encoding="utf-8")
CLIENT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(CLIENT.encode("utf-8")).digest()).decode("ascii")
PDF_SETTLE_SECONDS = 0.3
"""The PDF starts once the saves have paused this long: typesetting competes with the next page for the CPU."""
PING_SECONDS = 15.0
RUN = os.urandom(6).hex()
"""This process's mark in its pages and events: a page left open from an earlier preview reloads."""
ANY_ADDRESS = ("0.0.0.0", "::", "")
"""``--host`` values that serve every network interface: no host name to check requests against."""


@dataclass(frozen=True, slots=True)
class Rebuilt:
    screen: str
    """The HTML page, as ``build`` writes it."""
    print_page: str | None
    """The page WeasyPrint typesets (when the PDF is wanted)."""
    warnings: tuple[Diagnostic, ...]
    pdf_path: Path


class WarmProject:
    """A project built again and again in one process."""

    def __init__(self, root: Path, journal: str | None) -> None:
        self.root, self.journal = root, journal
        self.parsed = ParseCache()
        self.library = LibraryCache()

    def build(self, with_print: bool) -> Rebuilt:
        """The HTML (written to ``output/`` too) and, if asked, the page for the PDF; user errors raise as in ``build``."""
        from mspress.commands.build import outputs_inside, resolved
        from mspress.config import load_settings
        from mspress.sources.manuscript import read_manuscript
        from mspress.writers.html import page_of, render_page
        from mspress.writers.output import write_all

        files = read_manuscript(self.root, self.parsed)  # pandoc starts on what changed
        settings = load_settings(self.root, self.journal)
        document, warnings = resolved(settings, files, self.library)
        page = page_of(document)
        screen = render_page(settings, document.metadata, page, "screen")
        print_page = render_page(settings, document.metadata, page, "print") if with_print else None
        target = settings.output_path / f"{settings.output_name}.html"
        outputs_inside(settings, [target])
        write_all({target: screen.encode("utf-8")})
        return Rebuilt(screen, print_page, warnings, settings.output_path / f"{settings.output_name}.pdf")


@dataclass(slots=True)
class PreviewState:
    """What the server shows: the last good page, the current problems, the last good PDF. ``version`` counts changes."""

    generation: int = 0
    """Of the last good page (0: none yet)."""
    page: bytes | None = None
    problems: tuple[str, ...] = ()
    pdf: bytes | None = None
    pdf_generation: int = 0
    pdf_problem: str | None = None
    """Why the last PDF could not be made (the address says so until one is)."""
    pdf_name: str = "manuscript.pdf"
    pdf_wanted: bool = True
    version: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)

    def update(self, **values: object) -> None:
        with self.changed:
            for name, value in values.items():
                setattr(self, name, value)
            self.version += 1
            self.changed.notify_all()

    def event(self) -> bytes:
        with self.changed:
            data = {"run": RUN, "generation": self.generation, "problems": list(self.problems), "pdf": self.pdf_generation}
        return f"event: state\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()

    def wait(self, seen: int, timeout: float) -> int:
        """The version once it differs from ``seen``, or after ``timeout`` seconds."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen, timeout)
            return self.version


_POLICY = re.compile(r"""<meta\s[^>]*http-equiv=["']Content-Security-Policy["'][^>]*>""", re.I)


def client_allowed(page: str) -> bool:
    """Whether the page lets the preview client run: no policy of its own, or one with a ``script-src`` to add it to."""
    policy = _POLICY.search(page)
    return policy is None or "script-src " in policy.group(0)


def served_page(page: str, generation: int) -> bytes:
    """The built page with the preview client: its script allowed by hash beside the page's own (in the page's
    policy, never in text that only looks like one), nothing else."""
    policy = _POLICY.search(page)
    if policy is not None:
        allowed = policy.group(0).replace("script-src ", f"script-src '{CLIENT_HASH}' ", 1)
        page = page[:policy.start()] + allowed + page[policy.end():]
    page = page.replace("</head>", f'<meta name="mspress-preview" content="{generation}" data-run="{RUN}">\n</head>', 1)
    end = page.rfind("</body>")
    end = len(page) if end < 0 else end
    return (page[:end] + f"<script data-mspress-preview>{CLIENT}</script>\n" + page[end:]).encode("utf-8")


def waiting_page() -> bytes:
    """Shown until the first good build; the client reloads it when one is made and shows the problems meanwhile."""
    policy = f"default-src 'none'; script-src '{CLIENT_HASH}'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'"
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{html.escape(policy)}\">"
            f"<meta name=\"mspress-preview\" content=\"0\" data-run=\"{RUN}\"><meta name=\"mspress-preview-error\" content=\"1\">"
            "<title>mspress preview</title></head><body><p>mspress preview: waiting for the article to build without errors.</p>"
            f"<script data-mspress-preview>{CLIENT}</script></body></html>").encode()


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, port: int, state: PreviewState) -> None:
        self.state = state
        self.everywhere = host in ANY_ADDRESS
        self.hosts = {"127.0.0.1", "localhost", "::1", host.strip("[]").lower()}
        if self.everywhere:  # any of this machine's addresses, or its own name; never a name someone else chose
            self.hosts |= {socket.gethostname().lower(), socket.getfqdn().lower()}
        super().__init__((host, port), PreviewHandler)

    def answers(self, header: str) -> bool:
        """Whether a request's ``Host`` names this machine. A web page elsewhere cannot read the preview through a
        name of its own that resolves here (DNS rebinding): such a request names that name."""
        from urllib.parse import urlsplit

        try:
            name = (urlsplit("//" + header).hostname or "").lower()
        except ValueError:
            return False
        if name in self.hosts:
            return True
        if not self.everywhere:
            return False
        import ipaddress

        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        state = self.server.state
        if not self.server.answers(self.headers.get("Host", "")):
            self._send(403, "text/plain; charset=utf-8", b"mspress preview: unknown host\n")
        elif self.path in ("/", "/index.html"):
            self._send(200, "text/html; charset=utf-8", state.page or waiting_page())
        elif self.path == "/events":
            self._events(state)
        elif self.path == f"/{state.pdf_name}":
            if not state.pdf_wanted:
                self._send(404, "text/plain; charset=utf-8", b"mspress preview: started with --no-pdf; start it without that option for the PDF\n")
            elif state.pdf is not None:
                self._send(200, "application/pdf", state.pdf)
            elif state.pdf_problem is not None:
                self._send(503, "text/plain; charset=utf-8", f"mspress preview: no PDF: {state.pdf_problem}\n".encode(), retry=True)
            elif state.generation == 0:
                self._send(503, "text/plain; charset=utf-8", b"mspress preview: no PDF yet: the article has errors (the page lists them)\n", retry=True)
            else:
                self._send(503, "text/plain; charset=utf-8", b"mspress preview: the PDF is being made; try again in a moment\n", retry=True)
        else:
            self._send(404, "text/plain; charset=utf-8", b"mspress preview: not found\n")

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's name)
        self.head_only = True
        self.do_GET()

    head_only = False

    def _send(self, status: int, kind: str, body: bytes, retry: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if retry:
            self.send_header("Retry-After", "1")
        self.end_headers()
        if not self.head_only:
            self.wfile.write(body)

    def _events(self, state: PreviewState) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.head_only:
            return
        seen = -1
        try:
            while True:
                version = state.wait(seen, PING_SECONDS)
                self.wfile.write(state.event() if version != seen else b": ping\n\n")
                self.wfile.flush()
                seen = version
        except (BrokenPipeError, ConnectionResetError):
            return

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's name)
        """Requests are not logged: the terminal shows builds."""


class PdfWorker(threading.Thread):
    """Typesets the latest page in the background; a page superseded before it starts is skipped."""

    def __init__(self, root: Path, state: PreviewState, out: Print, err: Print) -> None:
        super().__init__(daemon=True, name="mspress-pdf")
        self.root, self.state, self.out, self.err = root, state, out, err
        self.job: tuple[int, str, Path] | None = None
        self.submitted = 0.0
        self.jobs = threading.Condition()

    def submit(self, generation: int, page: str, target: Path) -> None:
        with self.jobs:
            self.job, self.submitted = (generation, page, target), time.monotonic()
            self.jobs.notify()

    def run(self) -> None:
        from mspress.writers.output import write_all
        from mspress.writers.pdf import pdf_bytes

        while True:
            with self.jobs:
                self.jobs.wait_for(lambda: self.job is not None)
                while (pause := self.submitted + PDF_SETTLE_SECONDS - time.monotonic()) > 0:
                    self.jobs.wait(pause)
                assert self.job is not None
                (generation, page, target), self.job = self.job, None
            started = time.perf_counter()
            try:
                data = pdf_bytes(page, self.root)
                write_all({target: data})
            except ManuscriptError as exc:  # a figure WeasyPrint refuses, an output it cannot write
                self._failed(str(exc))
                continue
            except Exception as exc:  # a bug in typesetting must not stop the preview; say it plainly
                self._failed(f"mspress: internal error while making the PDF ({type(exc).__name__}: {exc}); please report it")
                continue
            self.state.update(pdf=data, pdf_generation=generation, pdf_problem=None)
            self.out(f"PDF {generation} made in {time.perf_counter() - started:.2f} s")

    def _failed(self, message: str) -> None:
        self.err(message)
        self.state.update(pdf_problem=message)


def rebuild(project: WarmProject, state: PreviewState, worker: PdfWorker | None, out: Print, err: Print) -> Path | None:
    """Build once; publish the page or the problems (the last good page stays). The output folder of a good build."""
    started = time.perf_counter()
    problems: list[str] = []
    try:
        built = project.build(with_print=worker is not None)
    except ManuscriptErrors as exc:
        problems = [str(d) for d in exc.diagnostics]
    except ManuscriptError as exc:
        problems = [str(exc)]
    except SetupError as exc:
        problems = [f"mspress: error: {exc}"]
    except Exception as exc:  # a bug must not stop the preview; say it plainly
        problems = [f"mspress: internal error ({type(exc).__name__}: {exc}); please report it"]
    elapsed = (time.perf_counter() - started) * 1000
    if problems:
        for line in problems:
            err(line)
        out(f"build failed in {elapsed:.0f} ms: {len(problems)} problem{'s' if len(problems) != 1 else ''}; the page shows them")
        state.update(problems=tuple(problems))
        return None
    for warning in built.warnings:
        err(str(warning))
    if not client_allowed(built.screen) and state.generation == 0:
        err("mspress preview: warning: the page's template sets a Content-Security-Policy without script-src, so the page cannot "
            "follow the builds: reload it by hand, or add script-src to the policy")
    generation = state.generation + 1
    renamed = {} if built.pdf_path.name == state.pdf_name else {"pdf": None, "pdf_problem": None}  # output_name changed
    state.update(page=served_page(built.screen, generation), generation=generation, problems=(), pdf_name=built.pdf_path.name, **renamed)
    out(f"page {generation} built in {elapsed:.0f} ms")
    if worker is not None and built.print_page is not None:
        worker.submit(generation, built.print_page, built.pdf_path)
    return built.pdf_path.parent


class ProjectChanges:
    """What the preview watches: the project's files, less its output folder (each build writes there) and what
    watchfiles leaves out by default (``.git``, editors' swap files…). Paths compared resolved: watching ``.``
    reports ``/project/./output/…``."""

    def __init__(self, output: Path) -> None:
        import watchfiles

        self.default = watchfiles.DefaultFilter()
        self.output = output.resolve()

    def __call__(self, change: Any, path: str) -> bool:
        return self.default(change, path) and not Path(path).resolve().is_relative_to(self.output)


def preview(root: Path, journal: str | None, host: str, port: int, open_browser: bool, pdf: bool, out: Print, err: Print) -> int:
    """Serve and rebuild until interrupted (Ctrl-C, or SIGTERM)."""
    import watchfiles

    from mspress.config import load_settings

    try:
        output_dir = load_settings(root, journal).output_path
    except ManuscriptError:
        output_dir = root / "output"  # the first build reports the problem
    state = PreviewState(pdf_wanted=pdf)
    try:
        server = PreviewServer(host, port, state)
    except OSError as exc:
        raise SetupError(f"cannot serve on {host}:{port}: {exc.strerror}; give another port with --port (0 picks a free one)") from None
    threading.Thread(target=server.serve_forever, daemon=True, name="mspress-server").start()
    everywhere = host in ANY_ADDRESS
    if everywhere:
        err(f"mspress preview: warning: serving on every network interface ({host}): anyone who can reach this machine can read "
            "the article; leave out --host to serve it to this machine only")
    shown_host = "127.0.0.1" if everywhere else f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{server.server_address[1]}/"
    worker = PdfWorker(root, state, out, err) if pdf else None
    if worker is not None:
        worker.start()
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    try:
        project = WarmProject(root, journal)
        changes = ProjectChanges(rebuild(project, state, worker, out, err) or output_dir)
        out(f"serving {url}" + (f" (PDF at {url}{state.pdf_name})" if pdf else "") + "; Ctrl-C stops")
        if open_browser:
            import webbrowser

            webbrowser.open(url)
        for _changes in watchfiles.watch(root.resolve(), watch_filter=changes, step=30, stop_event=stop, raise_interrupt=True):
            output = rebuild(project, state, worker, out, err)
            if output is not None:  # output_dir may change with the settings
                changes.output = output.resolve()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.shutdown()
        server.server_close()
    out("preview stopped")
    return ExitCode.DONE
