"""Build settings: ``[tool.mspress]`` in the project's ``pyproject.toml``."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import Diagnostic, Location, ManuscriptError, ManuscriptErrors, Severity

STYLES = ("gb7714-2015", "gb7714-2025")


@dataclass(frozen=True, slots=True)
class BuildConfig:
    root: Path
    """The project directory."""
    style: str = "gb7714-2015"
    """Reference style: ``gb7714-2015`` or ``gb7714-2025``."""
    output_dir: str = "output"
    output_name: str = "manuscript"
    """Outputs are ``<output_dir>/<output_name>.html`` and ``.pdf``."""
    print_doi: bool = True
    """Print ``DOI:…`` at the end of references that have one."""
    short_journal: bool = False
    """Print the abbreviated journal title (``shortjournal``) when an entry has one."""
    compress_min_run: int = 2
    """Consecutive citation numbers collapse into a range from this many on: 2 (``[1-2]``) or 3 (``[1,2]``, ``[1-3]``)."""

    @property
    def output_path(self) -> Path:
        return self.root / self.output_dir

    def with_style(self, style: str | None) -> "BuildConfig":
        if style is None:
            return self
        if style not in STYLES:
            raise ManuscriptError(Location(Path("<command line>")), f"unknown style {style!r}; use one of {', '.join(STYLES)}")
        return replace(self, style=style)


_TYPES: dict[str, type] = {"style": str, "output_dir": str, "output_name": str, "print_doi": bool, "short_journal": bool,
                           "compress_min_run": int}


def load_config(root: Path) -> BuildConfig:
    """Read the settings, reporting every bad key at once; no file means defaults."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return BuildConfig(root=root)
    text = path.read_text(encoding="utf-8")
    try:
        table = tomllib.loads(text).get("tool", {}).get("mspress", {})
    except tomllib.TOMLDecodeError as exc:
        line, col = _toml_position(str(exc))
        raise ManuscriptError(Location(Path("pyproject.toml"), line, col), f"invalid TOML: {exc}") from None
    problems: list[Diagnostic] = []
    values: dict[str, Any] = {}
    for key, value in table.items():
        where = _key_location(text, key)
        if key not in _TYPES:
            allowed = ", ".join(sorted(_TYPES))
            problems.append(Diagnostic("config", Severity.ERROR, f"unknown setting {key!r} in [tool.mspress]; allowed: {allowed}", where))
        elif not isinstance(value, _TYPES[key]):
            problems.append(Diagnostic("config", Severity.ERROR, f"setting {key!r} must be a {_TYPES[key].__name__}", where))
        elif key == "style" and value not in STYLES:
            problems.append(Diagnostic("config", Severity.ERROR, f"unknown style {value!r}; use one of {', '.join(STYLES)}", where))
        elif key == "compress_min_run" and value not in (2, 3):
            problems.append(Diagnostic("config", Severity.ERROR, "compress_min_run must be 2 or 3", where))
        elif key in ("output_dir", "output_name") and (".." in Path(value).parts or Path(value).is_absolute()):
            problems.append(Diagnostic("config", Severity.ERROR, f"{key} must be a path inside the project", where))
        else:
            values[key] = value
    if problems:
        raise ManuscriptErrors(problems)
    assert set(values) <= {f.name for f in fields(BuildConfig)}
    return BuildConfig(root=root, **values)


def _key_location(text: str, key: str) -> Location:
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == "[tool.mspress]"), 0)
    for number, line in enumerate(lines[start:], start + 1):
        if line.lstrip().startswith(key):
            return Location(Path("pyproject.toml"), number, line.index(key) + 1)
    return Location(Path("pyproject.toml"))


def _toml_position(message: str) -> tuple[int, int]:
    import re

    match = re.search(r"line (\d+), column (\d+)", message)
    return (int(match.group(1)), int(match.group(2))) if match else (1, 1)
