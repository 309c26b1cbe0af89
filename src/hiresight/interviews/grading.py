"""Grading code-review answers through the grading pool, after the answer is committed.

The hook only schedules work: the grade runs in the pool once the submitting transaction has
committed (so the grader never sees an answer that might still roll back), and its result is
written back in a transaction of its own.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Any

import structlog
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hiresight.challenges.loader import load_bank
from hiresight.challenges.models import Challenge
from hiresight.db import make_session_factory, transaction
from hiresight.errors import AppError
from hiresight.grading.errors import GradingBusyError
from hiresight.grading.grader import run_visible_tests
from hiresight.grading.pool import GradingPool
from hiresight.grading.report import GradeReport
from hiresight.interviews.config import StageKind
from hiresight.interviews.models import StageAttempt

log = structlog.get_logger(__name__)
_pool: GradingPool | None = None
_pool_lock = threading.Lock()
_pending: set[threading.Event] = set()


def pool() -> GradingPool:
    """The process's grading pool (created on first use)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = GradingPool()
        return _pool


def challenge_by_id(challenge_id: str) -> Challenge:
    """A bank challenge by id."""
    for challenge in load_bank():
        if challenge.id == challenge_id:
            return challenge
    raise AppError(
        "This challenge is no longer in the bank.", code="challenge_missing", status_code=500
    )


def patched_files(answer: Mapping[str, Any]) -> dict[str, str]:
    """The candidate's edited files from a code-review answer."""
    files = answer.get("files") or {}
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


def _write_result(engine: Engine, attempt_id: int, report: GradeReport) -> None:
    with transaction(make_session_factory(engine)) as session:
        attempt = session.get(StageAttempt, attempt_id)
        if attempt is None:
            return
        attempt.result = {
            "grade": report.model_dump(mode="json"),
            "candidate": report.for_candidate().model_dump(mode="json"),
        }
        attempt.score = report.score


def after_final(session: Session, attempt: StageAttempt) -> None:
    """Grade a final code-review answer once its transaction commits."""
    if attempt.stage is not StageKind.code_review or not attempt.answer:
        return
    challenge = challenge_by_id(str(attempt.private["challenge_id"]))
    files = patched_files(attempt.answer)
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    attempt_id = attempt.id
    done = threading.Event()
    _pending.add(done)

    def start(_session: Session) -> None:
        try:
            future = pool().submit(challenge, files)
        except GradingBusyError:
            log.warning("grading_busy", attempt_id=attempt_id)
            _pending.discard(done)
            done.set()
            return

        def finish(fut: Any) -> None:
            try:
                _write_result(engine, attempt_id, fut.result())
            except Exception:
                log.exception("grading_failed", attempt_id=attempt_id)
            finally:
                _pending.discard(done)
                done.set()

        future.add_done_callback(finish)

    def forget(_session: Session) -> None:
        _pending.discard(done)
        done.set()

    event.listen(session, "after_commit", start, once=True)
    event.listen(session, "after_soft_rollback", forget, once=True)


def wait_for_grading(timeout: float = 30.0) -> bool:
    """Block until every scheduled grade has been written (tests and shutdown use this)."""
    return all(done.wait(timeout) for done in list(_pending))


# Example-test runs share the machine with grading; bound them the same way (one per core).
_example_slots = threading.BoundedSemaphore(os.cpu_count() or 1)


def run_examples(attempt: StageAttempt, files: Mapping[str, str]) -> dict[str, Any]:
    """Run the challenge's visible example tests on the candidate's files, synchronously."""
    challenge = challenge_by_id(str(attempt.private["challenge_id"]))
    if not _example_slots.acquire(timeout=2):
        raise AppError(
            "Every sandbox is busy; retry in a few seconds.",
            code="grading_busy",
            status_code=503,
            headers={"Retry-After": "5"},
        )
    try:
        report = run_visible_tests(challenge, files)
    finally:
        _example_slots.release()
    return report.model_dump(mode="json", include={"status", "syntax_error", "tests", "wall_ms"})
