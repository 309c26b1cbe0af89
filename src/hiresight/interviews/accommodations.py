"""Accommodations: extra time a recruiter grants one candidate for one job, per stage.

A grant is a multiplier per stage kind (1.5 gives a 10-minute stage 15 minutes). The server's
clock applies it where deadlines are set (`sessions.start_session`, `sessions.open_retake`,
`service.start_stage`), so the stored deadline is the extended one and an answer after it
(grace included) is refused like any late answer. Grants are never changed: a new grant for the
same candidate and job replaces the old one from then on, and both stay on record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from hiresight.accounts.models import User
from hiresight.audit import service as audit
from hiresight.db import Base, UTCDateTime, utcnow
from hiresight.interviews.config import StageKind
from hiresight.jobs.models import Job


class Accommodation(Base):
    """Extra time for one candidate's interviews for one job: a multiplier per stage kind."""

    __tablename__ = "interview_accommodations"
    __table_args__ = (Index("ix_interview_accommodations_candidate_job", "candidate_id", "job_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    # Stage kind -> multiplier of its minutes; a stage not named keeps its time (1.0).
    multipliers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    granted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


def in_force(session: Session, *, candidate_id: int, job_id: int) -> Accommodation | None:
    """The newest grant for this candidate and job, if any."""
    return session.scalar(
        select(Accommodation)
        .where(Accommodation.candidate_id == candidate_id, Accommodation.job_id == job_id)
        .order_by(Accommodation.id.desc())
        .limit(1)
    )


def extra_time(
    session: Session, *, candidate_id: int, job_id: int | None
) -> dict[StageKind, float]:
    """Per stage kind, the multiplier of its minutes for this candidate's interview for a job
    (empty without a job or a grant: every stage keeps its time)."""
    if job_id is None:
        return {}
    grant = in_force(session, candidate_id=candidate_id, job_id=job_id)
    if grant is None:
        return {}
    return {StageKind(kind): float(value) for kind, value in grant.multipliers.items()}


def grant(
    session: Session,
    *,
    actor: User,
    candidate: User,
    job: Job,
    multipliers: dict[StageKind, float],
    reason: str,
) -> Accommodation:
    """Record extra time for the candidate's interviews for the job, and audit it.

    It applies to stages started from now on; a stage already running keeps its deadline.
    """
    row = Accommodation(
        organization_id=job.organization_id,
        candidate_id=candidate.id,
        job_id=job.id,
        multipliers={kind.value: value for kind, value in multipliers.items()},
        reason=reason,
        granted_by_id=actor.id,
        granted_at=utcnow(),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        organization_id=job.organization_id,
        action="interview.accommodation",
        entity_type="interview_accommodation",
        entity_id=row.id,
        details={
            "candidate_id": candidate.id,
            "job_id": job.id,
            "multipliers": row.multipliers,
            "reason": reason,
        },
    )
    return row
