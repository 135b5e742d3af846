"""Golden cases: tests/fixtures/gbt7714/*.txt, one entry per file (header, ".", BibTeX or CSL-JSON, ".", expected).

A header line ``input: csl-json`` reads the entry as a CSL-JSON item; ``options:`` sets the engine's options.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from mspress.model import Reference
from mspress.sources.bibtex import link_entries, parse_bibtex
from mspress.styles.gbt7714 import Options, author_year_labels, format_bibliography, format_reference

CASES = sorted((Path(__file__).parent / "fixtures" / "gbt7714").glob("*.txt"))


def read_case(path: Path) -> tuple[dict[str, str], str, str]:
    header, bib, expected = path.read_text(encoding="utf-8").split("\n.\n")
    settings = dict(line.split(": ", 1) for line in header.splitlines() if not line.startswith("#"))
    return settings, bib, expected.strip()


def options_for(settings: dict[str, str]) -> Options:
    flags = dict(item.split("=") for item in settings.get("options", "").split())
    return Options(edition=int(settings["style"].rsplit("-", 1)[1]),
                   system=flags.get("system", "numeric"),
                   print_doi=flags.get("print_doi", "true") == "true",
                   short_journal=flags.get("short_journal", "false") == "true",
                   bilingual=flags.get("bilingual", "false") == "true",
                   title_case=flags.get("title_case", "by-format"),
                   pinyin_names=flags.get("pinyin_names"))


def parse_one(bib: str, csl_json: bool = False) -> Reference:
    """The last entry of ``bib`` (earlier ones are parents it names), with its crossref/set links resolved."""
    found: dict[str, Reference] = {}
    problems: list = []
    if csl_json:
        from mspress.sources.csljson import parse_csl_json

        parse_csl_json(bib, Path("case.json"), found, problems)
    else:
        parse_bibtex(bib, Path("case.bib"), found, problems)
        link_entries(found, problems)
    assert not problems and found
    return list(found.values())[-1]


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden_reference(path: Path, update_golden: bool) -> None:
    settings, bib, expected = read_case(path)
    actual = format_bibliography([parse_one(bib, settings.get("input") == "csl-json")], options_for(settings))[0].text
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


def parse_many(bib: str) -> list[Reference]:
    found: dict[str, Reference] = {}
    parse_bibtex(bib, Path("case.bib"), found, [])
    return list(found.values())


def test_author_year_suffixes_follow_citation_order() -> None:
    refs = parse_many("@book{b, author={王五}, title={乙}, year={2012}}\n@book{a, author={王五}, title={甲}, year={2012}}\n"
                      "@book{c, author={王五 and 赵六}, title={丙}, year={2012}}")
    labels = author_year_labels(refs, Options(system="author-year"), cited=["a", "b", "c"])
    assert labels == {"a": ("王五", "2012a"), "b": ("王五", "2012b"), "c": ("王五 等", "2012")}


def test_author_year_list_sorts_chinese_by_pinyin_then_western() -> None:
    refs = parse_many("@book{z, author={张三}, title={书}, year={2001}}\n@book{l, author={李四}, title={书}, year={2001}}\n"
                      "@book{s, author={Smith, J.}, title={Book}, year={2001}}\n@book{a, author={Adams, K.}, title={Book}, year={2001}}")
    order = [f.key for f in format_bibliography(refs, Options(system="author-year"))]
    assert order == ["l", "z", "a", "s"]


def test_csl_json_items_format_like_bibtex(tmp_path: Path) -> None:
    from mspress.sources.csljson import parse_csl_json

    text = ('[{"id": "frese2013", "type": "article-journal", "title": "Next-generation sequencing", '
            '"container-title": "Biology", "volume": "2", "issue": "1", "page": "378-398", "DOI": "10.3390/biology2010378", '
            '"issued": {"date-parts": [[2013, 3, 1]]}, "language": "en", '
            '"author": [{"family": "Frese", "given": "Karen S."}, {"literal": "WHO"}]}]')
    found: dict[str, Reference] = {}
    parse_csl_json(text, Path("lib.json"), found, [])
    assert format_reference(found["frese2013"], Options()).text == \
        "FRESE K S, WHO. Next-generation sequencing[J/OL]. Biology, 2013, 2(1): 378-398. DOI:10.3390/biology2010378."
    assert str(found["frese2013"].location) == "lib.json:1:3"


def test_malformed_csl_json_names_line_and_column() -> None:
    from mspress.sources.csljson import parse_csl_json

    problems: list = []
    parse_csl_json('[{"id": "a",\n  "title": }]', Path("lib.json"), {}, problems)
    assert str(problems[0]).startswith("lib.json:2:12: error: malformed CSL-JSON: Expecting value")


def test_refs_command_json(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    import json

    bib = tmp_path / "lib.bib"
    bib.write_text("@article{a, author={于潇 and 刘义}, title={标题}, journal={学报}, year={2012}, volume={52}, pages={1--2}}\n"
                   "@article{b, title={broken, year={2012}}\n", encoding="utf-8")
    code, out, err = cli("refs", str(bib), "--style", "gb7714-2025", "--format", "json", "-C", str(tmp_path))
    assert code == 1
    assert json.loads(out) == [{"key": "a", "text": "于潇，刘义. 标题[J]. 学报，2012，52：1-2.", "html": "于潇，刘义. 标题[J]. 学报，2012，52：1-2."}]
    assert err.startswith(f"{bib}:2:1: error: malformed BibTeX entry 'b'")


def test_refs_command_text_is_numbered_in_file_order(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    bib = tmp_path / "lib.bib"
    bib.write_text("@book{z, author={Zhang, San}, title={Zeta}, publisher={P}, year={2001}}\n"
                   "@book{a, author={Adams, K.}, title={Alpha}, publisher={P}, year={2001}}\n", encoding="utf-8")
    code, out, _ = cli("refs", str(bib), "-C", str(tmp_path))
    assert (code, out) == (0, "[1] ZHANG S. Zeta[M]. P, 2001.\n[2] ADAMS K. Alpha[M]. P, 2001.\n")
    assert cli("refs", str(tmp_path / "missing.bib"))[0] == 2


def test_csl_json_titles_keep_their_case_unless_asked_and_nocase_spans_protect() -> None:
    from mspress.sources.csljson import parse_csl_json

    found: dict[str, Reference] = {}
    parse_csl_json('[{"id": "k", "type": "book", "title": "A History of <span class=\\"nocase\\">Jiangnan</span> Gardens", '
                   '"publisher": "P", "issued": {"date-parts": [[2001]]}}]', Path("lib.json"), found, [])
    # CSL stores titles in sentence case already: by default they are printed as stored.
    assert format_reference(found["k"], Options()).text == "A History of Jiangnan Gardens[M]. P, 2001."
    assert format_reference(found["k"], Options(title_case="sentence")).text == "A history of Jiangnan gardens[M]. P, 2001."


def test_author_year_reads_a_polyphonic_surname_as_a_surname() -> None:
    """曾 is Zeng as a surname (its first reading is ceng): after 李 and before 张."""
    refs = parse_many("@book{z, author={张三}, title={书}, year={2001}}\n@book{c, author={曾小明}, title={书}, year={2001}}\n"
                      "@book{l, author={李四}, title={书}, year={2001}}")
    assert [f.key for f in format_bibliography(refs, Options(system="author-year"))] == ["l", "c", "z"]


def test_sorting_by_pinyin_does_not_import_pypinyin() -> None:
    """pypinyin's import (its phrase dictionary, 0.16 s or more) is not paid: its character table is read directly."""
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from mspress.sources.bibtex import parse_bibtex; "
            "from mspress.styles.gbt7714 import Options, format_bibliography; found = {}; "
            "parse_bibtex('@book{a, author={张三}, title={书}, year={2001}}', Path('x.bib'), found, []); "
            "format_bibliography(list(found.values()), Options(system='author-year')); print('pypinyin' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).parent.parent)
    assert result.stdout.strip() == "False"


def test_refs_resolves_crossrefs_within_the_file(tmp_path: Path) -> None:
    from mspress.cli import main

    bib = tmp_path / "lib.bib"
    bib.write_text("@proceedings{p, title = {Proceedings of the IEEE Conference}, address = {Las Vegas}, publisher = {IEEE}, year = {2016}}\n"
                   "@inproceedings{c, author = {He, Kaiming}, title = {Deep Residual Learning}, pages = {770--778}, crossref = {p}}\n",
                   encoding="utf-8")
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["refs", str(bib), "-C", str(tmp_path)]) == 0
    assert "[2] HE K. Deep residual learning[C]//Proceedings of the IEEE Conference. Las Vegas: IEEE, 2016: 770-778." in out.getvalue()


@pytest.mark.parametrize(("title", "printed"), [
    ("Deep learning in China", "Deep learning in China"),  # a tie, no braces: sentence case already
    ("Treatment of Parkinson disease", "Treatment of Parkinson disease"),
    ("The {NASA} mission to Mars", "The NASA mission to Mars"),  # braces around an acronym are no Title Case sign
    ("The Genome of {Eucalyptus} grandis", "The genome of Eucalyptus grandis"),  # a braced capitalised word is
    ("The Art of War", "The art of war"),
])
def test_sentence_case_reads_the_title_as_written(title: str, printed: str) -> None:
    from mspress.styles.gbt7714.text import sentence_case

    assert sentence_case(title) == printed


@pytest.mark.parametrize(("given", "printed"), [("Shanshan", "Wang Shanshan"), ("Jiang Ning", "Wang Jiangning"),
                                                ("Susan", "Wang S"), ("Mike", "Wang M"), ("Helen", "Wang H"), ("Kevin", "Wang K")])
def test_only_pinyin_given_names_print_whole_in_2025(given: str, printed: str) -> None:
    ref = parse_one(f"@book{{w, author = {{Wang, {given}}}, title = {{T}}, publisher = {{P}}, year = {{2020}}}}")
    assert format_reference(ref, Options(edition=2025)).text.startswith(printed + ". ")


@pytest.mark.parametrize("order", ["child first", "parents first"])
def test_nested_xdata_is_inherited_whatever_the_order(order: str) -> None:
    child = "@article{x1, author = {Lee, K.}, title = {T}, xdata = {x2}}\n"
    parents = "@xdata{x2, journal = {J X}, year = {2010}, xdata = {x3}}\n@xdata{x3, volume = {5}}\n"
    found: dict[str, Reference] = {}
    problems: list = []
    parse_bibtex(child + parents if order == "child first" else parents + child, Path("x.bib"), found, problems)
    link_entries(found, problems)
    assert not problems
    assert format_reference(found["x1"], Options()).text == "LEE K. T[J]. J X, 2010, 5."


def test_links_keep_placeholders_and_report_loops_and_empty_sets() -> None:
    found: dict[str, Reference] = {}
    problems: list = []
    parse_bibtex("@inproceedings{c, title = {P}, crossref = {pp}, pages = {0--0}}\n@proceedings{pp, title = {Proc}, year = {2001}}\n"
                 "@book{a, title = {A}, crossref = {b}}\n@book{b, title = {B}, crossref = {a}, pages = {1--2}}\n@set{s}\n",
                 Path("x.bib"), found, problems)
    link_entries(found, problems)
    assert found["c"].placeholders == {"pages": "0--0"}
    messages = [p.message for p in problems]
    assert any("loop (a → b → a)" in m for m in messages) and any("a @set needs entryset" in m for m in messages)
    assert "pages" not in found["a"].fields, "a loop passes nothing on"
    assert not found["s"].printable


@pytest.mark.parametrize("value", ["\\(" * 20000, "$" + "^{" * 2000 + "x" + "}" * 2000 + "$", "x" + " " * 50000 + "y", "a-" * 20000])
def test_hostile_values_take_linear_time(value: str) -> None:
    import time

    start = time.perf_counter()
    ref = parse_one("@article{h, title = {" + value + "}, journal = {" + value + "}, address = {" + value + "}, year = {2020},\n"
                    "  note = {page:" + value + "}}")
    format_reference(ref, Options())
    format_reference(ref, Options(edition=2025))
    assert time.perf_counter() - start < 10  # about 2 s on 2 cores: quadratic would be minutes
