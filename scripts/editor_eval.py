"""Measure editor-mode ``mspress check`` on the real-manuscript corpus (issue 12's acceptance test).

    python scripts/editor_eval.py                 # per document and in total
    python scripts/editor_eval.py --verbose       # … and every false positive / false negative
    python scripts/editor_eval.py --json          # the same figures for a machine
    python scripts/editor_eval.py tigge.md        # only some documents of the corpus

Each document ``NAME`` of tests/fixtures/editor-real/ (.md, .txt, .html, .docx) has ``NAME.expected``: one line
``LINE CODE`` per true problem, marked by reading the document (``#`` starts a comment; an empty file is a
correct document). ``mspress check NAME --format json`` runs as a fresh process in an empty directory (no
project settings: the default journal profile); every diagnostic, error or warning, is a report. A report
matches an expected problem of the same code on the same line (each expected problem matches one report).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "editor-real"
SUFFIXES = (".md", ".txt", ".html", ".docx")


@dataclass
class Problem:
    line: int
    code: str
    message: str = ""


@dataclass
class Result:
    document: str
    expected: int
    reports: int
    true_positives: int
    false_positives: list[Problem] = field(default_factory=list)
    false_negatives: list[Problem] = field(default_factory=list)
    error: str | None = None

    @property
    def correct_document(self) -> bool:
        return self.expected == 0

    @property
    def precision(self) -> float:
        found = self.true_positives + len(self.false_positives)
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + len(self.false_negatives)
        return self.true_positives / wanted if wanted else 1.0


def documents(corpus: Path, names: list[str] | None = None) -> list[Path]:
    found = sorted(p for p in corpus.iterdir() if p.suffix in SUFFIXES and p.is_file() and p.name != "SOURCES.md")
    if names:
        found = [p for p in found if p.name in names]
        missing = set(names) - {p.name for p in found}
        if missing:
            raise SystemExit(f"not in the corpus: {', '.join(sorted(missing))}")
    for path in found:
        if not expected_path(path).is_file():
            raise SystemExit(f"{path.name}: no {expected_path(path).name} (mark the true problems by reading it)")
    return found


def expected_path(document: Path) -> Path:
    return document.with_name(document.name + ".expected")


def read_expected(path: Path) -> list[Problem]:
    problems = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2 or not parts[0].isdigit():
            raise SystemExit(f"{path.name}:{number}: expected 'LINE CODE', got {raw!r}")
        problems.append(Problem(int(parts[0]), parts[1]))
    return problems


def run_check(document: Path) -> tuple[list[Problem], str | None]:
    """The diagnostics of ``mspress check DOCUMENT --format json``, or the reason there are none."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [os.environ.get("PYTHONPATH"), str(ROOT)])))  # a PYTHONPATH given first: measure another mspress
    with tempfile.TemporaryDirectory() as empty:
        done = subprocess.run([sys.executable, "-m", "mspress", "check", str(document), "--format", "json"],
                              cwd=empty, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode not in (0, 1):
        return [], f"exit status {done.returncode}: {(done.stderr or done.stdout).strip()[-500:]}"
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        return [], f"no JSON report: {done.stdout.strip()[-300:]} {done.stderr.strip()[-300:]}"
    return [Problem(int(d["line"] or 0), d["code"], d.get("message", "")) for d in report["diagnostics"]], None


def evaluate(document: Path) -> Result:
    expected = read_expected(expected_path(document))
    reported, error = run_check(document)
    wanted = Counter((p.line, p.code) for p in expected)
    true_positives = 0
    false_positives = []
    for problem in reported:
        if wanted[(problem.line, problem.code)] > 0:
            wanted[(problem.line, problem.code)] -= 1
            true_positives += 1
        else:
            false_positives.append(problem)
    false_negatives = []
    for problem in expected:
        if wanted[(problem.line, problem.code)] > 0:
            wanted[(problem.line, problem.code)] -= 1
            false_negatives.append(problem)
    return Result(document.name, len(expected), len(reported), true_positives, false_positives, false_negatives, error)


@dataclass
class Total:
    documents: int
    correct_documents: int
    true_positives: int
    false_positives: int
    false_negatives: int
    precision: float
    recall: float
    reports_on_correct_documents: int
    errors: int


def total(results: list[Result]) -> Total:
    tp = sum(r.true_positives for r in results)
    fp = sum(len(r.false_positives) for r in results)
    fn = sum(len(r.false_negatives) for r in results)
    return Total(len(results), sum(r.correct_document for r in results), tp, fp, fn,
                 tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0,
                 sum(r.reports for r in results if r.correct_document), sum(r.error is not None for r in results))


def as_text(results: list[Result], summary: Total, verbose: bool) -> str:
    out = [f"{'document':28} {'exp':>4} {'rep':>4} {'TP':>4} {'FP':>4} {'FN':>4} {'prec':>6} {'recall':>6}"]
    for r in results:
        mark = "  (correct document)" if r.correct_document else ""
        out.append(f"{r.document:28} {r.expected:4d} {r.reports:4d} {r.true_positives:4d} {len(r.false_positives):4d} "
                   f"{len(r.false_negatives):4d} {r.precision:6.3f} {r.recall:6.3f}{mark}")
        if r.error:
            out.append(f"    ERROR {r.error}")
        if verbose:
            out.extend(f"    FP {p.line}: {p.code}: {p.message}" for p in r.false_positives)
            out.extend(f"    FN {p.line}: {p.code}" for p in r.false_negatives)
    s = summary
    out.append(f"{'total':28} {s.true_positives + s.false_negatives:4d} {s.true_positives + s.false_positives:4d} "
               f"{s.true_positives:4d} {s.false_positives:4d} {s.false_negatives:4d} {s.precision:6.3f} {s.recall:6.3f}")
    out.append(f"precision {s.precision:.3f}, recall {s.recall:.3f}, "
               f"{s.reports_on_correct_documents} reports on {s.correct_documents} correct documents, "
               f"{s.documents} documents" + (f", {s.errors} could not be checked" if s.errors else ""))
    return "\n".join(out) + "\n"


def as_json(results: list[Result], summary: Total) -> str:
    documents_out = []
    for r in results:
        item = asdict(r)
        item.update(precision=r.precision, recall=r.recall, correct_document=r.correct_document,
                    false_positives=[asdict(p) for p in r.false_positives],
                    false_negatives=[{"line": p.line, "code": p.code} for p in r.false_negatives])
        documents_out.append(item)
    return json.dumps({"documents": documents_out, "total": asdict(summary)}, ensure_ascii=False, indent=2) + "\n"


def run(corpus: Path = CORPUS, names: list[str] | None = None) -> tuple[list[Result], Total]:
    results = [evaluate(path) for path in documents(corpus, names)]
    return results, total(results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="documents of the corpus (default: all)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the corpus directory")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every false positive and false negative")
    args = parser.parse_args(argv)
    results, summary = run(args.corpus, args.names or None)
    sys.stdout.write(as_json(results, summary) if args.json else as_text(results, summary, args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
