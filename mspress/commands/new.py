"""``mspress new DIR [--journal NAME]``: a new article project that builds at once, from ``mspress/scaffold/``.

The scaffold is package data. setuptools' globs skip names starting with a dot, so ``.gitignore``, ``.github/``
and ``.pre-commit-config.yaml`` are stored without it and renamed here. Text files carry a few ``{{name}}``
placeholders, filled by plain replacement (Jinja would read the Markdown's ``{#fig:x}`` as a comment).
"""
from __future__ import annotations

import json
import shlex
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from mspress import __version__, journals
from mspress.citations.keys import did_you_mean
from mspress.errors import ConfigError, Diagnostic, ExitCode, InputUnreadable, Location, Severity
from mspress.text import has_han

SCAFFOLD = Path(__file__).parent.parent / "scaffold"
DEFAULT_JOURNAL = "default"
DOT_NAMES = {"gitignore": ".gitignore", "github": ".github", "pre-commit-config.yaml": ".pre-commit-config.yaml"}
"""Top-level scaffold names written with a leading dot."""
TEXT_SUFFIXES = {".md", ".yaml", ".yml", ".toml", ".bib", ""}


def new_project(target: Path, journal: str | None, out: Callable[[str], None]) -> int:
    """Create ``target`` (new, or an empty folder) holding a project for ``journal``; refusals write nothing."""
    name = journal_name(journal)
    check_new_folder(target)
    files = _render(_values(name))
    write_new_project(target, files)
    out(f"created {target} (journal: {name}):")
    for relative in sorted(files, key=lambda p: (len(p.parts) > 1, p.as_posix())):
        out(f"  {relative.as_posix()}")
    out("next:")
    out(f"  cd {shlex.quote(str(target))}")
    out("  mspress build     # writes output/manuscript.html, .pdf and .docx")
    out("  # then write the article in manuscript/ and references/library.bib (README.md says which file holds what)")
    return ExitCode.DONE


# What ``new`` and ``import`` share: a packaged journal, a folder that may become a project, writing it whole.

def journal_name(journal: str | None) -> str:
    """``journal`` (``default`` when not given) if mspress packages it; else a configuration error."""
    name = journal or DEFAULT_JOURNAL
    known = journals.names()
    if name not in known:
        raise ConfigError([Diagnostic("config", Severity.ERROR, f"unknown journal {name!r}{did_you_mean(name, known)}; known journals: "
                                      f"{', '.join(known)}", Location(Path("<command line>")))])
    return name


def check_new_folder(target: Path) -> None:
    """A project is made only in a new folder or an empty one: nothing of the user's is ever overwritten."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise InputUnreadable(Location(target), "exists and is not a folder: give a new folder's name", "target-exists")
    try:
        occupied = target.exists() and any(target.iterdir())
    except OSError as exc:
        raise InputUnreadable(Location(target), f"cannot read the folder: {exc.strerror or exc}", "target-unreadable") from None
    if occupied:
        raise InputUnreadable(Location(target), "the folder is not empty: give a new folder's name or an empty folder", "target-exists")


def write_new_project(target: Path, files: Mapping[Path, bytes]) -> None:
    """Every file under ``target``, each created afresh (never through a link or over a file that appeared since the
    folder was found empty); on a failure every folder and file made is taken back."""
    created: list[Path] = []
    try:
        _write(target, files, created)
    except OSError as exc:
        _undo(created)
        raise InputUnreadable(Location(Path(exc.filename or target)), f"cannot write: {exc.strerror or exc}", "write-failed") from None


def scaffold_file(name: str, journal: str) -> bytes:
    """One file of the scaffold for ``journal``, as ``new`` writes it (``import`` takes the project settings from here)."""
    return _render(_values(journal))[Path(name)]


def _values(journal: str) -> dict[str, str]:
    """What the placeholders stand for: only the journal's name and mspress's version vary."""
    with (journals.FOLDER / journal / "profile.toml").open("rb") as f:
        title = str(tomllib.load(f).get("name", journal))
    if journal == DEFAULT_JOURNAL:  # the plain profile names no journal: a placeholder the author replaces
        name = "{zh: 期刊名称, en: Journal Name}"
    else:
        lang = "zh" if has_han(title) else "en"
        name = f"{{{lang}: {title}}}"
        if _yaml_value(name) != {lang: title}:  # a name with a colon or a brace: quoted
            name = f"{{{lang}: {json.dumps(title, ensure_ascii=False)}}}"
    return {"journal": journal, "journals": ", ".join(journals.names()), "journal_title": title,
            "journal_name": name, "version": __version__}


def _yaml_value(text: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def _render(values: dict[str, str]) -> dict[Path, bytes]:
    """Every scaffold file under its name in the project, placeholders filled."""
    files: dict[Path, bytes] = {}
    for path in sorted(SCAFFOLD.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        relative = path.relative_to(SCAFFOLD)
        relative = Path(DOT_NAMES.get(relative.parts[0], relative.parts[0]), *relative.parts[1:])
        data = path.read_bytes()
        if path.suffix in TEXT_SUFFIXES:
            text = data.decode("utf-8")
            for key, value in values.items():
                text = text.replace("{{" + key + "}}", value)
            data = text.encode("utf-8")
        files[relative] = data
    return files


def _write(target: Path, files: Mapping[Path, bytes], created: list[Path]) -> None:
    """Write every file, remembering each folder and file made so a failure can take them back."""
    for folder in reversed([target, *target.parents]):
        if not folder.exists():
            folder.mkdir()
            created.append(folder)
    for relative, data in files.items():
        assert not relative.is_absolute() and ".." not in relative.parts, relative  # names are mspress's own
        path = target / relative
        for folder in reversed(path.relative_to(target).parents):
            if not (target / folder).exists():
                (target / folder).mkdir()
                created.append(target / folder)
        with path.open("xb") as f:  # never over a file that appeared since the folder was found empty
            created.append(path)
            f.write(data)


def _undo(created: list[Path]) -> None:
    for path in reversed(created):
        try:
            path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
        except OSError:
            pass
