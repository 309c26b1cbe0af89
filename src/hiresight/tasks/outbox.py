"""The outbox of background work: record it in the caller's transaction, claim it with a lease.

Work is recorded in the same transaction as the change that causes it, so it exists exactly
when that change does. A queue message carrying the row's id only wakes a process up sooner
(see `reconciler`); a lost message delays the work by one reconcile interval, never loses it.

Claims are fenced by the try count: each claim adds one to `attempts`, and the claimant may
finish or fail the work only while the row still holds its number. A process whose lease
expired (it died, or stalled) and was claimed again therefore cannot write over its successor.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import Select, and_, event, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from hiresight.db import utcnow
from hiresight.errors import ConflictError
from hiresight.tasks import lease
from hiresight.tasks import service as tasks
from hiresight.tasks.models import PendingWork, WorkState

log = structlog.get_logger(__name__)
WAKE_TASK = "run_work"
# Exponential backoff between failed tries: 5 s, 10 s, 20 s ... at most 10 minutes.
BACKOFF_BASE_SECONDS = 5.0
BACKOFF_CAP_SECONDS = 600.0
# Fault injection for the crash tests: with HIRESIGHT_ENV=test, the process SIGKILLs itself
# right after committing the result of work of this kind, before anything acknowledges it.
FAULT_KILL_AFTER_COMMIT_ENV = "HIRESIGHT_TEST_FAULT_KILL_AFTER_COMMIT"


@dataclass(frozen=True)
class WorkConfig:
    """How long a claim lasts and how many failed tries end in `failed`."""

    lease_seconds: float = 30.0
    max_failures: int = 5


@dataclass(frozen=True)
class Claim:
    """A claimed piece of work; `token` is the try number that fences the claimant's writes."""

    id: int
    kind: str
    attempt_id: int
    token: int


class LeaseLostError(Exception):
    """The work was claimed again (our lease expired) or finished by someone else."""


_config = WorkConfig()


def configure(config: WorkConfig) -> None:
    """Set the lease and failure limit (the app and `hiresight worker` call this at start)."""
    global _config
    _config = config


def config() -> WorkConfig:
    """The process's work settings."""
    return _config


def record(session: Session, *, kind: str, attempt_id: int) -> PendingWork:
    """Record `kind` work on an attempt in the caller's transaction, once; wake a runner on commit.

    A second call for the same (kind, attempt) returns the existing row and wakes nobody.
    """
    existing = session.scalar(
        select(PendingWork).where(PendingWork.kind == kind, PendingWork.attempt_id == attempt_id)
    )
    if existing is not None:
        return existing
    work = PendingWork(kind=kind, attempt_id=attempt_id, state=WorkState.pending, attempts=0)
    session.add(work)
    session.flush()  # the id travels in the wake-up message
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    work_id = work.id
    event.listen(session, "after_commit", lambda _s: wake(engine, work_id), once=True)
    return work


def rearm(session: Session, *, kind: str, attempt_id: int) -> None:
    """Make sure `kind` work on the attempt is pending or running: record it, or put a finished
    row (done or failed) back to pending with a fresh try count, woken on commit.

    Work is recorded once per (kind, attempt), so later causes re-arm the row. It is locked
    first: a runner finishing the same work either sees this transaction's change or waits for
    it and is re-armed after it.
    """
    work = session.scalar(
        select(PendingWork)
        .where(PendingWork.kind == kind, PendingWork.attempt_id == attempt_id)
        .with_for_update()
    )
    if work is None:
        record(session, kind=kind, attempt_id=attempt_id)
        return
    if work.state in (WorkState.pending, WorkState.running):
        return
    work.state = WorkState.pending
    work.attempts = 0
    work.lease_until = None
    work.last_error = None
    work.next_run_at = utcnow()
    session.flush()
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    work_id = work.id
    event.listen(session, "after_commit", lambda _s: wake(engine, work_id), once=True)


def wake(engine: Engine, work_id: int) -> None:
    """Ask the task backend to run the work soon; a failure is logged, never raised.

    The work is already committed, so an unreachable queue only delays it until a reconciler
    finds it: the request that recorded it must not fail for that.
    """
    try:
        tasks.enqueue(engine, WAKE_TASK, work_id=work_id)
    except Exception as exc:
        log.warning("work_wake_up_failed", work_id=work_id, error=repr(exc))


def _claimable(now: dt.datetime, *, due_only: bool) -> ColumnElement[bool]:
    pending = PendingWork.state == WorkState.pending
    if due_only:
        pending = and_(pending, PendingWork.next_run_at <= now)
    orphaned = and_(PendingWork.state == WorkState.running, PendingWork.lease_until < now)
    return or_(pending, orphaned)


def _claim_values(now: dt.datetime) -> dict[str, Any]:
    return {
        "state": WorkState.running,
        "attempts": PendingWork.attempts + 1,
        "lease_until": now + dt.timedelta(seconds=_config.lease_seconds),
        "updated_at": now,
    }


_RETURNING = (PendingWork.id, PendingWork.kind, PendingWork.attempt_id, PendingWork.attempts)


def _claim_one(engine: Engine, work_id: int, *, due_only: bool) -> Claim | None:
    now = utcnow()
    row = lease.claim_by_id(
        engine,
        key=PendingWork.id,
        row_id=work_id,
        claimable=_claimable(now, due_only=due_only),
        values=_claim_values(now),
        returning=_RETURNING,
    )
    return Claim(row.id, row.kind, row.attempt_id, row.attempts) if row else None


def claim(engine: Engine, work_id: int) -> Claim | None:
    """Claim one piece of work on a wake-up: pending (even if backing off) or orphaned."""
    return _claim_one(engine, work_id, due_only=False)


def claim_due(engine: Engine, limit: int) -> list[Claim]:
    """Claim up to `limit` pieces of due work: pending and due, or orphaned by a dead process."""
    if limit <= 0:
        return []
    now = utcnow()
    due = select(PendingWork.id).where(_claimable(now, due_only=True))
    rows = lease.claim_due(
        engine,
        key=PendingWork.id,
        due=due.order_by(PendingWork.next_run_at).limit(limit),
        claimable=_claimable(now, due_only=True),
        values=_claim_values(now),
        returning=_RETURNING,
    )
    return [Claim(r.id, r.kind, r.attempt_id, r.attempts) for r in rows]


def _fenced(work: Claim) -> ColumnElement[bool]:
    return and_(
        PendingWork.id == work.id,
        PendingWork.state == WorkState.running,
        PendingWork.attempts == work.token,
    )


def complete(session: Session, work: Claim) -> None:
    """Mark the work done inside the handler's result transaction; LeaseLostError if not ours.

    Handlers call this before writing their result: on PostgreSQL the update also locks the
    row, so a competing claimant waits, then finds the work done and writes nothing.
    """
    now = utcnow()
    result = session.execute(
        update(PendingWork)
        .where(_fenced(work))
        .values(state=WorkState.done, lease_until=None, last_error=None, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise LeaseLostError(f"work {work.id} is no longer held by try {work.token}")
    kind = work.kind
    event.listen(session, "after_commit", lambda _s: _fault_point(kind), once=True)


def _fault_point(kind: str) -> None:
    if (
        os.environ.get("HIRESIGHT_ENV") == "test"
        and os.environ.get(FAULT_KILL_AFTER_COMMIT_ENV) == kind
    ):
        log.warning("fault_injection_kill", kind=kind)
        os.kill(os.getpid(), signal.SIGKILL)


def backoff_seconds(tries: int) -> float:
    """The wait before try `tries + 1`: exponential from BACKOFF_BASE_SECONDS, capped."""
    return float(min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2.0 ** max(0, tries - 1)))


def fail(engine: Engine, work: Claim, error: str) -> WorkState | None:
    """Record a failed try: back to `pending` after a backoff, or `failed` after the last try."""
    now = utcnow()
    state = WorkState.failed if work.token >= _config.max_failures else WorkState.pending
    with engine.begin() as conn:
        result = conn.execute(
            update(PendingWork)
            .where(_fenced(work))
            .values(
                state=state,
                lease_until=None,
                next_run_at=now + dt.timedelta(seconds=backoff_seconds(work.token)),
                last_error=error[-2000:],
                updated_at=now,
            )
        )
    return state if result.rowcount == 1 else None


def renew(engine: Engine, work: Claim) -> bool:
    """Extend the lease of work still held; False once it was lost."""
    now = utcnow()
    with engine.begin() as conn:
        result = conn.execute(
            update(PendingWork)
            .where(_fenced(work))
            .values(lease_until=now + dt.timedelta(seconds=_config.lease_seconds), updated_at=now)
        )
    return result.rowcount == 1


def retry(session: Session, *, work: PendingWork) -> PendingWork:
    """Give failed work a fresh set of tries now (an admin's action); wakes a runner on commit."""
    if work.state is not WorkState.failed:
        raise ConflictError("Only failed work can be retried.", code="work_not_failed")
    work.state = WorkState.pending
    work.attempts = 0
    work.lease_until = None
    work.next_run_at = utcnow()
    session.flush()
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    work_id = work.id
    event.listen(session, "after_commit", lambda _s: wake(engine, work_id), once=True)
    return work


def get_all(
    session: Session,
    stmt: Select[PendingWork],
    *,
    state: WorkState | None = None,
    limit: int = 100,
) -> list[PendingWork]:
    """The work `stmt` selects (the caller's authorised view), newest first."""
    if state is not None:
        stmt = stmt.where(PendingWork.state == state)
    return list(session.scalars(stmt.order_by(PendingWork.id.desc()).limit(limit)))


def kinds_for(session: Session, *, attempt_id: int) -> list[str]:
    """The kinds of work recorded for an attempt, oldest first."""
    return list(
        session.scalars(
            select(PendingWork.kind)
            .where(PendingWork.attempt_id == attempt_id)
            .order_by(PendingWork.id)
        )
    )
