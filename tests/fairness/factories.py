"""Fairness test data: finished screenings with a score, moves, self-identification and
recommendation impressions, written straight to the tables the audit reads."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from hiresight.accounts.models import User
from hiresight.engagement.models import EngagementEvent
from hiresight.fairness.models import RaceEthnicity, SelfIdentification, Sex
from hiresight.interviews.config import StageKind
from hiresight.interviews.models import AttemptState, InterviewSession, SessionState, StageAttempt
from hiresight.interviews.scores import AttemptScore
from hiresight.jobs import service as jobs
from hiresight.jobs.models import Application, Job
from hiresight.jobs.schemas import ApplicationMoveCreate

T0 = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def identify(db: Session, candidate: User, sex: Sex | None, race: RaceEthnicity | None) -> None:
    """The candidate's self-identification."""
    db.add(SelfIdentification(candidate_id=candidate.id, sex=sex, race_ethnicity=race))
    db.flush()


def screening(
    db: Session,
    candidate: User,
    job: Job | None,
    score: float | None = None,
    *,
    state: SessionState = SessionState.completed,
    practice: bool = False,
) -> InterviewSession:
    """A sitting of the AI screening for `job` (None: the shared screening), with one stage
    scored `score` when given: the candidate's overall score is then exactly `score`."""
    interview = InterviewSession(
        candidate_id=candidate.id, job_id=job.id if job else None, config={},
        practice=practice, state=state, created_at=T0,
    )  # fmt: skip
    db.add(interview)
    db.flush()
    if score is not None:
        attempt = StageAttempt(
            session_id=interview.id, candidate_id=candidate.id, stage=StageKind.behavioral,
            attempt_no=None if practice else 1, state=AttemptState.submitted,
            deadline_at=T0, submitted_at=T0, score=score,
        )  # fmt: skip
        db.add(attempt)
        db.flush()
        db.add(AttemptScore(
            attempt_id=attempt.id, component="stage", value=score, rubric_version="test",
            provider="test",
        ))  # fmt: skip
        db.flush()
    return interview


def move(db: Session, actor: User, application: Application, action: str) -> None:
    """A recruiter's move of the application (advance, reject, hold...)."""
    jobs.move(db, actor=actor, application=application, data=ApplicationMoveCreate(action=action))


def impression(db: Session, candidate: User, job: Job, at: dt.datetime) -> None:
    """The recommender showed the job to the candidate at `at`."""
    db.add(EngagementEvent(
        event_id=uuid.uuid4().hex, candidate_id=candidate.id, job_id=job.id, kind="impression",
        position=0, request_id=uuid.uuid4().hex, created_at=at,
    ))  # fmt: skip
    db.flush()
