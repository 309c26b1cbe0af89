"""Helpers for background-work tests: a submitted code review, and counts of what it produced."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hiresight.accounts.models import User
from hiresight.challenges.loader import load_bank
from hiresight.db import make_session_factory
from hiresight.interviews import service, sessions
from hiresight.interviews.attempt_data.stored import (
    ChallengeView,
    CodeReviewContent,
    CodeReviewPrivate,
)
from hiresight.interviews.config import StageKind
from hiresight.interviews.models import StageAttempt
from hiresight.interviews.scores import AttemptScore
from hiresight.tasks.models import PendingWork


def start_code_review(db: Session, candidate: User) -> StageAttempt:
    """An active code-review attempt on the bank's first challenge (committed)."""
    interview = sessions.start_session(db, candidate=candidate, stages=[StageKind.code_review])
    challenge = load_bank()[0]

    def content(*_: object) -> tuple[CodeReviewContent, CodeReviewPrivate]:
        shown = CodeReviewContent(challenge=ChallengeView(id=challenge.id))
        return shown, CodeReviewPrivate(challenge_id=challenge.id)

    attempt = service.start_stage(
        db, interview=interview, kind=StageKind.code_review, build_content=content
    )
    db.commit()
    return attempt


def fixed_answer() -> dict[str, Any]:
    """A code-review answer carrying the challenge's reference fix."""
    challenge = load_bank()[0]
    return {"files": dict(challenge.solution), "flags": [], "explanation": "Fixed the bugs."}


def outcome(engine: Engine, attempt_id: int) -> dict[str, Any]:
    """What background work produced for an attempt: grade, score rows per component, work."""
    with make_session_factory(engine)() as session:
        attempt = session.get(StageAttempt, attempt_id)
        assert attempt is not None
        per_component = dict(
            session.execute(
                select(AttemptScore.component, func.count())
                .where(AttemptScore.attempt_id == attempt_id)
                .group_by(AttemptScore.component)
            ).all()
        )
        work = {
            w.kind: (w.state.value, w.attempts)
            for w in session.scalars(
                select(PendingWork).where(PendingWork.attempt_id == attempt_id)
            )
        }
        return {
            "graded": bool(attempt.result and "grade" in attempt.result),
            "score_rows": per_component,
            "work": work,
        }


def graded_and_scored_once(engine: Engine, attempt_id: int) -> bool:
    """One grade and exactly one row per score component, and all work done."""
    seen = outcome(engine, attempt_id)
    rows = seen["score_rows"]
    return (
        seen["graded"]
        and bool(rows)
        and set(rows.values()) == {1}
        and seen["work"] == {"grade": ("done", seen["work"]["grade"][1]),
                             "score": ("done", seen["work"]["score"][1])}
    )  # fmt: skip
