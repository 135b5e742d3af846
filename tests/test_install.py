"""The package as a user installs it: a wheel in a fresh virtual environment, run from outside the repository."""
from __future__ import annotations

import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).parent.parent


def run(*argv: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in argv], cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, f"{argv}: {result.stdout}{result.stderr}"
    return result


def test_wheel_installs_a_working_mspress_command(tmp_path: Path) -> None:
    source = tmp_path / "source"  # setuptools writes build/ beside the sources: not into the repository
    shutil.copytree(REPO / "mspress", source / "mspress", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    wheels = tmp_path / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", wheels, source, cwd=tmp_path)
    wheel = next(wheels.glob("mspress-*.whl"))
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel, cwd=tmp_path)

    elsewhere = tmp_path / "somewhere"
    elsewhere.mkdir()
    mspress = venv / "bin" / "mspress"
    assert re.fullmatch(r"mspress \d+\.\d+\.\d+\n", run(mspress, "--version", cwd=elsewhere).stdout)

    article = tmp_path / "article"
    for name in ("manuscript", "references"):
        shutil.copytree(REPO / name, article / name)
    shutil.copy(REPO / "pyproject.toml", article / "pyproject.toml")  # journal = "sichuan-mental-health": packaged data
    run(mspress, "check", "-C", article, cwd=elsewhere)
    out = run("sh", "-c", 'umask 022 && exec "$0" "$@"', mspress, "build", "-C", article, cwd=elsewhere).stdout
    assert out.splitlines() == [f"wrote {article / 'output' / name}" for name in ("manuscript.html", "manuscript.pdf", "manuscript.docx")]
    html = (article / "output" / "manuscript.html").read_text(encoding="utf-8")
    assert html.count('class="reference"') == 34 and "【摘要】" in html
    pdf = article / "output" / "manuscript.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and stat.S_IMODE(pdf.stat().st_mode) == 0o644, "the user's umask (022)"
    assert zipfile.is_zipfile(article / "output" / "manuscript.docx"), "the Word file's styles come from packaged code and pandoc's data"

    # `mspress new` from the wheel: the scaffold ships as package data, its dot files under their real names.
    fresh = tmp_path / "fresh"
    run(mspress, "new", fresh, "--journal", "sichuan-mental-health", cwd=elsewhere)
    for name in (".gitignore", ".pre-commit-config.yaml", ".github/workflows/mspress.yml", "manuscript/figures/example.png"):
        assert (fresh / name).is_file(), name
    out = run(mspress, "build", "-C", fresh, cwd=elsewhere).stdout
    assert out.splitlines() == [f"wrote {fresh / 'output' / name}" for name in ("manuscript.html", "manuscript.pdf", "manuscript.docx")]
    assert run(mspress, "check", "-C", fresh, cwd=elsewhere).stdout == "0 errors, 0 warnings\n"
