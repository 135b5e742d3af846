"""Parse and format a 2,000-entry BibTeX library with LaTeX escapes, each run a fresh process (median of N).

Usage: python benchmarks/references_time.py [--entries N] [--runs N] [--baseline REV]

The library is made from references/library.bib: each of its entries is copied with a new key, its accented
names written as LaTeX escapes (J{\\'e}nez), a {protected} acronym and an escaped \\& in the title, so decoding
has real work; every third entry is given Chinese authors and langid, so the author-year list sorts by pinyin. Each run is a new Python process that times, in process, the parse and then the formatting —
so what a first use loads (pypinyin's data for the author-year order, pylatexenc's tables) is counted, and
interpreter start-up is not. With --baseline REV (a git revision of this repository) the same runs are made
with that version, interleaved, in the same invocation: these machines are noisy.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ESCAPES = {"é": r"{\'e}", "á": r"{\'a}", "ñ": r"{\~n}", "ó": r"{\'o}", "ü": r"{\"u}", "ö": r"{\"o}"}
CHINESE_NAMES = ("曾小明 and 单田芳 and 张三", "李四 and 王五", "于潇 and 刘义 and 柴跃廷 and 孙宏波", "赵六", "解放 and 区伟")
PROVENANCE = re.compile(r"\n  (evidence|alternatives|provenancenote|unverified|confidence) = \{.*?\},(?=\n)")
CASES = (("GB/T 7714-2015 numeric", "Options(edition=2015)"),
         ("GB/T 7714-2025 author-year", "Options(edition=2025, system='author-year')"))
CHILD = """
import json, sys, time
from pathlib import Path
start = time.perf_counter()
from mspress.sources.bibtex import parse_bibtex
from mspress.styles.gbt7714 import Options, format_bibliography
imported = time.perf_counter()
found, problems = {{}}, []
parse_bibtex(Path(sys.argv[1]).read_text(encoding="utf-8"), Path("library.bib"), found, problems)
parsed = time.perf_counter()
format_bibliography(list(found.values()), {options})
done = time.perf_counter()
assert found and not problems
print(json.dumps({{"parse": parsed - imported, "format": done - parsed}}))
"""


def library(entries: int) -> str:
    source = PROVENANCE.sub("", (REPO / "references" / "library.bib").read_text(encoding="utf-8"))
    blocks = re.findall(r"@\w+\{.*?\n\}\n", source, re.S)
    out = []
    for i in range(entries):
        block = re.sub(r"@(\w+)\{([^,]+),", lambda m, i=i: f"@{m.group(1)}{{{m.group(2)}{i},", blocks[i % len(blocks)], count=1)
        for char, escape in ESCAPES.items():
            block = block.replace(char, escape)
        block = block.replace("title = {", "title = {{DBS} \\& ", 1)
        if i % 3 == 2:  # a third Chinese, as in a Chinese author's library: names and titles sorted by pinyin
            block = re.sub(r"author = \{[^\n]*\},", f"author = {{{CHINESE_NAMES[i % len(CHINESE_NAMES)]}}},", block, count=1)
            block = re.sub(r"langid = \{english\}", "langid = {chinese}", block)
        out.append(block)
    return "\n".join(out)


def one_run(checkout: Path, options: str, bib: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    result = subprocess.run([sys.executable, "-c", CHILD.format(options=options), str(bib)], cwd=checkout, env=env,
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def baseline_checkout(rev: str, into: Path) -> Path:
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-f", str(into), rev], check=True, capture_output=True)
    return into


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline", metavar="REV", help="time this git revision too, interleaved")
    opts = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        bib = Path(tmp) / "library.bib"
        bib.write_text(library(opts.entries), encoding="utf-8")
        checkouts = {"this": REPO}
        if opts.baseline:
            checkouts[opts.baseline] = baseline_checkout(opts.baseline, Path(tmp) / "baseline")
        try:
            print(f"{opts.entries} entries, {bib.stat().st_size / 1024:.0f} KiB of BibTeX; median of {opts.runs} fresh processes, "
                  "timed in process (parse, format incl. first-use imports):")
            for label, options in CASES:
                times: dict[str, list[dict[str, float]]] = {name: [] for name in checkouts}
                for _ in range(opts.runs):
                    for name, checkout in checkouts.items():
                        times[name].append(one_run(checkout, options, bib))
                for name, runs in times.items():
                    parse = statistics.median(r["parse"] for r in runs)
                    fmt = statistics.median(r["format"] for r in runs)
                    total = statistics.median(r["parse"] + r["format"] for r in runs)
                    print(f"  {label:28s} {name:>10s}  parse {parse * 1000:5.0f} ms  format {fmt * 1000:5.0f} ms  "
                          f"total {total * 1000:5.0f} ms")
        finally:
            if opts.baseline:
                subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(Path(tmp) / "baseline")],
                               check=False, capture_output=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
