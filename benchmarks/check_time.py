"""Time ``check`` as a fresh process on the example and on synthetic manuscripts 10× and 100× its size, and
editor mode on a Word file with 100 typed references (with and without the format check, ``--style``).

Usage: python benchmarks/check_time.py [--runs N] [--baseline REV]

The synthetic manuscripts repeat the example's sections; the k-th copy cites the k-th copy of the
library (copies wrap after 59, so 100× is about 3,400 citations of 2,000 entries). Prints the median
wall time of each and the ratio per unit of size, which stays flat when time grows linearly.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LIBRARY_COPIES = 59


def synthetic(project: Path, target: Path, times: int) -> None:
    shutil.copytree(project / "manuscript", target / "manuscript")
    (target / "references").mkdir()
    sections = sorted((project / "manuscript").glob("[0-9]*-*.md"))
    for path in (target / "manuscript").glob("[0-9]*-*.md"):
        path.unlink()
    bib = "".join(p.read_text(encoding="utf-8") for p in sorted((project / "references").glob("*.bib")))
    keys = re.findall(r"@\w+\{([^,]+),", bib)
    copies = min(times, LIBRARY_COPIES)
    library = []
    for k in range(copies):
        copy = re.sub(r"(@\w+\{)([^,]+),", lambda m, k=k: f"{m.group(1)}{m.group(2)}x{k},", bib)
        copy = re.sub(r"(\n\s*title = \{)", rf"\g<1>Part {k}: ", copy)  # distinct works, not duplicates
        library.append(re.sub(r"(\n\s*doi = \{[^/]+/)", rf"\g<1>part{k}.", copy))
    (target / "references" / "library.bib").write_text("\n".join(library), encoding="utf-8")
    pattern = re.compile(r"@(" + "|".join(map(re.escape, sorted(keys, key=len, reverse=True))) + r")\b")
    for k in range(times):
        for path in sections:
            text = pattern.sub(lambda m, k=k: f"@{m.group(1)}x{k % copies}", path.read_text(encoding="utf-8"))
            text = re.sub(r"\{#(fig|tbl|sec):([^\s}]+)", lambda m, k=k: f"{{#{m.group(1)}:{m.group(2)}-{k}", text)
            text = re.sub(r"@(fig|tbl|sec):([A-Za-z0-9_-]+)", lambda m, k=k: f"@{m.group(1)}:{m.group(2)}-{k}", text)
            (target / "manuscript" / f"{k:03d}{path.name[2:]}").write_text(text, encoding="utf-8")


def word_manuscript(target: Path, count: int = 100) -> Path:
    """A .docx as an editor receives it: paragraphs citing [1]…[count] in order (some as ranges), the example's
    references typed in GB/T 7714-2015 (repeated, each copy a distinct work) in Word's automatic numbering."""
    import docx

    sys.path.insert(0, str(REPO))
    from mspress.sources.bibtex import load_library
    from mspress.styles.gbt7714 import Options, format_bibliography

    library = load_library(REPO).references
    refs = list(library.values())
    formatted = [f.text for f in format_bibliography(refs, Options(edition=2015), [r.key for r in refs])]
    document = docx.Document()
    for start in range(1, count + 1, 4):
        document.add_paragraph(f"第{start}段研究表明[{start}]，另见[{start + 1}-{min(start + 3, count)}]。" if start + 1 < count
                               else f"见[{start}]。")
    document.add_heading("参考文献", 1)
    for n in range(count):
        text = formatted[n % len(formatted)]
        document.add_paragraph(text.replace(". ", f". Part {n // len(formatted)}: ", 1) if n >= len(formatted) else text, style="List Number")
    path = target / "editor-100.docx"
    document.save(str(path))
    return path


AS_INSTALLED = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""pip compiles an installed package's bytecode; a machine that forbids writing it would time the compiler."""


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=AS_INSTALLED)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", metavar="REV", help="also time this git revision's check on the example, interleaved")
    opts = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        projects = {1: REPO}
        for times in (10, 100):
            projects[times] = Path(tmp) / f"x{times}"
            synthetic(REPO, projects[times], times)
        commands = {f"{times:>3}× example": [sys.executable, str(REPO / "build.py"), "check", "-C", str(root)]
                    for times, root in projects.items()}
        word = word_manuscript(Path(tmp))
        commands["editor .docx, 100 refs"] = [sys.executable, str(REPO / "build.py"), "check", str(word)]
        commands["  … with --style"] = [sys.executable, str(REPO / "build.py"), "check", str(word), "--style", "gb7714-2015"]
        if opts.baseline:
            checkout = Path(tmp) / "baseline"
            subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(checkout), opts.baseline], check=True, capture_output=True)
            example = Path(tmp) / "baseline-example"  # the example with that revision's own settings
            for name in ("manuscript", "references"):
                shutil.copytree(REPO / name, example / name)
            shutil.copy(checkout / "pyproject.toml", example / "pyproject.toml")
            commands[f"example at {opts.baseline}"] = [sys.executable, str(checkout / "build.py"), "check", "-C", str(example)]
            commands[f"editor .docx at {opts.baseline}"] = [sys.executable, str(checkout / "build.py"), "check", str(word)]
        for cmd in commands.values():
            timed(cmd)  # warm-up: bytecode written, files cached
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(opts.runs):  # interleaved, so drift hits every command alike
            for name, cmd in commands.items():
                samples[name].append(timed(cmd))
        if opts.baseline:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(checkout)], check=True)
    medians = {name: statistics.median(v) for name, v in samples.items()}
    one, ten, hundred = (medians[f"{t:>3}× example"] for t in (1, 10, 100))
    print(f"check as a fresh process, median of {opts.runs} ({os.cpu_count()} cores):")
    for name, seconds in medians.items():
        print(f"  {name:24s} {seconds * 1000:7.0f} ms   {seconds / one:5.1f}× the example")
    growth = (hundred - one) / (ten - one) if ten > one else float("nan")
    print(f"  growth 10×→100× (start-up removed): {growth:.1f}× for 10× the size (linear: 10.0)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
