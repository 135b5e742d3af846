"""Golden cases: tests/fixtures/gbt7714/*.txt, one entry per file (header, ".", BibTeX, ".", expected)."""
from __future__ import annotations

from pathlib import Path

import pytest

from mspress.bibtex import parse_bibtex
from mspress.gbt7714 import Options, format_reference
from mspress.model import Reference

CASES = sorted((Path(__file__).parent / "fixtures" / "gbt7714").glob("*.txt"))


def read_case(path: Path) -> tuple[dict[str, str], str, str]:
    header, bib, expected = path.read_text(encoding="utf-8").split("\n.\n")
    settings = dict(line.split(": ", 1) for line in header.splitlines() if not line.startswith("#"))
    return settings, bib, expected.strip()


def options_for(settings: dict[str, str]) -> Options:
    flags = dict(item.split("=") for item in settings.get("options", "").split())
    return Options(edition=int(settings["style"].rsplit("-", 1)[1]),
                   print_doi=flags.get("print_doi", "true") == "true",
                   short_journal=flags.get("short_journal", "false") == "true")


def parse_one(bib: str) -> Reference:
    found: dict[str, Reference] = {}
    problems: list = []
    parse_bibtex(bib, Path("case.bib"), found, problems)
    assert not problems and len(found) == 1
    return next(iter(found.values()))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden_reference(path: Path, update_golden: bool) -> None:
    settings, bib, expected = read_case(path)
    actual = format_reference(parse_one(bib), options_for(settings)).text
    if update_golden and actual != expected:
        head, body, _ = path.read_text(encoding="utf-8").split("\n.\n")
        path.write_text(f"{head}\n.\n{body}\n.\n{actual}\n", encoding="utf-8")
        return
    assert actual == expected


def test_html_links_doi_and_escapes_markup() -> None:
    ref = parse_one("@article{x, author={A, B}, title={Less <than> more}, journal={J}, year={2020}, doi={10.1/x}}")
    html = format_reference(ref, Options()).html
    assert "Less &lt;than&gt; more" in html
    assert '<a href="https://doi.org/10.1/x">10.1/x</a>' in html


def test_title_links_to_doi_when_doi_is_not_printed() -> None:
    ref = parse_one("@article{x, author={A, B}, title={T}, journal={J}, year={2020}, doi={10.1/x}}")
    formatted = format_reference(ref, Options(print_doi=False))
    assert "DOI" not in formatted.text
    assert '<a href="https://doi.org/10.1/x">T</a>' in formatted.html
