"""The grading pool: bounded queue, immediate busy error, real grades through futures."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from hiresight.grading import pool as pool_module
from hiresight.grading.errors import GradingBusyError
from hiresight.grading.pool import GradingPool
from hiresight.grading.report import GradeReport
from tests.challenges.factories import JS_FIXTURE, PY_FIXTURE, fixture_challenge


def test_full_queue_raises_busy_immediately(monkeypatch: pytest.MonkeyPatch) -> None:
    """With 1 worker and a queue of 1, the third submit fails at once with grading_busy."""
    release = threading.Event()

    def blocked_grade(challenge: Any, files: Any) -> GradeReport:
        release.wait(10)
        return GradeReport(challenge_id=challenge.id, status="ok")

    monkeypatch.setattr(pool_module, "grade", blocked_grade)
    ch = fixture_challenge(PY_FIXTURE)
    with GradingPool(workers=1, queue_size=1) as pool:
        first, second = pool.submit(ch, {}), pool.submit(ch, {})
        started = time.monotonic()
        with pytest.raises(GradingBusyError) as info:
            pool.submit(ch, {})
        assert time.monotonic() - started < 0.1
        assert info.value.code == "grading_busy"
        assert info.value.message == "busy, retry later"
        release.set()
        assert first.result(5).status == second.result(5).status == "ok"
        # Slots are given back once grades finish.
        assert pool.submit(ch, {}).result(5).challenge_id == ch.id


def test_pool_grades_both_languages_concurrently() -> None:
    """Two workers return the same verdicts as a direct grade()."""
    with GradingPool(workers=2, queue_size=4) as pool:
        futures = {
            name: pool.submit(fixture_challenge(name), fixture_challenge(name).solution)
            for name in (PY_FIXTURE, JS_FIXTURE)
        }
        assert {name: f.result(30).score for name, f in futures.items()} == {
            PY_FIXTURE: 100.0,
            JS_FIXTURE: 100.0,
        }


def test_default_workers_is_cpu_count() -> None:
    """workers=None uses os.cpu_count()."""
    pool = GradingPool()
    try:
        assert pool.workers >= 1
    finally:
        pool.shutdown()
