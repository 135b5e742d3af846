"""Measure the reader of typed reference entries by the round trip: typed text → Reference → the engine → text.

Usage: python scripts/typed_roundtrip.py [PATH...] [--failures] [--key KEY]

Each PATH is a JSON-lines file of the GB/T 7714 conformance suite (``2015-numeric.jsonl``…; default: every file of
../shared/gbt7714/conformance/). Each ``expected_text`` is read by ``mspress.sources.typed_references`` as one
typed list (the list decides its citation system, as ``mspress refs --from-text`` does), the parsed references are
formatted by mspress's GB/T 7714 engine in the file's edition and system as one bibliography cited in file order
(as scripts/conformance.py runs the engine, ``SUITE_CONVENTIONS`` included), and each result is compared with
``expected_text``. Prints per file: entries, exact round trips, and apart from them the entries whose original
BibTeX the engine itself does not format into ``expected_text`` (where a round trip is not to be expected).
``--failures`` lists every entry that does not come back, with what came back.
Exit status: 0 when the files could be read, 2 otherwise.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mspress.errors import Location  # noqa: E402
from mspress.model import Reference  # noqa: E402
from mspress.sources.bibtex import parse_bibtex  # noqa: E402
from mspress.sources.typed_references import ParsedEntry, parse_entries  # noqa: E402
from mspress.styles.gbt7714 import format_bibliography  # noqa: E402
from scripts.conformance import options_for  # noqa: E402

SUITE = Path(__file__).resolve().parent.parent.parent / "shared" / "gbt7714" / "conformance"


@dataclass
class FileResult:
    name: str
    total: int
    exact: int
    engine_misses: int
    """Entries whose BibTeX the engine itself does not format into ``expected_text``."""
    failures: list[tuple[str, str, str, bool]]
    """(key, expected, round trip, engine itself right)."""
    parse_seconds: float

    @property
    def ratio(self) -> float:
        return self.exact / self.total if self.total else 1.0


def run_file(path: Path) -> FileResult:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    options = options_for(path)
    keys = [row["key"] for row in rows]
    started = time.perf_counter()
    parsed: list[ParsedEntry] = parse_entries((row["expected_text"], row["key"], Location(Path(path.name), i + 1))
                                              for i, row in enumerate(rows))
    parse_seconds = time.perf_counter() - started
    round_trip = {f.key: f.text for f in format_bibliography([p.reference for p in parsed], options, keys)}
    originals: list[Reference] = []
    for row in rows:
        found: dict[str, Reference] = {}
        parse_bibtex(row["bibtex"], Path(path.name), found, [])
        originals.extend(found.values())
    engine = {f.key: f.text for f in format_bibliography(originals, options, keys)}
    exact = 0
    failures = []
    for row in rows:
        key, expected = row["key"], row["expected_text"]
        if round_trip.get(key) == expected:
            exact += 1
        else:
            failures.append((key, expected, round_trip.get(key, "<missing>"), engine.get(key) == expected))
    misses = sum(1 for row in rows if engine.get(row["key"]) != row["expected_text"])
    return FileResult(path.name, len(rows), exact, misses, failures, parse_seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--failures", action="store_true", help="list every entry that does not come back")
    parser.add_argument("--key", help="show only this key's failure")
    args = parser.parse_args(argv)
    paths = args.paths or sorted(SUITE.glob("*.jsonl"))
    if not paths:
        print(f"{SUITE}: no conformance files", file=sys.stderr)
        return 2
    for path in paths:
        if not path.is_file():
            print(f"{path}: no such file", file=sys.stderr)
            return 2
        result = run_file(path)
        both = sum(1 for _, _, _, engine_right in result.failures if not engine_right)
        print(f"{result.name}: {result.exact}/{result.total} exact round trips ({result.ratio:.1%}); the engine alone misses "
              f"{result.engine_misses} (of them not coming back: {both}); parsed in {result.parse_seconds * 1000:.0f} ms")
        if args.failures or args.key:
            for key, expected, actual, engine_right in result.failures:
                if args.key and key != args.key:
                    continue
                mark = "" if engine_right else " (the engine alone misses it too)"
                print(f"--- {key}{mark}\n  typed:      {expected}\n  round trip: {actual}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
