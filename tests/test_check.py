"""``check``: one fixture per diagnostic code, in project mode and editor mode (.txt, .docx, .html)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mspress.checks.report import as_text
from mspress.commands.check import check_path
from tests.shared_data import require_shared

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent
PROJECT_CASES = sorted(p for p in (FIXTURES / "check" / "project").iterdir() if p.is_dir())
EDITOR_CASES = sorted((FIXTURES / "check" / "editor").glob("*.txt"))
SEED = REPO.parent / "shared" / "seed" / "article.txt"
Cli = Callable[..., tuple[int, str, str]]


def overlay_project(case: Path, tmp_path: Path) -> Path:
    """The minimal project with the case's files laid over it."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "projects" / "minimal", root)
    for source in case.rglob("*"):
        if source.is_file() and source.name not in ("README", "expected.txt"):
            target = root / source.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    return root


def compare(actual: str, expected_file: Path, update: bool) -> None:
    if update:
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", PROJECT_CASES, ids=[p.name for p in PROJECT_CASES])
def test_project_fixture(case: Path, tmp_path: Path, update_golden: bool) -> None:
    report = check_path(overlay_project(case, tmp_path), Path("."))
    compare(as_text(report, False), case / "expected.txt", update_golden)
    if case.name != "clean":
        assert case.name in {d.code for d in report.diagnostics}


@pytest.mark.parametrize("case", EDITOR_CASES, ids=[p.stem for p in EDITOR_CASES])
def test_editor_fixture(case: Path, update_golden: bool) -> None:
    report = check_path(case, Path(case.name))
    compare(as_text(report, False), case.with_suffix(".expected"), update_golden)


def docx_from_text(source: Path, target: Path) -> None:
    """The same manuscript as a Word file, citation marks set as superscript runs."""
    import docx

    document = docx.Document()
    for line in source.read_text(encoding="utf-8").split("\n"):
        paragraph = document.add_paragraph()
        pos = 0
        for m in re.finditer(r"[\[［][\d,，\-–]+[\]］]", line):
            if m.start() == 0:
                continue  # a list label stays on the line
            paragraph.add_run(line[pos : m.start()])
            run = paragraph.add_run(m.group(0))
            run.font.superscript = not line[: m.start()].endswith("文献")
            pos = m.end()
        paragraph.add_run(line[pos:])
    document.save(str(target))


@pytest.mark.parametrize("case", EDITOR_CASES, ids=[p.stem for p in EDITOR_CASES])
def test_docx_gives_the_same_codes(case: Path, tmp_path: Path) -> None:
    target = tmp_path / (case.stem + ".docx")
    docx_from_text(case, target)
    codes = lambda r: [(d.code, d.location.line) for d in r.diagnostics]  # noqa: E731
    assert codes(check_path(target, Path(target.name))) == codes(check_path(case, Path(case.name)))


def test_docx_superscript_numbers_without_brackets(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph("研究显示")
    paragraph.add_run("1,3").font.superscript = True
    paragraph.add_run("。")
    path = tmp_path / "bare.docx"
    document.save(str(path))
    report = check_path(path, Path("bare.docx"))
    assert [(d.code, str(d.location)) for d in report.diagnostics] == [("no-reference-list", "bare.docx:1:1"), ("citation-gap", "bare.docx:1:5")]


def test_html_superscripts_and_mixed_placement(tmp_path: Path) -> None:
    page = tmp_path / "paper.html"
    page.write_text("<html><body>\n<p>研究<sup>[1]</sup>显示，又见<sup>[2]</sup>。</p>\n<p>另见[3]。</p>\n"
                    "<h2>参考文献</h2>\n<p>[1] A A. One[J]. J, 2001.</p>\n<p>[2] B B. Two[J]. J, 2002.</p>\n<p>[3] C C. Three[J]. J, 2003.</p>\n"
                    "</body></html>\n", encoding="utf-8")
    report = check_path(page, Path("paper.html"))
    assert [(d.code, str(d.location)) for d in report.diagnostics] == [("bracket-style", "paper.html:3:3")]


def test_example_project_reports_nothing() -> None:
    report = check_path(REPO, Path("."))
    assert report.diagnostics == ()
    assert [row.number for row in report.table] == list(range(1, 35))


def test_seed_text_checks_clean_in_editor_mode() -> None:
    require_shared(SEED)
    report = check_path(SEED, Path("article.txt"))
    assert [d.code for d in report.diagnostics] == ["no-reference-list"]  # the seed's list is kept apart from its text
    assert [row.number for row in report.table] == list(range(1, 35))


# --- the command line --------------------------------------------------------------------------


def test_exit_codes_and_strict(tmp_path: Path, cli: Cli) -> None:
    warn = overlay_project(FIXTURES / "check" / "project" / "uncited-reference", tmp_path / "w")
    error = overlay_project(FIXTURES / "check" / "project" / "undefined-citation", tmp_path / "e")
    assert cli("check", "-C", str(warn))[0] == 0
    assert cli("check", "--strict", "-C", str(warn))[0] == 1
    assert cli("check", str(error))[0] == 1
    assert cli("check", str(tmp_path / "nothing-here.docx"))[0] == 2
    code, _, err = cli("check", str(tmp_path))  # a directory without manuscript/
    assert code == 2 and "no manuscript/ directory" in err


def test_unreadable_docx_is_exit_2(tmp_path: Path, cli: Cli) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    code, _, err = cli("check", str(bad))
    assert code == 2
    assert err.startswith(f"{bad}:1:1: error: not a readable .docx file") and "Traceback" not in err


def test_json_format_and_report(cli: Cli) -> None:
    code, out, _ = cli("check", str(FIXTURES / "check" / "editor" / "citation-out-of-order.txt"), "--format", "json", "--report")
    data = json.loads(out)
    assert code == 1
    assert data["errors"] == 1 and data["warnings"] == 0
    assert data["diagnostics"][0] == {"code": "citation-out-of-order", "severity": "error",
                                      "path": str(FIXTURES / "check" / "editor" / "citation-out-of-order.txt"),
                                      "line": 1, "column": 13,
                                      "message": "[5] is cited for the first time before [2]: number references in order of first citation"}
    first = data["numbering"][0]
    assert first["number"] == 1 and first["citations"] == 1 and first["first_citation"]["column"] == 5
    assert first["reference"].startswith("AUTHOR1 A. Title number 1[J]")


def test_text_report_table(cli: Cli) -> None:
    code, out, _ = cli("check", "-C", str(REPO), "--report")
    assert code == 0
    rows = [line for line in out.splitlines() if re.match(r"^\s+\d+\s", line)]
    assert len(rows) == 34
    assert re.match(r"^\s+29\s+manuscript/02-results\.md:55:\d+\s+1\s+dougherty2015$", rows[28])


def test_github_annotations(tmp_path: Path, cli: Cli) -> None:
    root = overlay_project(FIXTURES / "check" / "project" / "undefined-citation", tmp_path)
    _, out, _ = cli("check", "-C", str(root), "--format", "github")
    assert out.splitlines()[0] == ("::error file=manuscript/01-introduction.md,line=3,col=6,title=undefined-citation::"
                                   "unknown citation key @wang2021 (did you mean @wang2020?): add it to references/*.bib or fix the key")


def test_junit_and_sarif_files(tmp_path: Path, cli: Cli) -> None:
    import xml.etree.ElementTree as ET

    root = overlay_project(FIXTURES / "check" / "project" / "undefined-citation", tmp_path)
    junit, sarif = tmp_path / "r.xml", tmp_path / "r.sarif"
    assert cli("check", "-C", str(root), "--format", "junit", "--output", str(junit))[0] == 1
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "1"
    assert suite.find("testcase/failure").get("type") == "undefined-citation"  # type: ignore[union-attr]
    assert cli("check", "-C", str(root), "--format", "sarif", "--output", str(sarif))[0] == 1
    result = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"][0]
    assert result["ruleId"] == "undefined-citation" and result["level"] == "error"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 6}


def test_check_imports_neither_pandoc_nor_weasyprint() -> None:
    code = ("import sys; from mspress.cli import main; rc = main(['check', '-C', sys.argv[1]]); "
            "heavy = [m for m in ('pypandoc', 'weasyprint', 'jinja2') if m in sys.modules]; "
            "print(heavy); raise SystemExit(rc or bool(heavy))")
    result = subprocess.run([sys.executable, "-c", code, str(REPO)], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_build_numbering_is_the_check_numbering(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    _, out, _ = cli("check", "-C", str(root), "--format", "json", "--report")
    checked = [row["reference"] for row in json.loads(out)["numbering"]]
    assert cli("build", "-C", str(root), "--format", "html")[0] == 0
    page = (root / "output" / "manuscript.html").read_text(encoding="utf-8")
    assert re.findall(r'<div id="ref-([^"]+)" class="reference"', page) == checked


def test_build_prints_warnings_and_still_builds(tmp_path: Path, cli: Cli) -> None:
    root = overlay_project(FIXTURES / "check" / "project" / "uncited-reference", tmp_path)
    code, _, err = cli("build", "-C", str(root), "--format", "html")
    assert code == 0
    assert err == "references/extra.bib:1:1: warning: reference 'never2020' is never cited: cite it or remove it from the library [uncited-reference]\n"


def test_min_run_three_accepts_two_listed_numbers(tmp_path: Path, cli: Cli) -> None:
    paper = tmp_path / "p.txt"
    paper.write_text("见[1,2]，又见[3,4,5]。\n", encoding="utf-8")
    code, out, _ = cli("check", str(paper), "--min-run", "3")
    assert code == 0
    assert [line.split(" [")[-1] for line in out.splitlines()[:-1]] == ["no-reference-list]", "uncompressed-range]"]
    assert "e.g. [3-5]" in out and "[1,2] lists" not in out
