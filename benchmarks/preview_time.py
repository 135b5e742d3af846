"""Time what ``mspress preview`` costs after a one-sentence change to the example, against the full rebuild an author
had before (a fresh ``mspress build`` process), in the same run.

Usage: python benchmarks/preview_time.py [--runs N]

Measured, medians of N edits each (every edit changes one sentence of a different body file in turn):
- warm HTML: ``WarmProject.build`` in one process (pandoc reads the changed file, the library and templates are
  kept; citations, numbering and checks recomputed) — the page the browser reloads;
- warm PDF: the same plus WeasyPrint in that process (what the background thread does);
- save to page: a running ``mspress preview`` process, from writing the file to the server's event announcing
  the new page (file watching included);
- baseline: a fresh ``mspress build --format html`` process, and ``--format pdf``.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def copy_example(target: Path) -> Path:
    for part in ("manuscript", "references"):
        shutil.copytree(REPO / part, target / part)
    shutil.copy(REPO / "pyproject.toml", target / "pyproject.toml")
    return target


class Editor:
    """Changes one sentence of a body file per call, each file in turn, never the same text twice."""

    def __init__(self, root: Path) -> None:
        self.files = sorted((root / "manuscript").glob("[0-9]*-*.md"))
        self.count = 0

    def __call__(self) -> None:
        path = self.files[self.count % len(self.files)]
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(基准编辑\d+)?。", f"基准编辑{self.count}。", text, count=1)
        path.write_text(text, encoding="utf-8")
        self.count += 1


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} ms (min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f})"


def warm(root: Path, runs: int) -> tuple[list[float], list[float]]:
    from mspress.commands.preview import WarmProject
    from mspress.writers.pdf import pdf_bytes

    project, edit = WarmProject(root, None), Editor(root)
    pdf_bytes(project.build(with_print=True).print_page or "", root)  # the first build: everything read, WeasyPrint loaded
    html_times, pdf_times = [], []
    for _ in range(runs):
        edit()
        started = time.perf_counter()
        project.build(with_print=False)
        html_times.append(time.perf_counter() - started)
    for _ in range(runs):
        edit()
        started = time.perf_counter()
        built = project.build(with_print=True)
        pdf_bytes(built.print_page or "", root)
        pdf_times.append(time.perf_counter() - started)
    return html_times, pdf_times


def save_to_page(root: Path, runs: int) -> list[float]:
    """Through a running preview: write the file, wait for the event that announces the new page."""
    log = root.parent / "preview.log"
    with log.open("w") as handle:
        process = subprocess.Popen([sys.executable, "-m", "mspress", "preview", "-C", str(root), "--no-browser", "--no-pdf", "--port", "0"],
                                   stdout=handle, stderr=subprocess.DEVNULL, cwd=REPO)
        try:
            deadline = time.monotonic() + 60
            while not (found := re.search(r"serving (http://\S+/)", log.read_text(encoding="utf-8"))):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("preview did not start")
                time.sleep(0.05)
            events = urllib.request.urlopen(found.group(1) + "events")
            edit, times = Editor(root), []

            def generation() -> int:
                while True:
                    line = events.readline().decode("utf-8")
                    if line.startswith("data: "):
                        return int(json.loads(line[6:])["generation"])

            current = generation()
            for _ in range(runs):
                time.sleep(0.3)  # a save after a pause, as an author saves
                started = time.perf_counter()
                edit()
                while (now := generation()) == current:
                    pass
                times.append(time.perf_counter() - started)
                current = now
            events.close()
        finally:
            process.terminate()
            process.wait(timeout=30)
    return times


def fresh(root: Path, runs: int, fmt: str) -> list[float]:
    edit, times = Editor(root), []
    for _ in range(runs):
        edit()
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mspress", "build", "-C", str(root), "--format", fmt], check=True, capture_output=True, cwd=REPO)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--runs", type=int, default=15)
    runs = options.parse_args().runs
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; medians of {runs} one-sentence edits of the example")
    with tempfile.TemporaryDirectory() as folder:
        html_times, pdf_times = warm(copy_example(Path(folder) / "warm"), runs)
        cold_html = fresh(copy_example(Path(folder) / "cold"), runs, "html")
        cold_pdf = fresh(Path(folder) / "cold", max(3, runs // 3), "pdf")
        served = save_to_page(copy_example(Path(folder) / "served"), runs)
    print(f"warm HTML refresh      {median_ms(html_times)}   (target 100 ms)")
    print(f"save to page event     {median_ms(served)}")
    print(f"warm PDF refresh       {median_ms(pdf_times)}   (target 1 s)")
    print(f"baseline: fresh build --format html {median_ms(cold_html)}   ({statistics.median(cold_html) / statistics.median(html_times):.1f}x the warm refresh)")
    print(f"baseline: fresh build --format pdf  {median_ms(cold_pdf)}   ({statistics.median(cold_pdf) / statistics.median(pdf_times):.1f}x the warm refresh)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
