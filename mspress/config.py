"""Settings, loaded once into one typed object: the journal's profile, overridden by ``[tool.mspress]``.

A journal is data: ``journals/<name>/profile.toml`` (plus optional ``templates/``), looked up in the project,
then among the journals mspress ships. Every profile starts from the packaged ``default`` one. Profiles and
``[tool.mspress]`` share one schema (``SETTINGS``, ``labels``, ``layout``), validated by one function.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from mspress.citations.keys import did_you_mean
from mspress.errors import ConfigError, Diagnostic, Location, Severity, relative_to
from mspress.journals import FOLDER as PACKAGED_JOURNALS
from mspress.journals import names
from mspress.styles.gbt7714.options import STYLES, SYSTEMS, Options

DEFAULT_JOURNAL = "default"


@dataclass(frozen=True, slots=True)
class CitationForm:
    """How citation numbers are printed in the text."""

    min_run: int = 2
    """Consecutive numbers collapse into a range from this many on: 2 (``[1-2]``) or 3 (``[1,2]``, ``[1-3]``)."""
    dash: str = "-"
    """The dash of a range: ``-`` (the standard) or ``–``."""
    sort: bool = True
    """Sort the numbers inside one citation (``[3,1]`` → ``[1,3]``); false keeps the written order."""


@dataclass(frozen=True, slots=True)
class LabelSet:
    """The words a journal prints in one language."""

    abstract: str
    keywords: str
    references: str
    figure: str
    table: str
    section: str
    clc: str
    document_code: str
    article_id: str
    doi: str
    received: str
    revised: str
    funding: str
    biography: str
    corresponding: str
    email: str
    narrative: str
    """What a number cited in the sentence follows: ``文献`` in ``文献[8]指出``."""


@dataclass(frozen=True, slots=True)
class Labels:
    zh: LabelSet
    en: LabelSet


@dataclass(frozen=True, slots=True)
class Layout:
    running_head: bool = True
    """Journal name, year, volume and issue at the top of each page after the first."""
    page_numbers: str = "journal"
    """``journal``: the first page is the first of ``journal.pages`` in metadata.yaml; ``from-1``: page 1."""


@dataclass(frozen=True, slots=True)
class JournalProfile:
    name: str
    """The profile's name (its folder's name)."""
    title: str
    """The journal's name as the profile gives it (for messages and the README)."""
    folder: Path | None
    """The profile's folder: its ``templates/`` come between the project's and the packaged ones."""
    references: Options
    citations: CitationForm
    labels: Labels
    layout: Layout

    @property
    def style(self) -> str:
        return f"gb7714-{self.references.edition}"


@dataclass(frozen=True, slots=True)
class Settings:
    root: Path
    """The project directory."""
    journal: JournalProfile
    output_dir: str = "output"
    output_name: str = "manuscript"
    """Outputs are ``<output_dir>/<output_name>.html``, ``.pdf`` …"""

    @property
    def output_path(self) -> Path:
        return self.root / self.output_dir

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        """Where templates are looked up, first match wins: project, journal, packaged default."""
        journal = (self.journal.folder / "templates",) if self.journal.folder else ()
        return (self.root / "templates", *journal, Path(__file__).parent / "templates")

    def with_overrides(self, style: str | None = None, system: str | None = None) -> Settings:
        """The command line's ``--style`` / ``--system`` over the profile's."""
        references = self.journal.references
        if style is not None:
            references = replace(references, edition=_edition(style))
        if system is not None:
            references = replace(references, system=system)
        return replace(self, journal=replace(self.journal, references=references))


# --- the schema ---------------------------------------------------------------------------------------


def _choice(*allowed: Any) -> Callable[[Any], str | None]:
    return lambda value: None if value in allowed else "must be one of " + ", ".join(map(repr, allowed))


def _inside_project(value: str) -> str | None:
    return "must be a path inside the project" if ".." in Path(value).parts or Path(value).is_absolute() else None


def _edition(style: str) -> int:
    return int(style.rsplit("-", 1)[1])


@dataclass(frozen=True, slots=True)
class Setting:
    kind: type
    check: Callable[[Any], str | None] | None
    target: str
    """``references`` (the GB/T 7714 engine's ``Options``), ``citations`` (``CitationForm``) or ``project``."""
    field: str
    convert: Callable[[Any], Any] = lambda value: value


SETTINGS: dict[str, Setting] = {
    "style": Setting(str, _choice(*STYLES), "references", "edition", _edition),
    "system": Setting(str, _choice(*SYSTEMS), "references", "system"),
    "print_doi": Setting(bool, None, "references", "print_doi"),
    "print_url": Setting(bool, None, "references", "print_url"),
    "doi_online": Setting(bool, None, "references", "doi_online"),
    "short_journal": Setting(bool, None, "references", "short_journal"),
    "uppercase_surnames": Setting(bool, None, "references", "uppercase_surnames"),
    "punctuation": Setting(str, _choice("gb", "half", "by-language"), "references", "punctuation"),
    "et_al_after": Setting(int, lambda v: None if 1 <= v <= 20 else "must be between 1 and 20", "references", "et_al_after"),
    "sentence_case": Setting(bool, None, "references", "sentence_case"),
    "bilingual": Setting(bool, None, "references", "bilingual"),
    "compress_min_run": Setting(int, _choice(2, 3), "citations", "min_run"),
    "range_dash": Setting(str, _choice("-", "–"), "citations", "dash"),
    "sort_citations": Setting(bool, None, "citations", "sort"),
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
}
LABEL_NAMES = tuple(f.name for f in fields(LabelSet))


class _Validator:
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
            if setting is None:
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
    if not isinstance(value, setting.kind) or (setting.kind is int and isinstance(value, bool)):
        return f"must be a {setting.kind.__name__}"
    return setting.check(value) if setting.check else None


def _read_toml(path: Path, root: Path) -> tuple[dict[str, Any], str]:
    shown = relative_to(path, root)
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not valid UTF-8"
        raise ConfigError([Diagnostic("config", Severity.ERROR, f"cannot read {shown.as_posix()}: {reason}", Location(shown))]) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+), column (\d+)", str(exc))
        where = Location(shown, int(match.group(1)), int(match.group(2))) if match else Location(shown)
        raise ConfigError([Diagnostic("config", Severity.ERROR, f"invalid TOML: {exc}", where)]) from None


# --- loading -------------------------------------------------------------------------------------------


def load_settings(root: Path, journal: str | None = None) -> Settings:
    """``[tool.mspress]`` over the journal's profile over the default profile; every problem reported at once.

    ``journal`` (``--journal``) replaces the project's choice of journal.
    """
    path = root / "pyproject.toml"
    project: dict[str, Any] = {}
    if path.is_file():
        data, text = _read_toml(path, root)
        validator = _Validator(Path("pyproject.toml"), text, "tool.mspress")
        tool = data.get("tool", {})
        table = tool.get("mspress", {}) if isinstance(tool, dict) else None
        if not isinstance(table, dict):
            where = validator.where("tool") if not isinstance(tool, dict) else validator.where("mspress")
            raise ConfigError([Diagnostic("config", Severity.ERROR, "[tool.mspress] must be a table of settings", where)])
        project = validator.values("[tool.mspress]", table, {**SETTINGS, **PROJECT_ONLY}, tables=True)
        if validator.problems:
            raise ConfigError(validator.problems)
    chosen = project.pop("journal", None)
    name = journal or chosen or DEFAULT_JOURNAL
    folder = find_journal(name, root, Location(Path("<command line>")) if journal else validator_where(root, "journal"))
    layers = [_profile_values(PACKAGED_JOURNALS / DEFAULT_JOURNAL, root)]
    if folder != PACKAGED_JOURNALS / DEFAULT_JOURNAL:
        layers.append(_profile_values(folder, root))
    layers.append(project)
    merged: dict[str, Any] = {}
    for layer in layers:
        merged = _merge(merged, layer)
    return _settings(root, name, folder, merged)


def validator_where(root: Path, key: str) -> Location:
    """Where ``key`` is set in the project's ``[tool.mspress]`` (the file's start when it is not)."""
    path = root / "pyproject.toml"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return _Validator(Path("pyproject.toml"), text, "tool.mspress").where(key)


def find_journal(name: str, root: Path, where: Location) -> Path:
    """A journal's folder: ``journals/<name>`` in the project, else among the packaged ones."""
    for base in (root / "journals", PACKAGED_JOURNALS):
        candidate = base / name
        if re.fullmatch(r"[\w.-]+", name) and (candidate / "profile.toml").is_file():
            return candidate
    known = journal_names(root)
    hint = did_you_mean(name, known)
    raise ConfigError([Diagnostic("config", Severity.ERROR, f"unknown journal {name!r}{hint}; known journals: {', '.join(known)} "
                                  "(or add journals/<name>/profile.toml to the project)", where)])


def journal_names(root: Path) -> list[str]:
    return names(root / "journals")


def _profile_values(folder: Path, root: Path) -> dict[str, Any]:
    path = folder / "profile.toml"
    data, text = _read_toml(path, root)
    validator = _Validator(relative_to(path, root), text, "")
    values = validator.values(relative_to(path, root).as_posix(), data, {**SETTINGS, **PROFILE_ONLY}, tables=True)
    if validator.problems:
        raise ConfigError(validator.problems)
    return values


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        merged[key] = _merge(merged.get(key, {}), value) if isinstance(value, dict) else value
    return merged


def _settings(root: Path, name: str, folder: Path, values: dict[str, Any]) -> Settings:
    references: dict[str, Any] = {}
    citations: dict[str, Any] = {}
    for key, setting in SETTINGS.items():
        if key in values:
            (references if setting.target == "references" else citations)[setting.field] = setting.convert(values[key])
    labels = values.get("labels", {})
    missing = [f"labels.{lang}.{n}" for lang in ("zh", "en") for n in LABEL_NAMES if n not in labels.get(lang, {})]
    if missing:
        raise ConfigError([Diagnostic("config", Severity.ERROR, f"journal {name!r} lacks {', '.join(missing)}",
                                      Location(relative_to(folder / "profile.toml", root)))])
    profile = JournalProfile(
        name=name, title=values.get("name", name), folder=None if folder == PACKAGED_JOURNALS / DEFAULT_JOURNAL else folder,
        references=Options(**references), citations=CitationForm(**citations),
        labels=Labels(LabelSet(**labels["zh"]), LabelSet(**labels["en"])), layout=Layout(**values.get("layout", {})))
    return Settings(root=root, journal=profile, output_dir=values.get("output_dir", "output"),
                    output_name=values.get("output_name", "manuscript"))
