"""The engine against every example of GB/T 7714-2015 and -2025 (../shared/gbt7714/conformance)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.shared_data import require_shared

REPO = Path(__file__).parent.parent
DATA = REPO.parent / "shared" / "gbt7714" / "conformance"
THRESHOLDS = {"2015-numeric": 0.98, "2025-numeric": 0.98, "2015-authoryear": 0.95, "2025-authoryear": 0.95}


@pytest.fixture(scope="module")
def report() -> str:
    require_shared(DATA)
    files = [str(DATA / f"{name}.jsonl") for name in THRESHOLDS]
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "conformance.py"), *files, "--diffs", "0"],
                            capture_output=True, text=True, check=True)
    return result.stdout


@pytest.mark.parametrize("name, threshold", THRESHOLDS.items())
def test_exact_matches_meet_the_target(report: str, name: str, threshold: float) -> None:
    m = re.search(rf"{name}\.jsonl: (\d+)/(\d+) exact", report)
    assert m, report
    assert int(m.group(1)) / int(m.group(2)) >= threshold


@pytest.mark.parametrize("name", THRESHOLDS)
def test_every_difference_is_a_listed_divergence(report: str, name: str) -> None:
    assert re.search(rf"{name}\.jsonl: .*; 0 other failures", report), report
