"""Grading code-review answers: background work that runs the patch through the grading pool.

The submit hook records `grade` work in the answer's transaction (`tasks.outbox`). It runs
in-process by default, or on `hiresight worker` processes through Dramatiq on Redis, and a
reconciler runs it if the wake-up is lost or the process running it dies.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping
from typing import Any

import structlog
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hiresight.challenges.loader import challenge_index
from hiresight.challenges.models import Challenge
from hiresight.db import make_session_factory, transaction
from hiresight.errors import AppError
from hiresight.grading.errors import GradingBusyError
from hiresight.grading.grader import run_visible_tests
from hiresight.grading.pool import GradingPool
from hiresight.grading.report import GradeReport
from hiresight.interviews.attempt_data.answers import CodeReviewAnswer
from hiresight.interviews.attempt_data.columns import attempt_answer, attempt_private, set_result
from hiresight.interviews.attempt_data.stored import CodeReviewPrivate, CodeReviewResult
from hiresight.interviews.config import StageKind
from hiresight.interviews.models import StageAttempt
from hiresight.tasks import outbox
from hiresight.tasks import service as tasks
from hiresight.tasks.outbox import Claim
from hiresight.tasks.reconciler import handler

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
    """A bank challenge by id, from the bank's index rather than a fresh parse of every one."""
    challenge = challenge_index().get(challenge_id)
    if challenge is None:
        # A challenge added to the bank after it was indexed is found on a second read.
        challenge = challenge_index(refresh=True).get(challenge_id)
    if challenge is None:
        raise AppError(
            "This challenge is no longer in the bank.", code="challenge_missing", status_code=500
        )
    return challenge


def patched_files(answer: CodeReviewAnswer | None) -> dict[str, str]:
    """The candidate's edited files from a code-review answer."""
    return dict(answer.files or {}) if answer is not None else {}


def _grade(attempt_id: int, challenge: Challenge, files: dict[str, str]) -> GradeReport:
    for delay in BUSY_RETRY_DELAYS:
        try:
            return pool().submit(challenge, files).result()
        except GradingBusyError:
            log.warning("grading_busy", attempt_id=attempt_id, retry_in=delay)
            time.sleep(delay)
    raise GradingBusyError("the grading pool stayed busy")


@handler("grade")
def grade_attempt(engine: Engine, work: Claim) -> None:
    """Grade a final code-review answer in the sandbox, store the report, record its scoring.

    The report, the acknowledgement of this work and the recording of the `score` work commit
    in one transaction: a crash before it re-runs the grade, a crash after it loses nothing.
    """
    factory = make_session_factory(engine)
    job: tuple[Challenge, dict[str, str]] | None = None
    with factory() as session:
        attempt = session.get(StageAttempt, work.attempt_id)
        # Gone, empty, or already graded: nothing to run (a re-run never grades twice).
        if attempt is not None and attempt.answer and attempt.result is None:
            job = (
                challenge_by_id(attempt_private(attempt, CodeReviewPrivate).challenge_id),
                patched_files(attempt_answer(attempt, CodeReviewAnswer)),
            )
    report = _grade(work.attempt_id, *job) if job is not None else None
    with transaction(factory) as session:
        outbox.complete(session, work)
        attempt = session.get(StageAttempt, work.attempt_id)
        if attempt is None:
            return
        # Checked again under the acknowledgement: a grade stored meanwhile is kept, not doubled.
        if report is not None and attempt.result is None:
            set_result(attempt, CodeReviewResult(grade=report, candidate=report.for_candidate()))
            # The attempt's score stays unset until the stage is scored (patch, flags and
            # explanation): the grader's patch score shown meanwhile read 100 in the room and
            # then 99 on the scorecard.
        # Scoring needs the grade (patch design), so it is recorded only now.
        outbox.record(session, kind="score", attempt_id=work.attempt_id)


def after_final(session: Session, attempt: StageAttempt) -> None:
    """Record the grade of a final code-review answer in the answer's own transaction.

    The grader runs once that transaction commits, so it never reads an answer that might still
    roll back, and a crash after the commit leaves the work recorded for a reconciler.
    """
    if attempt.stage is not StageKind.code_review:
        return
    session.flush()  # the attempt's id
    outbox.record(session, kind="grade", attempt_id=attempt.id)


def wait_for_grading(timeout: float = 60.0) -> bool:
    """Block until queued in-process grades are written (tests and the terminal use this)."""
    return tasks.wait(timeout)


# Example-test runs share the machine with grading; bound them the same way (one per core).
_example_slots = threading.BoundedSemaphore(os.cpu_count() or 1)


def run_examples(attempt: StageAttempt, files: Mapping[str, str]) -> dict[str, Any]:
    """Run the challenge's visible example tests on the candidate's files, synchronously."""
    challenge = challenge_by_id(attempt_private(attempt, CodeReviewPrivate).challenge_id)
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
