"""Read ``manuscript/``'s Markdown files and start pandoc on them at once (light imports: the CLI calls this
before it loads the rest, so the parse overlaps Python's start-up)."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from mspress.errors import Diagnostic, InputUnreadable, Location, ManuscriptError, ManuscriptErrors, Severity, relative_to
from mspress.model import SourceText
from mspress.sources.files import present, read_text, section_files, stray_files
from mspress.sources.markdown import ParseCache, PartsParsing, parse_parts

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ManuscriptFiles:
    abstracts: tuple[SourceText, SourceText]
    """Chinese, then English (empty text when missing: the problem is reported)."""
    sections: tuple[SourceText, ...]
    """Body files in ``NN`` order."""
    problems: tuple[Diagnostic, ...]
    parsing: PartsParsing
    """Pandoc reading every part, running."""


def read_manuscript(root: Path, cache: ParseCache | None = None) -> ManuscriptFiles:
    """``cache``: parts read before (a warm process); pandoc then reads only the files that changed."""
    folder = root / "manuscript"
    if not folder.is_dir():
        inside = root.resolve().name == "manuscript" and (root.resolve().parent / "manuscript").is_dir()
        hint = "you are inside manuscript/: run from the folder above it, or use -C .." if inside else "use -C DIR to name the project"
        raise InputUnreadable(Location(Path("manuscript")), f"no manuscript/ directory here; {hint}")
    problems: list[Diagnostic] = []
    zh, en = (_abstract(folder / f"abstract.{lang}.md", root, lang, problems) for lang in ("zh", "en"))
    named = section_files(folder)
    sections = tuple(s for path in named if (s := collect(problems, partial(_source, path, path.stem, root))))
    if not named:
        problems.append(Diagnostic("missing-section", Severity.ERROR, "no body sections: add files named like manuscript/01-introduction.md",
                                   Location(Path("manuscript"))))
    problems.extend(Diagnostic("stray-file", Severity.WARNING,
                               f"{relative_to(path, root).as_posix()} is not part of the article: name body files NN-name.md "
                               f"(for example {suggestion}) or move the file out of manuscript/", Location(relative_to(path, root)))
                    for path, suggestion in stray_files(folder))
    return ManuscriptFiles((zh, en), sections, tuple(problems), parse_parts([zh, en, *sections], cache))


LONG_RUN = re.compile(r"([`\[\]*<>])\1{499,}")
"""500 or more of one of these in a row: no article has them, and pandoc's reader takes minutes over them."""


def _source(path: Path, name: str, root: Path) -> SourceText:
    rel = relative_to(path, root)
    text = read_text(path, root)
    run = LONG_RUN.search(text)
    if run:
        raise ManuscriptError(Location.in_text(rel, text, run.start()), f"{len(run.group(0)):,} {run.group(1)!r} characters in a row: "
                              "pandoc's reader slows down to minutes on such runs; remove it", "too-slow")
    return SourceText(name, rel, text)


def _abstract(path: Path, root: Path, lang: str, problems: list[Diagnostic]) -> SourceText:
    rel = relative_to(path, root)
    empty = SourceText(f"abstract.{lang}", rel, "")
    if not present(path):
        word = "中文摘要" if lang == "zh" else "English abstract"
        problems.append(Diagnostic("missing-metadata", Severity.ERROR, f"missing {word}: create {rel.as_posix()}", Location(rel)))
        return empty
    return collect(problems, lambda: _source(path, f"abstract.{lang}", root)) or empty


def collect(problems: list[Diagnostic], load: Callable[[], T]) -> T | None:
    """Run ``load``; a user error becomes diagnostics and the result ``None``."""
    try:
        return load()
    except ManuscriptErrors as exc:
        problems.extend(exc.diagnostics)
    except ManuscriptError as exc:
        problems.append(exc.diagnostic)
    return None
