"""The outbox of background work: recorded with the answer, claimed once, retried, given up."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hiresight.accounts.models import User
from hiresight.interviews import service
from hiresight.tasks import outbox
from hiresight.tasks.models import PendingWork, WorkState
from hiresight.tasks.outbox import LeaseLostError
from hiresight.tasks.reconciler import execute
from tests.tasks.conftest import RecordingBackend
from tests.tasks.helpers import fixed_answer, start_code_review

pytestmark = pytest.mark.usefixtures("hooks")


def _submit(session: Session, candidate: User) -> int:
    attempt = start_code_review(session, candidate)
    service.submit(session, attempt=attempt, answer=fixed_answer())
    session.commit()
    return attempt.id


def _work(session: Session, attempt_id: int) -> list[PendingWork]:
    session.expire_all()
    return list(session.scalars(select(PendingWork).where(PendingWork.attempt_id == attempt_id)))


def _claim_and_run(engine: Engine, session: Session, work_id: int) -> PendingWork:
    """Claim the work, run it once, and read its row back."""
    claim = outbox.claim(engine, work_id)
    assert claim is not None
    execute(engine, claim)
    session.expire_all()
    row = session.get(PendingWork, work_id)
    assert row is not None
    return row


def test_submit_records_the_grade_in_its_own_transaction(
    session: Session, candidate: User, queue: RecordingBackend
) -> None:
    """A submitted code review leaves one pending `grade` row, and the queue only gets its id."""
    attempt_id = _submit(session, candidate)
    [work] = _work(session, attempt_id)
    assert (work.kind, work.state, work.attempts) == ("grade", WorkState.pending, 0)
    assert queue.sent == [(outbox.WAKE_TASK, {"work_id": work.id})]


def test_a_rolled_back_submit_records_nothing(
    session: Session, candidate: User, queue: RecordingBackend
) -> None:
    """Work is recorded only when the answer commits: a rollback leaves neither, and no wake-up."""
    attempt = start_code_review(session, candidate)
    service.submit(session, attempt=attempt, answer=fixed_answer())
    session.rollback()
    assert _work(session, attempt.id) == []
    assert queue.sent == []


def test_work_is_recorded_once_per_kind_and_attempt(
    session: Session, candidate: User, queue: RecordingBackend
) -> None:
    """Recording the same work again returns the existing row and wakes nobody."""
    attempt_id = _submit(session, candidate)
    again = outbox.record(session, kind="grade", attempt_id=attempt_id)
    session.commit()
    assert len(_work(session, attempt_id)) == 1
    assert again.attempts == 0
    assert len(queue.sent) == 1


def test_an_unreachable_queue_does_not_fail_the_submit(session: Session, candidate: User) -> None:
    """Redis down at submit: the commit succeeds, the failure is logged, the work stays pending."""
    from hiresight.tasks import service as tasks

    previous = tasks.current()
    tasks._backend = RecordingBackend(fail=True)
    try:
        attempt_id = _submit(session, candidate)
    finally:
        tasks._backend = previous
    [work] = _work(session, attempt_id)
    assert work.state is WorkState.pending


def test_only_one_claimant_wins(
    engine: Engine, session: Session, candidate: User, queue: RecordingBackend
) -> None:
    """Two claims of the same work: the first gets it, the second gets nothing."""
    [work] = _work(session, _submit(session, candidate))
    first = outbox.claim(engine, work.id)
    assert first is not None
    assert first.token == 1
    assert outbox.claim(engine, work.id) is None
    assert outbox.claim_due(engine, 10) == []


def test_an_expired_lease_is_claimed_again_and_fences_the_old_claimant(
    engine: Engine, session: Session, candidate: User, queue: RecordingBackend, short_lease: None
) -> None:
    """A dead claimant's work is reclaimed after its lease; the old claim can no longer finish."""
    [work] = _work(session, _submit(session, candidate))
    stale = outbox.claim(engine, work.id)
    assert stale is not None
    time.sleep(1.2)
    [fresh] = outbox.claim_due(engine, 10)
    assert fresh.token == 2
    session.rollback()
    with pytest.raises(LeaseLostError), session.begin():
        outbox.complete(session, stale)
    assert outbox.fail(engine, stale, "late") is None
    assert outbox.renew(engine, fresh)


def test_failures_back_off_then_end_in_failed_and_an_admin_retry_revives(
    engine: Engine, session: Session, candidate: User, queue: RecordingBackend, short_lease: None
) -> None:
    """Each failure waits longer; after the last try the work is `failed` until retried."""
    [work] = _work(session, _submit(session, candidate))
    waits = []
    for _ in range(3):
        claim = outbox.claim(engine, work.id)
        assert claim is not None
        before = time.time()
        outbox.fail(engine, claim, "RuntimeError: boom")
        session.expire_all()
        row = session.get(PendingWork, work.id)
        assert row is not None
        waits.append(row.next_run_at.timestamp() - before)
    assert row.state is WorkState.failed
    assert row.last_error == "RuntimeError: boom"
    assert waits[0] < waits[1] < waits[2]
    assert outbox.claim_due(engine, 10) == []
    outbox.retry(session, work=row)
    session.commit()
    assert (row.state, row.attempts) == (WorkState.pending, 0)
    assert queue.sent[-1] == (outbox.WAKE_TASK, {"work_id": work.id})


def test_retrying_work_that_has_not_failed_is_refused(
    session: Session, candidate: User, queue: RecordingBackend
) -> None:
    """Only failed work can be retried (409 work_not_failed)."""
    from hiresight.errors import ConflictError

    [work] = _work(session, _submit(session, candidate))
    with pytest.raises(ConflictError) as err:
        outbox.retry(session, work=work)
    assert err.value.code == "work_not_failed"


def test_a_failing_handler_is_recorded_not_raised(
    engine: Engine,
    session: Session,
    candidate: User,
    queue: RecordingBackend,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A handler that raises leaves the work pending with the error and a later next run."""
    from hiresight.tasks import reconciler

    def broken(_engine: Engine, _work: outbox.Claim) -> None:
        raise RuntimeError("the grader exploded")

    monkeypatch.setitem(reconciler._handlers, "grade", broken)
    [work] = _work(session, _submit(session, candidate))
    row = _claim_and_run(engine, session, work.id)
    assert row.state is WorkState.pending
    assert "the grader exploded" in (row.last_error or "")
    assert row.lease_until is None


def test_work_whose_process_keeps_dying_is_given_up(
    engine: Engine, session: Session, candidate: User, queue: RecordingBackend, short_lease: None
) -> None:
    """Claimed again more often than the failure limit (its runner died each time): `failed`."""
    [work] = _work(session, _submit(session, candidate))
    session.execute(
        PendingWork.__table__.update().where(PendingWork.id == work.id).values(attempts=3)
    )
    session.commit()
    row = _claim_and_run(engine, session, work.id)
    assert row.state is WorkState.failed
    assert "did not survive" in (row.last_error or "")


def test_the_unique_constraint_holds_against_a_racing_insert(
    session: Session, candidate: User, queue: RecordingBackend
) -> None:
    """The database refuses a second row for the same (kind, attempt), whatever the code does."""
    from sqlalchemy.exc import IntegrityError

    attempt_id = _submit(session, candidate)
    session.add(PendingWork(kind="grade", attempt_id=attempt_id))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
    count = session.scalar(
        select(func.count()).select_from(PendingWork).where(PendingWork.attempt_id == attempt_id)
    )
    assert count == 1
