"""The PDF typesetter forked as a build starts (``writers/typesetter.py``): the same PDF, errors reported as the build's
own, a typesetter that dies or is interrupted never takes the build with it or outlives it."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mspress.writers import typesetter

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


def project(root: Path) -> Path:
    shutil.copytree(FIXTURES / "projects" / "minimal", root)
    return root


def build(root: Path, patch: str = "", *extra: str, wait: bool = True) -> subprocess.CompletedProcess[str] | subprocess.Popen[str]:
    """``mspress build -C root`` in a fresh process (where WeasyPrint is not imported yet), after ``patch`` ran there;
    ``patch`` sees ``PARENT``, the building process's pid. A forked typesetter inherits what it patched."""
    script = ("import os, sys, time\n"
              "from pathlib import Path\n"
              "PARENT = os.getpid()\n"
              "def child_of(pid, parent):  # finished or not: a process not reaped is still listed\n"
              "    try:\n"
              "        return int(Path(f'/proc/{pid}/stat').read_text().rsplit(')', 1)[1].split()[1]) == parent\n"
              "    except (OSError, IndexError, ValueError):\n"
              "        return False\n"
              f"{patch}\n"
              "from mspress.cli import main\n"
              "code = main(['build', '-C', sys.argv[1], '--format', 'pdf', *sys.argv[2:]])\n"
              "print('children left:', sum(1 for d in os.listdir('/proc') if d.isdigit() and child_of(d, PARENT)))\n"
              "sys.exit(code)\n")
    command = [sys.executable, "-c", script, str(root), *extra]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if not wait:
        return subprocess.Popen(command, env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def typeset_replaced(*body: str, before: str = "") -> str:
    """A patch: ``writers.pdf.typeset(html, base)`` does ``body`` (``real`` is the function it replaces)."""
    lines = "".join(f"    {line}\n" for line in body)
    return f"{before}import mspress.writers.pdf as pdf\nreal = pdf.typeset\ndef typeset(html, base):\n{lines}pdf.typeset = typeset\n"


TYPESET_IN = typeset_replaced("print('typeset in', 'the typesetter' if os.getpid() != PARENT else 'the build', file=sys.stderr, flush=True)",
                              "return real(html, base)")


def test_the_forked_typesetter_makes_the_pdf_the_build_would(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    forked = build(root, TYPESET_IN, "--format", "docx", "--format", "html")  # the Word file made beside the PDF
    assert forked.returncode == 0 and "typeset in the typesetter" in forked.stderr, forked.stderr
    assert "children left: 0" in forked.stdout
    assert (root / "output" / "manuscript.docx").read_bytes().startswith(b"PK")
    pdf = (root / "output" / "manuscript.pdf").read_bytes()
    alone = build(root, TYPESET_IN + "from mspress.writers import typesetter\ntypesetter.start = lambda: None\n")
    assert alone.returncode == 0 and "typeset in the build" in alone.stderr, alone.stderr
    assert (root / "output" / "manuscript.pdf").read_bytes() == pdf


def test_a_manuscript_error_in_the_typesetter_is_the_build_s_one_line(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    patch = typeset_replaced("assert os.getpid() != PARENT",
                             "raise ManuscriptError(Location(Path('manuscript/01-introduction.md'), 3, 1), 'cannot typeset this', 'test-code')",
                             before="from mspress.errors import Location, ManuscriptError\n")
    result = build(root, patch)
    assert result.returncode == 1
    assert result.stderr.strip() == "manuscript/01-introduction.md:3:1: error: cannot typeset this [test-code]"
    assert not (root / "output" / "manuscript.pdf").exists() and "children left: 0" in result.stdout


def test_a_bug_in_the_typesetter_is_shown_where_it_happened(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    patch = typeset_replaced("return layout_bug(html)", before="def layout_bug(html):\n    raise ValueError('no such box')\n")
    result = build(root, patch)
    assert result.returncode == 1 and "ValueError: no such box" in result.stderr
    assert "in the forked PDF typesetter" in result.stderr and "in layout_bug" in result.stderr, result.stderr


def test_a_bug_in_the_typesetter_shows_its_traceback(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    patch = typeset_replaced("raise Unpicklable('a bug in typesetting', 2)",
                             before="class Unpicklable(Exception):\n    def __init__(self, a, b):\n        super().__init__(a)\n")
    result = build(root, patch)
    assert result.returncode == 1 and "the PDF typesetter failed" in result.stderr and "a bug in typesetting" in result.stderr
    assert "Unpicklable" in result.stderr  # the child's traceback, naming where it failed


def test_a_typesetter_that_dies_leaves_the_pdf_to_the_build(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    patch = typeset_replaced("if os.getpid() != PARENT:",
                             "    os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would",
                             "return real(html, base)", before="import signal\n")
    result = build(root, patch)
    assert result.returncode == 0, result.stderr
    assert (root / "output" / "manuscript.pdf").read_bytes().startswith(b"%PDF") and "children left: 0" in result.stdout


def test_an_answer_cut_short_leaves_the_pdf_to_the_build(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    patch = ("import pickle\n"
             "from mspress.writers import typesetter\n"
             "class Cut:  # the typesetter's answer loses its second half, as when it is killed while writing it\n"
             "    loads = staticmethod(pickle.loads)\n"
             "    @staticmethod\n"
             "    def dumps(value):\n"
             "        data = pickle.dumps(value)\n"
             "        return data if os.getpid() == PARENT else data[:len(data) // 2]\n"
             "typesetter.pickle = Cut\n") + TYPESET_IN
    result = build(root, patch)
    assert result.returncode == 0, result.stderr
    assert "typeset in the typesetter" in result.stderr and "typeset in the build" in result.stderr
    assert (root / "output" / "manuscript.pdf").read_bytes().startswith(b"%PDF")


def test_a_typesetter_dies_with_a_build_that_is_killed(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    pid_file = tmp_path / "typesetter.pid"
    process = build(root, typeset_replaced(f"Path({str(pid_file)!r}).write_text(str(os.getpid()))", "time.sleep(60)"), wait=False)
    assert isinstance(process, subprocess.Popen)
    wait_for(pid_file)
    process.kill()  # as a CI job's timeout does
    process.communicate(timeout=30)
    assert gone(int(pid_file.read_text()), within=5)


def wait_for(path: Path) -> None:
    deadline = time.monotonic() + 60
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.1)


def gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_a_build_with_its_output_closed_still_builds(tmp_path: Path) -> None:
    # Started with standard output closed (cron, a daemon): Python has no sys.stdout to flush.
    root = project(tmp_path / "p")
    result = subprocess.run(["bash", "-c", f'"{sys.executable}" -m mspress build -C "{root}" --format html --format pdf >&-'],
                            env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert (root / "output" / "manuscript.pdf").read_bytes().startswith(b"%PDF")


def test_ctrl_c_stops_the_typesetter_with_the_build(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    pid_file = tmp_path / "typesetter.pid"
    patch = typeset_replaced(f"Path({str(pid_file)!r}).write_text(str(os.getpid()))", "time.sleep(60)")
    process = build(root, patch, wait=False)
    assert isinstance(process, subprocess.Popen)
    wait_for(pid_file)
    os.killpg(process.pid, signal.SIGINT)  # as the terminal sends it: to every process of the command
    start = time.monotonic()
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130 and "interrupted" in err and time.monotonic() - start < 5
    assert gone(int(pid_file.read_text()), within=1)


def test_a_build_that_stops_early_stops_its_typesetter_at_once(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    intro = root / "manuscript" / "01-introduction.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\n见[@no-such-key]。\n", encoding="utf-8")
    start = time.monotonic()
    result = build(root)
    assert result.returncode == 1 and "[undefined-citation]" in result.stderr
    assert "children left: 0" in result.stdout and time.monotonic() - start < 10


def test_no_typesetter_where_weasyprint_is_loaded_or_fork_is_unsafe(monkeypatch: pytest.MonkeyPatch) -> None:
    from mspress.writers.pdf import import_weasyprint

    def started() -> bool:
        found = typesetter.start()
        if found is not None:  # the check failed: do not leave a forked copy of this process behind
            found.close()
        return found is not None

    import_weasyprint()
    assert not started()  # a warm process typesets in itself
    monkeypatch.delitem(sys.modules, "weasyprint")
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        assert not started()  # a thread at work: forking now could copy a lock it holds
    finally:
        release.set()
        waiting.join()
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not started()
