"""The only module that runs pandoc: Markdown → AST, and a resolved AST → HTML, DOCX, JATS…

The binary is the one pypandoc_binary ships (else ``pandoc`` on PATH). It is run directly, once per conversion:
no version or format probes, and a parse can run in a thread while Python loads the library.
"""
from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from mspress.background import Pending
from mspress.errors import Location, ManuscriptError, SetupError

# A line break between Chinese characters is no space. Raw TeX is off, raw HTML is made text after the parse:
# a manuscript must not smuggle scripts, styles or file reads into the output.
READER = "markdown+east_asian_line_breaks+raw_html-raw_tex-raw_attribute"
"""Raw HTML is read so pandoc finds comments; ``sources.markdown.sanitise`` turns the rest back into text."""
Ast = dict[str, Any]


@lru_cache(maxsize=1)
def executable() -> str:
    import site

    name = "pandoc.exe" if os.name == "nt" else "pandoc"
    # pypandoc_binary's copy, found without importing pypandoc, and only where packages are installed: never in
    # the current directory, which may be a manuscript someone else wrote.
    for folder in (*site.getsitepackages(), site.getusersitepackages()):
        candidate = Path(folder) / "pypandoc" / "files" / name
        if candidate.is_file():
            return str(candidate)
    import shutil  # only when pypandoc_binary's copy is missing

    found = shutil.which("pandoc")
    if found is None:
        raise SetupError("pandoc not found: install mspress's dependencies (pip install pypandoc_binary)")
    return found


TIME_LIMIT = 25
"""Seconds one pandoc run may take: the 100-times example reads in 2 s; pandoc's Markdown reader is quadratic on a few
inputs no article has (tens of thousands of backticks or brackets in a row)."""


def run(source: bytes, args: Sequence[str], where: Location, what: str, log: list[dict[str, Any]] | None = None) -> bytes:
    """Run pandoc in its sandbox (no file or network access from the document), for at most ``TIME_LIMIT`` seconds.
    ``log``: receives pandoc's warnings as the JSON objects of its ``--log`` (``{"type": "CouldNotConvertTeXMath", …}``)."""
    if log is not None:
        args = [*args, "--quiet", "--log=/dev/stderr"]  # the warnings as JSON on stderr, and nothing else there
    try:
        done = subprocess.run([executable(), "--sandbox", *args], input=source, capture_output=True, check=False, timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        raise ManuscriptError(Location(Path("manuscript")), f"pandoc could not {what} within {TIME_LIMIT} s, the limit: look for a long run of ` [ * or _ "
                              "characters (pandoc's reader slows down on them) and remove it", "too-slow") from None
    except OSError as exc:
        raise SetupError(f"cannot run pandoc: {exc.strerror}") from None
    if done.returncode != 0:
        message = " ".join(done.stderr.decode("utf-8", "replace").split()) or f"exit status {done.returncode}"
        raise ManuscriptError(where, f"pandoc could not {what}: {message}", "pandoc")
    if log is not None and done.stderr.strip():
        try:
            entries = json.loads(done.stderr)
        except ValueError:
            entries = []
        log.extend(entry for entry in entries if isinstance(entry, dict))
    return done.stdout


def parse(files: Sequence[str], where: Location) -> Ast:
    """Markdown files read each on its own (``--file-scope``: a footnote label belongs to its file), one AST."""
    output = run(b"", ["--file-scope", "-f", READER, "-t", "json", *files], where, "read the Markdown")
    try:
        ast: Ast = json.loads(output, parse_int=_bounded_int)
    except RecursionError:
        ast = {}
    if not ast or _nesting(ast) > MAX_NESTING:
        raise ManuscriptError(Location(Path("manuscript")), f"the Markdown is nested too deeply: block quotes, lists or notes inside each other more than "
                              f"{MAX_NESTING // 4} levels; flatten it", "too-deep") from None
    return ast


MAX_NESTING = 240
"""JSON levels of pandoc's AST (about four per block quote or list level): every walker of mspress stays far from
Python's recursion limit."""


def _nesting(value: Any) -> int:
    """How deeply ``value``'s lists and objects nest, counted without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_NESTING:
            break
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def _bounded_int(digits: str) -> int:
    """A number in pandoc's AST (a list's start, a header level): one of thousands of digits is not converted."""
    return int(digits) if len(digits) <= 18 else 10**18


def parsing(files: Sequence[str], where: Location, done: Callable[[], None] = lambda: None) -> Pending[Ast]:
    """``parse`` running in a thread while Python loads the rest; ``done`` runs there once pandoc has finished with
    the files (to remove them)."""
    def work() -> Ast:
        try:
            return parse(files, where)
        finally:
            done()

    return Pending(work, "pandoc-parse")


def convert(ast: Ast, to: str, where: Location, extra_args: Sequence[str] = (), log: list[dict[str, Any]] | None = None) -> bytes:
    """A resolved document in any pandoc output format (``html5``, ``docx``, ``jats``…); ``log``: see ``run``."""
    return run(json.dumps(ast).encode("utf-8"), ["-f", "json", "-t", to, "-o", "-", *extra_args], where, f"write {to}", log)


def unconverted_math(log: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """The formulas pandoc's TeX reader could not read, from a ``log``: (the TeX, why, in pandoc's words)."""
    found = []
    for entry in log:
        if entry.get("type") == "CouldNotConvertTeXMath":
            lines = [line.strip() for line in str(entry.get("message", "")).split("\n")]
            reason = next((line for line in lines if line.startswith("unexpected")), "")
            found.append((str(entry.get("contents", "")), reason))
    return found


def default_data_file(name: str) -> bytes:
    """One of pandoc's own data files (``reference.docx``…), the base mspress builds its styles on."""
    return run(b"", ["--print-default-data-file", name], Location(Path(name)), f"give its {name}")
