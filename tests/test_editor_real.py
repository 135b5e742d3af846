"""Issue 12's acceptance test: editor-mode ``check`` on real manuscripts (tests/fixtures/editor-real/, and
tests/fixtures/editor-heldout/, a batch collected later and first measured before the checker saw it).

The true problems of each document were marked by reading it (``NAME.expected``); scripts/editor_eval.py runs
``mspress check --format json`` on every document and matches reports to them by code and line.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).parent.parent


def _editor_eval() -> ModuleType:
    spec = importlib.util.spec_from_file_location("editor_eval", REPO / "scripts" / "editor_eval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("editor_eval", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("corpus", ["editor-real", "editor-heldout"])
def test_real_manuscripts(corpus: str) -> None:
    evaluation = _editor_eval()
    results, total = evaluation.run(REPO / "tests" / "fixtures" / corpus)
    report = evaluation.as_text(results, total, verbose=True)
    assert total.documents >= 10, report
    assert total.errors == 0, report
    assert total.correct_documents >= 1 and total.true_positives + total.false_negatives >= 1, report
    assert total.precision >= 0.95, report
    assert total.recall >= 0.9, report
    assert total.reports_on_correct_documents == 0, report
