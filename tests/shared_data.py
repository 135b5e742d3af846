"""Data kept beside the repository (../shared: the standards' examples, the seed article)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest


def require_shared(path: Path) -> None:
    """A test that needs ``path`` fails under CI when it is missing (CI must have ../shared) and is skipped elsewhere."""
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI must have ../shared")
        pytest.skip("../shared is not beside the repository")
