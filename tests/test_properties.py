"""Properties that hold for every input, tried by hypothesis: range compression, numbering by first citation,
citation marks read back by editor mode, and the readers of user files never raising anything but a user error."""
from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mspress.checks.editor import check_document
from mspress.citations.numbering import compress, format_runs, number
from mspress.errors import Location, ManuscriptError
from mspress.model import Citation, Reference
from mspress.sources.editor_files import Line

numbers = st.lists(st.integers(min_value=1, max_value=300), min_size=1, max_size=40)


def expand(runs: list[tuple[int, int]]) -> list[int]:
    return [n for first, last in runs for n in range(first, last + 1)]


@given(numbers, st.sampled_from([2, 3]))
def test_compressed_runs_stand_for_exactly_the_numbers(values: list[int], min_run: int) -> None:
    runs = compress(values, min_run)
    assert expand(runs) == sorted(set(values))
    for (_, b), (c, _) in zip(runs, runs[1:], strict=False):
        assert b < c, "ordered and disjoint"
    for first, last in runs:
        assert first == last or last - first + 1 >= min_run
    if min_run == 2:
        assert all(c > b + 1 for (_, b), (c, _) in zip(runs, runs[1:], strict=False)), "neighbours are merged"


@given(numbers, st.sampled_from([2, 3]))
def test_unsorted_compression_keeps_the_written_order(values: list[int], min_run: int) -> None:
    runs = compress(values, min_run, sort=False)
    assert expand(runs) == list(dict.fromkeys(values))


keys = st.text(alphabet="abcdefghij", min_size=1, max_size=3)


@given(st.lists(st.lists(keys, min_size=1, max_size=5), min_size=1, max_size=30))
def test_numbers_follow_first_citation(groups: list[list[str]]) -> None:
    citations = [Citation(tuple(g), ("",) * len(g), False, Location(Path("x.md"), i + 1), "x") for i, g in enumerate(groups)]
    known = {k for g in groups for k in g}
    numbering = number(citations, known)
    order = list(dict.fromkeys(k for g in groups for k in g))
    assert [numbering.numbers[k] for k in order] == list(range(1, len(order) + 1))
    assert sum(numbering.counts.values()) == sum(len(g) for g in groups)
    assert all(numbering.first_citation[k].line == next(i + 1 for i, g in enumerate(groups) if k in g) for k in order)


@given(st.lists(numbers, min_size=1, max_size=20))
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_printed_marks_read_back_in_editor_mode(groups: list[list[int]]) -> None:
    """What mspress prints ([1-3,5]) editor mode reads as the same numbers."""
    highest = max(n for g in groups for n in g)
    lines = [Line(i + 1, f"句子[{format_runs(compress(g))}]。") for i, g in enumerate(groups)]
    listed = [Line(len(lines) + 1, "参考文献")] + [Line(len(lines) + 2 + n, f"[{n}] 作者. 题名{n}[J]. 期刊, 2020.") for n in range(1, highest + 1)]
    report = check_document(lines + listed, Path("x.txt"))
    read = {row.number: row.count for row in report.table}
    for n in range(1, highest + 1):
        assert read.get(n, 0) == sum(n in set(g) for g in groups)


@given(st.text(alphabet=st.sampled_from(list("[]［］,，、-–~～0123456789 文献参考ab\n^")), max_size=400))
@settings(max_examples=300)
def test_editor_mode_takes_any_text(text: str) -> None:
    lines = [Line(i + 1, line) for i, line in enumerate(text.split("\n"))]
    report = check_document(lines, Path("x.txt"))
    assert all(d.location.line >= 1 for d in report.diagnostics)


@given(st.text(max_size=300))
@settings(max_examples=300)
def test_the_yaml_reader_raises_only_user_errors(text: str) -> None:
    from mspress.sources.metadata import load_metadata

    try:
        load_metadata(text, Path("manuscript/metadata.yaml"))
    except ManuscriptError:
        pass


bib_pieces = st.sampled_from(["@article{", "@string{", "@comment{", "}", "{", ",", "=", "author", "title", " and ", "~", "\\", "\\'",
                              "{\\", "$", "^", "_", "key", "2020", "\"", "#", "%", "\n", "张三", "crossref", "=k", "@set{", "others"])


@given(st.lists(bib_pieces, max_size=60).map("".join))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_the_bibtex_reader_raises_only_user_errors(text: str) -> None:
    from mspress.sources.bibtex import parse_bibtex
    from mspress.styles.gbt7714 import format_reference
    from mspress.styles.gbt7714.options import Options

    references: dict[str, Reference] = {}
    try:
        parse_bibtex(text, Path("references/x.bib"), references, [])
        for reference in references.values():
            format_reference(reference, Options())
    except ManuscriptError:
        pass
