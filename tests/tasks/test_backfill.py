"""Upgrading to the outbox revision records the work of answers a crash left ungraded."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from hiresight import migrate
from hiresight.accounts.models import User
from hiresight.interviews import service
from hiresight.interviews.models import StageAttempt
from hiresight.tasks.models import PendingWork, WorkState
from tests.tasks.helpers import fixed_answer, start_code_review

pytestmark = pytest.mark.usefixtures("hooks", "queue")


def _submitted(session: Session, candidate: User) -> int:
    attempt = start_code_review(session, candidate)
    service.submit(session, attempt=attempt, answer=fixed_answer())
    session.commit()
    return attempt.id


def test_upgrade_records_grading_and_scoring_lost_before_it(
    db_url: str, session: Session, candidate: User
) -> None:
    """An ungraded code review gets `grade` work and a graded, unscored one `score` work."""
    ungraded = _submitted(session, candidate)
    graded = _submitted(session, candidate)
    attempt = session.get(StageAttempt, graded)
    assert attempt is not None
    attempt.result = {"grade": {"score": 100.0}}
    session.execute(delete(PendingWork))
    session.commit()
    session.close()
    migrate.downgrade(db_url, "0007")
    migrate.upgrade(db_url)
    rows = {
        w.attempt_id: (w.kind, w.state, w.attempts) for w in session.scalars(select(PendingWork))
    }
    assert rows == {
        ungraded: ("grade", WorkState.pending, 0),
        graded: ("score", WorkState.pending, 0),
    }
