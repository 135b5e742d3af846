"""Numbers computed once: citation numbers by first citation, compressed into ranges for printing.

The checker, the numbering report and every writer use ``number``'s result; nothing else decides a number.
"""
from __future__ import annotations

from collections.abc import Iterable

from mspress.errors import Location
from mspress.model import Citation, Numbering


def number(citations: Iterable[Citation], known: set[str]) -> Numbering:
    """Number known keys by first citation; the one numbering every writer and the checker use."""
    numbers: dict[str, int] = {}
    first: dict[str, Location] = {}
    counts: dict[str, int] = {}
    for citation in citations:
        for key in citation.keys:
            if key not in known:
                continue
            counts[key] = counts.get(key, 0) + 1
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                first[key] = citation.location
    return Numbering(numbers, first, counts)


def compress(numbers: Iterable[int], min_run: int = 2, sort: bool = True) -> list[tuple[int, int]]:
    """De-duplicated numbers as (first, last) runs of consecutive numbers, sorted unless ``sort`` is false
    (then runs are found in the written order); runs shorter than ``min_run`` stay single."""
    ordered = sorted(set(numbers)) if sort else list(dict.fromkeys(numbers))
    runs: list[tuple[int, int]] = []
    for n in ordered:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    result: list[tuple[int, int]] = []
    for first, last in runs:
        if last - first + 1 >= min_run:
            result.append((first, last))
        else:
            result.extend((n, n) for n in range(first, last + 1))
    return result


def format_runs(runs: list[tuple[int, int]], dash: str = "-") -> str:
    return ",".join(str(a) if a == b else f"{a}{dash}{b}" for a, b in runs)
