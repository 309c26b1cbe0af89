"""Interview test helpers: a controllable clock and a candidate with a résumé."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from hiresight.accounts.models import User
from hiresight.db import utcnow
from hiresight.profiles import service as profiles
from tests.factories import bearer, make_user
from tests.profiles.factories import SAMPLE_TXT


class Clock:
    """The server's clock, moved by tests."""

    def __init__(self) -> None:
        self.offset = dt.timedelta()

    def now(self) -> dt.datetime:
        return utcnow() + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Patch the interview code's clock so tests can jump past deadlines."""
    c = Clock()
    monkeypatch.setattr("hiresight.interviews.service.utcnow", c.now)
    monkeypatch.setattr("hiresight.interviews.sessions.utcnow", c.now)
    monkeypatch.setattr("hiresight.interviews.api.utcnow", c.now)
    return c


@pytest.fixture
def candidate(db: Session) -> User:
    """A candidate with a parsed résumé."""
    user = make_user(db, email="zoe@example.com")
    profiles.upload_resume(db, candidate=user, data=SAMPLE_TXT.encode(), filename="zoe.txt")
    db.commit()
    return user


@pytest.fixture
def headers(db: Session, candidate: User) -> dict[str, str]:
    """The candidate's bearer headers."""
    h = bearer(db, candidate)
    db.commit()
    return h
