"""Fast builds: mspress against the WeasyPrint floor and the XeLaTeX pipeline, a long document, an issue of thirty
articles, and ``check``/``refs`` — whole processes, round-robin, medians.

Usage: python benchmarks/fast_builds.py [-C DIR] [--runs N] [--long-runs N] [--times K] [--copies N]
                                        [--no-tex] [--only example,long,batch,commands]

Sections (each timed as fresh processes, one command after another in turn, so drift hits them alike):
  example   the project's full build (``build.py -C DIR``: HTML and PDF); the unpatched ``weasyprint`` command on
            the print HTML mspress typesets (the floor: WeasyPrint alone, no Chinese justification, no floats);
            the XeLaTeX pipeline (xelatex, bibtex, xelatex, xelatex) on the same article made LaTeX by pandoc
            (ctexart, two columns, gbt7714-numerical.bst, the same library);
  long      the same three on the article repeated K times (``--times``, default 30; sections and library copied
            as benchmarks/check_time.py does), with peak memory;
  batch     N copies of the example (``--copies``, default 30) built by ``build DIR… -j <cores>`` against
            ``-j 1`` and against N separate ``build -C DIR`` processes one by one;
  commands  ``check`` on the project and ``refs`` on its library.
TeX (texlive-xetex, texlive-lang-chinese, texlive-bibtex-extra, texlive-fonts-recommended) is installed with apt-get when it is missing and
this runs as root; ``make`` never installs it. Without TeX (or with --no-tex) the LaTeX rows are left out.
Prints the machine's cores and load average before and after.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
from check_time import AS_INSTALLED, synthetic  # noqa: E402

from mspress.pandoc import executable as pandoc  # noqa: E402

TEX_PACKAGES = ("texlive-xetex", "texlive-lang-chinese", "texlive-bibtex-extra", "texlive-fonts-recommended")
"""The last one is what hyperref's XeTeX driver needs (pzdr), which texlive-xetex only recommends."""
Steps = Sequence[Sequence[str]]


def run(steps: Steps, cwd: Path, check: bool = True) -> tuple[float, float]:
    """Wall seconds of ``steps`` run one after another, and the largest peak RSS (MB) among them."""
    start, peak = time.perf_counter(), 0.0
    for step in steps:
        proc = subprocess.Popen(list(step), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=AS_INSTALLED)
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        peak = max(peak, usage.ru_maxrss / 1024)
        if check and status != 0 and not step[0].endswith("bibtex"):  # bibtex exits 1 on a warning
            raise SystemExit(f"command failed in {cwd}: {' '.join(step)}\n{err.decode(errors='replace')[-3000:]}")
    return time.perf_counter() - start, peak


def round_robin(commands: dict[str, tuple[Steps, Path]], runs: int) -> dict[str, list[tuple[float, float]]]:
    for steps, cwd in commands.values():
        run(steps, cwd)  # warm-up: bytecode written, fonts and files in the page cache
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (steps, cwd) in commands.items():
            results[name].append(run(steps, cwd))
    return results


def report(title: str, results: dict[str, list[tuple[float, float]]], against: Sequence[str]) -> dict[str, float]:
    medians = {name: statistics.median(w for w, _ in samples) for name, samples in results.items()}
    runs = min(len(samples) for samples in results.values())
    print(f"\n## {title} — median of {runs} runs each, max peak RSS")
    for name, samples in results.items():
        ratios = "  ".join(f"{medians[name] / medians[other]:5.2f}× {other}" for other in against
                           if other in medians and other != name)
        print(f"{name:34s} {medians[name] * 1000:9.0f} ms  {max(m for _, m in samples):6.0f} MB  {ratios}")
    return medians


# --- the article as the LaTeX user has it ---------------------------------------------------------------------

LATEX = r"""\documentclass[twocolumn,zihao=5,a4paper]{ctexart}
\usepackage[margin=20mm]{geometry}
\usepackage{amsmath,amssymb,graphicx,array,calc,longtable,booktabs}
\usepackage[colorlinks=false,pdfborder={0 0 0}]{hyperref}
\usepackage[super]{gbt7714}
\bibliographystyle{gbt7714-numerical}
\setkeys{Gin}{width=\linewidth,keepaspectratio}
\providecommand{\tightlist}{\setlength{\itemsep}{0pt}\setlength{\parskip}{0pt}}
\providecommand{\pandocbounded}[1]{#1}
\title{TITLE}
\author{AUTHORS}
\date{}
\begin{document}
\twocolumn[\begin{@twocolumnfalse}\maketitle
\begin{abstract}ABSTRACT_ZH\end{abstract}
\renewcommand{\abstractname}{Abstract}\begin{abstract}ABSTRACT_EN\end{abstract}\vspace{1em}
\end{@twocolumnfalse}]
BODY
\bibliography{library}
\end{document}
"""
_CROSS = {"fig": r"图\ref{fig:%s}", "tbl": r"表\ref{tbl:%s}", "sec": r"\ref{sec:%s}", "eq": r"式(\ref{eq:%s})"}


def latex_project(project: Path, target: Path) -> Path:
    """``project`` as a LaTeX author keeps it: article.tex, library.bib and the figures as PDF."""
    import yaml

    target.mkdir(parents=True)
    manuscript = project / "manuscript"
    sections = sorted(manuscript.glob("[0-9]*-*.md"))
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sections)
    text = re.sub(r"@(fig|tbl|sec|eq):([A-Za-z0-9_:-]*[A-Za-z0-9_])", lambda m: _CROSS[m.group(1)] % m.group(2), text)
    (target / "figures").mkdir()
    for svg in (manuscript / "figures").glob("*.svg"):
        _svg_to_pdf(svg, target / "figures" / f"{svg.stem}.pdf")
    text = re.sub(r"(\]\(figures/[^)]+)\.svg\)", r"\1.pdf)", text)
    body = _pandoc_latex(text, target)
    meta = yaml.safe_load((manuscript / "metadata.yaml").read_text(encoding="utf-8"))
    title = meta["title"].get("zh") or meta["title"].get("en")
    authors = ", ".join(a["name"].get("zh") or a["name"].get("en") for a in meta.get("authors", []))
    abstracts = {lang: _pandoc_latex((manuscript / f"abstract.{lang}.md").read_text(encoding="utf-8"), target)
                 for lang in ("zh", "en")}
    document = (LATEX.replace("TITLE", title).replace("AUTHORS", authors).replace("ABSTRACT_ZH", abstracts["zh"])
                .replace("ABSTRACT_EN", abstracts["en"]).replace("BODY", _floating_tables(body)))
    (target / "article.tex").write_text(document, encoding="utf-8")
    library = "\n".join(p.read_text(encoding="utf-8") for p in sorted((project / "references").glob("*.bib")))
    # BibTeX passes field text to TeX as it is: a LaTeX author escapes & (mspress reads it as text).
    (target / "library.bib").write_text(re.sub(r"(?<!\\)&", r"\\&", library), encoding="utf-8")
    return target


def _pandoc_latex(markdown: str, cwd: Path) -> str:
    done = subprocess.run([pandoc(), "-f", "markdown", "-t", "latex", "--natbib", "--wrap=none"], input=markdown.encode(),
                          capture_output=True, cwd=cwd, check=True)
    return done.stdout.decode()


def _floating_tables(body: str) -> str:
    """pandoc writes longtable, which two-column LaTeX refuses: each becomes a table float with a tabular."""
    def floating(match: re.Match[str]) -> str:
        spec, content = match.group(1), match.group(2)
        caption = re.search(r"\\caption\{.*?\}(?:\\label\{[^}]*\})?", content, re.S)
        content = re.sub(r"\\caption\{.*?\}(?:\\label\{[^}]*\})?\s*\\tabularnewline", "", content, flags=re.S)
        content = re.sub(r"\\endfirsthead.*?\\endhead", "", content, flags=re.S)
        content = re.sub(r"\\end(?:firsthead|head|foot|lastfoot)", "", content)
        return (f"\\begin{{table}}[htbp]\\centering\\small{caption.group(0) if caption else ''}\n"
                f"\\begin{{tabular}}{spec}{content}\\end{{tabular}}\\end{{table}}")
    return re.sub(r"\\begin\{longtable\}(?:\[\])?(\{.*?\})\n(.*?)\\end\{longtable\}", floating, body, flags=re.S)


def _svg_to_pdf(svg: Path, pdf: Path) -> None:
    if shutil.which("rsvg-convert"):
        subprocess.run(["rsvg-convert", "-f", "pdf", "-o", str(pdf), str(svg)], check=True)
        return
    import weasyprint  # noqa: PLC0415 — setup only, not timed

    weasyprint.HTML(string=f'<style>@page {{size: auto; margin: 0}}</style><img src="{svg.as_uri()}">').write_pdf(str(pdf))


def xelatex_steps(tex: Path) -> Steps:
    xelatex = ["xelatex", "-interaction=nonstopmode", "-halt-on-error", tex.stem]
    return [xelatex, ["bibtex", tex.stem], xelatex, xelatex]


def tex_available(install: bool) -> bool:
    def found() -> bool:
        return bool(shutil.which("xelatex") and shutil.which("bibtex") and shutil.which("kpsewhich")) and subprocess.run(
            ["kpsewhich", "gbt7714.sty"], capture_output=True, text=True).stdout.strip() != ""
    if found() or not install:
        return found()
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print("TeX is not installed and this is not root on Debian: the LaTeX rows are left out", file=sys.stderr)
        return False
    print(f"installing {' '.join(TEX_PACKAGES)} (once; make never does) …", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", *TEX_PACKAGES], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    return found()


# --- the floor: WeasyPrint alone on the page mspress typesets ----------------------------------------------------

_DUMP_PRINT_PAGE = """
import sys
from pathlib import Path
import mspress.writers.pdf as pdf
def dump(html, base):
    Path(sys.argv[2]).write_text(html, encoding="utf-8")
    raise SystemExit(0)
pdf.typeset = dump
from mspress.cli import main
main(["build", "-C", sys.argv[1], "--format", "pdf"])
"""


def print_page(project: Path, target: Path) -> Path:
    """The print HTML mspress hands WeasyPrint for ``project``."""
    subprocess.run([sys.executable, "-c", _DUMP_PRINT_PAGE, str(project), str(target)], check=True, cwd=REPO,
                   env={**AS_INSTALLED, "PYTHONPATH": str(REPO)})
    return target


def weasyprint_steps(page: Path) -> Steps:
    return [[sys.executable, "-m", "weasyprint", "--quiet", str(page), str(page.with_suffix(".pdf"))]]


def mspress_build(project: Path, *extra: str) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), "-C", str(project), *extra]


def copy_project(project: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("manuscript", "references", "pyproject.toml"):
        source = project / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target / name)
    return target


def three_ways(project: Path, work: Path, tex: bool) -> dict[str, tuple[Steps, Path]]:
    commands: dict[str, tuple[Steps, Path]] = {
        "mspress build (HTML+PDF)": ([mspress_build(project, "--format", "html", "--format", "pdf")], work),
        "weasyprint (floor)": (weasyprint_steps(print_page(project, work / f"{project.name}-print.html")), work),
    }
    if tex:
        latex = latex_project(project, work / f"{project.name}-latex")
        commands["xelatex+bibtex+xelatex×2"] = (xelatex_steps(latex / "article.tex"), latex)
    return commands


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("-C", dest="directory", default=str(REPO))
    args.add_argument("--runs", type=int, default=10, help="runs of each command (example, commands; default 10)")
    args.add_argument("--long-runs", type=int, default=10, help="runs of each command on the long document and the batch")
    args.add_argument("--times", type=int, default=30, help="the long document is the article this many times (default 30)")
    args.add_argument("--copies", type=int, default=30, help="projects in the batch (default 30)")
    args.add_argument("--no-tex", action="store_true", help="leave out the XeLaTeX pipeline")
    args.add_argument("--only", default="example,long,batch,commands")
    opts = args.parse_args(argv)
    sections = set(opts.only.split(","))
    project = Path(opts.directory).resolve()
    tex = not opts.no_tex and tex_available(install=True)
    cores = os.cpu_count()
    print(f"# mspress fast builds — {cores} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        example = copy_project(project, work / "example")
        if "example" in sections:
            report("the example", round_robin(three_ways(example, work, tex), opts.runs),
                             ["weasyprint (floor)", "xelatex+bibtex+xelatex×2"])
        if "long" in sections:
            long = work / f"long-{opts.times}"
            synthetic(example, long, opts.times)
            shutil.copy(example / "pyproject.toml", long / "pyproject.toml")
            report(f"the article ×{opts.times}", round_robin(three_ways(long, work, tex), opts.long_runs),
                   ["weasyprint (floor)", "xelatex+bibtex+xelatex×2"])
        if "batch" in sections:
            issue = work / "issue"
            copies = [copy_project(project, issue / f"a{n:02d}") for n in range(1, opts.copies + 1)]
            names = [c.name for c in copies]
            batch: dict[str, tuple[Steps, Path]] = {
                f"build {opts.copies} DIRs -j {cores}": ([[sys.executable, str(REPO / "build.py"), "build", *names, "-j", str(cores)]], issue),
                f"build {opts.copies} DIRs -j 1": ([[sys.executable, str(REPO / "build.py"), "build", *names, "-j", "1"]], issue),
                f"{opts.copies} × build -C DIR": ([mspress_build(c) for c in copies], issue),
            }
            report(f"an issue of {opts.copies} articles", round_robin(batch, opts.long_runs),
                   [f"{opts.copies} × build -C DIR", f"build {opts.copies} DIRs -j 1"])
        if "commands" in sections:
            bibs = [str(p) for p in sorted((example / "references").glob("*.bib"))]
            commands: dict[str, tuple[Steps, Path]] = {
                "check": ([[sys.executable, "-m", "mspress", "check", "-C", str(example)]], REPO),
                "refs (the library)": ([[sys.executable, "-m", "mspress", "refs", *bibs[:1]]], REPO),
                "python -c pass": ([[sys.executable, "-c", "pass"]], REPO),
            }
            report("check and refs", round_robin(commands, opts.runs), ["python -c pass"])
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
