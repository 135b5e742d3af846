"""Command line: ``python build.py [build] [-C DIR]``.

Exit status:
  0  the outputs were written
  1  the manuscript has errors (each printed as ``path:line:col: error: message [code]``)
  2  the command line or the project's settings could not be used
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from .config import STYLES, load_config
from .errors import ManuscriptError, ManuscriptErrors


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description="Build a Chinese journal article: Markdown + BibTeX → HTML and PDF.")
    sub = p.add_subparsers(dest="command")
    b = sub.add_parser("build", help="build output/manuscript.html and .pdf (the default)")
    # Build options work with and without the word "build"; SUPPRESS keeps the subcommand from resetting them.
    for cmd, default in ((p, None), (b, argparse.SUPPRESS)):
        cmd.add_argument("-C", dest="directory", default=default, metavar="DIR", help="project directory (default: the current one)")
        cmd.add_argument("--style", choices=STYLES, default=default, help="reference style (overrides [tool.mspress] style)")
        cmd.add_argument("--format", dest="formats", action="append", choices=("html", "pdf"), default=default,
                         help="write only this format (repeatable; default: html and pdf)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    root = Path(args.directory or ".")
    if not root.is_dir():
        print(f"{root}: error: no such project directory", file=sys.stderr)
        return 2
    command = args.command or "build"
    try:
        if command == "build":
            return _build(root, args.style, tuple(args.formats or ("html", "pdf")))
    except ManuscriptErrors as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        return 1
    except ManuscriptError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 2


def _build(root: Path, style: str | None, formats: tuple[str, ...]) -> int:
    from .pipeline import build

    config = load_config(root).with_style(style)
    result = build(config, formats)
    for path in result.outputs:
        print(f"wrote {path}")
    return 0
