"""Time the example build as whole processes against pandoc --citeproc on the same input.

Usage: python benchmarks/build_time.py [--runs N] [-C DIR] [--baseline REV]

Each run is a cold process. Prints the median wall time and peak memory (max RSS) of
  mspress   python build.py -C DIR --format html --format pdf   (HTML + PDF, GB/T 7714 by our engine)
  mspress-html  python build.py -C DIR --format html             (HTML only)
  mspress-docx  python build.py -C DIR --format docx             (the Word file only)
  pandoc    pandoc --citeproc sections.md -o x.html / x.docx     (pandoc's default CSL style, no journal styles)
and the ratio of each to pandoc, measured in the same run because the machine is noisy.
With --baseline REV (a git revision of this repository), the same build by that version of mspress
is timed in the same run too, and the sizes of both PDFs are printed.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from mspress.pandoc import executable as pandoc  # noqa: E402

AS_INSTALLED = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""pip compiles an installed package's bytecode; a machine that forbids writing it would time the compiler."""


def run(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=AS_INSTALLED)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"command failed: {' '.join(cmd)}\n{proc.stderr.read().decode() if proc.stderr else ''}")
    return wall, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--runs", type=int, default=5)
    args.add_argument("-C", dest="directory", default=str(REPO))
    args.add_argument("--baseline", metavar="REV", help="also time this git revision's build (e.g. HEAD~1)")
    opts = args.parse_args(argv)
    project = Path(opts.directory).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name in ("manuscript", "references", "pyproject.toml"):
            source = project / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, work / name)
        sections = sorted((work / "manuscript").glob("[0-9]*-*.md"))
        (work / "all.md").write_text("\n\n".join(p.read_text(encoding="utf-8") for p in sections), encoding="utf-8")
        bibs = [str(p) for p in sorted((work / "references").glob("*.bib"))]
        commands = {
            "mspress (HTML+PDF)": [sys.executable, str(REPO / "build.py"), "-C", str(work), "--format", "html", "--format", "pdf"],
            "mspress (HTML)": [sys.executable, str(REPO / "build.py"), "-C", str(work), "--format", "html"],
            "mspress (DOCX)": [sys.executable, str(REPO / "build.py"), "-C", str(work), "--format", "docx"],
            "pandoc --citeproc (HTML)": [pandoc(), "all.md", "--citeproc", *[f"--bibliography={b}" for b in bibs],
                                         "-s", "--metadata", "title=x", "-o", "pandoc.html"],
            "pandoc --citeproc (DOCX)": [pandoc(), "all.md", "--citeproc", *[f"--bibliography={b}" for b in bibs],
                                         "--metadata", "title=x", "-o", "pandoc.docx"],
        }
        if opts.baseline:
            checkout = work / "baseline-checkout"
            subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(checkout), opts.baseline],
                           check=True, capture_output=True)
            (work / "baseline").mkdir()
            for name in ("manuscript", "references"):
                shutil.copytree(work / name, work / "baseline" / name)
            shutil.copy(checkout / "pyproject.toml", work / "baseline" / "pyproject.toml")  # that revision's settings
            commands[f"baseline {opts.baseline} (HTML+PDF)"] = [sys.executable, str(checkout / "build.py"), "-C", str(work / "baseline"),
                                                                "--format", "html", "--format", "pdf"]
        for cmd in commands.values():
            run(cmd, work)  # warm-up: bytecode written, fonts and files cached
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(opts.runs):  # interleaved, so drift hits every command alike
            for name, cmd in commands.items():
                results[name].append(run(cmd, work))
        sizes = {"mspress": (work / "output" / "manuscript.pdf").stat().st_size}
        if opts.baseline:
            sizes[f"baseline {opts.baseline}"] = (work / "baseline" / "output" / "manuscript.pdf").stat().st_size
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(checkout)], check=True)
    pandoc_html = statistics.median(w for w, _ in results["pandoc --citeproc (HTML)"])
    pandoc_docx = statistics.median(w for w, _ in results["pandoc --citeproc (DOCX)"])
    print(f"{opts.runs} cold runs each, {os.cpu_count()} cores; median wall time, max peak RSS; against pandoc's run of the same format")
    for name, samples in results.items():
        wall = statistics.median(w for w, _ in samples)
        rss = max(m for _, m in samples)
        baseline = pandoc_docx if "(DOCX)" in name else pandoc_html
        print(f"{name:28s} {wall * 1000:8.0f} ms  {rss:6.0f} MB  {wall / baseline:5.1f}× pandoc")
    if opts.baseline:
        ours = statistics.median(w for w, _ in results["mspress (HTML+PDF)"])
        theirs = statistics.median(w for w, _ in results[f"baseline {opts.baseline} (HTML+PDF)"])
        print(f"HTML+PDF build: {ours / theirs - 1:+.1%} against {opts.baseline}")
    for name, size in sizes.items():
        print(f"PDF size, {name}: {size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
