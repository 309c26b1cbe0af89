"""Background tasks: the inline backend, and the scale path through Dramatiq on a real Redis."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from dramatiq import Worker
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hiresight.audit.models import AuditLog
from hiresight.challenges.loader import load_bank
from hiresight.db import create_db_engine, make_session_factory, transaction
from hiresight.interviews import grading, service, sessions
from hiresight.interviews.models import StageAttempt
from hiresight.tasks import service as tasks
from tests.conftest import REDIS_ENV, service_url
from tests.factories import make_user
from tests.tasks.helpers import fixed_answer, graded_and_scored_once, start_code_review


@tasks.task("test_record")
def record(engine: Engine, *, marker: str) -> None:
    """A known-answer task: it writes one audit row carrying `marker`."""
    with transaction(make_session_factory(engine)) as session:
        session.add(AuditLog(action="test.task", entity_type="test", entity_id=marker))


def _markers(session: Session) -> list[str]:
    session.expire_all()
    return list(session.scalars(select(AuditLog.entity_id).where(AuditLog.action == "test.task")))


@pytest.fixture
def redis_url() -> str:
    """The Redis the scale-path tests use (see `service_url`)."""
    url = service_url(REDIS_ENV)
    if not url:
        pytest.skip(f"Redis tests need {REDIS_ENV} or a local server")
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine of the test's own on the test database."""
    eng = create_db_engine(db_url)
    yield eng
    eng.dispose()


def test_inline_backend_runs_tasks(engine: Engine, db: Session) -> None:
    """The default backend runs a queued task on a thread in this process."""
    backend = tasks.InlineBackend(engine)
    backend.enqueue("test_record", marker="inline-1")
    assert backend.wait(30)
    backend.shutdown()
    assert _markers(db) == ["inline-1"]


def test_inline_backend_logs_failures_and_keeps_going(engine: Engine, db: Session) -> None:
    """A failing task does not stop the next one."""

    @tasks.task("test_boom")
    def boom(engine: Engine) -> None:
        raise RuntimeError("boom")

    backend = tasks.InlineBackend(engine)
    backend.enqueue("test_boom")
    backend.enqueue("test_record", marker="after-failure")
    assert backend.wait(30)
    backend.shutdown()
    assert _markers(db) == ["after-failure"]


@pytest.mark.redis
def test_dramatiq_worker_runs_tasks_from_redis(engine: Engine, db: Session, redis_url: str) -> None:
    """A task sent to Redis is run by a Dramatiq worker against the database."""
    backend = tasks.DramatiqBackend(redis_url, namespace=f"hs-test-{uuid.uuid4().hex[:8]}")
    tasks.set_worker_engine(engine)
    worker = Worker(backend.broker, worker_threads=1)
    worker.start()
    try:
        backend.enqueue("test_record", marker="via-redis")
        backend.broker.join("default", timeout=30_000)
        worker.join()
    finally:
        worker.stop()
        backend.shutdown()
    assert _markers(db) == ["via-redis"]


@pytest.mark.redis
@pytest.mark.slow
def test_code_review_graded_by_a_dramatiq_worker(
    engine: Engine, db: Session, redis_url: str
) -> None:
    """The scale path end to end: the submit's wake-up reaches a worker via Redis, which grades
    the patch and records the scoring, whose own wake-up goes through Redis too."""
    sessions.register_final_hook(grading.after_final)
    candidate = make_user(db)
    attempt = start_code_review(db, candidate)
    backend = tasks.DramatiqBackend(redis_url, namespace=f"hs-test-{uuid.uuid4().hex[:8]}")
    previous = tasks.current()
    tasks._backend = backend
    tasks.set_worker_engine(engine)
    worker = Worker(backend.broker, worker_threads=1, worker_timeout=100)
    worker.start()
    try:
        service.submit(db, attempt=attempt, answer=fixed_answer())
        db.commit()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not graded_and_scored_once(engine, attempt.id):
            time.sleep(0.1)
    finally:
        worker.stop()
        backend.shutdown()
        tasks._backend = previous
    assert graded_and_scored_once(engine, attempt.id)
    db.expire_all()
    graded = db.get(StageAttempt, attempt.id)
    assert graded is not None
    assert graded.result is not None
    assert graded.result["candidate"]["bugs_fixed"] == len(load_bank()[0].manifest.bugs)
