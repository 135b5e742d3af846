"""Command line: ``python build.py [build] [-C DIR]`` and ``python build.py check [PATH]``.

Exit status of ``build``:
  0  the outputs were written
  1  the manuscript has errors (each printed as ``path:line:col: error: message [code]``)
  2  the command line could not be used
Exit status of ``refs``: 0 every entry formatted; 1 some entries are malformed (the rest are printed);
2 the file could not be read.
Exit status of ``check``:
  0  no errors (warnings allowed unless --strict)
  1  errors found (or warnings under --strict)
  2  the input could not be read at all
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from mspress.commands.check import FORMATS
from mspress.config import STYLES, SYSTEMS, load_config
from mspress.errors import ManuscriptError, ManuscriptErrors


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
    r = sub.add_parser("refs", help="format every entry of a BibTeX or CSL-JSON file to GB/T 7714")
    r.add_argument("file", type=Path, help="a .bib or CSL-JSON .json file")
    r.add_argument("--style", dest="ref_style", choices=STYLES, default=None, help="default: the project's style, else gb7714-2015")
    r.add_argument("--system", choices=SYSTEMS, default=None, help="default: the project's system, else numeric")
    r.add_argument("--format", dest="ref_format", choices=("text", "html", "json"), default="text")
    r.add_argument("-C", dest="directory", default=argparse.SUPPRESS, metavar="DIR", help="project whose [tool.mspress] profile to use")
    c = sub.add_parser("check", help="check citations, references and front matter without building")
    c.add_argument("path", nargs="?", help="a project directory (default) or one manuscript file: .md, .txt, .html, .docx")
    c.add_argument("-C", dest="directory", default=argparse.SUPPRESS, metavar="DIR", help="project directory")
    c.add_argument("--format", dest="report_format", choices=FORMATS, default="text", help="output format (default: text)")
    c.add_argument("--strict", action="store_true", help="fail on warnings too")
    c.add_argument("--report", action="store_true", help="add the numbering table (number, reference, first citation, count)")
    c.add_argument("--output", type=Path, help="file written by --format junit or sarif")
    c.add_argument("--min-run", type=int, choices=(2, 3), help="editor mode: consecutive numbers form a range from this many on "
                   "(default: compress_min_run of the project, else 2)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    root = Path(args.directory or ".")
    if not root.is_dir():
        print(f"{root}: error: no such project directory", file=sys.stderr)
        return 2
    command = args.command or "build"
    if command == "check":
        return _check(args, root)
    if command == "refs":
        return _refs(args, root)
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
    from mspress.commands.build import build

    config = load_config(root).with_style(style)
    result = build(config, formats)
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    for path in result.outputs:
        print(f"wrote {path}")
    return 0


def _check(args: argparse.Namespace, root: Path) -> int:
    from mspress.commands.check import check_path, emit

    target = Path(args.path) if args.path else root
    if args.path and not target.is_absolute() and not target.exists() and (root / target).exists():
        target = root / target
    if not target.exists():
        print(f"{args.path}: error: no such file or directory", file=sys.stderr)
        return 2
    try:
        min_run = args.min_run or load_config(root).compress_min_run
        report = check_path(target, Path(args.path) if args.path and target.is_file() else Path("."), min_run)
    except ManuscriptError as exc:
        print(exc, file=sys.stderr)
        return 2
    emit(report, args.report_format, args.report, args.output, target.name or str(target))
    return report.exit_code(args.strict)


def _refs(args: argparse.Namespace, root: Path) -> int:
    from mspress.commands.refs import print_references

    return print_references(args.file, root, args.ref_style, args.system, args.ref_format)
