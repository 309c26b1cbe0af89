"""Re-evaluation test data: scored attempts written as the scoring pipeline leaves them."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hiresight.accounts.models import User
from hiresight.db import utcnow
from hiresight.interviews.config import DEFAULT_TEMPLATE, StageKind
from hiresight.interviews.models import AttemptState, InterviewSession, SessionState, StageAttempt
from hiresight.interviews.scores import AttemptScore
from hiresight.jobs.models import Job


def scored_attempt(
    db: Session, candidate: User, job: Job | None = None, score: float | None = 62.0
) -> StageAttempt:
    """A submitted, counted behavioural attempt with a stored stage score by the rubric engine
    (or none yet, with `score=None`)."""
    now = utcnow()
    taken = db.scalar(
        select(func.count()).where(
            StageAttempt.candidate_id == candidate.id, StageAttempt.stage == StageKind.behavioral
        )
    )
    interview = InterviewSession(
        candidate_id=candidate.id, job_id=job.id if job else None,
        config=DEFAULT_TEMPLATE.model_dump(mode="json"), state=SessionState.completed,
        created_at=now, started_at=now, deadline_at=now, ended_at=now,
    )  # fmt: skip
    db.add(interview)
    db.flush()
    attempt = StageAttempt(
        session_id=interview.id, candidate_id=candidate.id, stage=StageKind.behavioral,
        attempt_no=(taken or 0) + 1, state=AttemptState.submitted, started_at=now, deadline_at=now,
        submitted_at=now, answer={"answers": {"b1": "A story."}}, score=score,
    )  # fmt: skip
    db.add(attempt)
    db.flush()
    if score is not None:
        db.add(
            AttemptScore(
                attempt_id=attempt.id, component="stage", value=score,
                rubric_version="behavioural-v3", provider="rubric",
                evidence=[{"point": "situation", "sentence": "A story."}],
            )
        )  # fmt: skip
    db.flush()
    return attempt
