"""Projects an editor did not write: links out of the project, FIFOs, oversized files, an output folder that
points elsewhere, zip bombs. Each is refused with one line naming the file, nothing outside the project is read
or written, and nothing hangs."""
from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile_files import png, zipped

Cli = Callable[..., tuple[int, str, str]]
SECRET = "SECRET-OUTSIDE-THE-PROJECT"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    for name in ("passwd.md", "passwd.yaml", "passwd.bib", "passwd.j2", "passwd.toml", "passwd.css"):
        (outside / name).write_text(f"{SECRET}\n", encoding="utf-8")
    return outside


def link(target: Path, link_path: Path) -> None:
    link_path.unlink(missing_ok=True)
    link_path.symlink_to(target)


def outputs_text(root: Path) -> str:
    folder = root / "output"
    return "".join(p.read_bytes().decode("latin-1") for p in folder.glob("*") if p.is_file()) if folder.is_dir() else ""


@pytest.mark.parametrize("inside,outside_name,expected", [
    ("manuscript/01-introduction.md", "passwd.md", "manuscript/01-introduction.md:1:1: error: manuscript/01-introduction.md is a link to a file outside the project"),
    ("manuscript/abstract.zh.md", "passwd.md", "manuscript/abstract.zh.md:1:1: error: manuscript/abstract.zh.md is a link to a file outside the project"),
    ("manuscript/metadata.yaml", "passwd.yaml", "manuscript/metadata.yaml:1:1: error: manuscript/metadata.yaml is a link to a file outside the project"),
    ("references/library.bib", "passwd.bib", "references/library.bib:1:1: error: references/library.bib is a link to a file outside the project"),
    ("templates/article.html.j2", "passwd.j2", "templates/article.html.j2:1:1: error: templates/article.html.j2 is a link to a file outside the project"),
    ("templates/screen.css", "passwd.css", "templates/screen.css:1:1: error: templates/screen.css is a link to a file outside the project"),
], ids=["section", "abstract", "metadata", "library", "template", "stylesheet"])
def test_a_link_out_of_the_project_is_refused(project: Callable[[str], Path], cli: Cli, secret: Path,
                                              inside: str, outside_name: str, expected: str) -> None:
    root = project("minimal")
    (root / inside).parent.mkdir(parents=True, exist_ok=True)
    link(secret / outside_name, root / inside)
    code, out, err = cli("build", "-C", str(root), "--format", "html")
    assert code == 1 and expected in err and "Traceback" not in err
    assert SECRET not in out + err + outputs_text(root)
    if not inside.startswith("templates"):
        code, out, err = cli("check", "-C", str(root))
        assert code == 1 and expected in out + err, "check refuses what the build refuses"


def test_a_link_inside_the_project_is_followed(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    shared = root / "shared-abstract.md"
    (root / "manuscript" / "abstract.zh.md").rename(shared)
    link(shared, root / "manuscript" / "abstract.zh.md")
    assert cli("build", "-C", str(root), "--format", "html")[0] == 0


def test_a_pyproject_linked_out_is_a_configuration_error(project: Callable[[str], Path], cli: Cli, secret: Path) -> None:
    root = project("minimal")
    link(secret / "passwd.toml", root / "pyproject.toml")
    code, out, err = cli("check", "-C", str(root))
    assert code == 2 and err.startswith("pyproject.toml:1:1: error: pyproject.toml is a link to a file outside the project")
    assert SECRET not in out + err


@pytest.mark.parametrize("name", ["manuscript/01-introduction.md", "manuscript/02-fifo.md", "references/fifo.bib", "manuscript/metadata.yaml"])
def test_a_fifo_never_blocks_the_build(project: Callable[[str], Path], cli: Cli, name: str) -> None:
    root = project("minimal")
    (root / name).unlink(missing_ok=True)
    os.mkfifo(root / name)
    code, out, err = cli("check", "-C", str(root))
    assert code == 1 and f"{name}:1:1: error: {name} is not a regular file" in out + err


def test_an_oversized_section_is_refused_at_once(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    with (root / "manuscript" / "02-huge.md").open("w", encoding="utf-8") as handle:
        handle.write(("很长的一句话。" * 1000 + "\n\n") * 520)  # 11 MB
    code, out, err = cli("check", "-C", str(root))
    assert code == 1 and "manuscript/02-huge.md is larger than 10 MB" in out + err


def test_an_output_folder_linked_out_is_refused_and_nothing_is_written_there(project: Callable[[str], Path], cli: Cli, tmp_path: Path) -> None:
    root = project("minimal")
    target = tmp_path / "somewhere-else"
    target.mkdir()
    (root / "output").symlink_to(target)
    code, _, err = cli("build", "-C", str(root), "--format", "html")
    assert code == 1 and "output/ is a link to a folder outside the project" in err
    assert list(target.iterdir()) == []




def test_editor_mode_refuses_a_zip_bomb(tmp_path: Path, cli: Cli) -> None:
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (300 * 1024 * 1024)}))
    code, _, err = cli("check", str(bomb))
    assert code == 2 and "bomb.docx:1:1: error: not a readable .docx file: it unpacks to 300 MB" in err


def test_editor_mode_refuses_broken_word_files_in_one_line(tmp_path: Path, cli: Cli) -> None:
    import docx

    good = tmp_path / "good.docx"
    docx.Document().save(str(good))
    with zipfile.ZipFile(good) as package:
        members = {name: package.read(name) for name in package.namelist()}
    cases = {
        "invalid-xml": {**members, "word/document.xml": b"<w:document"},
        "entity-bomb": {**members, "word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
                        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><d>&c;</d>'},
        "no-document": {name: data for name, data in members.items() if name != "word/document.xml"},
    }
    for name, content in cases.items():
        path = tmp_path / f"{name}.docx"
        path.write_bytes(zipped(content))
        code, _, err = cli("check", str(path))
        assert code in (1, 2) and "Traceback" not in err and len(err.strip().splitlines()) >= 1, name
        assert code == 0 or err.startswith(f"{path}:"), name


def test_editor_mode_refuses_a_fifo(tmp_path: Path, cli: Cli) -> None:
    fifo = tmp_path / "paper.txt"
    os.mkfifo(fifo)
    code, _, err = cli("check", str(fifo))
    assert code == 2 and "is not a regular file" in err


BILLION_LAUGHS = """title: &a ["哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: [*g, *g, *g, *g, *g, *g, *g, *g, *g]
"""


@pytest.mark.parametrize("text,expected", [
    (BILLION_LAUGHS, "manuscript/metadata.yaml:2:8: error: YAML aliases (*name) are not read in metadata.yaml: write the value out"),
    ("title:\n  zh: " + "[" * 100 + "]" * 100 + "\n", "manuscript/metadata.yaml:2:25: error: metadata.yaml is nested more than 20 levels deep"),
], ids=["billion-laughs", "deep"])
def test_yaml_that_would_explode_is_refused(project: Callable[[str], Path], cli: Cli, text: str, expected: str) -> None:
    root = project("minimal")
    (root / "manuscript" / "metadata.yaml").write_text(text, encoding="utf-8")
    code, out, err = cli("check", "-C", str(root))
    assert code == 1 and expected in out and "Traceback" not in err


@pytest.mark.parametrize("markdown", ["> " * 400 + "深\n", "".join("  " * i + "- 项\n" for i in range(300))], ids=["quotes", "lists"])
def test_markdown_nested_beyond_the_limit_is_an_error_in_check_and_build(project: Callable[[str], Path], cli: Cli, markdown: str) -> None:
    root = project("minimal")
    (root / "manuscript" / "02-deep.md").write_text(markdown, encoding="utf-8")
    for command in (("check",), ("build", "--format", "html")):
        code, out, err = cli(*command, "-C", str(root))
        assert code == 1 and "manuscript:1:1: error: the Markdown is nested too deeply" in out + err and "Traceback" not in err


def test_a_huge_number_in_the_markdown_is_no_crash(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    (root / "manuscript" / "02-list.md").write_text("9" * 5000 + ". 一项\n2. 二项\n", encoding="utf-8")
    assert cli("build", "-C", str(root), "--format", "html")[0] == 0


def test_csl_json_nested_too_deeply_is_an_error(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    (root / "references" / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    code, out, err = cli("check", "-C", str(root))
    assert code == 1 and "references/deep.json:1:1: error: CSL-JSON nested too deeply" in out and "Traceback" not in err


def test_editor_mode_bounds_typed_ranges_and_numbers(tmp_path: Path, cli: Cli) -> None:
    paper = tmp_path / "paper.txt"
    paper.write_text("见[1-999999]。另见[1-2000000000]与[" + "9" * 5000 + "]。\n", encoding="utf-8")
    code, out, err = cli("check", str(paper))
    assert code == 1 and "Traceback" not in err
    assert "invalid range [1-999999]: it spans more than 2000 references" in out, "ranges are bounded, not expanded"
    assert "2000000000" not in out, "a number of more than six digits is no citation"


def test_journal_names_print_as_typed_in_the_running_head_and_cannot_break_out(project: Callable[[str], Path], cli: Cli) -> None:
    import fitz

    root = project("minimal")
    meta = root / "manuscript" / "metadata.yaml"
    text = meta.read_text(encoding="utf-8").replace("name: {zh: 测试学报, en: Journal of Tests}",
                                                   'name: {zh: "测试&学报", en: "Tests & Trials\\"; } body { color: red } </style>"}')
    meta.write_text(text.replace('volume: "5"', 'volume: "5\\n}"'), encoding="utf-8")
    (root / "manuscript" / "02-long.md").write_text("# 长文\n\n" + "这是为了多页而写的一段很长的中文正文。" * 400 + "\n", encoding="utf-8")
    code, _, err = cli("build", "-C", str(root), "--format", "pdf", "--format", "html")
    assert code == 0, err
    with fitz.open(root / "output" / "manuscript.pdf") as pdf:
        heads = "".join(page.get_text() for page in list(pdf)[1:3])
    assert "测试&学报" in heads and 'Tests & Trials"; } body { color: red } </style>' in heads and "&amp;" not in heads
    html = (root / "output" / "manuscript.html").read_text(encoding="utf-8")
    assert html.count("</style>") == 1, "the name cannot close the page's style element"


def test_debris_of_a_killed_build_is_removed_by_the_next(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    output = root / "output"
    output.mkdir()
    import subprocess

    dead = subprocess.Popen(["sleep", "0"])  # a process that has ended: its pid names no running build
    dead.wait()
    debris, running = output / f".manuscript.html.{dead.pid}-0123456789ab", output / f".manuscript.html.{os.getppid()}-ba9876543210"
    for tmp in (debris, running):
        tmp.write_bytes(b"half a file")
    assert cli("build", "-C", str(root), "--format", "html")[0] == 0
    assert not debris.exists() and running.exists(), "a dead build's temporary file is debris; a running one's is not"


def test_a_full_disk_leaves_the_old_outputs_together(project: Callable[[str], Path], cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from mspress.writers import output as writer

    root = project("minimal")
    assert cli("build", "-C", str(root), "--format", "html", "--format", "docx")[0] == 0
    before = {p.name: p.read_bytes() for p in (root / "output").iterdir()}
    (root / "manuscript" / "01-introduction.md").write_text("# 引言\n\n改过的正文[@wang2020]。\n", encoding="utf-8")
    real_fdopen = os.fdopen
    calls = []

    def full_disk_on_second(fd: int, *args: object, **kwargs: object) -> object:
        calls.append(fd)
        if len(calls) == 2:
            os.close(fd)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]

    class DiskFillsUp:
        """The writer's os module, whose second file write finds the disk full."""

        fdopen = staticmethod(full_disk_on_second)

        def __getattr__(self, name: str) -> object:
            return getattr(os, name)

    monkeypatch.setattr(writer, "os", DiskFillsUp())
    code, _, err = cli("build", "-C", str(root), "--format", "html", "--format", "docx")
    assert code == 1 and "No space left on device" in err and len(err.strip().splitlines()) == 1
    assert {p.name: p.read_bytes() for p in (root / "output").iterdir()} == before, "the old set, and no temporary file"




@pytest.mark.parametrize("data,message", [
    (png(8, 8, corrupt=True), "figure 'figures/bad.png' is not a readable image"),
    (png(40000, 40000), "figure 'figures/bad.png' has far more than 50 megapixels, the limit"),
    (png(8000, 8000), "figure 'figures/bad.png' is 8000×8000 pixels, over the 50-megapixel limit"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'>" + b"<rect width='1' height='1'/>" * 200_000 + b"</svg>", None),
], ids=["corrupt-png", "decompression-bomb", "huge-png", "huge-svg"])
def test_a_figure_no_reader_could_show_is_an_error_before_the_build(project: Callable[[str], Path], cli: Cli, data: bytes, message: str | None) -> None:
    root = project("minimal")
    name = "bad.svg" if data.startswith(b"<svg") else "bad.png"
    (root / "manuscript" / "figures" / name).write_bytes(data)
    (root / "manuscript" / "02-fig.md").write_text(f"见@fig:bad。\n\n![坏图](figures/{name}){{#fig:bad}}\n", encoding="utf-8")
    expected = message or "figure 'figures/bad.svg' is a 5 MB SVG, over the 5 MB limit"
    code, out, err = cli("check", "-C", str(root))
    assert code == 1 and expected in out
    code, out, err = cli("build", "-C", str(root), "--format", "pdf")
    assert code == 1 and expected in err and not (root / "output" / "manuscript.pdf").exists()


@pytest.mark.parametrize("character", ["`", "[", "*"])
def test_runs_that_would_stall_pandoc_are_refused_at_once(project: Callable[[str], Path], cli: Cli, character: str) -> None:
    import time

    root = project("minimal")
    (root / "manuscript" / "02-run.md").write_text("正文" + character * 60_000 + "\n", encoding="utf-8")
    start = time.perf_counter()
    code, out, err = cli("check", "-C", str(root))
    assert code == 1 and f"manuscript/02-run.md:1:3: error: 60,000 {character!r} characters in a row" in out
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("template,message", [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "the templates took more than 20 s to render"),
    ("{{ 'a' * 10000000000 }}", "repeating a text or list to 10,000,000,000 items is beyond the limit"),
    ("{{ 2 ** 100000000 }}", "a power of 100000000 is beyond what a template needs"),
], ids=["endless-loop", "memory", "power"])
def test_a_template_cannot_loop_for_ever_or_exhaust_memory(project: Callable[[str], Path], cli: Cli, template: str, message: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from mspress.writers import html

    monkeypatch.setattr(html, "TEMPLATE_SECONDS", 1)
    root = project("minimal")
    (root / "templates").mkdir()
    (root / "templates" / "article.html.j2").write_text(template, encoding="utf-8")
    code, _, err = cli("build", "-C", str(root), "--format", "html")
    expected = message.replace("20 s", "1 s")
    assert code == 1 and expected in err and "Traceback" not in err and not (root / "output" / "manuscript.html").exists()


def test_ten_thousand_citations_of_two_thousand_references_build_in_ten_seconds(project: Callable[[str], Path], cli: Cli) -> None:
    import random
    import time

    root = project("minimal")
    (root / "references" / "many.bib").write_text("".join(
        f"@article{{r{i},\n  author = {{Author{i}, A. and Other, B.}},\n  title = {{Title number {i}}},\n  journal = {{Journal}},\n"
        f"  year = {{2020}},\n  volume = {{1}},\n  pages = {{1--2}},\n}}\n\n" for i in range(2000)), encoding="utf-8")
    pick = random.Random(1).randrange
    sentences = [f"一句引用[@r{pick(2000)}; @r{pick(2000)}]。另一句[@r{pick(2000)}]。" for _ in range(2700)]
    first = "".join(f"[@r{i}]" for i in range(2000))
    (root / "manuscript" / "02-many.md").write_text("# 多\n\n" + first + "\n\n" + "\n\n".join(sentences) + "\n", encoding="utf-8")
    start = time.perf_counter()
    code, _, err = cli("build", "-C", str(root), "--format", "html")
    assert code == 0, err
    assert time.perf_counter() - start < 10


@pytest.mark.parametrize("after", [0.3, 0.8, 1.2, 1.6, 2.2])
def test_kill_9_during_a_build_leaves_complete_outputs_and_the_next_build_no_debris(project: Callable[[str], Path], after: float) -> None:
    import signal
    import subprocess
    import sys
    import time

    root = project("minimal")
    command = [sys.executable, "-m", "mspress", "build", "-C", str(root), "--format", "html", "--format", "pdf", "--format", "docx"]
    repo = Path(__file__).resolve().parent.parent
    subprocess.run(command, check=True, capture_output=True, cwd=repo)
    (root / "manuscript" / "01-introduction.md").write_text("# 引言\n\n改过的正文[@wang2020]。\n", encoding="utf-8")
    build = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=repo)
    time.sleep(after)
    build.send_signal(signal.SIGKILL)
    build.wait()

    def complete(folder: Path) -> None:
        assert (folder / "manuscript.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
        pdf = (folder / "manuscript.pdf").read_bytes()
        assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
        assert zipfile.is_zipfile(folder / "manuscript.docx")

    complete(root / "output")
    subprocess.run(command, check=True, capture_output=True, cwd=repo)
    complete(root / "output")
    assert sorted(p.name for p in (root / "output").iterdir()) == ["manuscript.docx", "manuscript.html", "manuscript.pdf"], "no debris"


def test_time_grows_linearly_with_the_size_of_a_section(project: Callable[[str], Path], cli: Cli) -> None:
    import statistics
    import time

    paragraph = "这是一段带引用的正文[@wang2020]，另有多篇文献[@smith2019; @lee2018]与*强调*和`代码`。\n\n"

    def seconds(paragraphs: int) -> float:
        root = project("minimal")  # a fresh copy each time (removed below)
        (root / "manuscript" / "02-long.md").write_text("# 长\n\n" + paragraph * paragraphs, encoding="utf-8")
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            assert cli("build", "-C", str(root), "--format", "html")[0] == 0
            runs.append(time.perf_counter() - start)
        shutil.rmtree(root)
        return statistics.median(runs)

    small, large = seconds(300), seconds(3000)
    assert large <= 12 * small, f"10× the text took {large / small:.1f}× the time"


@pytest.mark.parametrize("settings,link", [('output_name = "link/x"', "output/link"), ('output_dir = "out/sub"', "out")], ids=["name", "dir"])
def test_no_output_path_leads_out_of_the_project(project: Callable[[str], Path], cli: Cli, tmp_path: Path, settings: str, link: str) -> None:
    root = project("minimal")
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(outside)
    (root / "pyproject.toml").write_text(f"[tool.mspress]\n{settings}\n", encoding="utf-8")
    code, _, err = cli("build", "-C", str(root), "--format", "html")
    assert code == 1 and "is a link to a folder outside the project" in err
    assert list(outside.rglob("*")) == []


def test_a_folder_in_an_output_s_place_stops_the_build_before_any_rename(project: Callable[[str], Path], cli: Cli) -> None:
    root = project("minimal")
    assert cli("build", "-C", str(root), "--format", "html")[0] == 0
    before = (root / "output" / "manuscript.html").read_bytes()
    (root / "output" / "manuscript.pdf").mkdir()
    (root / "output" / "manuscript.pdf" / "x").write_text("x")
    (root / "manuscript" / "01-introduction.md").write_text("# 引言\n\n改过[@wang2020]。\n", encoding="utf-8")
    code, _, err = cli("build", "-C", str(root), "--format", "html", "--format", "pdf")
    assert code == 1 and "manuscript.pdf" in err
    assert (root / "output" / "manuscript.html").read_bytes() == before, "all or none"


@pytest.mark.parametrize("pid", ["99999999999999999999", "0"])
def test_debris_with_an_impossible_process_number_is_removed(project: Callable[[str], Path], cli: Cli, pid: str) -> None:
    root = project("minimal")
    (root / "output").mkdir()
    debris = root / "output" / f".manuscript.html.{pid}-aaaaaaaaaaaa"
    debris.write_bytes(b"half")
    code, _, err = cli("build", "-C", str(root), "--format", "html")
    assert code == 0 and "Traceback" not in err and not debris.exists()
