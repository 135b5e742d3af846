"""One schema for journal profiles and ``[tool.mspress]``: every setting, its type and check, and the validator
that reports every problem with its file and line."""
from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from mspress.citations.keys import did_you_mean
from mspress.config.profile import PAPER_SIZES, LabelSet, edition_of
from mspress.errors import ConfigError, Diagnostic, Location, ManuscriptError, Severity, relative_to
from mspress.sources.files import read_bytes
from mspress.styles.gbt7714.options import STYLES, SYSTEMS, TITLE_CASES
from mspress.writers import OUTPUT_FORMATS


def _choice(*allowed: Any) -> Callable[[Any], str | None]:
    return lambda value: None if value in allowed else "must be one of " + ", ".join(map(repr, allowed))


def _formats(value: list[Any]) -> str | None:
    good = value and all(isinstance(v, str) and v in OUTPUT_FORMATS for v in value) and len(set(value)) == len(value)
    return None if good else "must list output formats without repeats, among " + ", ".join(map(repr, OUTPUT_FORMATS))


def _sizes(low: float, high: float, count: tuple[int, int] | None = None, points: bool = False) -> Callable[[Any], str | None]:
    """A size (or, with ``count``, a list of that many sizes) between ``low`` and ``high``; ``points``: a font size."""
    def check(value: Any) -> str | None:
        values = value if count else [value]
        if count and not count[0] <= len(values) <= count[1]:
            return f"must list {count[0]}" + (f" to {count[1]}" if count[1] != count[0] else "") + " numbers"
        if not all(isinstance(v, int | float) and not isinstance(v, bool) and low <= v <= high for v in values):
            return f"must {'hold numbers' if count else 'be a number'} between {low:g} and {high:g}"
        if points and any(v * 2 != int(v * 2) for v in values):
            return "must be in half points (10.5, not 10.25): Word sets font sizes in half points"
        return None
    return check


def _name(value: str) -> str | None:
    return None if value.strip() else "must name a font"


def _inside_project(value: str) -> str | None:
    return "must be a path inside the project" if ".." in Path(value).parts or Path(value).is_absolute() else None


@dataclass(frozen=True, slots=True)
class Setting:
    kind: type
    check: Callable[[Any], str | None] | None
    target: str
    """``references`` (the GB/T 7714 engine's ``Options``), ``citations`` (``CitationForm``), ``csl`` (a CSL style
    file, ``JournalProfile.csl``) or ``project``."""
    field: str
    convert: Callable[[Any], Any] = lambda value: value


def _csl_path_problem(value: str) -> str | None:
    from mspress.styles.csl.style import path_problem  # the CSL module only for a project that names a style

    return path_problem(value)


SETTINGS: dict[str, Setting] = {
    "style": Setting(str, _choice(*STYLES), "references", "edition", edition_of),
    "csl": Setting(str, _csl_path_problem, "csl", "csl"),
    "system": Setting(str, _choice(*SYSTEMS), "references", "system"),
    "print_doi": Setting(bool, None, "references", "print_doi"),
    "print_url": Setting(bool, None, "references", "print_url"),
    "doi_online": Setting(bool, None, "references", "doi_online"),
    "short_journal": Setting(bool, None, "references", "short_journal"),
    "uppercase_surnames": Setting(bool, None, "references", "uppercase_surnames"),
    "punctuation": Setting(str, _choice("gb", "half", "by-language"), "references", "punctuation"),
    "pinyin_names": Setting(str, _choice("full", "initials"), "references", "pinyin_names"),
    "et_al_after": Setting(int, lambda v: None if 1 <= v <= 20 else "must be between 1 and 20", "references", "et_al_after"),
    "title_case": Setting(str, _choice(*TITLE_CASES), "references", "title_case"),
    "bilingual": Setting(bool, None, "references", "bilingual"),
    "compress_min_run": Setting(int, _choice(2, 3), "citations", "min_run"),
    "range_dash": Setting(str, _choice("-", "–"), "citations", "dash"),
    "sort_citations": Setting(bool, None, "citations", "sort"),
    "formats": Setting(list, _formats, "project", "formats", tuple),
}
"""Every reference and citation setting, as profiles and ``[tool.mspress]`` spell it."""
PROJECT_ONLY: dict[str, Setting] = {
    "journal": Setting(str, lambda v: None if v.strip() else "must name a journal", "project", "journal"),
    "output_dir": Setting(str, _inside_project, "project", "output_dir"),
    "output_name": Setting(str, _inside_project, "project", "output_name"),
}
PROFILE_ONLY: dict[str, Setting] = {"name": Setting(str, None, "project", "title")}
TABLES = {"labels", "layout"}
LAYOUT_CHECKS: dict[str, Setting] = {
    "running_head": Setting(bool, None, "layout", "running_head"),
    "page_numbers": Setting(str, _choice("journal", "from-1"), "layout", "page_numbers"),
    "paper": Setting(str, _choice(*PAPER_SIZES), "layout", "paper"),
    "margins": Setting(list, _sizes(5, 60, (4, 4)), "layout", "margins", tuple),
    "body_size": Setting(float, _sizes(6, 20, points=True), "layout", "body_size"),
    "title_size": Setting(float, _sizes(8, 36, points=True), "layout", "title_size"),
    "heading_sizes": Setting(list, _sizes(6, 30, (1, 6), points=True), "layout", "heading_sizes", tuple),
    "reference_size": Setting(float, _sizes(5, 20, points=True), "layout", "reference_size"),
    "note_size": Setting(float, _sizes(5, 20, points=True), "layout", "note_size"),
    "line_height": Setting(float, _sizes(1, 3), "layout", "line_height"),
    "font_zh": Setting(str, _name, "layout", "font_zh"),
    "font_heading_zh": Setting(str, _name, "layout", "font_heading_zh"),
    "font_latin": Setting(str, _name, "layout", "font_latin"),
    "columns": Setting(int, _choice(1, 2), "layout", "columns"),
    "column_gap": Setting(float, _sizes(2, 20), "layout", "column_gap"),
}
RENAMED = {"sentence_case": "title_case: \"by-format\" (true) or \"as-stored\" (false)"}
"""Settings of earlier versions, with what replaced them."""
LABEL_NAMES = tuple(f.name for f in fields(LabelSet))


class Validator:
    """Checks one TOML table against the schema, collecting every problem with its line."""

    def __init__(self, path: Path, text: str, section: str) -> None:
        self.path, self.lines, self.section = path, text.splitlines(), section
        self.problems: list[Diagnostic] = []

    def where(self, key: str) -> Location:
        start = next((i for i, line in enumerate(self.lines) if line.strip() == f"[{self.section}]"), 0)
        for number, line in enumerate(self.lines[start:], start + 1):
            if re.match(rf"\s*{re.escape(key)}\s*[=.]", line) or line.strip() in (f"[{self.section}.{key}]",):
                return Location(self.path, number, line.index(key) + 1)
        return Location(self.path)

    def problem(self, key: str, message: str) -> None:
        self.problems.append(Diagnostic("config", Severity.ERROR, message, self.where(key)))

    def values(self, name: str, table: dict[str, Any], allowed: dict[str, Setting], tables: bool = False) -> dict[str, Any]:
        """The valid entries of ``table``; with ``tables``, also its ``labels`` and ``layout`` tables."""
        good: dict[str, Any] = {}
        for key, value in table.items():
            if tables and key in TABLES:
                good[key] = self.table(key, value)
                continue
            setting = allowed.get(key)
            if setting is None and key in RENAMED:
                self.problem(key, f"{key!r} is now {RENAMED[key]}")
            elif setting is None:
                names = sorted([*allowed, *(TABLES if tables else ())])
                hint = did_you_mean(key, names)
                self.problem(key, f"unknown {'setting' if tables else 'key'} {key!r} in {name}{hint}; allowed: {', '.join(names)}")
            elif (why := _invalid(setting, value)) is not None:
                self.problem(key, f"setting {key!r} {why}" if tables else f"{name}.{key} {why}")
            else:
                good[key] = value
        return good

    def table(self, name: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            header = f"{self.section}.{name}" if self.section else name
            self.problem(name, f"{name} must be a table ([{header}])")
            return {}
        if name == "layout":
            return self.values(name, value, LAYOUT_CHECKS)
        result: dict[str, Any] = {}
        labels = {n: Setting(str, None, "labels", n) for n in LABEL_NAMES}
        for lang, words in value.items():
            if lang not in ("zh", "en") or not isinstance(words, dict):
                self.problem(name, f"labels take tables [labels.zh] and [labels.en], not {lang!r}")
                continue
            result[lang] = self.values(f"{name}.{lang}", words, labels)
        return result


def _invalid(setting: Setting, value: Any) -> str | None:
    number = setting.kind is float and isinstance(value, int)  # TOML writes 16 for 16.0
    if not (isinstance(value, setting.kind) or number) or (setting.kind in (int, float) and isinstance(value, bool)):
        return "must be a number" if setting.kind is float else f"must be a {setting.kind.__name__}"
    return setting.check(value) if setting.check else None


def read_toml(path: Path, root: Path) -> tuple[dict[str, Any], str]:
    shown = relative_to(path, root)
    try:
        text = read_bytes(path, root, shown=shown).decode("utf-8")
    except ManuscriptError as exc:
        raise ConfigError([Diagnostic("config", Severity.ERROR, exc.diagnostic.message, Location(shown))]) from None
    except UnicodeDecodeError:
        raise ConfigError([Diagnostic("config", Severity.ERROR, f"cannot read {shown.as_posix()}: not valid UTF-8", Location(shown))]) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+), column (\d+)", str(exc))
        where = Location(shown, int(match.group(1)), int(match.group(2))) if match else Location(shown)
        raise ConfigError([Diagnostic("config", Severity.ERROR, f"invalid TOML: {exc}", where)]) from None
