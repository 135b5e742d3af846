"""``mspress build DIR… -j N``: a journal's issue built in parallel, with one summary and the worst exit code."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from mspress.commands import batch, build

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent
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


def test_a_killed_worker_fails_only_its_project(tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    names = issue(tmp_path, 5)
    real = build.build

    def dying(settings, *args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(0.3)
        if settings.root.name == "a02":
            os.kill(os.getpid(), signal.SIGKILL)
        return real(settings, *args, **kwargs)

    monkeypatch.setattr(build, "build", dying)
    code, out, err = cli("build", *names, "-j", "2", "--format", "html")
    assert code == 2
    assert "a02: error: the build's process was killed" in err and "failed: a02 (not built)" in err
    assert "built 4 of 5 projects" in err
    assert all((tmp_path / name / "output" / "manuscript.html").is_file() for name in names if name != "a02")


def test_ctrl_c_stops_the_issue_at_once(tmp_path: Path) -> None:
    names = issue(tmp_path, 6)
    script = ("import sys, time\n"
              "from mspress.commands import build\n"
              "real = build.build\n"
              "def slow(settings, *args, **kwargs):\n"
              "    time.sleep(3)\n"
              "    return real(settings, *args, **kwargs)\n"
              "build.build = slow\n"
              "from mspress.cli import main\n"
              "sys.exit(main(sys.argv[1:]))\n")
    start = time.monotonic()
    process = subprocess.Popen([sys.executable, "-c", script, "build", *names, "-j", "2", "--format", "html"], cwd=tmp_path,
                               env={**os.environ, "PYTHONPATH": str(REPO)}, start_new_session=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    os.killpg(process.pid, signal.SIGINT)  # as the terminal sends it: to every process of the command
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "interrupted" in err
    assert time.monotonic() - start < 3
    time.sleep(3)  # a worker left running would write its project by now
    assert not any((tmp_path / name / "output").exists() for name in names)


def test_paths_already_seen_from_here_are_not_prefixed_again(tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    names = issue(tmp_path / "issue", 2)
    (tmp_path / "issue" / "a01" / "output" / "manuscript.html").mkdir(parents=True)  # cannot be written
    code, _, err = cli("build", *[f"issue/{name}" for name in names], "issue/a02/", "-j", "2", "--format", "html")
    assert code != 0
    assert "issue/a01/output/manuscript.html:1:1: error:" in err and "issue/a01/issue/a01" not in err, err
    assert "built 1 of 2 projects" in err  # issue/a02 and issue/a02/ are one project
