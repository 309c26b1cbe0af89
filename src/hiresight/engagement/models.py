"""Engagement events: append-only, idempotent by the client's event id."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hiresight.db import Base, UTCDateTime, utcnow


class EngagementEvent(Base):
    """One thing a candidate did with a job (or a hiring outcome), never updated or deleted."""

    __tablename__ = "engagement_events"
    __table_args__ = (Index("ix_engagement_events_candidate", "candidate_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(80), unique=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    position: Mapped[int | None] = mapped_column(Integer)
    # Indexed: experiment reports join a request's impressions to what followed them.
    request_id: Mapped[str | None] = mapped_column(String(80), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


def outcome_event(*, candidate_id: int, job_id: int, kind: str) -> EngagementEvent:
    """A hiring outcome (interview_completed, advanced, hired, rejected) as an engagement event.

    Outcomes come from the interview and application flows rather than from the job feed, so
    they get a server-made event id and no position or request id.
    """
    return EngagementEvent(
        event_id=f"{kind}:{uuid.uuid4().hex}", candidate_id=candidate_id, job_id=job_id, kind=kind
    )
