"""Interview templates, sessions, stage attempts and integrity events."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Enum,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hiresight.db import Base, UTCDateTime, utcnow
from hiresight.interviews.config import StageKind


class SessionState(enum.StrEnum):
    """An interview session's life cycle."""

    created = "created"
    in_progress = "in_progress"
    completed = "completed"
    abandoned = "abandoned"


class AttemptState(enum.StrEnum):
    """A stage attempt's life cycle; `abandoned` attempts never count against the limit."""

    not_started = "not_started"
    active = "active"
    submitted = "submitted"
    expired = "expired"
    abandoned = "abandoned"


class InterviewTemplate(Base):
    """An organization's (optionally job-specific) interview template."""

    __tablename__ = "interview_templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    job_id: Mapped[int | None] = mapped_column(
        ForeignKey("jobs.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    config: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class InterviewSession(Base):
    """One sitting: a candidate working through a template's stages against the server's clock."""

    __tablename__ = "interview_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("interview_templates.id", ondelete="SET NULL")
    )
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    # The template as it was when the session started: later edits never move a deadline.
    config: Mapped[dict[str, Any]] = mapped_column(JSON)
    practice: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[SessionState] = mapped_column(
        Enum(SessionState, native_enum=False, length=20), default=SessionState.created
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    deadline_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    attempts: Mapped[list[StageAttempt]] = relationship(
        back_populates="session", order_by="StageAttempt.id"
    )


class StageAttempt(Base):
    """One attempt at one stage, with its questions, autosaved draft and submitted answer.

    `attempt_no` numbers the counted attempts of a candidate at a stage kind; the unique
    constraint makes the attempt limit hold under concurrent starts on every database.
    Practice attempts and attempts abandoned through no fault of the candidate have no number.
    """

    __tablename__ = "stage_attempts"
    __table_args__ = (
        UniqueConstraint("candidate_id", "stage", "attempt_no"),
        # One attempt per stage per sitting: concurrent starts of the same stage collide here.
        UniqueConstraint("session_id", "stage"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("interview_sessions.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[StageKind] = mapped_column(Enum(StageKind, native_enum=False, length=20))
    attempt_no: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[AttemptState] = mapped_column(
        Enum(AttemptState, native_enum=False, length=20), default=AttemptState.active
    )
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deadline_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_saved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # What the candidate sees (never hidden tests or solutions) and what the server keeps apart.
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    private: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    draft: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    draft_revision: Mapped[int] = mapped_column(Integer, default=0)
    answer: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    score: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    selected: Mapped[bool] = mapped_column(Boolean, default=False)
    ended_by: Mapped[str | None] = mapped_column(String(20))

    session: Mapped[InterviewSession] = relationship(back_populates="attempts")


class IntegrityEvent(Base):
    """A browser signal recorded during an attempt: focus loss, paste, answer timing."""

    __tablename__ = "integrity_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("stage_attempts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    client_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
