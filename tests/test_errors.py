"""User mistakes: one line ``path:line:col: error: …`` each, exit status 1 (2 for an unusable configuration or
directory), no traceback, output/ untouched."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from .editing import edit

Cli = Callable[..., tuple[int, str, str]]
LINE = re.compile(r"^[^:\s]+:\d+:\d+: error: .+ \[[a-z-]+\]$")


def failing_build(root: Path, cli: Cli, status: int = 1) -> list[str]:
    out_dir = root / "output"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "manuscript.html").write_text("previous good html", encoding="utf-8")
    code, out, err = cli("build", "-C", str(root), "--format", "html")
    assert code == status
    assert "Traceback" not in err
    assert (out_dir / "manuscript.html").read_text(encoding="utf-8") == "previous good html"
    assert sorted(p.name for p in out_dir.iterdir()) == ["manuscript.html"], "no temporary file left behind"
    lines = err.strip().splitlines()
    assert lines and all(LINE.match(line) for line in lines), err
    return lines


BODY = "manuscript/01-introduction.md"


@pytest.mark.parametrize(
    "file, old, new, expected",
    [
        (BODY, "[@wang2020]。第二句", "[@wang2021]。第二句",
         "manuscript/01-introduction.md:3:6: error: unknown citation key @wang2021 (did you mean @wang2020?): add it to references/*.bib or fix the key [undefined-citation]"),
        (BODY, "文献@smith2019指出", "文献@smith2091指出",
         "manuscript/01-introduction.md:4:3: error: unknown citation key @smith2091 (did you mean @smith2019?): add it to references/*.bib or fix the key [undefined-citation]"),
        (BODY, "如@fig:demo所示", "如@fig:dmeo所示",
         "manuscript/01-introduction.md:3:60: error: unknown cross reference @fig:dmeo (did you mean @fig:demo?): label a figure, table or heading {#fig:dmeo} [undefined-crossref]"),
        (BODY, "figures/demo.svg", "figures/nothere.svg",
         "manuscript/01-introduction.md:6:8: error: figure file not found: figures/nothere.svg (paths are relative to manuscript/; a figure must be a regular file) [missing-figure]"),
        ("manuscript/metadata.yaml", "  en: A test article", "  en: [unclosed",
         "manuscript/metadata.yaml:4:8: error: malformed YAML: expected ',' or ']', but got ':'; fix the syntax [input-error]"),
        ("manuscript/metadata.yaml", "affiliations: [a, b]", "affiliations: [a, c]",
         "manuscript/metadata.yaml:10:23: error: unknown affiliation id 'c'; defined: a, b [invalid-metadata]"),
        ("manuscript/metadata.yaml", "  zh: 测试文章\n", "",
         "manuscript/metadata.yaml:2:3: error: missing title.zh: add it to metadata.yaml [missing-metadata]"),
        ("references/library.bib", "  journal = {Journal of Neurology},", "  journal = {Journal of Neurology,",
         "references/library.bib:11:1: error: malformed BibTeX entry 'smith2019': Unexpected block start: `@book`. Was still looking for field-value closing `,` or `}`; check braces, quotes and commas [bib-syntax]"),
    ],
    ids=["unknown-key", "unknown-narrative-key", "unknown-crossref", "missing-figure", "malformed-yaml",
         "unknown-affiliation", "missing-title", "bad-bibtex"],
)
def test_user_error(project: Callable[[str], Path], cli: Cli, file: str, old: str, new: str, expected: str) -> None:
    root = project("minimal")
    edit(root / file, old, new)
    assert failing_build(root, cli) == [expected]


def test_duplicate_key_names_both_places(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    (root / "references" / "more.bib").write_text("@book{lee2018, title={Again}, year={2019}}\n", encoding="utf-8")
    assert failing_build(root, cli) == [
        "references/library.bib:23:1: error: citation key 'lee2018' is defined again at references/more.bib:1:1: rename or delete one entry [duplicate-key]",
        "references/more.bib:1:1: error: duplicate citation key 'lee2018' (first defined at references/library.bib:23:1): rename or delete one entry [duplicate-key]"]


def test_all_unknown_keys_are_reported_at_once(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    edit(root / BODY, "[@wang2020]。第二句", "[@nope1]。第二句")
    edit(root / BODY, "[@lee2018, p. 25]", "[@nope2, p. 25]")
    lines = failing_build(root, cli)
    assert [line.split(": error")[0] for line in lines] == ["manuscript/01-introduction.md:3:6", "manuscript/01-introduction.md:4:20"]


def test_figure_outside_project_is_refused(project: Callable[[str], Path], cli: Cli, tmp_path: Path) -> None:
    root = project("minimal")
    secret = tmp_path / "secret.svg"
    secret.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    edit(root / BODY, "figures/demo.svg", "../../secret.svg")
    assert any("is outside the project" in line for line in failing_build(root, cli))


def test_remote_figure_is_refused(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    edit(root / BODY, "figures/demo.svg", "http://example.org/x.svg")
    assert any("is not a project file" in line for line in failing_build(root, cli))


def test_raw_html_in_markdown_is_text_not_markup(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    edit(root / BODY, "第一句", '<script>alert(1)</script><img src="file:///etc/passwd">第一句')
    code, _, err = cli("build", "-C", str(root), "--format", "html")
    assert (code, err) == (0, "")
    html = (root / "output" / "manuscript.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and '<img src="file:' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_template_cannot_reach_python_internals(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    (root / "templates").mkdir()
    (root / "templates" / "screen.css").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    code, _, err = cli("build", "-C", str(root), "--format", "html")
    assert code == 1 and "Traceback" not in err
    assert err.startswith("templates/screen.css:1:1: error: template error: access to attribute '__class__'")


def test_undefined_template_variable_names_the_template_line(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    (root / "templates").mkdir()
    (root / "templates" / "screen.css").write_text("body {}\n{{ meta.no_such_field }}\n", encoding="utf-8")
    code, _, err = cli("build", "-C", str(root), "--format", "html")
    assert code == 1
    assert err.startswith("templates/screen.css:2:1: error: template uses an undefined value")


def test_unknown_setting_in_pyproject(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    (root / "pyproject.toml").write_text('[tool.mspress]\nstlye = "gb7714-2025"\n', encoding="utf-8")
    assert failing_build(root, cli, status=2)[0].startswith(
        "pyproject.toml:2:1: error: unknown setting 'stlye' in [tool.mspress] (did you mean style?); allowed:")


def test_not_a_project(tmp_path: Path, cli: Cli) -> None:
    code, _, err = cli("build", "-C", str(tmp_path))
    assert code == 2
    assert err.strip() == "manuscript:1:1: error: no manuscript/ directory here; use -C DIR to name the project [input-error]"


def test_no_active_content_from_the_manuscript_reaches_the_html(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    edit(root / BODY, "第一句", '[点我]{onclick="alert(1)" style="position:fixed" width=3} [链接](javascript:alert(2)) '
                                 "[大写](JavaScript:alert(3)) [正常](https://example.org) 第一句")
    (root / "references" / "library.bib").write_text((root / "references" / "library.bib").read_text(encoding="utf-8")
                                                      .replace("@article{wang2020,", "@article{wang2020,\n  url = {javascript:alert(4)},"), encoding="utf-8")
    code, _, err = cli("build", "-C", str(root), "--format", "html")
    assert code == 0, err
    html = (root / "output" / "manuscript.html").read_text(encoding="utf-8")
    body = html[html.index("<body"):]
    for active in ("onclick", "position:fixed", 'href="javascript:', 'href="JavaScript:'):
        assert active not in body, active
    assert "点我" in body and "链接" in body and 'href="https://example.org"' in body
    assert 'width="3"' in body, "harmless attributes stay"


def test_an_svg_written_as_data_is_refused(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    edit(root / BODY, "figures/demo.svg", "data:image/svg+xml;base64,PHN2Zy8+")
    assert any("figure data of type 'image/svg+xml'" in line for line in failing_build(root, cli))
