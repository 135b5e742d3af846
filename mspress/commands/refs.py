"""``build.py refs FILE``: a reference file formatted to GB/T 7714, as text, HTML or JSON."""
from __future__ import annotations

import html
import json
import sys
from dataclasses import replace
from pathlib import Path

from mspress.sources.bibtex import load_file
from mspress.config import load_config
from mspress.errors import Diagnostic, ManuscriptError
from mspress.styles.gbt7714 import format_bibliography
from mspress.model import Reference
from mspress.commands.build import reference_options


def print_references(path: Path, root: Path, style: str | None, system: str | None, fmt: str) -> int:
    if not path.is_file():
        print(f"{path}: error: no such file", file=sys.stderr)
        return 2
    try:
        config = load_config(root)
        config = replace(config.with_style(style), system=system or config.system)
        found: dict[str, Reference] = {}
        problems: list[Diagnostic] = []
        load_file(path.resolve(), path.resolve().parent, found, problems, set())
    except ManuscriptError as exc:
        print(exc, file=sys.stderr)
        return 2
    for problem in problems:
        print(str(problem).replace(problem.location.path.name, str(path), 1), file=sys.stderr)
    refs = list(found.values())
    formatted = {f.key: f for f in format_bibliography(refs, reference_options(config), [r.key for r in refs])}
    ordered = [formatted[r.key] for r in refs]  # file order
    if fmt == "json":
        print(json.dumps([{"key": f.key, "text": f.text, "html": f.html} for f in ordered], ensure_ascii=False, indent=2))
    elif fmt == "html":
        print('<ol class="reference-list">')
        for f in ordered:
            print(f'  <li id="ref-{html.escape(f.key)}">{f.html}</li>')
        print("</ol>")
    else:
        numbered = config.system == "numeric"
        for n, f in enumerate(ordered, 1):
            print(f"[{n}] {f.text}" if numbered else f.text)
    return 1 if problems else 0
