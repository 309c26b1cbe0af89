"""Background-work fixtures: an engine, the submit hooks, and a queue that only records."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hiresight.accounts.models import User
from hiresight.db import create_db_engine, make_session_factory
from hiresight.interviews import grading, scoring, sessions
from hiresight.tasks import outbox
from hiresight.tasks import service as tasks
from tests.factories import make_user


class RecordingBackend:
    """A task backend that keeps wake-ups instead of running them (or fails, like a dead Redis)."""

    name = "recording"

    def __init__(self, fail: bool = False) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.fail = fail

    def enqueue(self, task_name: str, **kwargs: Any) -> None:
        """Record the wake-up, or raise as an unreachable Redis does."""
        if self.fail:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
        self.sent.append((task_name, kwargs))

    def shutdown(self) -> None:
        """Nothing to release."""


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine of the test's own on the test database."""
    eng = create_db_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def hooks() -> None:
    """The submit hooks that record grading and scoring work (as the app registers them)."""
    sessions.register_final_hook(grading.after_final)
    sessions.register_final_hook(scoring.after_final)


@pytest.fixture
def queue() -> Iterator[RecordingBackend]:
    """A backend that records wake-ups; the previous backend is restored afterwards."""
    previous = tasks.current()
    backend = RecordingBackend()
    tasks._backend = backend
    yield backend
    tasks._backend = previous


@pytest.fixture
def short_lease() -> Iterator[None]:
    """A one-second lease, so tests can let a claim expire."""
    previous = outbox.config()
    outbox.configure(outbox.WorkConfig(lease_seconds=1.0, max_failures=3))
    yield
    outbox.configure(previous)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session for arranging and checking data."""
    with make_session_factory(engine)() as s:
        yield s


@pytest.fixture
def candidate(session: Session) -> User:
    """A candidate."""
    user = make_user(session)
    session.commit()
    return user
