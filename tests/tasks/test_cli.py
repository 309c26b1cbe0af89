"""`hiresight work list|retry`: failed background work is visible and can be retried."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from hiresight import migrate, runtime
from hiresight.cli import app
from hiresight.db import create_db_engine, make_session_factory
from hiresight.settings import get_settings
from hiresight.tasks import outbox
from hiresight.tasks import service as tasks
from hiresight.tasks.models import PendingWork, WorkState
from tests.factories import make_user
from tests.tasks.helpers import start_code_review

runner = CliRunner()


@pytest.fixture
def failed_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Session, int]]:
    """A database of its own holding one failed grade; the CLI reads it through settings."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    migrate.upgrade(url)
    monkeypatch.setenv("HIRESIGHT_DATABASE_URL", url)
    monkeypatch.setenv("HIRESIGHT_TASK_BACKEND", "inline")
    get_settings.cache_clear()
    previous = tasks.current()
    engine = create_db_engine(url)
    with make_session_factory(engine)() as session:
        attempt = start_code_review(session, make_user(session))
        work = PendingWork(
            kind="grade", attempt_id=attempt.id, state=WorkState.failed, attempts=5,
            last_error="Traceback ...\nRuntimeError: the sandbox is gone",
        )  # fmt: skip
        session.add(work)
        session.commit()
        yield session, work.id
    engine.dispose()
    tasks._backend = previous
    get_settings.cache_clear()


def test_list_shows_failed_work_with_its_last_error(failed_work: tuple[Session, int]) -> None:
    """`work list --state failed` prints the work, its tries and the error's last line."""
    _session, work_id = failed_work
    result = runner.invoke(app, ["work", "list", "--state", "failed"])
    assert result.exit_code == 0, result.output
    assert str(work_id) in result.output
    assert "tries 5" in result.output
    assert "RuntimeError: the sandbox is gone" in result.output


def test_retry_makes_failed_work_pending(failed_work: tuple[Session, int]) -> None:
    """`work retry ID` resets the tries and makes the work due now; a second retry is refused."""
    session, work_id = failed_work
    result = runner.invoke(app, ["work", "retry", str(work_id)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"id": work_id, "state": "pending"}
    session.expire_all()
    work = session.get(PendingWork, work_id)
    assert work is not None
    assert (work.state, work.attempts) == (WorkState.pending, 0)
    again = runner.invoke(app, ["work", "retry", str(work_id)])
    assert again.exit_code == 1
    assert "work_not_failed" in again.output


class _RecordingDramatiq:
    """Stands in for the Redis backend: which backend wakes the worker is under test."""

    name = "dramatiq"

    def __init__(self, redis_url: str, namespace: str = "hiresight") -> None:
        self.redis_url = redis_url
        self.namespace = namespace
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def enqueue(self, task_name: str, **kwargs: Any) -> None:
        """Remember the wake-up."""
        self.sent.append((task_name, kwargs))

    def shutdown(self) -> None:
        """Nothing to release."""


def test_retry_wakes_the_worker_through_the_roots_backend(
    failed_work: tuple[Session, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With Dramatiq, the retry's wake-up goes through the backend the composition root built
    from HIRESIGHT_REDIS_URL and HIRESIGHT_TASK_NAMESPACE, as the worker's does."""
    _session, work_id = failed_work
    monkeypatch.setenv("HIRESIGHT_TASK_BACKEND", "dramatiq")
    monkeypatch.setenv("HIRESIGHT_REDIS_URL", "redis://queue.invalid:6379/3")
    monkeypatch.setenv("HIRESIGHT_TASK_NAMESPACE", "retry-ns")
    monkeypatch.setattr(tasks, "DramatiqBackend", _RecordingDramatiq)
    monkeypatch.setattr(runtime, "_current", None)
    get_settings.cache_clear()
    result = runner.invoke(app, ["work", "retry", str(work_id)])
    assert result.exit_code == 0, result.output
    backend = runtime.current_root().tasks()
    assert tasks.current() is backend
    assert isinstance(backend, _RecordingDramatiq)
    assert (backend.redis_url, backend.namespace) == ("redis://queue.invalid:6379/3", "retry-ns")
    assert backend.sent == [(outbox.WAKE_TASK, {"work_id": work_id})]
