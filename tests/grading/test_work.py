"""Grading and scoring as recorded work: each runs to one result, however often it is run."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hiresight.accounts.models import User
from hiresight.interviews import service
from hiresight.interviews.attempt_data.columns import attempt_result
from hiresight.interviews.attempt_data.stored import CodeReviewResult
from hiresight.interviews.models import StageAttempt
from hiresight.interviews.scores import AttemptScore
from hiresight.tasks import outbox
from hiresight.tasks import service as tasks
from hiresight.tasks.reconciler import Reconciler, execute, run_work
from tests.tasks.conftest import RecordingBackend
from tests.tasks.helpers import fixed_answer, graded_and_scored_once, outcome, start_code_review

pytestmark = [pytest.mark.usefixtures("hooks"), pytest.mark.slow]


def _submit(session: Session, candidate: User) -> int:
    attempt = start_code_review(session, candidate)
    service.submit(session, attempt=attempt, answer=fixed_answer())
    session.commit()
    return attempt.id


def _deliver(engine: Engine, queue: RecordingBackend) -> None:
    """Run every recorded wake-up, including those the work itself sends (grade, then score)."""
    while queue.sent:
        _name, kwargs = queue.sent.pop(0)
        run_work(engine, **kwargs)


def test_wake_ups_grade_then_score_once(
    engine: Engine, session: Session, candidate: User, queue: RecordingBackend
) -> None:
    """The wake-up runs the grade, whose transaction records the score; each runs once."""
    attempt_id = _submit(session, candidate)
    _deliver(engine, queue)
    assert graded_and_scored_once(engine, attempt_id)
    assert outcome(engine, attempt_id)["work"] == {"grade": ("done", 1), "score": ("done", 1)}


def test_a_duplicate_wake_up_does_nothing(
    engine: Engine, session: Session, candidate: User, queue: RecordingBackend
) -> None:
    """A message delivered twice (Dramatiq re-delivers an unacknowledged one) runs nothing twice."""
    attempt_id = _submit(session, candidate)
    first = list(queue.sent)
    _deliver(engine, queue)
    queue.sent.extend(first)
    _deliver(engine, queue)
    assert graded_and_scored_once(engine, attempt_id)


def test_two_claimants_of_one_grade_store_one_result(
    engine: Engine,
    session: Session,
    candidate: User,
    queue: RecordingBackend,
    short_lease: None,
) -> None:
    """A stalled claimant whose lease expired finishes late: its grade and scores are dropped."""
    attempt_id = _submit(session, candidate)
    work_id = queue.sent[0][1]["work_id"]
    stalled = outbox.claim(engine, work_id)
    assert stalled is not None
    time.sleep(1.2)
    [successor] = outbox.claim_due(engine, 10)
    execute(engine, successor)
    execute(engine, stalled)  # LeaseLostError inside: logged, nothing written
    _deliver(engine, queue)
    assert graded_and_scored_once(engine, attempt_id)


def test_scoring_an_attempt_already_scored_adds_no_rows(
    engine: Engine, session: Session, candidate: User, queue: RecordingBackend
) -> None:
    """The score handler checks for stored scores under its acknowledgement before writing."""
    attempt_id = _submit(session, candidate)
    _deliver(engine, queue)
    before = outcome(engine, attempt_id)["score_rows"]
    # An admin's retry of completed work is refused, so force the row back to pending.
    from hiresight.tasks.models import PendingWork, WorkState

    session.execute(
        PendingWork.__table__.update()
        .where(PendingWork.attempt_id == attempt_id, PendingWork.kind == "score")
        .values(state=WorkState.pending)
    )
    session.commit()
    assert Reconciler(engine, interval=60).run_once() == 1
    assert tasks.wait(120)
    assert outcome(engine, attempt_id)["score_rows"] == before


def test_the_reconciler_runs_work_whose_wake_up_was_lost(
    engine: Engine, session: Session, candidate: User, queue: RecordingBackend
) -> None:
    """The process died before the wake-up ran: a reconciler finds the pending work and runs it."""
    attempt_id = _submit(session, candidate)
    queue.sent.clear()  # the wake-up is lost with the process
    reconciler = Reconciler(engine, interval=0.2).start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not graded_and_scored_once(engine, attempt_id):
            time.sleep(0.2)
    finally:
        reconciler.stop()
    assert graded_and_scored_once(engine, attempt_id)


def test_the_attempt_score_is_the_stage_score_never_the_graders(
    engine: Engine, session: Session, candidate: User, queue: RecordingBackend
) -> None:
    """After the grade alone the attempt has no score; after scoring it has the stage's, the one
    the room and the scorecard both show (the grader's patch score is a part of it)."""
    attempt_id = _submit(session, candidate)
    _name, grade = queue.sent.pop(0)
    run_work(engine, **grade)
    with Session(engine) as check:
        attempt = check.get(StageAttempt, attempt_id)
        assert attempt is not None
        assert attempt.result is not None
        assert attempt.score is None
    _deliver(engine, queue)
    with Session(engine) as check:
        attempt = check.get(StageAttempt, attempt_id)
        assert attempt is not None
        stage = check.scalar(
            select(AttemptScore.value).where(
                AttemptScore.attempt_id == attempt_id, AttemptScore.component == "stage"
            )
        )
        grader = attempt_result(attempt, CodeReviewResult)
        assert grader is not None
        assert grader.grade is not None
        assert attempt.score == stage
        assert attempt.score != grader.grade.score
