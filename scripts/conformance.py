"""Measure the GB/T 7714 engine against the standards' own examples.

Usage: python scripts/conformance.py PATH... [--diffs N] [--key KEY] [--divergences FILE]

Each PATH is a JSON-lines file of (BibTeX entry → expected string) pairs whose name says the edition
and system (``2015-numeric.jsonl``, ``2025-authoryear.jsonl``; the data lives outside this repository,
e.g. ../shared/gbt7714/conformance/). Every entry of a file forms one bibliography, cited in file order.
Prints per file: exact matches, matches after normalising whitespace only, the failing keys with a
diff, and which failures are deliberate divergences (scripts/conformance_divergences.txt).
Exit status: 0 always when the files could be read (this measures; it does not judge), 2 otherwise.
"""
from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mspress.model import Reference  # noqa: E402
from mspress.sources.bibtex import parse_bibtex  # noqa: E402
from mspress.styles.gbt7714 import Options, format_bibliography  # noqa: E402

DIVERGENCES = Path(__file__).with_name("conformance_divergences.txt")
SUITE_CONVENTIONS = {"pinyin_names": "initials"}
"""Where mspress has a setting for a contested point, the suite's choice: it abbreviates every given name, where
mspress's 2025 default prints a Chinese name in pinyin whole as the standard does (Wang Shanshan, B.5[8])."""


def options_for(path: Path) -> Options:
    match = re.search(r"(2015|2025)-(numeric|authoryear)", path.name)
    if not match:
        raise SystemExit(f"{path}: name must contain 2015|2025-numeric|authoryear")
    return Options(edition=int(match.group(1)), system="author-year" if match.group(2) == "authoryear" else "numeric",
                   **SUITE_CONVENTIONS)


def load_divergences(path: Path) -> dict[str, str]:
    found = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                key, _, reason = line.partition(" ")
                found[key] = reason.strip()
    return found


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def run_file(path: Path, divergences: dict[str, str], diffs: int, only: str | None) -> tuple[int, int, int, int]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    options = options_for(path)
    refs: list[Reference] = []
    broken = []
    for row in rows:
        found: dict[str, Reference] = {}
        problems: list = []
        parse_bibtex(row["bibtex"], Path(path.name), found, problems)
        if found:
            refs.append(next(iter(found.values())))
        else:
            broken.append(row["key"])
    formatted = {f.key: f.text for f in format_bibliography(refs, options, [r.key for r in refs])}
    exact = loose = diverged = 0
    shown = 0
    failing = []
    for row in rows:
        key, expected = row["key"], row["expected_text"]
        actual = formatted.get(key, "<unparsable>")
        if actual == expected:
            exact += 1
            continue
        if squash(actual) == squash(expected):
            loose += 1
        if key in divergences:
            diverged += 1
            continue
        failing.append(key)
        if (only is None or only == key) and shown < diffs:
            shown += 1
            print(f"--- {key}\n  expected: {expected}\n  actual:   {actual}")
            if only:
                print("  " + "\n  ".join(difflib.ndiff([expected], [actual])))
    total = len(rows)
    print(f"{path.name}: {exact}/{total} exact ({exact / total:.1%}), {exact + loose}/{total} after normalising whitespace "
          f"({(exact + loose) / total:.1%}); {diverged} listed divergences; {len(failing)} other failures")
    if failing:
        print("  failing: " + " ".join(failing))
    return exact, loose, diverged, total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--diffs", type=int, default=10, help="show at most this many differences per file")
    parser.add_argument("--key", help="show only this key")
    parser.add_argument("--divergences", type=Path, default=DIVERGENCES)
    args = parser.parse_args(argv)
    divergences = load_divergences(args.divergences)
    for path in args.paths:
        if not path.is_file():
            print(f"{path}: no such file", file=sys.stderr)
            return 2
        run_file(path, divergences, args.diffs, args.key)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
