"""Measure editor mode's GB/T 7714 format check (``check FILE --style …``) on the standards' own examples.

Usage: python scripts/format_check_eval.py [CONFORMANCE_DIR] [--json] [--verbose]

For each edition the numeric examples (``2015-numeric.jsonl``, ``2025-numeric.jsonl`` from
../shared/gbt7714/conformance/, kept outside this repository) are checked as typed:
- as printed, where every report on an entry is a false one. Some examples show one element, not an entry
  (``李时珍.``, ``北京：人民出版社，2013.``): their own data lacks what the standard requires of the type, and the
  check rightly calls them incomplete; they are counted apart. So are the suite's texts that mspress
  deliberately prints otherwise (scripts/conformance_divergences.txt, the printed standard agreeing with mspress);
- damaged in one way at a time (type code dropped, a fourth author instead of 等, the other edition's punctuation
  width, a URL without /OL, …), where a report with the damage's code on that entry is a find.
Prints reports on the correct examples, and per damage: entries damaged, found, the share found.
Exit status 0 when the data could be read (this measures; tests/test_format_check.py judges), 2 otherwise.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mspress.checks.editor import ListEntry  # noqa: E402
from mspress.checks.entry_format import check_entries  # noqa: E402
from mspress.errors import Location  # noqa: E402

DEFAULT_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "gbt7714" / "conformance"
DIVERGENCES = Path(__file__).with_name("conformance_divergences.txt")
CJK = re.compile(r"[\u3400-\u9fff]")
Damage = Callable[[str, int], str | None]
"""An entry's text and edition → the damaged text, or None when the damage does not apply to it."""


def _is_chinese(text: str) -> bool:
    return bool(CJK.search(text.split("[")[0]))


def drop_type_code(text: str, edition: int) -> str | None:
    damaged = re.sub(r"\[[A-Z]{1,2}(?:/[A-Z]{2})?\]", "", text, count=1)
    return damaged if damaged != text and not text.startswith(("GB", "ISO")) else None


def chapter_as_journal(text: str, edition: int) -> str | None:
    return re.sub(r"\[[MC](/OL)?\]//", r"[J\1]//", text, count=1) if re.search(r"\[[MC](/OL)?\]//", text) else None


_AUTHORS = re.compile(r"^(?P<authors>[^.]*?)(?P<sep>[，,] ?)(?P<et_al>等|et al)(?=[.，,])")


def four_authors(text: str, edition: int) -> str | None:
    m = _AUTHORS.match(text)
    fourth = "赵六" if m and m.group("et_al") == "等" else "Smith A"
    return text[:m.start("et_al")] + fourth + text[m.end("et_al"):] if m else None


def et_al_language(text: str, edition: int) -> str | None:
    m = _AUTHORS.match(text)
    other = "et al" if m and m.group("et_al") == "等" else "等"
    return text[:m.start("et_al")] + other + text[m.end("et_al"):] if m else None


def other_width(text: str, edition: int) -> str | None:
    if not _is_chinese(text):
        return None
    if edition == 2015:
        damaged = text.replace(", ", "，").replace(": ", "：")
    else:
        damaged = text.replace("，", ", ").replace("：", ": ")
    return damaged if damaged != text else None


def url_without_ol(text: str, edition: int) -> str | None:
    return re.sub(r"\[([A-Z]{1,2})/OL\]", r"[\1]", text, count=1) if "/OL]" in text and "http" in text else None


def no_access_date(text: str, edition: int) -> str | None:
    if "/OL]" not in text or (edition == 2025 and not re.search(r"\[(EB|DS|PP)/OL\]", text)):
        return None
    damaged = re.sub(r"[\[［]\d{4}-\d{2}-\d{2}[\]］]", "", text, count=1)
    return damaged if damaged != text else None


def comma_after_title(text: str, edition: int) -> str | None:
    damaged = re.sub(r"(\[[A-Z]{1,2}(?:/[A-Z]{2})?\])\. (?=\S)", r"\1, ", text, count=1)
    return damaged if damaged != text and "//" not in text else None


def given_name_first(text: str, edition: int) -> str | None:
    m = re.match(r"^([A-Z][A-Za-z'-]+) ([A-Z](?: [A-Z]){0,2})([,，.])", text)
    return f"{m.group(2)} {m.group(1)}{m.group(3)}{text[m.end():]}" if m and not _is_chinese(text) else None


def dotted_initials(text: str, edition: int) -> str | None:
    m = re.match(r"^([A-Z][A-Za-z]+) ([A-Z]) ([A-Z])([,，])", text)
    return f"{m.group(1)} {m.group(2)}. {m.group(3)}.{m.group(4)}{text[m.end():]}" if m and not _is_chinese(text) else None


def no_journal(text: str, edition: int) -> str | None:
    m = re.search(r"\[J\]\. ([^,，.]+)[,，] ?(\d{4})", text)
    return text[:m.start(1)] + text[m.start(2):] if m else None


def no_publisher(text: str, edition: int) -> str | None:
    m = re.search(r"\[M\]\. ([^.:：]+)[:：] ?([^.,，]+)[,，] ?(\d{4})", text)
    return text[:m.start(1)] + text[m.start(3):] if m and "//" not in text else None


DAMAGES: dict[str, tuple[Damage, str]] = {
    "type code dropped": (drop_type_code, "entry-type-code"),
    "chapter typed as [J]//": (chapter_as_journal, "entry-type-code"),
    "four authors, no 等/et al.": (four_authors, "entry-et-al"),
    "等 and et al. swapped": (et_al_language, "entry-et-al"),
    "the other edition's punctuation width": (other_width, "entry-punctuation"),
    "URL without /OL": (url_without_ol, "entry-online"),
    "access date dropped": (no_access_date, "entry-online"),
    "comma after the type code": (comma_after_title, "entry-separators"),
    "given name first": (given_name_first, "entry-names"),
    "dots after initials": (dotted_initials, "entry-names"),
    "journal dropped": (no_journal, "missing-field"),
    "place and publisher dropped": (no_publisher, "missing-field"),
}


def examples(directory: Path, edition: int) -> tuple[list[str], list[str]]:
    """The examples that are whole entries, and those that show one element (or that mspress prints otherwise)."""
    from mspress.model import Reference
    from mspress.sources.bibtex import parse_bibtex
    from mspress.styles.gbt7714.fields import missing_fields

    divergent = {line.split()[0] for line in DIVERGENCES.read_text(encoding="utf-8").splitlines() if line.strip()}
    entries, elements = [], []
    for line in (directory / f"{edition}-numeric.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        pair = json.loads(line)
        found: dict[str, Reference] = {}
        parse_bibtex(pair["bibtex"], Path("suite.bib"), found, [])
        whole = all(not missing_fields(r.entry_type, r.fields, r.names) for r in found.values())
        (entries if whole and pair["key"] not in divergent else elements).append(pair["expected_text"])
    return entries, elements


def reports(texts: list[str], edition: int) -> list[list[tuple[str, str]]]:
    """Each text's reports as (code, message)."""
    entries = [ListEntry(n, text, Location(Path("list.txt"), n, 1)) for n, text in enumerate(texts, 1)]
    found: list[list[tuple[str, str]]] = [[] for _ in texts]
    for diagnostic in check_entries(entries, f"gb7714-{edition}"):
        found[diagnostic.location.line - 1].append((diagnostic.code, diagnostic.message))
    return found


def measure(directory: Path) -> dict[str, object]:
    result: dict[str, object] = {}
    for edition in (2015, 2025):
        texts, elements = examples(directory, edition)
        clean = reports(texts, edition)
        false = [(texts[i], r) for i, r in enumerate(clean) if r]
        element_reports = sum(1 for r in reports(elements, edition) if r)
        damages = {}
        for name, (damage, code) in DAMAGES.items():
            pairs = [(t, d) for t in texts if (d := damage(t, edition)) is not None and d != t]
            # Each damaged entry among two correct ones, as one slip in a list is met.
            mixed = [x for i, (_, d) in enumerate(pairs) for x in (d, texts[(2 * i) % len(texts)], texts[(2 * i + 1) % len(texts)])]
            found = reports(mixed, edition)[::3]
            hits = [code in {c for c, _ in r} for r in found]
            misses = [(d, r) for (_, d), r, hit in zip(pairs, found, hits, strict=True) if not hit]
            damages[name] = {"code": code, "damaged": len(pairs), "found": sum(hits), "misses": misses}
        total = sum(int(str(v["damaged"])) for v in damages.values())
        hit_total = sum(int(str(v["found"])) for v in damages.values())
        result[str(edition)] = {"examples": len(texts), "reports_on_correct": false, "damages": damages,
                                "element_examples": len(elements), "element_examples_reported": element_reports,
                                "damaged": total, "found": hit_total}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="list each false report and each miss")
    args = parser.parse_args(argv)
    if not (args.directory / "2015-numeric.jsonl").exists():
        print(f"{args.directory}: no conformance files here", file=sys.stderr)
        return 2
    result = measure(args.directory)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    for edition, data in result.items():
        assert isinstance(data, dict)
        false = data["reports_on_correct"]
        print(f"GB/T 7714-{edition}: {data['examples']} entries as printed, {len(false)} with reports; "
              f"{data['element_examples_reported']} of {data['element_examples']} element examples called incomplete")
        for text, found in false if args.verbose else []:
            print(f"    {text}\n      {found}")
        for name, row in data["damages"].items():
            share = row["found"] / row["damaged"] if row["damaged"] else 1.0
            print(f"  {name:40} {row['found']:4}/{row['damaged']:<4} {share:6.1%}  [{row['code']}]")
            for text, found in row["misses"][:5] if args.verbose else []:
                print(f"      miss: {text}\n            {found}")
        share = data["found"] / data["damaged"] if data["damaged"] else 1.0
        print(f"  {'all damages':40} {data['found']:4}/{data['damaged']:<4} {share:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
