"""The journal profiles mspress ships: one folder each, ``<name>/profile.toml`` and optional ``templates/``."""
from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).parent


def names(*extra_folders: Path) -> list[str]:
    """Profiles found in ``extra_folders`` (a project's ``journals/``) and among the packaged ones."""
    found = {p.parent.name for base in (*extra_folders, FOLDER) if base.is_dir() for p in base.glob("*/profile.toml")}
    return sorted(found)
