from pathlib import Path

import pytest

from mspress.citations.keys import locator_text, split_known
from mspress.citations.numbering import compress, format_runs, number
from mspress.citations.reader import read_citations
from mspress.model import Citation, SourceText
from mspress.sources.markdown import parse_parts

KNOWN = {"a", "b", "c", "d", "smith2019", "fig:flow"}


def part(text: str) -> SourceText:
    return SourceText("01-body", Path("manuscript/01-body.md"), text)


def extract(source: SourceText, known: set[str]) -> list[Citation]:
    """The citations pandoc's parse of one file holds, as the check and the build read them."""
    _, parts = parse_parts([source]).result()
    return read_citations(parts, known).citations


def keys(text: str) -> list[tuple[str, ...]]:
    return [c.keys for c in extract(part(text), KNOWN)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("见[@a]。", [("a",)]),
        ("多篇[@a; @b, p. 5; @c]。", [("a", "b", "c")]),
        ("文献@smith2019等指出", [("smith2019",)]),
        ("如@fig:flow所示", []),
        ("mail me: someone@a.org", []),
        ("`[@a]` and\n\n```\n[@b]\n```\n", []),
        (r"escaped \[@a\] and \@b", [("a",)]),
        ("[see @a, pp. 3-4]", [("a",)]),
        ("[Title/Abstract] and [MeSH Terms]", []),
        ("[link](http://x.org/@a) and <http://y.org/@b> and https://z.org/@c", []),
    ],
)
def test_extract_finds_citations_as_pandoc_would(text: str, expected: list[tuple[str, ...]]) -> None:
    assert keys(text) == expected


def test_locations_are_one_based_line_and_column() -> None:
    citations = extract(part("第一行\n第二行引用[@b]。\n"), KNOWN)
    assert str(citations[0].location) == "manuscript/01-body.md:2:6"


def test_split_known_separates_chinese_glued_to_a_key() -> None:
    assert split_known("fig:flow所示", KNOWN) == ("fig:flow", "所示")
    assert split_known("smith2019等", KNOWN) == ("smith2019", "等")
    assert split_known("unknown等", KNOWN) == ("unknown", "等")


def test_numbering_follows_first_citation_and_counts_repeats() -> None:
    citations = extract(part("[@c] [@a; @c] @b [@a]"), KNOWN)
    numbering = number(citations, KNOWN)
    assert numbering.numbers == {"c": 1, "a": 2, "b": 3}
    assert numbering.counts == {"c": 2, "a": 2, "b": 1}
    assert str(numbering.first_citation["b"]) == "manuscript/01-body.md:1:15"


def test_unknown_keys_get_no_number() -> None:
    numbering = number(extract(part("[@zzz; @a]"), KNOWN), KNOWN)
    assert numbering.numbers == {"a": 1}


@pytest.mark.parametrize(
    "numbers, min_run, expected",
    [
        ([4, 5, 6, 7], 2, "4-7"),
        ([20, 21], 2, "20-21"),
        ([20, 21], 3, "20,21"),
        ([1, 3, 4, 5, 8], 2, "1,3-5,8"),
        ([5, 3, 4], 2, "3-5"),
        ([2, 2], 2, "2"),
    ],
)
def test_compress_ranges(numbers: list[int], min_run: int, expected: str) -> None:
    assert format_runs(compress(numbers, min_run)) == expected


@pytest.mark.parametrize("suffix, page", [(", p. 25", "25"), (", pp. 4-7", "4-7"), ("，第25页", "25"), (", 33", "33"), ("", "")])
def test_locator_text(suffix: str, page: str) -> None:
    assert locator_text(suffix) == page


def test_compress_in_written_order() -> None:
    assert format_runs(compress([5, 6, 7, 2], 2, sort=False)) == "5-7,2"
    assert format_runs(compress([2, 1, 3], 2, sort=False)) == "2,1,3"
