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


def test_the_timeline_tells_where_the_503s_and_the_slow_saves_fall(
    load_autosave: ModuleType,
) -> None:
    """503s are sorted by what they waited for (nothing, the queue's 1 s, the pool's 2 s) and
    by whether they fell in the ramp; the steady percentiles leave the ramp and 5 s after out."""
    timeline = [
        [0.5, 503, 3.0],  # in the ramp, refused at once
        [2.0, 200, 900.0],  # in the ramp: not in the steady figures
        [11.0, 503, 1004.0],  # waited in the queue
        [12.0, 503, 2010.0],  # waited for a connection
        *([[20.0 + i / 100, 200, float(i + 1)] for i in range(100)]),
    ]
    figures = load_autosave._timeline_figures(timeline, ramp=5)
    assert figures["busy_503"] == {
        "at_once": 1, "queue_wait": 1, "db_wait": 1, "during_ramp": 1,
        "first_s": 0.5, "last_s": 12.0,
    }  # fmt: skip
    assert figures["steady_after_s"] == 10
    # 102 steady samples: 1004, 2010 and 1..100 ms; the percentiles pick by rank.
    assert figures["autosave_steady"] == [52.0, 97.0, 1004.0]
