"""Parse and format a 2,000-entry BibTeX library with LaTeX escapes, in-process (median of 5).

Usage: python benchmarks/references_time.py [--entries N] [--runs N]

The library is made from references/library.bib: each of its entries is copied with a new key, its
accented names written as LaTeX escapes (J{\\'e}nez), a {protected} acronym and an escaped \\& in the
title, so decoding has real work. Only the BibTeX and GB/T 7714 stages are timed, not start-up.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mspress.sources.bibtex import parse_bibtex  # noqa: E402
from mspress.styles.gbt7714 import Options, format_bibliography  # noqa: E402

ESCAPES = {"é": r"{\'e}", "á": r"{\'a}", "ñ": r"{\~n}", "ó": r"{\'o}", "ü": r"{\"u}", "ö": r"{\"o}"}
PROVENANCE = re.compile(r"\n  (evidence|alternatives|provenancenote|unverified|confidence) = \{.*?\},(?=\n)")


def library(entries: int) -> str:
    source = PROVENANCE.sub("", (REPO / "references" / "library.bib").read_text(encoding="utf-8"))
    blocks = re.findall(r"@\w+\{.*?\n\}\n", source, re.S)
    out = []
    for i in range(entries):
        block = re.sub(r"@(\w+)\{([^,]+),", lambda m, i=i: f"@{m.group(1)}{{{m.group(2)}{i},", blocks[i % len(blocks)], count=1)
        for char, escape in ESCAPES.items():
            block = block.replace(char, escape)
        block = block.replace("title = {", "title = {{DBS} \\& ", 1)
        out.append(block)
    return "\n".join(out)


def run(text: str, options: Options) -> float:
    start = time.perf_counter()
    found: dict = {}
    problems: list = []
    parse_bibtex(text, Path("library.bib"), found, problems)
    format_bibliography(list(found.values()), options)
    elapsed = time.perf_counter() - start
    assert len(found) and not problems
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    opts = parser.parse_args(argv)
    text = library(opts.entries)
    print(f"{opts.entries} entries, {len(text) / 1024:.0f} KiB of BibTeX; median of {opts.runs} runs, in-process:")
    for label, options in (("GB/T 7714-2015 numeric", Options(edition=2015)),
                           ("GB/T 7714-2025 author-year", Options(edition=2025, system="author-year"))):
        seconds = statistics.median(run(text, options) for _ in range(opts.runs))
        print(f"  {label:28s} parse + format {seconds * 1000:6.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
