"""Build settings and the journal's reference profile: ``[tool.mspress]`` in the project's ``pyproject.toml``."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

from mspress.errors import Diagnostic, Location, ManuscriptError, ManuscriptErrors, Severity

STYLES = ("gb7714-2015", "gb7714-2025")
SYSTEMS = ("numeric", "author-year")


@dataclass(frozen=True, slots=True)
class BuildConfig:
    root: Path
    """The project directory."""
    style: str = "gb7714-2015"
    """Reference style: ``gb7714-2015`` or ``gb7714-2025``."""
    system: str = "numeric"
    """``numeric`` (顺序编码制, ``[1]``) or ``author-year`` (著者-出版年制, ``（于潇 等，2012）``)."""
    output_dir: str = "output"
    output_name: str = "manuscript"
    """Outputs are ``<output_dir>/<output_name>.html`` and ``.pdf``."""
    print_doi: bool = True
    """Print ``DOI:…`` at the end of references that have one."""
    print_url: bool = True
    doi_online: bool = True
    """An entry whose DOI is printed counts as online (``[J/OL]``)."""
    short_journal: bool = False
    """Print the abbreviated journal title (``shortjournal``) when an entry has one."""
    uppercase_surnames: bool | None = None
    """Western surnames in capitals; unset follows the style (2015 yes, 2025 no)."""
    punctuation: str | None = None
    """``gb`` (full-width ，：（）), ``half`` (ASCII) or ``by-language``; unset follows the style."""
    et_al_after: int = 3
    """Names listed before 等 / et al."""
    bilingual: bool = False
    """Follow a Chinese reference by its English translation when the entry carries one."""
    compress_min_run: int = 2
    """Consecutive citation numbers collapse into a range from this many on: 2 (``[1-2]``) or 3 (``[1,2]``, ``[1-3]``)."""
    range_dash: str = "-"
    """The dash of a citation range: ``-`` (the standard) or ``–``."""
    sort_citations: bool = True
    """Sort the numbers inside one citation (``[3,1]`` → ``[1,3]``); false keeps the written order."""

    @property
    def output_path(self) -> Path:
        return self.root / self.output_dir

    @property
    def edition(self) -> int:
        return int(self.style.rsplit("-", 1)[1])

    def with_style(self, style: str | None) -> "BuildConfig":
        if style is None:
            return self
        if style not in STYLES:
            raise ManuscriptError(Location(Path("<command line>")), f"unknown style {style!r}; use one of {', '.join(STYLES)}")
        return replace(self, style=style)


def _choice(*allowed: Any) -> Callable[[Any], str | None]:
    return lambda value: None if value in allowed else "must be one of " + ", ".join(map(repr, allowed))


def _inside_project(value: str) -> str | None:
    return "must be a path inside the project" if ".." in Path(value).parts or Path(value).is_absolute() else None


# setting → (type, extra check)
SETTINGS: dict[str, tuple[type, Callable[[Any], str | None] | None]] = {
    "style": (str, _choice(*STYLES)),
    "system": (str, _choice(*SYSTEMS)),
    "output_dir": (str, _inside_project),
    "output_name": (str, _inside_project),
    "print_doi": (bool, None),
    "print_url": (bool, None),
    "doi_online": (bool, None),
    "short_journal": (bool, None),
    "uppercase_surnames": (bool, None),
    "punctuation": (str, _choice("gb", "half", "by-language")),
    "et_al_after": (int, lambda v: None if 1 <= v <= 20 else "must be between 1 and 20"),
    "bilingual": (bool, None),
    "compress_min_run": (int, _choice(2, 3)),
    "range_dash": (str, _choice("-", "–")),
    "sort_citations": (bool, None),
}


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
        if key not in SETTINGS:
            allowed = ", ".join(sorted(SETTINGS))
            problems.append(Diagnostic("config", Severity.ERROR, f"unknown setting {key!r} in [tool.mspress]; allowed: {allowed}", where))
            continue
        kind, check = SETTINGS[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            problems.append(Diagnostic("config", Severity.ERROR, f"setting {key!r} must be a {kind.__name__}", where))
        elif check and (why := check(value)):
            problems.append(Diagnostic("config", Severity.ERROR, f"setting {key!r} {why}", where))
        else:
            values[key] = value
    if problems:
        raise ManuscriptErrors(problems)
    return BuildConfig(root=root, **values)


def _key_location(text: str, key: str) -> Location:
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == "[tool.mspress]"), 0)
    for number, line in enumerate(lines[start:], start + 1):
        if line.lstrip().startswith(key):
            return Location(Path("pyproject.toml"), number, line.index(key) + 1)
    return Location(Path("pyproject.toml"))


def _toml_position(message: str) -> tuple[int, int]:
    match = re.search(r"line (\d+), column (\d+)", message)
    return (int(match.group(1)), int(match.group(2))) if match else (1, 1)
