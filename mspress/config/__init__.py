"""Settings, loaded once into one typed object: the journal's profile, overridden by ``[tool.mspress]``.

A journal is data: ``journals/<name>/profile.toml`` (plus optional ``templates/``), looked up in the project,
then among the journals mspress ships. Every profile starts from the packaged ``default`` one. Profiles and
``[tool.mspress]`` share one schema (``SETTINGS``, ``labels``, ``layout``), validated by one function.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mspress.citations.keys import did_you_mean
from mspress.config.profile import CitationForm, JournalProfile, Labels, LabelSet, Layout, Settings
from mspress.config.schema import LABEL_NAMES, LAYOUT_CHECKS, PROFILE_ONLY, PROJECT_ONLY, SETTINGS, Setting, Validator, read_toml
from mspress.errors import ConfigError, Diagnostic, Location, Severity, relative_to
from mspress.journals import FOLDER as PACKAGED_JOURNALS
from mspress.journals import names
from mspress.sources.files import present
from mspress.styles.gbt7714.options import STYLES, SYSTEMS, Options

if TYPE_CHECKING:
    from mspress.styles.csl.style import CslStyle

__all__ = ["NO_JOURNAL", "SETTINGS", "STYLES", "SYSTEMS", "CitationForm", "JournalProfile", "LabelSet", "Labels", "Layout",
           "Setting", "Settings", "find_journal", "journal_names", "load_settings"]
DEFAULT_JOURNAL = "default"
NO_JOURNAL = "none"
"""``--journal none``: the plain standard, whatever the project's settings say."""
OUTPUT_SETTINGS = ("formats", "output_dir", "output_name")
"""What ``--journal none`` keeps of ``[tool.mspress]``: where the outputs go, not how the article looks."""


def load_settings(root: Path, journal: str | None = None) -> Settings:
    """``[tool.mspress]`` over the journal's profile over the default profile; every problem reported at once.

    ``journal`` (``--journal``) replaces the project's choice of journal; ``none`` is the plain standard: the
    packaged default profile, without the journal and reference settings of ``[tool.mspress]``.
    """
    path = root / "pyproject.toml"
    project: dict[str, Any] = {}
    validator = Validator(Path("pyproject.toml"), "", "tool.mspress")
    if present(path):
        data, text = read_toml(path, root)
        validator = Validator(Path("pyproject.toml"), text, "tool.mspress")
        tool = data.get("tool", {})
        table = tool.get("mspress", {}) if isinstance(tool, dict) else None
        if not isinstance(table, dict):
            where = validator.where("tool") if not isinstance(tool, dict) else validator.where("mspress")
            raise ConfigError([Diagnostic("config", Severity.ERROR, "[tool.mspress] must be a table of settings", where)])
        project = validator.values("[tool.mspress]", table, {**SETTINGS, **PROJECT_ONLY}, tables=True)
        _csl_setting(project, root, validator)
        if validator.problems:
            raise ConfigError(validator.problems)
    chosen = project.pop("journal", None)
    if journal == NO_JOURNAL:
        project = {key: value for key, value in project.items() if key in OUTPUT_SETTINGS}
    name = DEFAULT_JOURNAL if journal == NO_JOURNAL else journal or chosen or DEFAULT_JOURNAL
    folder = find_journal(name, root)
    if folder is None:
        raise _unknown_journal(name, root, Location(Path("<command line>")) if journal else validator.where("journal"))
    layers = [_profile_values(PACKAGED_JOURNALS / DEFAULT_JOURNAL, root)]
    if folder != PACKAGED_JOURNALS / DEFAULT_JOURNAL:
        layers.append(_profile_values(folder, root))
    layers.append(project)
    merged: dict[str, Any] = {}
    for layer in layers:
        if "style" in layer:  # a layer that chooses GB/T 7714 drops the CSL style of the layers below it
            merged.pop("csl", None)
        merged = _merge(merged, layer)
    return _settings(root, name, folder, merged)


def find_journal(name: str, root: Path) -> Path | None:
    """A journal's folder: ``journals/<name>`` in the project, else among the packaged ones."""
    for base in (root / "journals", PACKAGED_JOURNALS):
        candidate = base / name
        if re.fullmatch(r"[\w.-]+", name) and (candidate / "profile.toml").is_file():
            return candidate
    return None


def _unknown_journal(name: str, root: Path, where: Location) -> ConfigError:
    known = journal_names(root)
    hint = did_you_mean(name, known)
    return ConfigError([Diagnostic("config", Severity.ERROR, f"unknown journal {name!r}{hint}; known journals: {', '.join(known)} "
                                   "(or add journals/<name>/profile.toml to the project)", where)])


def journal_names(root: Path) -> list[str]:
    return names(root / "journals")


def _profile_values(folder: Path, root: Path) -> dict[str, Any]:
    path = folder / "profile.toml"
    data, text = read_toml(path, root)
    validator = Validator(relative_to(path, root), text, "")
    values = validator.values(relative_to(path, root).as_posix(), data, {**SETTINGS, **PROFILE_ONLY}, tables=True)
    _csl_setting(values, folder, validator)
    if validator.problems:
        raise ConfigError(validator.problems)
    return values


def _csl_setting(values: dict[str, Any], base: Path, validator: Validator) -> None:
    """``csl = "…"`` is a path relative to the file that writes it; ``style`` and ``csl`` exclude each other."""
    if "csl" not in values:
        return
    if "style" in values:
        validator.problem("csl", "set either style (GB/T 7714) or csl (a CSL style file), not both")
    from mspress.styles.csl.style import CslSetting  # the CSL module only for a journal that names a style

    values["csl"] = CslSetting(values["csl"], base, validator.where("csl"))


def _load_style(setting: Any, root: Path) -> CslStyle:
    from mspress.styles.csl.style import load_style

    return load_style(setting, root)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        merged[key] = _merge(merged.get(key, {}), value) if isinstance(value, dict) else value
    return merged


def _settings(root: Path, name: str, folder: Path, values: dict[str, Any]) -> Settings:
    references: dict[str, Any] = {}
    citations: dict[str, Any] = {}
    for key, setting in SETTINGS.items():
        if key in values and setting.target in ("references", "citations"):
            (references if setting.target == "references" else citations)[setting.field] = setting.convert(values[key])
    labels = values.get("labels", {})
    missing = [f"labels.{lang}.{n}" for lang in ("zh", "en") for n in LABEL_NAMES if n not in labels.get(lang, {})]
    if missing:
        raise ConfigError([Diagnostic("config", Severity.ERROR, f"journal {name!r} lacks {', '.join(missing)}",
                                      Location(relative_to(folder / "profile.toml", root)))])
    profile = JournalProfile(
        name=name, title=values.get("name", name), folder=None if folder == PACKAGED_JOURNALS / DEFAULT_JOURNAL else folder,
        references=Options(**references), citations=CitationForm(**citations),
        labels=Labels(LabelSet(**labels["zh"]), LabelSet(**labels["en"])), layout=Layout(**{key: LAYOUT_CHECKS[key].convert(value) for key, value in values.get("layout", {}).items()}),
        csl=_load_style(values["csl"], root) if "csl" in values else None)
    return Settings(root=root, journal=profile, formats=SETTINGS["formats"].convert(values.get("formats", ["html", "pdf"])), output_dir=values.get("output_dir", "output"),
                    output_name=values.get("output_name", "manuscript"))
