"""Other styles through citeproc-py: a profile's ``csl = "…"`` formats the list and the marks, on mspress's numbering.

The styles are the CSL repository's own (tests/fixtures/csl/SOURCES.md); the examples they are measured on are the
style guides' published ones, typed in as BibTeX (``nlm-examples.bib``, ``apa-examples.bib``).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from mspress.errors import ConfigError
from mspress.sources.bibtex import parse_bibtex
from mspress.styles.csl.engine import format_with_style
from mspress.styles.csl.patches import last_page
from mspress.styles.csl.style import check_style
from tests.conftest import FIXTURES, REPO

Cli = Callable[..., tuple[int, str, str]]
CSL = FIXTURES / "csl"

# --- measured on the styles' published examples --------------------------------------------------------------

NLM_SOURCE = "NLM, Samples of Formatted References for Authors of Journal Articles (ICMJE Recommendations), https://www.nlm.nih.gov/bsd/uniform_requirements.html"
NLM = {
    # key: (the published text, why mspress's output differs if it does)
    "halpern2002": ("Halpern SD, Ubel PA, Caplan AL. Solid-organ transplantation in HIV-infected patients. N Engl J Med. "
                    "2002 Jul 25;347(4):284-7.", "dash"),
    "rose2002": ("Rose ME, Huerbin MB, Melick J, Marion DW, Palmer AM, Schiding JK, et al. Regulation of interstitial excitatory "
                 "amino acid concentrations after cortical contusion injury. Brain Res. 2002;935(1-2):40-6.", "dash"),
    "murray2002": ("Murray PR, Rosenthal KS, Kobayashi GS, Pfaller MA. Medical microbiology. 4th ed. St. Louis: Mosby; 2002.", ""),
    "meltzer2002": ("Meltzer PS, Kallioniemi A, Trent JM. Chromosome alterations in human solid tumors. In: Vogelstein B, "
                    "Kinzler KW, editors. The genetic basis of human cancer. New York: McGraw-Hill; 2002. p. 93-113.", "dash"),
    "christensen2002": ("Christensen S, Oppacher F. An analysis of Koza's computational effort statistic for genetic programming. "
                        "In: Foster JA, Lutton E, Miller J, Ryan C, Tettamanzi AG, editors. Genetic programming. EuroGP 2002: "
                        "Proceedings of the 5th European Conference on Genetic Programming; 2002 Apr 3-5; Kinsdale, Ireland. "
                        "Berlin: Springer; 2002. p. 182-91.", "the style prints no event date or place (its own TODO)"),
    "borkowski2002": ("Borkowski MM. Infant sleep and feeding: a telephone survey of Hispanic Americans [dissertation]. "
                      "Mount Pleasant (MI): Central Michigan University; 2002.", "the style brackets a thesis's place: [Mount Pleasant (MI)]"),
    "cancerpain": ("Cancer-Pain.org [Internet]. New York: Association of Cancer Online Resources, Inc.; c2000-01 [updated 2002 May 16; "
                   "cited 2002 Jul 9]. Available from: http://www.cancer-pain.org/.", "CSL has no copyright or update date (c2000-01, [updated …])"),
}
APA_SOURCE = "Publication Manual of the American Psychological Association, 7th ed. (2020), chapter 10 (example numbers below)"
APA = {
    "mccauley2019": ("McCauley, S. M., & Christiansen, M. H. (2019). Language learning as language use: A crosslinguistic model of child "
                     "language development. Psychological Review, 126(1), 1–51. https://doi.org/10.1037/rev0000126", ""),  # example 1
    "guarino2017": ("Guarino, B. (2017, December 4). How will humanity react to alien life? Psychologists have some predictions. "
                    "The Washington Post. https://www.washingtonpost.com/news/speaking-of-science/wp/2017/12/04/how-will-humanity-"
                    "react-to-alien-life-psychologists-have-some-predictions", ""),  # example 16
    "brown2018": ("Brown, L. S. (2018). Feminist therapy (2nd ed.). American Psychological Association. "
                  "https://doi.org/10.1037/0000092-000", ""),  # example 20
    "balsam2019": ("Balsam, K. F., Martell, C. R., Jones, K. P., & Safren, S. A. (2019). Affirmative cognitive behavior therapy with "
                   "sexual and gender minority people. In G. Y. Iwamasa & P. A. Hays (Eds.), Culturally responsive cognitive behavior "
                   "therapy: Practice and supervision (2nd ed., pp. 287–314). American Psychological Association. "
                   "https://doi.org/10.1037/0000119-012", ""),  # example 38
    "nci2018": ("National Cancer Institute. (2018). Facing forward: Life after cancer treatment (NIH Publication No. 18-2424). U.S. "
                "Department of Health and Human Services, National Institutes of Health. "
                "https://www.cancer.gov/publications/patient-education/life-after-treatment.pdf",
                "citeproc-py's is-numeric takes 18-2424 for no number: no 'No.'"),  # example 50
    "evans2019": ("Evans, A. C., Jr., Garbarino, J., Bocanegra, E., Kinscherff, R. T., & Márquez-Greene, N. (2019, August 8–11). Gun "
                  "violence: An event on the power of community [Conference presentation]. APA 2019 Convention, Chicago, IL, United "
                  "States. https://convention.apa.org/2019-video", ""),  # example 63
    "cdc2018": ("Centers for Disease Control and Prevention. (2018, January 23). People at high risk of developing flu-related "
                "complications. https://www.cdc.gov/flu/about/disease/high_risk.htm", ""),  # example 111
}


def formatted(style_file: str, library: str) -> dict[str, str]:
    refs: dict = {}
    parse_bibtex((CSL / library).read_text(encoding="utf-8"), Path(library), refs, [])
    style = check_style((CSL / style_file).read_bytes(), CSL / style_file, Path(style_file))
    return {entry.key: entry.text for entry in format_with_style(style, list(refs.values())).entries}


def cases(examples: dict[str, tuple[str, str]]) -> list[object]:
    return [pytest.param(key, text, marks=[pytest.mark.xfail(reason=why, strict=True)] if why else [], id=key)
            for key, (text, why) in examples.items()]


@pytest.mark.parametrize(("key", "expected"), cases(NLM))
def test_nlm_vancouver_published_examples(key: str, expected: str) -> None:
    """Source: NLM_SOURCE. The en dash of a page range is the CSL locale's, not NLM's hyphen (marked ``dash``)."""
    assert formatted("nlm-citation-sequence.csl", "nlm-examples.bib")[key] == expected


@pytest.mark.parametrize(("key", "expected"), cases(APA))
def test_apa_published_examples(key: str, expected: str) -> None:
    """Source: APA_SOURCE."""
    assert formatted("apa.csl", "apa-examples.bib")[key] == expected


def test_measured_agreement_with_the_published_examples() -> None:
    """The figures the README gives: exact matches, and matches once an en dash counts as a hyphen."""
    for style, library, examples, exact, dashes in (("nlm-citation-sequence.csl", "nlm-examples.bib", NLM, 1, 4),
                                                    ("apa.csl", "apa-examples.bib", APA, 6, 6)):
        out = formatted(style, library)
        assert sum(out[k] == text for k, (text, _) in examples.items()) == exact, style
        assert sum(out[k].replace("–", "-") == text.replace("–", "-") for k, (text, _) in examples.items()) == dashes, style


def test_apa_italics_and_links_are_rich_text() -> None:
    refs: dict = {}
    parse_bibtex((CSL / "apa-examples.bib").read_text(encoding="utf-8"), Path("apa-examples.bib"), refs, [])
    style = check_style((CSL / "apa.csl").read_bytes(), CSL / "apa.csl", Path("apa.csl"))
    entry = {e.key: e for e in format_with_style(style, list(refs.values())).entries}["mccauley2019"]
    assert "<i>Psychological Review</i>, <i>126</i>(1), 1–51." in entry.html
    assert '<a href="https://doi.org/10.1037/rev0000126">https://doi.org/10.1037/rev0000126</a>' in entry.html


@pytest.mark.parametrize(("first", "last", "form", "printed"), [
    ("1", "10", "minimal", "10"), ("284", "287", "minimal", "7"), ("321", "328", "minimal-two", "28"), ("9", "15", "minimal-two", "15"),
    ("284", "7", "expanded", "287"), ("2787", "2816", "minimal", "816"), ("101", "108", "chicago", "8"), ("71", "72", "chicago", "72"),
    ("1496", "1504", "chicago-15", "1504"), ("1496", "1500", "chicago-16", "500"), ("12", "xiv", "minimal", "xiv"), ("284", "7", None, "7"),
])
def test_page_ranges_follow_the_specification(first: str, last: str, form: str | None, printed: str) -> None:
    """citeproc-py 0.11.1 printed 1-10 as 1–0 under ``minimal`` (mspress.styles.csl.patches)."""
    assert last_page(first, last, form) == printed


# --- building a project with a CSL style ----------------------------------------------------------------------

def with_style(root: Path, style: str = "nlm-citation-sequence.csl", where: str = "styles/vancouver.csl") -> Path:
    (root / where).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(CSL / style, root / where)
    (root / "pyproject.toml").write_text(f'[tool.mspress]\ncsl = "{where}"\n', encoding="utf-8")
    return root


def build_html(cli: Cli, root: Path, *extra: str) -> str:
    code, _, err = cli("build", "-C", str(root), "--format", "html", *extra)
    assert (code, err) == (0, ""), err
    return (root / "output" / "manuscript.html").read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).replace("&amp;", "&")


def marks(html: str) -> list[str]:
    return [text_of(m) for m in re.findall(r'<span class="cite(?:-inline|-ay)?">(.*?)</span>(?=</span>|[^<]*<)', html)]


def entries(html: str) -> list[tuple[str, str, str]]:
    """(key, label, text) of each reference entry."""
    found = re.findall(r'<div id="ref-(\w+)" class="reference"[^>]*>\s*<p>(?:<span class="ref-label">([^<]*)</span>)?(.*?)</p>', html)
    return [(key, label, text_of(body)) for key, label, body in found]


def test_numeric_style_marks_are_mspress_numbers_compressed(project: Callable[[str], Path], cli: Cli) -> None:
    """Vancouver's own brackets ( ), mspress's numbers, sorting and ranges (citeproc-py collapses nothing)."""
    html = build_html(cli, with_style(project("minimal")))
    assert marks(html) == ["(1)", "(1-3)", "(2)", "(3)25", "文献(3)"]
    assert '<span class="cite">(<a href="#ref-wang2020" id="cite-1">1</a>)</span>' in html, "on the line: the style is not superscript"
    assert entries(html) == [
        ("wang2020", "1.", "王五, 赵六. 深部脑刺激的研究进展. 中华神经科杂志. 2020;53(2):100–5."),
        ("smith2019", "2.", "Smith JA, Doe J, Roe R, Poe E. A study of DBS outcomes. J Neurol. 2019;12(3):1–10. doi:10.1000/xyz123"),
        ("lee2018", "3.", "Lee K. Neuromodulation. 2nd ed. New York: Springer; 2018."),
    ]


def test_numeric_marks_follow_the_journals_citation_form(project: Callable[[str], Path], cli: Cli) -> None:
    root = with_style(project("minimal"))
    (root / "pyproject.toml").write_text('[tool.mspress]\ncsl = "styles/vancouver.csl"\ncompress_min_run = 3\nrange_dash = "–"\n',
                                         encoding="utf-8")
    assert marks(build_html(cli, root))[1] == "(1–3)"
    (root / "manuscript" / "01-introduction.md").write_text("引用[@wang2020; @smith2019]。再引[@smith2019; @wang2020]。又见[@lee2018]。\n", encoding="utf-8")
    assert marks(build_html(cli, root))[:2] == ["(1,2)", "(1,2)"], "a run of two stays apart from 3 on; sorted"


def test_author_date_style_marks_and_list(project: Callable[[str], Path], cli: Cli) -> None:
    html = build_html(cli, with_style(project("minimal"), "apa.csl", "styles/apa.csl"))
    assert marks(html) == ["(王五 & 赵六, 2020)", "(Lee, 2018; Smith et al., 2019; 王五 & 赵六, 2020)", "Smith et al. (2019)",
                           "(Lee, 2018, p. 25)", "Lee (2018)"]
    assert [key for key, _, _ in entries(html)] == ["lee2018", "smith2019", "wang2020"], "the style's order: by author"
    assert all(label == "" for _, label, _ in entries(html))
    assert 'class="reference-list author-year"' in html
    assert "<p>Lee, K. (2018). <em>Neuromodulation</em> (2nd ed.). Springer.</p>" in html
    assert '(<a href="#ref-lee2018" id="cite-2">Lee, 2018</a>; <a href="#ref-smith2019">Smith et al., 2019</a>;' in html


APA_TEXT = """# 引言

Published works [@westinghouse2017; @adams2019; @shumway2015]. As @salas2020 found [@judge2012a]; see @judge2012b.
"""
APA_LIBRARY = """
@article{adams2019, author = {Adams, A. and Baker, B. and Cole, C.}, title = {One}, journaltitle = {J}, year = {2019}}
@article{shumway2015, author = {Shumway, S. and Shulman, T.}, title = {Two}, journaltitle = {J}, year = {2015}}
@article{westinghouse2017, author = {Westinghouse, W.}, title = {Three}, journaltitle = {J}, year = {2017}}
@article{salas2020, author = {Salas, E. and D'Agostino, P.}, title = {Four}, journaltitle = {J}, year = {2020}}
@article{judge2012a, author = {Judge, T. A. and Kammeyer-Mueller, J. D.}, title = {Alpha}, journaltitle = {J}, year = {2012}}
@article{judge2012b, author = {Judge, T. A. and Kammeyer-Mueller, J. D.}, title = {Beta}, journaltitle = {J}, year = {2012}}
"""


def test_apa_in_text_examples(project: Callable[[str], Path], cli: Cli) -> None:
    """APA 7th manual, 8.12, 8.17, 8.19: several works in the list's order; "and" in a sentence; 2012a/2012b."""
    root = with_style(project("minimal"), "apa.csl", "styles/apa.csl")
    (root / "manuscript" / "01-introduction.md").write_text(APA_TEXT, encoding="utf-8")
    (root / "references" / "library.bib").write_text(APA_LIBRARY, encoding="utf-8")
    html = build_html(cli, root)
    assert marks(html) == ["(Adams et al., 2019; Shumway & Shulman, 2015; Westinghouse, 2017)", "Salas and D'Agostino (2020)",
                           "(Judge & Kammeyer-Mueller, 2012a)", "Judge and Kammeyer-Mueller (2012b)"]
    listed = [text for _, _, text in entries(html)]
    assert "Judge, T. A., & Kammeyer-Mueller, J. D. (2012a). Alpha. J." in listed
    assert "Judge, T. A., & Kammeyer-Mueller, J. D. (2012b). Beta. J." in listed


def test_a_journal_profile_names_a_style_in_its_own_folder(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    journal = root / "journals" / "english-journal"
    journal.mkdir(parents=True)
    shutil.copy(CSL / "apa.csl", journal / "apa.csl")
    (journal / "profile.toml").write_text('name = "An English journal"\ncsl = "apa.csl"\n', encoding="utf-8")
    (root / "pyproject.toml").write_text('[tool.mspress]\njournal = "english-journal"\n', encoding="utf-8")
    assert "(Lee, 2018, p. 25)" in marks(build_html(cli, root))
    (root / "pyproject.toml").write_text('[tool.mspress]\njournal = "english-journal"\nstyle = "gb7714-2025"\n', encoding="utf-8")
    html = build_html(cli, root)
    assert "王五，赵六. 深部脑刺激的研究进展[J]." in text_of(html), "the project's style replaces the journal's CSL style"
    assert "Smith et al." not in text_of(html)


def test_the_command_lines_style_replaces_a_csl_style(project: Callable[[str], Path], cli: Cli) -> None:
    html = build_html(cli, with_style(project("minimal")), "--style", "gb7714-2015")
    assert "王五, 赵六. 深部脑刺激的研究进展[J]. 中华神经科杂志, 2020, 53(2): 100-105." in text_of(html)


def test_the_word_file_has_the_styles_marks_and_italics(project: Callable[[str], Path], cli: Cli) -> None:
    root = with_style(project("minimal"), "apa.csl", "styles/apa.csl")
    code, _, err = cli("build", "-C", str(root), "--format", "docx")
    assert (code, err) == (0, ""), err
    with zipfile.ZipFile(root / "output" / "manuscript.docx") as package:
        document = package.read("word/document.xml").decode("utf-8")
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", document)).replace("&amp;", "&")
    assert "(Lee, 2018; Smith et al., 2019; 王五 & 赵六, 2020)" in text
    assert "Lee, K. (2018). Neuromodulation (2nd ed.). Springer." in text
    assert re.search(r"<w:i/>(?:(?!</w:r>).)*<w:t[^>]*>Neuromodulation</w:t>", document), "the book's title in italics"


# --- what is refused, each as one line ------------------------------------------------------------------------

def one_error(cli: Cli, root: Path, command: str = "build") -> str:
    code, _, err = cli(command, "-C", str(root), *(("--format", "html") if command == "build" else ()))
    assert code == 2 and "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize(("value", "message"), [
    ("styles/nope.csl", "pyproject.toml:2:1: error: csl: styles/nope.csl does not exist: save the .csl file there (mspress fetches no styles) [config]"),
    ("../outside.csl", "pyproject.toml:2:1: error: csl: ../outside.csl leads outside the project: copy the style into the project [config]"),
    ("/etc/style.csl", "pyproject.toml:2:1: error: setting 'csl' must be a path relative to the file that sets it: copy the style into the project [config]"),
    ("https://www.zotero.org/styles/apa", "pyproject.toml:2:1: error: setting 'csl' must name a .csl file in the project, not a URL: download "
     "the style and give its path (mspress fetches nothing) [config]"),
    ("apa", "pyproject.toml:2:1: error: setting 'csl' must name a .csl file (e.g. styles/apa.csl); mspress ships no CSL styles [config]"),
])
def test_a_bad_csl_setting_is_one_line_with_its_place(project: Callable[[str], Path], cli: Cli, value: str, message: str) -> None:
    root = project("minimal")
    (root / "pyproject.toml").write_text(f'[tool.mspress]\ncsl = "{value}"\n', encoding="utf-8")
    assert one_error(cli, root) == message
    assert one_error(cli, root, "check") == message, "check reports it too"


BROKEN = [
    ("malformed", '<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl">\n  <citation>\n    <layout></citation>\n</style>\n',
     "styles/x.csl:4:24: error: malformed CSL style (not well-formed XML): Opening and ending tag mismatch: layout line 4 and citation [config]"),
    ("not-csl", "<html><body/></html>",
     'styles/x.csl:1:1: error: not a CSL style: the file holds <html>, where a style starts <style xmlns="http://purl.org/net/xbiblio/csl"> [config]'),
    ("doctype", '<?xml version="1.0"?>\n<!DOCTYPE style [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<style xmlns="http://purl.org/net/xbiblio/csl">&x;</style>',
     "styles/x.csl:2:1: error: a CSL style has no DOCTYPE: remove it (mspress reads no entities or other files a style names) [config]"),
    ("no-bibliography", '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">\n<citation><layout/></citation>\n</style>',
     "styles/x.csl:1:1: error: the style has no <bibliography>: mspress prints a reference list [config]"),
    ("note", '<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0"/>',
     "styles/x.csl:1:1: error: a note style (citations in footnotes) is not supported: choose an in-text style (numeric or author-date) [config]"),
    ("loop", '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">\n<macro name="a"><text macro="a"/></macro>\n'
     '<citation><layout><text macro="a"/></layout></citation>\n<bibliography><layout/></bibliography>\n</style>',
     "styles/x.csl:2:1: error: macro 'a' calls itself [config]"),
    ("undefined-macro", '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">\n<citation><layout><text macro="b"/>'
     '</layout></citation>\n<bibliography><layout/></bibliography>\n</style>', "styles/x.csl:2:1: error: macro 'b' is not defined in the style [config]"),
]


@pytest.mark.parametrize(("content", "message"), [pytest.param(c, m, id=i) for i, c, m in BROKEN])
def test_a_broken_style_file_is_one_line_at_its_place(project: Callable[[str], Path], cli: Cli, content: str, message: str) -> None:
    root = project("minimal")
    (root / "styles").mkdir()
    (root / "styles" / "x.csl").write_text(content, encoding="utf-8")
    (root / "pyproject.toml").write_text('[tool.mspress]\ncsl = "styles/x.csl"\n', encoding="utf-8")
    assert one_error(cli, root) == message


def test_a_dependent_style_names_its_parent_and_nothing_is_fetched(project: Callable[[str], Path], cli: Cli) -> None:
    root = with_style(project("minimal"), "vancouver-nlm.csl", "styles/vancouver.csl")
    assert one_error(cli, root) == (
        "styles/vancouver.csl:8:1: error: 'Vancouver - NLM (citation-sequence)' is a dependent CSL style: it only names its parent "
        "http://www.zotero.org/styles/nlm-citation-sequence; save the parent style's .csl file in the project and name that one [config]")


def test_a_link_to_a_style_outside_the_project_is_refused(project: Callable[[str], Path], cli: Cli, tmp_path: Path) -> None:
    root = project("minimal")
    shutil.copy(CSL / "apa.csl", tmp_path / "elsewhere.csl")
    (root / "styles").mkdir()
    os.symlink(tmp_path / "elsewhere.csl", root / "styles" / "apa.csl")
    (root / "pyproject.toml").write_text('[tool.mspress]\ncsl = "styles/apa.csl"\n', encoding="utf-8")
    assert one_error(cli, root) == ("pyproject.toml:2:1: error: csl: styles/apa.csl is a link to a file outside the project: "
                                    "copy the file into the project [config]")


def test_style_and_csl_in_one_file_are_refused(project: Callable[[str], Path], cli: Cli) -> None:
    root = with_style(project("minimal"))
    (root / "pyproject.toml").write_text('[tool.mspress]\nstyle = "gb7714-2015"\ncsl = "styles/vancouver.csl"\n', encoding="utf-8")
    assert one_error(cli, root) == "pyproject.toml:3:1: error: set either style (GB/T 7714) or csl (a CSL style file), not both [config]"


def test_a_style_citeproc_py_cannot_follow_is_a_configuration_error(project: Callable[[str], Path], cli: Cli,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from citeproc import model  # type: ignore[import-untyped]

    def broken(self: object, items: object) -> None:
        raise AttributeError("'NoneType' object has no attribute 'label'")

    monkeypatch.setattr(model.Layout, "render_bibliography", broken)
    root = with_style(project("minimal"))
    assert one_error(cli, root) == ("styles/vancouver.csl:1:1: error: citeproc-py cannot format with 'NLM/Vancouver: Citing Medicine 2nd "
                                    "edition (citation-sequence)': AttributeError: 'NoneType' object has no attribute 'label'; "
                                    "try another version of the style [config]")


def test_an_entry_the_style_does_not_list_is_left_out_of_the_list_only() -> None:
    """APA 8.9: a personal communication is cited in the text and not listed."""
    refs: dict = {}
    parse_bibtex("@letter{luna2020, author = {Luna, T.}, title = {Letter}, date = {2020-04-18}}\n"
                 "@book{brown2018, author = {Brown, L. S.}, title = {Feminist therapy}, publisher = {APA}, year = {2018}}",
                 Path("x.bib"), refs, [])
    style = check_style((CSL / "apa.csl").read_bytes(), CSL / "apa.csl", Path("apa.csl"))
    result = format_with_style(style, list(refs.values()), [("luna2020", ""), ("brown2018", "")])
    assert [e.key for e in result.entries] == ["brown2018"]
    assert "".join(p.text for p in result.cites["luna2020", ""]) == "T. Luna, personal communication, April 18, 2020"


def test_check_style_raises_config_errors_only() -> None:
    with pytest.raises(ConfigError):
        check_style(b"\xff\xfe<", Path("x.csl"), Path("x.csl"))


# --- mspress refs ----------------------------------------------------------------------------------------------

def test_refs_formats_with_the_projects_csl_style(project: Callable[[str], Path], cli: Cli) -> None:
    root = with_style(project("minimal"))
    library = str(root / "references" / "library.bib")
    code, out, err = cli("refs", library, "-C", str(root))
    assert (code, err) == (0, "")
    assert out.splitlines() == ["1. 王五, 赵六. 深部脑刺激的研究进展. 中华神经科杂志. 2020;53(2):100–5.",
                                "2. Smith JA, Doe J, Roe R, Poe E. A study of DBS outcomes. J Neurol. 2019;12(3):1–10. doi:10.1000/xyz123",
                                "3. Lee K. Neuromodulation. 2nd ed. New York: Springer; 2018."]
    assert cli("refs", library, "-C", str(root), "--journal", "none")[1].splitlines()[0] == \
        "[1] 王五, 赵六. 深部脑刺激的研究进展[J]. 中华神经科杂志, 2020, 53(2): 100-105."
    assert cli("refs", library, "-C", str(root), "--style", "gb7714-2025")[1].splitlines()[0] == \
        "[1] 王五，赵六. 深部脑刺激的研究进展[J]. 中华神经科杂志，2020，53（2）：100-105."
    code, _, err = cli("refs", library, "-C", str(root), "--system", "author-year")
    assert code == 2 and err.startswith("<command line>:1:1: error: --system chooses between GB/T 7714's two systems"), err


def test_refs_json_of_an_author_date_style_in_the_styles_order(project: Callable[[str], Path], cli: Cli) -> None:
    root = with_style(project("minimal"), "apa.csl", "styles/apa.csl")
    code, out, _ = cli("refs", str(root / "references" / "library.bib"), "-C", str(root), "--format", "json")
    listed = json.loads(out)
    assert code == 0 and [e["key"] for e in listed] == ["lee2018", "smith2019", "wang2020"]
    assert listed[0]["html"] == "Lee, K. (2018). <i>Neuromodulation</i> (2nd ed.). Springer."


def test_journal_none_is_the_plain_standard_whatever_the_project_says(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    (root / "pyproject.toml").write_text('[tool.mspress]\njournal = "sichuan-mental-health"\nstyle = "gb7714-2025"\n', encoding="utf-8")
    library = str(root / "references" / "library.bib")
    assert "王五，赵六. 深部脑刺激的研究进展[J]." in cli("refs", library, "-C", str(root), "--journal", "default")[1], \
        "--journal default keeps [tool.mspress]'s own settings (2025, here)"
    assert "SMITH J A, DOE J, ROE R, et al. A study of DBS outcomes[J/OL]. Journal of Neurology, 2019, 12(3): 1-10. DOI:10.1000/xyz123." in \
        cli("refs", library, "-C", str(root), "--journal", "none")[1]


def test_refs_help_says_which_profile_applies(cli: Cli) -> None:
    _, out, _ = cli("refs", "--help")
    flat = " ".join(out.split())
    assert "The journal profile of the project in the current directory (or -C DIR) applies" in flat
    assert "the CSL style it names (csl = ...)" in flat
    assert "give --journal none, or run it outside any project" in flat


# --- import cost -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("argv", [("check", "-C", "{root}"), ("refs", "{root}/references/library.bib", "-C", "{root}")])
@pytest.mark.parametrize("csl", [False, True], ids=["gb7714", "csl"])
def test_citeproc_is_imported_only_to_format_with_a_csl_style(project: Callable[[str], Path], argv: tuple[str, ...], csl: bool) -> None:
    root = with_style(project("minimal")) if csl else project("minimal")
    code = ("import sys; from mspress.cli import main; rc = main(sys.argv[1:]); "
            "print(sorted(m for m in ('citeproc', 'pypandoc', 'weasyprint') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code, *(a.format(root=root) for a in argv)], capture_output=True, text=True, cwd=REPO)
    loaded = result.stdout.strip().splitlines()[-1]
    expected = "['citeproc']" if csl and argv[0] == "refs" else "[]"
    assert loaded == expected, result.stdout + result.stderr


def test_an_entry_inside_a_parenthesised_range_links_back(project: Callable[[str], Path], cli: Cli) -> None:
    """(1-3) cites 2 too: its entry gets a back-link to that mark, as GB/T 7714's [1-3] does."""
    html = build_html(cli, with_style(project("minimal")))
    ranges = [m for m in re.findall(r'<span class="cite">(.*?)</span>', html) if re.search(r">1</a>-<a", m)]
    range_id = re.search(r'id="(cite-\d+)"', ranges[0]).group(1)  # type: ignore[union-attr]
    smith = re.search(r'<div id="ref-smith2019".*?</div>', html, re.S)
    assert smith and range_id in re.findall(r'href="#(cite-\d+)"', smith.group(0))


def test_gbt7714_required_fields_are_not_asked_of_a_csl_style(project: Callable[[str], Path], cli: Cli) -> None:
    root = with_style(project("minimal"))
    bib = root / "references" / "library.bib"
    bib.write_text(re.sub(r"\n\s*publisher\s*=\s*\{[^}]*\},?", "", bib.read_text(encoding="utf-8")), encoding="utf-8")
    code, out, err = cli("check", "-C", str(root))
    assert "missing-field" not in out + err
    root.joinpath("pyproject.toml").write_text("", encoding="utf-8")
    code, out, err = cli("check", "-C", str(root))
    assert "[missing-field]" in out + err


def test_a_cited_set_is_an_error_with_a_csl_style(project: Callable[[str], Path], cli: Cli) -> None:
    root = with_style(project("minimal"))
    bib = root / "references" / "library.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + "\n@set{pair, entryset = {smith2019, lee2018}}\n", encoding="utf-8")
    body = root / "manuscript" / "01-introduction.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n集合引用[@pair]。\n", encoding="utf-8")
    code, out, err = cli("check", "-C", str(root))
    assert code == 1 and "[set-with-csl]" in out + err


def test_particles_a_doi_as_a_url_and_math_reach_the_style_as_it_expects() -> None:
    found: dict = {}
    parse_bibtex(r"""@article{v, author = {family=Veen, given=Pieternella H., prefix=van der, useprefix=false},
      title = {H$_2$O in {MRI}}, journal = {J Neurol Sci}, year = {2014}, volume = {337}, pages = {112--118},
      doi = {https://doi.org/10.1016/j.jns.2013.11.029}}""", Path("x.bib"), found, [])
    style = check_style((CSL / "apa.csl").read_bytes(), CSL / "apa.csl", Path("apa.csl"))
    entry = format_with_style(style, list(found.values())).entries[0]
    assert entry.text.startswith("Veen, P. H. van der. (2014). H2O in MRI."), entry.text
    assert entry.text.endswith("https://doi.org/10.1016/j.jns.2013.11.029"), entry.text
    assert "\ue000" not in entry.text and "doi.org/https" not in entry.text
