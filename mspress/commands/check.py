"""``check``: run the project or editor-mode checks and print the report. Imports no pandoc or WeasyPrint."""
from __future__ import annotations

import sys
from pathlib import Path

from mspress.model import Numbering
from mspress.checks.report import CODES, CheckReport, NumberRow, as_github, as_json, as_junit, as_sarif, as_text

FORMATS = ("text", "json", "github", "junit", "sarif")


def check_path(target: Path, shown: Path, min_run: int = 2) -> CheckReport:
    """A file → editor mode (``min_run``: the journal's shortest range); a directory → project mode."""
    if target.is_file():
        from mspress.sources.documents import read_document
        from mspress.checks.editor import check_document

        return check_document(read_document(target, shown), shown, min_run)
    from mspress.checks import rules as checks
    from mspress.sources.project import load_project

    project = load_project(target)
    return CheckReport(tuple(checks.run(project)), project_table(project.numbering, project.library.references))


def project_table(numbering: Numbering, references: dict) -> tuple[NumberRow, ...]:  # type: ignore[type-arg]
    rows = [NumberRow(n, key, numbering.first_citation.get(key), numbering.counts.get(key, 0))
            for key, n in sorted(numbering.numbers.items(), key=lambda item: item[1])]
    return tuple(rows)


def emit(report: CheckReport, fmt: str, with_table: bool, output: Path | None, name: str) -> None:
    if fmt == "text":
        sys.stdout.write(as_text(report, with_table))
    elif fmt == "json":
        sys.stdout.write(as_json(report, with_table))
    elif fmt == "github":
        sys.stdout.write(as_github(report))
    else:
        target = output or Path(f"mspress-check.{'junit.xml' if fmt == 'junit' else 'sarif'}")
        content = as_junit(report, name) if fmt == "junit" else as_sarif(report, CODES)
        target.write_text(content, encoding="utf-8")
        sys.stdout.write(as_text(report, with_table))
        print(f"wrote {target}")

