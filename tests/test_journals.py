"""Journals as data: a profile folder, looked up project > packaged; templates project > journal > packaged."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from mspress.config import SETTINGS, LabelSet, load_settings
from mspress.styles.gbt7714 import Options

Cli = Callable[..., tuple[int, str, str]]
REPO = Path(__file__).parent.parent


def build_html(cli: Cli, root: Path, *extra: str) -> str:
    code, _, err = cli("build", "-C", str(root), "--format", "html", *extra)
    assert (code, err) == (0, ""), err
    return (root / "output" / "manuscript.html").read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_the_example_uses_its_journals_profile() -> None:
    settings = load_settings(REPO)
    assert settings.journal.name == "sichuan-mental-health" and settings.journal.title == "四川精神卫生"
    assert settings.journal.references.print_doi is False and settings.journal.references.short_journal is True
    assert load_settings(REPO, "default").journal.references.print_doi is True


def test_every_engine_option_is_a_setting() -> None:
    """One schema: a new option of the GB/T 7714 engine cannot be forgotten in the settings."""
    targets = {s.field for s in SETTINGS.values() if s.target == "references"}
    assert targets == set(Options.__dataclass_fields__)


def test_journal_on_the_command_line_overrides_the_project(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    (root / "pyproject.toml").write_text('[tool.mspress]\njournal = "sichuan-mental-health"\n', encoding="utf-8")
    assert "DOI:" not in text_of(build_html(cli, root))
    assert "DOI:10.1000/xyz123" in text_of(build_html(cli, root, "--journal", "default"))


def test_a_project_journal_with_its_own_labels_and_template(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    journal = root / "journals" / "test-journal"
    (journal / "templates").mkdir(parents=True)
    (journal / "profile.toml").write_text(
        'name = "测试期刊"\nstyle = "gb7714-2025"\ncompress_min_run = 3\n\n[labels.zh]\nabstract = "摘　要："\nfigure = "Figure "\n'
        'references = "参考文献（References）"\nnarrative = "参考文献"\n', encoding="utf-8")
    (journal / "templates" / "screen.css").write_text("body { color: teal; }", encoding="utf-8")
    (root / "pyproject.toml").write_text('[tool.mspress]\njournal = "test-journal"\n', encoding="utf-8")
    html = build_html(cli, root)
    assert "摘　要：" in html and "【摘要】" not in html and "参考文献（References）" in html
    assert '<a href="#fig:demo" class="xref">Figure 1</a>' in html
    assert "另见参考文献[3]。" in text_of(html), "the journal's word before a narrative number"
    assert "王五，赵六. 深部脑刺激的研究进展[J]." in text_of(html), "the 2025 style of the profile"
    assert "color: teal" in html, "the journal's template"
    (root / "templates").mkdir()
    (root / "templates" / "screen.css").write_text("body { color: maroon; }", encoding="utf-8")
    html = build_html(cli, root)
    assert "color: maroon" in html and "color: teal" not in html, "the project's template comes first"


def test_project_settings_override_the_journal(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    (root / "pyproject.toml").write_text('[tool.mspress]\njournal = "sichuan-mental-health"\nprint_doi = true\n\n'
                                         '[tool.mspress.labels.en]\nkeywords = "【Key words】"\n', encoding="utf-8")
    html = build_html(cli, root)
    assert "DOI:10.1000/xyz123" in text_of(html) and "【Key words】" in html


def test_unknown_journal_is_a_configuration_error(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    code, _, err = cli("build", "-C", str(root), "--journal", "sichuan-mental-heath")
    assert code == 2 and "Traceback" not in err
    assert err.startswith("<command line>:1:1: error: unknown journal 'sichuan-mental-heath' (did you mean sichuan-mental-health?)")
    (root / "pyproject.toml").write_text('[tool.mspress]\nstyle = "gb7714-2015"\njournal = "sichuan"\n', encoding="utf-8")
    code, _, err = cli("check", "-C", str(root))
    assert code == 2 and err.startswith("pyproject.toml:3:1: error: unknown journal 'sichuan'")


def test_profile_mistakes_name_the_profile_file_and_line(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    journal = root / "journals" / "broken"
    journal.mkdir(parents=True)
    (journal / "profile.toml").write_text('name = "x"\nstyle = "gb7714-2016"\n\n[labels.zh]\nabstrct = "摘要"\n', encoding="utf-8")
    code, out, err = cli("check", "-C", str(root), "--journal", "broken")
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "journals/broken/profile.toml:2:1: error: setting 'style' must be one of 'gb7714-2015', 'gb7714-2025' [config]",
        "journals/broken/profile.toml:5:1: error: unknown key 'abstrct' in labels.zh (did you mean abstract?); allowed: "
        + ", ".join(sorted(LabelSet.__dataclass_fields__)) + " [config]"]


def pdf_pages(cli: Cli, root: Path) -> list[str]:
    import fitz

    code, _, err = cli("build", "-C", str(root), "--format", "pdf")
    assert (code, err) == (0, "")
    with fitz.open(root / "output" / "manuscript.pdf") as pdf:
        return [page.get_text() for page in pdf]


def test_page_numbers_and_running_head_are_profile_switches(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    first = pdf_pages(cli, root)[0]
    assert "测试学报" in first and re.search(r"(^|\n)11\n", first), "masthead, and the journal's first page (pages: 11-15)"
    (root / "pyproject.toml").write_text('[tool.mspress.layout]\nrunning_head = false\npage_numbers = "from-1"\n', encoding="utf-8")
    first = pdf_pages(cli, root)[0]
    assert "测试学报" not in first
    assert re.search(r"(^|\n)1\n", first) and not re.search(r"(^|\n)11\n", first)


def test_the_profile_chooses_the_default_formats(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    (root / "pyproject.toml").write_text('[tool.mspress]\nformats = ["docx"]\n', encoding="utf-8")
    code, out, _ = cli("build", "-C", str(root))
    assert code == 0 and out.splitlines() == [f"wrote {root / 'output' / 'manuscript.docx'}"]
    code, out, _ = cli("build", "-C", str(root), "--format", "html")
    assert code == 0 and out.splitlines() == [f"wrote {root / 'output' / 'manuscript.html'}"], "the command line wins"


def test_layout_and_format_mistakes_are_reported_with_their_line(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    (root / "pyproject.toml").write_text('[tool.mspress]\nformats = ["doc"]\n\n[tool.mspress.layout]\nmargins = [20, 20]\n'
                                         'body_size = "五号"\npaper = "A3"\n', encoding="utf-8")
    code, _, err = cli("build", "-C", str(root))
    assert code == 2
    assert err.splitlines() == [
        "pyproject.toml:2:1: error: setting 'formats' must list output formats without repeats, among 'html', 'pdf', 'docx' [config]",
        "pyproject.toml:5:1: error: layout.margins must list 4 numbers [config]",
        "pyproject.toml:6:1: error: layout.body_size must be a number [config]",
        "pyproject.toml:7:1: error: layout.paper must be one of 'A4', 'B5', '16K' [config]"]


def test_the_layout_sets_the_pdf_page(project: Callable[[str], Path], cli: Cli) -> None:
    import fitz

    root = project("minimal")
    (root / "pyproject.toml").write_text('[tool.mspress.layout]\npaper = "B5"\nbody_size = 12\n', encoding="utf-8")
    assert cli("build", "-C", str(root), "--format", "pdf")[0] == 0
    with fitz.open(root / "output" / "manuscript.pdf") as pdf:
        page = pdf[0]
        assert (round(page.rect.width / 72 * 25.4), round(page.rect.height / 72 * 25.4)) == (176, 250)
        sizes = {round(span["size"], 1) for block in page.get_text("dict")["blocks"] for line in block.get("lines", [])
                 for span in line["spans"] if "第一句引用" in span["text"]}
        assert sizes == {12.0}
