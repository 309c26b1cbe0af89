"""Jobs that organizations post, and candidates' applications to them."""

from __future__ import annotations

import datetime as dt
import enum
import json
from typing import Any

from sqlalchemy import JSON, Boolean, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hiresight.accounts.models import Organization, User
from hiresight.db import Base, UTCDateTime, utcnow
from hiresight.jobs.pipeline import DEFAULT_PIPELINE, FIRST_DEFAULT_KEY


def _default_pipeline() -> list[dict[str, Any]]:
    return [dict(stage) for stage in DEFAULT_PIPELINE]


class JobStatus(enum.StrEnum):
    """A job is drafted, open to candidates, or closed."""

    draft = "draft"
    open = "open"
    closed = "closed"


class Seniority(enum.StrEnum):
    """The level a job is hired at."""

    intern = "intern"
    junior = "junior"
    mid = "mid"
    senior = "senior"
    staff = "staff"
    principal = "principal"


class ApplicationStatus(enum.StrEnum):
    """Where an application stands. Only a person moves it to `rejected`: nothing auto-rejects."""

    applied = "applied"
    interviewing = "interviewing"
    advanced = "advanced"
    on_hold = "on_hold"
    rejected = "rejected"
    hired = "hired"
    withdrawn = "withdrawn"


class Job(Base):
    """A position an organization hires for."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    requirements: Mapped[list[str]] = mapped_column(JSON, default=list)
    location: Mapped[str] = mapped_column(String(200), default="")
    remote: Mapped[bool] = mapped_column(Boolean, default=False)
    seniority: Mapped[Seniority] = mapped_column(
        Enum(Seniority, native_enum=False, length=20), default=Seniority.mid
    )
    salary_min: Mapped[int | None] = mapped_column(Integer)
    salary_max: Mapped[int | None] = mapped_column(Integer)
    salary_currency: Mapped[str] = mapped_column(String(3), default="USD")
    status: Mapped[JobStatus] = mapped_column(
        Enum(JobStatus, native_enum=False, length=20), default=JobStatus.draft, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Requirements parsed from the text, and the recruiter's corrections applied on top.
    parsed_requirements: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    requirement_overrides: Mapped[dict[str, Any]] = mapped_column(
        JSON, default=dict, server_default="{}"
    )
    # The ordered stages of its hiring process (jobs/pipeline.py: kind, panel kind, key, title).
    pipeline: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=_default_pipeline, server_default=json.dumps(DEFAULT_PIPELINE)
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship()


class Application(Base):
    """A candidate's application to one job."""

    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("candidate_id", "job_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    status: Mapped[ApplicationStatus] = mapped_column(
        Enum(ApplicationStatus, native_enum=False, length=20), default=ApplicationStatus.applied
    )
    # The key of the pipeline stage it is at; a person moves it (ApplicationMove), never a rule.
    stage: Mapped[str] = mapped_column(
        String(40), default=FIRST_DEFAULT_KEY, server_default=FIRST_DEFAULT_KEY
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    candidate: Mapped[User] = relationship()
    job: Mapped[Job] = relationship()


class ApplicationMove(Base):
    """A recruiter's move of an application: between stages, or on hold, rejected, hired.

    Who, when, from where to where, and the note: the history the per-stage funnel counts.
    """

    __tablename__ = "application_moves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))
    from_stage: Mapped[str] = mapped_column(String(40))
    to_stage: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor: Mapped[User | None] = relationship()


class PanelScorecard(Base):
    """One interviewer's scorecard of an application at one panel stage of its pipeline.

    `ratings` maps each competency of the panel's kind (jobs/panels.py) to its 1-4 rating,
    notes and evidence.
    """

    __tablename__ = "panel_scorecards"
    __table_args__ = (UniqueConstraint("application_id", "stage", "interviewer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(40))
    interviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    ratings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    interviewer: Mapped[User] = relationship()
