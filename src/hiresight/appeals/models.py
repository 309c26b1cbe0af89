"""Candidate requests that reach the recruiters' console as tasks."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Enum, Float, ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hiresight.accounts.models import User
from hiresight.db import Base, UTCDateTime, utcnow
from hiresight.interviews.models import StageAttempt
from hiresight.jobs.models import Job


class RequestKind(enum.StrEnum):
    """What the candidate asks a person for."""

    re_evaluation = "re_evaluation"  # a human review of one scored stage attempt
    alternative_process = "alternative_process"  # another way to be assessed for a job


class RequestState(enum.StrEnum):
    """Open until a recruiter resolves it; a re-evaluation ends upheld or with a changed score."""

    open = "open"
    upheld = "upheld"
    score_changed = "score_changed"
    answered = "answered"


class CandidateRequest(Base):
    """A candidate's request, the recruiter's resolution, and the scores before and after.

    `organization_id` is the organization the request is addressed to: the owner of the job (or
    template) of the attempt's interview, or the job's for another process. A re-evaluation of
    the shared screening (no job, no template) has none: every organization the candidate
    applied to sees it, as they see that screening's results.
    """

    __tablename__ = "candidate_requests"
    # One re-evaluation per attempt: a second request would ask the same person the same thing.
    __table_args__ = (UniqueConstraint("attempt_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[RequestKind] = mapped_column(Enum(RequestKind, native_enum=False, length=30))
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    attempt_id: Mapped[int | None] = mapped_column(
        ForeignKey("stage_attempts.id", ondelete="CASCADE")
    )
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[RequestState] = mapped_column(
        Enum(RequestState, native_enum=False, length=20), default=RequestState.open
    )
    # The software's score when the request was made, and the person's, if they changed it.
    ai_score: Mapped[float | None] = mapped_column(Float)
    human_score: Mapped[float | None] = mapped_column(Float)
    resolution_note: Mapped[str] = mapped_column(Text, default="")
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    candidate: Mapped[User] = relationship(foreign_keys=[candidate_id])
    attempt: Mapped[StageAttempt | None] = relationship()
    job: Mapped[Job | None] = relationship()
