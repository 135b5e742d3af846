"""The command line: one exit-code table, --version, help named after the command, a closed pipe, file modes."""
from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mspress import __version__
from mspress.errors import ExitCode

from .editing import edit

Cli = Callable[..., tuple[int, str, str]]
REPO = Path(__file__).parent.parent


def test_version(cli: Cli) -> None:
    assert cli("--version") == (0, f"mspress {__version__}\n", "")


def test_help_names_the_command(cli: Cli) -> None:
    code, out, _ = cli("--help")
    assert code == 0 and out.startswith("usage: mspress ")
    assert "exit status: 0 done, 1 manuscript errors, 2 unusable command line, configuration or input" in " ".join(out.split())


def test_build_py_is_the_same_command_named_build_py() -> None:
    result = subprocess.run([sys.executable, "build.py", "--help"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("usage: build.py ")


@pytest.mark.parametrize("argv, status", [
    (("check", "--format", "yaml"), ExitCode.UNUSABLE),
    (("build", "--no-such-option"), ExitCode.UNUSABLE),
    (("refs", "no-such-file.bib"), ExitCode.UNUSABLE),
    (("check", "no-such-file.docx"), ExitCode.UNUSABLE),
], ids=["bad-choice", "unknown-option", "refs-missing-file", "check-missing-file"])
def test_unusable_command_lines_exit_2(cli: Cli, argv: tuple[str, ...], status: int) -> None:
    code, _, err = cli(*argv)
    assert code == status and "Traceback" not in err and err.strip()


def test_exit_codes_agree_across_commands(project: Callable[[str], Path], cli: Cli, tmp_path: Path) -> None:
    root = project("minimal")
    assert cli("check", "-C", str(root))[0] == cli("build", "-C", str(root), "--format", "html")[0] == ExitCode.DONE
    edit(root / "manuscript" / "01-introduction.md", "[@wang2020]", "[@wang2021]")
    assert cli("check", "-C", str(root))[0] == cli("build", "-C", str(root))[0] == ExitCode.MANUSCRIPT_ERRORS
    (root / "pyproject.toml").write_text("[tool.mspress]\nstyle = 2015\n", encoding="utf-8")
    assert cli("check", "-C", str(root))[0] == cli("build", "-C", str(root))[0] == ExitCode.UNUSABLE
    broken = tmp_path / "broken.bib"
    broken.write_text("@article{a, title={T}, journal={J}, year={2020}}\n@article{b, title={oops\n", encoding="utf-8")
    assert cli("refs", str(broken))[0] == ExitCode.MANUSCRIPT_ERRORS


def test_refs_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    library = (REPO / "references" / "library.bib").read_text(encoding="utf-8")
    big = tmp_path / "big.bib"  # far more than a pipe holds, so head closes it while refs still writes
    big.write_text("\n".join(re.sub(r"(@\w+\{)", rf"\g<1>c{i}", library)
                             for i in range(40)), encoding="utf-8")
    command = f"{sys.executable} -m mspress refs {big} | head -n 1"
    result = subprocess.run(["bash", "-c", command], cwd=REPO, capture_output=True, text=True)
    assert result.stdout.startswith("[1] ") and result.stdout.count("\n") == 1
    assert result.stderr == "", result.stderr


def test_outputs_follow_the_users_umask(project: Callable[[str], Path]) -> None:
    root = project("minimal")
    for umask, mode in ((0o022, 0o644), (0o077, 0o600)):
        code = f"import os, sys; os.umask({umask}); from mspress.cli import main; sys.exit(main(['build', '-C', sys.argv[1], '--format', 'html']))"
        assert subprocess.run([sys.executable, "-c", code, str(root)], cwd=REPO, capture_output=True).returncode == 0
        assert stat.S_IMODE((root / "output" / "manuscript.html").stat().st_mode) == mode


def test_build_py_alone_builds_the_project_in_the_current_directory(project: Callable[[str], Path]) -> None:
    root = project("minimal")
    shutil.copy(REPO / "build.py", root / "build.py")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "build.py", "--format", "html"], cwd=root, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "wrote output/manuscript.html\n"


def test_pandoc_is_never_taken_from_the_current_directory(project: Callable[[str], Path]) -> None:
    """A manuscript someone else wrote may ship a pypandoc/files/pandoc of its own; it must not run."""
    root = project("minimal")
    fake = root / "pypandoc" / "files" / "pandoc"
    fake.parent.mkdir(parents=True)
    fake.write_text("#!/bin/sh\ntouch \"$(dirname \"$0\")/ran\"\nexit 1\n", encoding="utf-8")
    fake.chmod(0o755)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "-m", "mspress", "check"], cwd=root, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (fake.parent / "ran").exists()


def test_the_files_pandoc_reads_are_removed(project: Callable[[str], Path], tmp_path: Path) -> None:
    root = project("minimal")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env = dict(os.environ, PYTHONPATH=str(REPO), TMPDIR=str(scratch))
    for argv in (["check", "-C", str(root)], ["build", "-C", str(root), "--format", "html"]):
        assert subprocess.run([sys.executable, "-m", "mspress", *argv], capture_output=True, env=env).returncode == 0
    (root / "pyproject.toml").write_text("[tool.mspress]\nstyle = 1\n", encoding="utf-8")  # stops after pandoc started
    assert subprocess.run([sys.executable, "-m", "mspress", "check", "-C", str(root)], capture_output=True, env=env).returncode == 2
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("suffix,advice", [(".doc", "save it as .docx"), (".pdf", "cannot read a PDF manuscript"), (".odt", "save it as .docx"),
                                           (".tex", "pandoc paper.tex -o paper.md")])
def test_import_says_what_to_do_with_a_manuscript_it_cannot_read(cli: Callable[..., tuple[int, str, str]], tmp_path: Path, suffix: str, advice: str) -> None:
    """Not taken for a reference export (whose errors would talk of export formats)."""
    paper = tmp_path / f"paper{suffix}"
    paper.write_bytes(b"\xd0\xcf\x11\xe0 not readable")
    code, out, err = cli("import", str(paper), "--to", str(tmp_path / "new"))
    assert code == 2 and out == "" and err == f"{paper}:1:1: error: {err.split(': error: ', 1)[1]}" and advice in err and err.count("\n") == 1
    assert not (tmp_path / "new").exists()
