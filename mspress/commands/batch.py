"""``mspress build DIR… -j N``: many projects (a journal's issue) built in parallel, one summary.

The parent process imports the build's libraries (WeasyPrint with mspress's typesetting, Jinja, python-docx) once
and forks its workers, so no worker pays for the imports again. Each project is built as ``mspress build -C DIR``
builds it; what it prints is collected and printed when it is done, its paths made relative to where the command
runs (``issue/a03/manuscript/01-methods.md:4:1: error: …``), then one line says how many were built and which
failed. The exit code is the worst of the projects' (``errors.ExitCode``).
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

from mspress.errors import Diagnostic, ExitCode, ManuscriptError, ManuscriptErrors, SetupError


@dataclass(frozen=True)
class Outcome:
    """One project's build: what it printed (stdout and stderr lines, in order) and its exit code."""

    root: Path
    code: ExitCode
    out: tuple[str, ...] = ()
    err: tuple[str, ...] = ()
    errors: int = 0
    """Errors reported (0 when the project could not be built at all: ``err`` says why)."""


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def build_many(roots: Sequence[Path], journal: str | None, style: str | None, formats: tuple[str, ...], jobs: int,
               out: Callable[[str], None], err: Callable[[str], None]) -> int:
    """Build every project of ``roots`` with ``jobs`` workers; print each one's report as it finishes, then a summary."""
    start = time.perf_counter()
    unique: dict[Path, Path] = {}
    for root in roots:  # a project named twice (a01 and ./a01) is built once
        unique.setdefault(root.resolve(), root)
    roots = list(unique.values())
    missing = [root for root in roots if not root.is_dir()]
    for root in missing:
        err(f"{root}: error: {'not a directory' if root.exists() else 'no such project directory'}")
    roots = [root for root in roots if root.is_dir()]
    outcomes: list[Outcome] = []
    workers = max(1, min(jobs, len(roots))) if _can_fork() else 1
    if workers == 1:
        for root in roots:
            outcomes.append(_report(build_one(root, journal, style, formats), out, err))
    else:
        _preload(formats)
        unfinished = _in_pool(roots, workers, journal, style, formats, lambda o: outcomes.append(_report(o, out, err)))
        # A worker that died (killed, out of memory) takes the pool down: each project it left is built again alone,
        # so only the one that kills its process fails.
        for root in unfinished:
            outcomes.append(_report(_alone(root, journal, style, formats), out, err))
    failed = [o for o in outcomes if o.code != ExitCode.DONE]
    seconds = time.perf_counter() - start
    summary = f"built {len(outcomes) - len(failed)} of {len(roots) + len(missing)} projects in {seconds:.1f} s ({workers} at a time)"
    if failed or missing:
        named = [f"{o.root} ({o.errors} error{'s' * (o.errors != 1)})" if o.errors else f"{o.root} (not built)"
                 for o in sorted(failed, key=lambda o: str(o.root))]
        named += [f"{root} ({'not a directory' if root.exists() else 'no such directory'})" for root in missing]
        err(f"{summary}; failed: {', '.join(named)}")
    else:
        out(summary)
    codes = [o.code for o in outcomes] + [ExitCode.UNUSABLE] * bool(missing)
    return int(max(codes, default=ExitCode.DONE))


def _in_pool(roots: list[Path], workers: int, journal: str | None, style: str | None, formats: tuple[str, ...],
             done: Callable[[Outcome], None]) -> list[Path]:
    """Build ``roots`` in a pool of forked workers, ``done`` called with each outcome; the projects not built if a worker
    died. Ctrl-C stops the workers at once (they ignore it themselves, so it cannot become one project's result)."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN))
    futures: dict[Future[Outcome], Path] = {pool.submit(build_one, root, journal, style, formats): root for root in roots}
    finished: set[Path] = set()
    try:
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except BrokenProcessPool:
                break
            finished.add(futures[future])
            done(outcome)
    except KeyboardInterrupt:
        _stop(pool)
        raise
    pool.shutdown(wait=True, cancel_futures=True)
    return [root for root in roots if root not in finished]


def _alone(root: Path, journal: str | None, style: str | None, formats: tuple[str, ...]) -> Outcome:
    """``build_one`` in a worker of its own: if that worker dies, this project failed."""
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                               initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN))
    try:
        return pool.submit(build_one, root, journal, style, formats).result()
    except BrokenProcessPool:
        return Outcome(root, ExitCode.UNUSABLE, err=(f"{root}: error: the build's process was killed (out of memory, or a "
                                                     "signal): nothing was written",))
    except KeyboardInterrupt:
        _stop(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now, mid-build: the files they write are written whole or not at all (``writers.output``)."""
    processes = list(getattr(pool, "_processes", {}).values())  # ProcessPoolExecutor has no public terminate
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()


def build_one(root: Path, journal: str | None, style: str | None, formats: tuple[str, ...]) -> Outcome:
    """``mspress build -C root``, its output collected rather than printed."""
    from mspress.commands.build import build
    from mspress.config import load_settings
    from mspress.sources.manuscript import read_manuscript

    try:
        files = read_manuscript(root)
        result = build(load_settings(root, journal).with_overrides(style=style), formats, files)
    except ManuscriptErrors as exc:
        return Outcome(root, exc.exit_code, err=tuple(_in(root, d) for d in exc.diagnostics),
                       errors=len(exc.diagnostics))
    except ManuscriptError as exc:
        return Outcome(root, exc.exit_code, err=(_in(root, exc.diagnostic),), errors=1)
    except SetupError as exc:
        return Outcome(root, exc.exit_code, err=(f"{root}: error: {exc}",))
    except Exception:  # a bug in mspress: this project's report says so, the others are built
        return Outcome(root, ExitCode.UNUSABLE, err=(f"{root}: error: mspress failed on this project (a bug: please report it):",
                                                     *traceback.format_exc().rstrip().splitlines()))
    return Outcome(root, ExitCode.DONE, out=tuple(f"wrote {path}" for path in result.outputs),
                   err=tuple(_in(root, warning) for warning in result.warnings))


def _in(root: Path, diagnostic: Diagnostic) -> str:
    """The diagnostic with its path as seen from where the command runs (a project file's path is the project's;
    a path already under ``root`` and ``<command line>`` are left as they are)."""
    location = diagnostic.location
    path = location.path
    already = path.parts[:len(root.parts)] == root.parts and not (root / path).exists()
    if path.is_absolute() or path.as_posix().startswith("<") or already:
        return str(diagnostic)
    return str(replace(diagnostic, location=replace(location, path=root / location.path)))


def _report(outcome: Outcome, out: Callable[[str], None], err: Callable[[str], None]) -> Outcome:
    for line in outcome.err:
        err(line)
    for line in outcome.out:
        out(line)
    return outcome


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"


def _preload(formats: tuple[str, ...]) -> None:
    """What every worker needs, imported before they are forked. Formats left to the profiles (``()``) may be any."""
    import mspress.commands.build  # noqa: F401
    import mspress.writers.html  # noqa: F401

    if not formats or "pdf" in formats:
        from mspress.writers.pdf import prepare

        prepare()
    if not formats or "docx" in formats:
        import mspress.writers.docx  # noqa: F401
