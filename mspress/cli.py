"""Command line: ``mspress [build] [-C DIR]``, ``build DIR… [-j N]``, ``check [PATH]``, ``refs FILE``, ``new DIR``, ``preview``, ``import FILE``.

Every command exits with one of ``errors.ExitCode``: 0 done; 1 the manuscript (or checked file) has errors —
or, for ``check --strict``, warnings; 2 the command line, the configuration or the input could not be used.
"""
from __future__ import annotations

import argparse
import atexit
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from mspress import __version__, journals
from mspress.errors import ExitCode, ManuscriptError, ManuscriptErrors, SetupError
from mspress.styles.gbt7714.options import STYLES, SYSTEMS
from mspress.writers import OUTPUT_FORMATS as BUILD_FORMATS

REPORT_FORMATS = ("text", "json", "github", "junit", "sarif")


def parser(prog: str = "mspress") -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description="Build a Chinese journal article: Markdown + BibTeX → GB/T 7714 HTML, PDF and Word.",
                                epilog="exit status: 0 done, 1 manuscript errors, 2 unusable command line, configuration or input")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command")
    b = sub.add_parser("build", help="build output/manuscript.html, .pdf and .docx (the default command)")
    # Build options work with and without the word "build"; SUPPRESS keeps the subcommand from resetting them.
    for cmd, default in ((p, None), (b, argparse.SUPPRESS)):
        _project_options(cmd, default)
        cmd.add_argument("--style", choices=STYLES, default=default, help="reference style (overrides the journal's)")
        cmd.add_argument("--format", dest="formats", action="append", choices=BUILD_FORMATS, default=default,
                         help="write this format (repeatable; default: the profile's formats, html and pdf unless it adds docx)")
    b.add_argument("projects", nargs="*", type=Path, metavar="DIR", help="project directories to build, several at once (a "
                   "journal's issue): each as build -C DIR would, one summary at the end")
    b.add_argument("-j", "--jobs", type=_positive, default=None, metavar="N",
                   help="with several DIRs: build N at a time (default: the number of cores)")
    r = sub.add_parser("refs", help="format every entry of a BibTeX or CSL-JSON file to GB/T 7714 (or the journal's CSL style)",
                       description="Format every entry of a BibTeX or CSL-JSON file, in file order (an author-date CSL style sorts them "
                       "its own way). The journal profile of the project in the current directory (or -C DIR) applies: its GB/T 7714 "
                       "settings, or the CSL style it names (csl = ...), with [tool.mspress]'s own settings over it. For the plain "
                       "standard, GB/T 7714-2015 numeric whatever the project says, give --journal none, or run it outside any "
                       "project (-C to a folder with no pyproject.toml); --journal default still takes [tool.mspress]'s settings.")
    r.add_argument("file", type=Path, nargs="?", help="a .bib or CSL-JSON .json file")
    r.add_argument("--from-text", type=Path, metavar="FILE", help="instead: the typed reference list of a manuscript (.docx, .html, .md, "
                   ".txt; the list after its heading) or of a file that is only a list (one entry per [n]/n. label or per line), "
                   "written out as BibTeX entries; entries not fully read are reported on stderr")
    _project_options(r, argparse.SUPPRESS)
    r.add_argument("--style", choices=STYLES, default=None, help="default: the journal's (gb7714-2015 without a project); "
                   "replaces the journal's CSL style")
    r.add_argument("--system", choices=SYSTEMS, default=None, help="default: the journal's (numeric without a project)")
    r.add_argument("--format", dest="ref_format", choices=("text", "html", "json"), default="text")
    c = sub.add_parser("check", help="check citations, references and front matter without building")
    c.add_argument("path", nargs="?", help="a project directory (default) or one manuscript file: .md, .txt, .html, .docx")
    _project_options(c, argparse.SUPPRESS)
    c.add_argument("--format", dest="report_format", choices=REPORT_FORMATS, default="text", help="output format (default: text)")
    c.add_argument("--strict", action="store_true", help="fail on warnings too")
    c.add_argument("--report", action="store_true", help="add the numbering table (number, reference, first citation, count)")
    c.add_argument("--output", type=Path, help="file written by --format junit or sarif")
    c.add_argument("--min-run", type=int, choices=(2, 3), help="editor mode: consecutive numbers form a range from this many on "
                   "(default: the journal's compress_min_run)")
    c.add_argument("--style", choices=STYLES, default=None, help="editor mode: also check each typed reference entry against this "
                   "edition of GB/T 7714; project mode: the reference style (overrides the journal's)")
    n = sub.add_parser("new", help="start a new article: a project that builds at once",
                       description="Create DIR (new or empty) with everything an article needs: manuscript/ (metadata.yaml with every "
                       "field, both abstracts, numbered sections, a figure, a table), references/library.bib (one entry per common "
                       "type), pyproject.toml naming the journal, .gitignore, a CI workflow and a pre-commit configuration.")
    n.add_argument("target", type=Path, metavar="DIR")
    n.add_argument("--journal", default=None, metavar="NAME", help="journal profile (packaged: " + ", ".join(journals.names()) + "; default: default)")
    v = sub.add_parser("preview", help="serve the article on localhost, rebuilt and reloaded on every save",
                       description="Build the HTML, serve it at http://HOST:PORT/ and open it in the browser; on every save the "
                       "changed parts are read again and the page reloads in place, keeping its scroll position. Errors show in "
                       "the page and here. The PDF is rebuilt in the background and served at /manuscript.pdf. Ctrl-C stops.")
    _project_options(v, None)
    v.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    v.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1: this machine only)")
    v.add_argument("--no-browser", dest="browser", action="store_false", help="do not open a browser")
    v.add_argument("--no-pdf", dest="pdf", action="store_false", help="do not rebuild the PDF")
    i = sub.add_parser("import", help="bring in a manuscript (.docx, .md) as a new project, or a reference library export "
                       "(RIS, EndNote XML, NoteExpress, CNKI) into a project's references/",
                       description="FILE.docx or FILE.md: a manuscript, split into a new project in --to DIR (sections, metadata, "
                       "abstracts, figures, the typed reference list as BibTeX and its [n] citations as [@key]), with a report of "
                       "every guess. Any other FILE: a reference export (RIS from Zotero, EndNote or CNKI; EndNote XML; NoteExpress; "
                       "CNKI's text exports) written as references/<name>.bib in the project --to DIR (default: the current "
                       "one), duplicates of the project's library reported.")
    i.add_argument("source", type=Path, metavar="FILE")
    i.add_argument("--to", dest="target", type=Path, default=None, metavar="DIR",
                   help="the new project (a manuscript; required) or the project receiving the references (default: .)")
    i.add_argument("--journal", default=None, metavar="NAME", help="a manuscript: the new project's journal profile")
    i.add_argument("--force", action="store_true", help="a reference export: replace references/<name>.bib if it exists")
    return p


MANUSCRIPT_SUFFIXES = (".docx", ".md", ".markdown")
"""What ``import`` reads as a manuscript; any other file is a reference library export, except these:"""
UNREADABLE_MANUSCRIPTS = {
    ".doc": "a Word 97-2003 file: open it in Word, WPS or LibreOffice, save it as .docx and import that",
    ".wps": "a WPS file: save it as .docx in WPS and import that",
    ".odt": "an OpenDocument file: save it as .docx in LibreOffice and import that",
    ".rtf": "an RTF file: save it as .docx in Word or LibreOffice and import that",
    ".pdf": "mspress cannot read a PDF manuscript: import the Word file it was made from (.docx), or a Markdown version",
    ".tex": "a LaTeX manuscript: convert it first (pandoc paper.tex -o paper.md) and import the Markdown file",
}


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of jobs (1 or more)")
    return number


def _project_options(cmd: argparse.ArgumentParser, default: object) -> None:
    cmd.add_argument("-C", dest="directory", default=default, metavar="DIR", help="project directory (default: the current one)")
    cmd.add_argument("--journal", default=default, metavar="NAME",
                     help="journal profile (overrides [tool.mspress] journal; packaged: " + ", ".join(journals.names()) + "; "
                     "none: the plain standard, without the project's journal and reference settings)")


def run(prog: str = "mspress") -> NoReturn:
    """The ``mspress`` command, ``python -m mspress`` and ``build.py``: ``main``, then the process ends without the
    interpreter's teardown, which frees every module and object one by one (up to 0.2 s after a build, 15 ms after
    ``check``)."""
    code = main(prog=prog)
    # The normal exit where it matters: a thread still working (pandoc after an early error) is waited for, a profiler
    # or coverage tracer writes its report after this returns, ``python -i`` gives its prompt.
    if threading.active_count() > 1 or sys.gettrace() is not None or sys.getprofile() is not None or sys.flags.inspect:
        sys.exit(code)
    from mspress.writers.output import flush_standard_streams

    atexit._run_exitfuncs()  # what the normal exit runs
    flush_standard_streams()
    os._exit(code)


def main(argv: Sequence[str] | None = None, prog: str = "mspress") -> int:
    try:
        args = parser(prog).parse_args(argv)
    except SystemExit as exc:  # argparse: --help and --version exit 0, usage errors 2
        return int(exc.code or 0)
    try:
        return _run(args)
    except ManuscriptErrors as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        return exc.exit_code
    except ManuscriptError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    except SetupError as exc:
        print(f"mspress: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        # The reader of our output went away (``mspress refs x.bib | head``): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitCode.DONE
    except KeyboardInterrupt:
        print("mspress: interrupted; output/ keeps its last good files", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    command = args.command or "build"
    if command == "new":
        from mspress.commands.new import new_project

        return new_project(args.target, args.journal, out=print)
    if command == "import":
        return _import(args)
    projects = getattr(args, "projects", None) or []
    root = Path(getattr(args, "directory", None) or (projects[0] if len(projects) == 1 else "."))
    if not root.is_dir():
        print(f"{root}: error: no such project directory", file=sys.stderr)
        return ExitCode.UNUSABLE
    journal = getattr(args, "journal", None)
    if command == "preview":
        from mspress.commands.preview import preview

        return preview(root, journal, args.host, args.port, open_browser=args.browser, pdf=args.pdf, out=_say, err=_complain)
    if command == "check":
        return _check(args, root, journal)
    if command == "refs":
        return _refs(args, root, journal)
    if projects and getattr(args, "directory", None):
        print("mspress build: error: give project directories as DIR… or one with -C DIR, not both", file=sys.stderr)
        return ExitCode.UNUSABLE
    if len(projects) > 1:
        from mspress.commands.batch import build_many, default_jobs

        return build_many(projects, journal, args.style, tuple(args.formats or ()), args.jobs or default_jobs(), out=_say,
                          err=_complain)
    return _build(root, journal, args.style, tuple(args.formats or ()))


def _build(root: Path, journal: str | None, style: str | None, formats: tuple[str, ...]) -> int:
    """``formats``: the command line's; none means the profile's ``formats``."""
    from mspress.writers import typesetter

    pdf_maker = typesetter.start() if not formats or "pdf" in formats else None  # it gets WeasyPrint ready meanwhile
    try:
        from mspress.sources.manuscript import read_manuscript

        files = read_manuscript(root)  # pandoc starts reading now, while the rest loads
        from mspress.commands.build import build
        from mspress.config import load_settings

        result = build(load_settings(root, journal).with_overrides(style=style), formats, files, pdf_maker)
    finally:
        if pdf_maker is not None:
            pdf_maker.close()
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    for path in result.outputs:
        print(f"wrote {path}")
    return ExitCode.DONE


def _say(line: str) -> None:
    print(line, flush=True)


def _complain(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _import(args: argparse.Namespace) -> int:
    source: Path = args.source
    if not source.is_file():
        print(f"{source}: error: no such file", file=sys.stderr)
        return ExitCode.UNUSABLE
    if source.suffix.lower() in UNREADABLE_MANUSCRIPTS:
        print(f"{source}:1:1: error: {UNREADABLE_MANUSCRIPTS[source.suffix.lower()]} [import-unsupported]", file=sys.stderr)
        return ExitCode.UNUSABLE
    if source.suffix.lower() in MANUSCRIPT_SUFFIXES:
        if args.target is None:
            print("mspress import: error: name the new project's folder with --to DIR", file=sys.stderr)
            return ExitCode.UNUSABLE
        from mspress.commands.import_manuscript import import_manuscript

        return import_manuscript(source, args.target, args.journal, out=_say, err=_complain)
    from mspress.commands.import_references import import_references

    return import_references(source, args.target or Path("."), replace=args.force, out=_say, err=_complain)


def _check(args: argparse.Namespace, root: Path, journal: str | None) -> int:
    target = Path(args.path) if args.path else root
    if args.path and not target.is_absolute() and not target.exists() and (root / target).exists():
        target = root / target
    if not target.exists():
        print(f"{args.path}: error: no such file or directory", file=sys.stderr)
        return ExitCode.UNUSABLE
    files = None
    if target.is_dir():
        from mspress.sources.manuscript import read_manuscript

        files = read_manuscript(target)  # pandoc starts reading now, while the rest loads
    from mspress.commands.check import check_file, check_project, emit

    if not target.is_dir():  # a file, or a FIFO or device that editor mode refuses with its reason
        from mspress.config import load_settings

        min_run = args.min_run or load_settings(root, journal).journal.citations.min_run
        report = check_file(target, Path(args.path), min_run, args.style)
    else:
        report = check_project(target, journal, files, args.style)
    emit(report, args.report_format, args.report, args.output, target.name or str(target))
    return report.exit_code(args.strict)


def _refs(args: argparse.Namespace, root: Path, journal: str | None) -> int:
    if (args.file is None) == (args.from_text is None):
        print("mspress refs: error: give a .bib or .json FILE, or --from-text FILE (not both)", file=sys.stderr)
        return ExitCode.UNUSABLE
    if args.from_text is not None:
        from mspress.commands.refs import bibtex_from_text

        return bibtex_from_text(args.from_text, err=lambda line: print(line, file=sys.stderr), out=print)
    from mspress.commands.refs import print_references
    from mspress.config import load_settings

    settings = load_settings(root, journal).with_overrides(style=args.style, system=args.system)
    return print_references(args.file, settings, args.ref_format, err=lambda line: print(line, file=sys.stderr), out=print)
