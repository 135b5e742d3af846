"""``mspress build DIR… -j N``: a journal's issue built in parallel, with one summary and the worst exit code."""
from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from mspress.commands import batch, build

FIXTURES = Path(__file__).parent / "fixtures"
Cli = Callable[..., tuple[int, str, str]]


def issue(root: Path, count: int) -> list[str]:
    """``count`` copies of the minimal project under ``root``; the command runs in ``root``."""
    names = [f"a{n:02d}" for n in range(1, count + 1)]
    for name in names:
        shutil.copytree(FIXTURES / "projects" / "minimal", root / name)
    return names


def test_an_issue_builds_in_parallel_with_one_summary(tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    names = issue(tmp_path, 4)
    code, out, err = cli("build", *names, "-j", "2", "--format", "html")
    assert code == 0, err
    assert sorted(line for line in out.splitlines() if line.startswith("wrote")) == [
        f"wrote {name}/output/manuscript.html" for name in names]
    assert out.splitlines()[-1].startswith("built 4 of 4 projects in ") and "(2 at a time)" in out
    # The same pages as one at a time.
    pages = {name: (tmp_path / name / "output" / "manuscript.html").read_bytes() for name in names}
    code, _, err = cli("build", *names, "-j", "1", "--format", "html")
    assert code == 0, err
    assert pages == {name: (tmp_path / name / "output" / "manuscript.html").read_bytes() for name in names}


def test_a_failing_project_is_named_and_the_others_are_built(tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    names = issue(tmp_path, 3)
    intro = tmp_path / "a02" / "manuscript" / "01-introduction.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\n见[@no-such-key]。\n", encoding="utf-8")
    code, out, err = cli("build", *names, "missing", "-j", "2", "--format", "html")
    assert code == 2  # the worst: a directory that is not there
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert any(line.startswith("a02/manuscript/01-introduction.md:") and "[undefined-citation]" in line for line in errors), err
    assert "missing: error: no such project directory" in err
    assert err.splitlines()[-1].startswith("built 2 of 4 projects") and "failed: a02 (1 error), missing (no such directory)" in err
    assert (tmp_path / "a01" / "output" / "manuscript.html").is_file()
    assert (tmp_path / "a03" / "output" / "manuscript.html").is_file()
    assert not (tmp_path / "a02" / "output" / "manuscript.html").exists()
    code, _, _ = cli("build", "a01", "a02", "-j", "2", "--format", "html")
    assert code == 1  # manuscript errors only


def test_a_bug_on_one_project_is_reported_and_the_others_are_built(tmp_path: Path, cli: Cli,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    names = issue(tmp_path, 3)
    real = build.build

    def broken(settings, *args, **kwargs):  # type: ignore[no-untyped-def]
        if settings.root.name == "a03":
            raise RuntimeError("boom")
        return real(settings, *args, **kwargs)

    monkeypatch.setattr(build, "build", broken)  # the forked workers inherit it
    code, _, err = cli("build", *names, "-j", "2", "--format", "html")
    assert code == 2
    assert "a03: error: mspress failed on this project (a bug: please report it):" in err and "RuntimeError: boom" in err
    assert (tmp_path / "a01" / "output" / "manuscript.html").is_file()


def test_workers_are_separate_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    names = issue(tmp_path, 4)
    real = build.build

    def recording(settings, *args, **kwargs):  # type: ignore[no-untyped-def]
        (settings.root / "pid").write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(0.5)  # long enough that one worker cannot take every project before the other starts
        return real(settings, *args, **kwargs)

    monkeypatch.setattr(build, "build", recording)
    lines: list[str] = []
    assert batch.build_many([Path(n) for n in names], None, None, ("html",), 2, lines.append, lines.append) == 0, lines
    workers = {(tmp_path / name / "pid").read_text(encoding="utf-8") for name in names}
    assert len(workers) == 2 and str(os.getpid()) not in workers


@pytest.mark.parametrize("argv", [["build", "a01", "a02", "-C", "a01"], ["build", "a01", "a02", "-j", "0"]])
def test_batch_command_line_mistakes(tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    issue(tmp_path, 2)
    code, out, err = cli(*argv)
    assert code == 2 and not (tmp_path / "a01" / "output").exists()
    assert "-C DIR, not both" in err or "is not a number of jobs" in err


def test_one_dir_is_the_same_as_dash_c(tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    issue(tmp_path, 1)
    code, out, err = cli("build", "a01", "--format", "html")
    assert code == 0 and "built" not in out + err
    assert out.strip() == f"wrote {Path('a01') / 'output' / 'manuscript.html'}"
