"""``mspress refs FILE``: a reference file formatted to GB/T 7714 (or the journal's CSL style), as text, HTML or JSON."""
from __future__ import annotations

import html
import json
from collections.abc import Callable
from pathlib import Path

from mspress.config import Settings
from mspress.errors import Diagnostic, ExitCode, InputUnreadable, Location
from mspress.model import Reference
from mspress.sources.bibtex import LIBRARY_SUFFIXES, link_entries, load_file
from mspress.styles.gbt7714 import Formatted, format_bibliography


def print_references(path: Path, settings: Settings, fmt: str, err: Callable[[str], None], out: Callable[[str], None]) -> int:
    if not path.is_file():
        raise InputUnreadable(Location(path), "no such file: give a .bib or CSL-JSON .json file")
    if path.suffix.lower() not in LIBRARY_SUFFIXES:
        raise InputUnreadable(Location(path), f"cannot read {path.suffix or 'this'} files as a library: give a .bib or CSL-JSON .json file")
    found: dict[str, Reference] = {}
    problems: list[Diagnostic] = []
    load_file(path.resolve(), path.resolve().parent, found, problems, set())
    link_entries(found, problems)  # crossref, xdata and @set within the file
    for problem in problems:
        err(str(problem).replace(problem.location.path.name, str(path), 1))
    refs = [r for r in found.values() if r.printable]
    options = settings.journal.references
    style = settings.journal.csl
    ordered: list[Formatted]
    if style is not None:
        from mspress.styles.csl.engine import format_with_style

        ordered = list(format_with_style(style, refs).entries)  # numeric: file order; author-date: the style's
    else:
        formatted = {f.key: f for f in format_bibliography(refs, options, [r.key for r in refs])}
        ordered = [formatted[r.key] for r in refs]  # file order
    if fmt == "json":
        out(json.dumps([{"key": f.key, "text": f.text, "html": f.html} for f in ordered], ensure_ascii=False, indent=2))
    elif fmt == "html":
        out('<ol class="reference-list">')
        for f in ordered:
            out(f'  <li id="ref-{html.escape(f.key)}">{f.html}</li>')
        out("</ol>")
    else:
        numbered = settings.journal.system == "numeric"
        for n, f in enumerate(ordered, 1):
            out(f"{f.label or f'[{n}]'} {f.text}" if numbered else f.text)
    return ExitCode.MANUSCRIPT_ERRORS if problems else ExitCode.DONE
