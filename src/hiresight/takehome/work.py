"""Take-home evaluation as background work.

An upload commits its version in state `pending`: that row is the durable record of the work
(as the outbox row is for grading). On commit a task on the configured backend (`takehome_
evaluate`) is woken with the version's id; it evaluates the version in its own transaction and
stores the report. A version still `pending` after a lost message or a crash is woken again by
`resume_pending`.
"""

from __future__ import annotations

import threading

import structlog
from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hiresight.takehome import service
from hiresight.takehome.models import TakehomeVersion, VersionState
from hiresight.tasks import service as tasks

log = structlog.get_logger(__name__)
EVALUATE_TASK = "takehome_evaluate"
# Versions being evaluated in this process: a second wake-up for one of them does nothing.
_running: set[int] = set()
_running_lock = threading.Lock()


def schedule(session: Session, *, version: TakehomeVersion) -> None:
    """Wake the evaluation of `version` once the caller's transaction commits."""
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    version_id = version.id
    event.listen(session, "after_commit", lambda _s: wake(engine, version_id), once=True)


def wake(engine: Engine, version_id: int) -> None:
    """Ask the task backend to evaluate the version; a failure is logged, never raised."""
    try:
        tasks.enqueue(engine, EVALUATE_TASK, version_id=version_id)
    except Exception as exc:  # the version stays pending; resume_pending finds it
        log.warning("takehome_wake_failed", version_id=version_id, error=repr(exc))


@tasks.task(EVALUATE_TASK, max_retries=1)
def evaluate_task(engine: Engine, *, version_id: int) -> None:
    """Evaluate one pending version and store its report (nothing if already evaluated)."""
    with _running_lock:
        if version_id in _running:
            return
        _running.add(version_id)
    try:
        with Session(engine, expire_on_commit=False) as session:
            version = session.get(TakehomeVersion, version_id)
            if version is None or version.state is not VersionState.pending:
                return
            service.evaluate_version(session, version=version)
            session.commit()
            log.info("takehome_evaluated", version_id=version_id, state=str(version.state))
    finally:
        with _running_lock:
            _running.discard(version_id)


def resume_pending(engine: Engine) -> list[int]:
    """Wake every version still pending (after a restart); the ids woken."""
    with Session(engine) as session:
        ids = list(
            session.scalars(
                select(TakehomeVersion.id).where(TakehomeVersion.state == VersionState.pending)
            )
        )
    for version_id in ids:
        wake(engine, version_id)
    return ids
