"""``mspress check``: run the project or editor-mode checks and print the report.

Imports neither pypandoc nor WeasyPrint: project mode runs the pandoc binary once (in a thread, while the
library loads), for the same parse the build uses.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from mspress.checks.report import CODES, CheckReport, NumberRow, as_github, as_json, as_junit, as_sarif, as_text
from mspress.model import Numbering
from mspress.writers.output import write_atomic

if TYPE_CHECKING:
    from mspress.sources.manuscript import ManuscriptFiles


def check_path(target: Path, shown: Path, min_run: int = 2, style: str | None = None) -> CheckReport:
    """A file → editor mode; a directory → project mode, with the project's settings."""
    return check_file(target, shown, min_run, style) if target.is_file() else check_project(target, style=style)


def check_file(target: Path, shown: Path, min_run: int = 2, style: str | None = None) -> CheckReport:
    """Editor mode: a manuscript file someone else wrote (``min_run``: the journal's shortest range; ``style``:
    also check each typed reference entry against that edition of GB/T 7714)."""
    from mspress.checks.editor import check_document
    from mspress.sources.editor_files import read_document

    return check_document(read_document(target, shown), shown, min_run, style)


def check_project(root: Path, journal: str | None = None, files: ManuscriptFiles | None = None, style: str | None = None) -> CheckReport:
    """``files``: the manuscript already read (and being parsed), when the caller started that early; ``style``
    overrides the journal's reference style, as ``build --style`` does."""
    from mspress.sources.manuscript import read_manuscript

    files = files or read_manuscript(root)  # pandoc starts reading now, while the rest loads
    from mspress.checks import rules
    from mspress.config import load_settings
    from mspress.sources.project import load_project

    project = load_project(root, load_settings(root, journal).with_overrides(style=style), files)
    return CheckReport(tuple(rules.run(project)), project_table(project.numbering))


def project_table(numbering: Numbering) -> tuple[NumberRow, ...]:
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
        write_atomic(target, content.encode("utf-8"))
        sys.stdout.write(as_text(report, with_table))
        print(f"wrote {target}")

