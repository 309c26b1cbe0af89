"""benchmarks/load_autosave.py: a run with locust at the lowest priority says so in its row."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture
def load_autosave(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The script as a module; it imports `common` as a sibling, so its folder goes on the path."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    return importlib.import_module("load_autosave")


def _result(**changes: Any) -> dict[str, Any]:
    result: dict[str, Any] = {
        "backend": "PostgreSQL", "nice_load": False, "workers": 2, "dramatiq": True,
        "candidates": 200, "reviewers": 2, "seconds": 60, "saves": 8100, "rate": 135.0,
        "autosave": [20.0, 110.0, 240.0], "healthz": [3.0, 20.0, 90.0],
        "statuses": {"autosave": {"200": 8100}}, "lost": 0, "acked": 200,
        "graded": [0.3, 0.4], "graded_n": 3, "ungraded": 0, "cpu_ms_per_request": 3.4,
        "cpu_util": 0.46, "load": "1.0, 1.0, 1.0",
    }  # fmt: skip
    return result | changes


def test_a_row_marks_locust_at_nice_19(load_autosave: ModuleType) -> None:
    """The setup cell names the lower priority only for runs that used it."""
    niced = load_autosave._row(_result(nice_load=True))
    plain = load_autosave._row(_result())
    assert niced.startswith("| PostgreSQL, 2 web processes, Dramatiq worker, locust at `nice 19` |")
    assert "nice" not in plain
    assert "| 20 / 110 / 240 ms |" in plain


def test_the_section_explains_the_nice_19_rows(load_autosave: ModuleType) -> None:
    """The section's preamble says what `nice 19` rows mean, above the table."""
    text = load_autosave.section([_result(nice_load=True)])
    preamble, _, table = text.partition("| setup |")
    assert "--nice-load" in preamble
    assert "locust at `nice 19`" in table
