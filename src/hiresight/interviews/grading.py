"""Grading code-review answers: a background task that runs the patch through the grading pool.

The submit hook only queues the `grade_attempt` task, after the answer's transaction commits.
The task runs in-process by default, or on `hiresight worker` processes through Dramatiq on
Redis, and writes the report back in a transaction of its own.
"""

from __future__ import annotations

import os
import threading
import time
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
from hiresight.tasks import service as tasks
from hiresight.tasks.service import task

log = structlog.get_logger(__name__)
_pool: GradingPool | None = None
_pool_lock = threading.Lock()
# When every sandbox is busy, a queued grade waits and tries again rather than failing.
BUSY_RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0)


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


@task("grade_attempt")
def grade_attempt(engine: Engine, *, attempt_id: int) -> None:
    """Grade a final code-review answer in the sandbox and store the report with the attempt."""
    with transaction(make_session_factory(engine)) as session:
        attempt = session.get(StageAttempt, attempt_id)
        if attempt is None or not attempt.answer or attempt.result is not None:
            return  # gone, empty, or already graded (a retried message does nothing twice)
        challenge = challenge_by_id(str(attempt.private["challenge_id"]))
        files = patched_files(attempt.answer)
    for delay in BUSY_RETRY_DELAYS:
        try:
            report = pool().submit(challenge, files).result()
            break
        except GradingBusyError:
            log.warning("grading_busy", attempt_id=attempt_id, retry_in=delay)
            time.sleep(delay)
    else:
        raise GradingBusyError("the grading pool stayed busy")
    _write_result(engine, attempt_id, report)
    # Scoring needs the grade (patch design), so it is queued only now.
    tasks.enqueue(engine, "score_attempt", attempt_id=attempt_id)


def after_final(session: Session, attempt: StageAttempt) -> None:
    """Queue the grade of a final code-review answer once its transaction commits.

    Queuing after commit means the grader never reads an answer that might still roll back.
    """
    if attempt.stage is not StageKind.code_review or not attempt.answer:
        return
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    attempt_id = attempt.id

    def enqueue_grade(_session: Session) -> None:
        tasks.enqueue(engine, "grade_attempt", attempt_id=attempt_id)

    event.listen(session, "after_commit", enqueue_grade, once=True)


def wait_for_grading(timeout: float = 60.0) -> bool:
    """Block until queued in-process grades are written (tests and the terminal use this)."""
    return tasks.wait(timeout)


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
