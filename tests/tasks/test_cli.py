"""`hiresight work list|retry`: failed background work is visible and can be retried."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from hiresight import migrate
from hiresight.cli import app
from hiresight.db import create_db_engine, make_session_factory
from hiresight.settings import get_settings
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
