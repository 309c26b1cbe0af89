"""Stored take-homes: an organization's assignments, who they are assigned to, candidates'
submissions and their versions.

The tables refer to organizations, users and applications by foreign key (table name only).
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    Enum,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from hiresight.db import Base, UTCDateTime, utcnow


class TakehomeAssignment(Base):
    """One assignment as uploaded: its parsed spec and the whole folder as a .tar.gz."""

    __tablename__ = "takehome_assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    duration_days: Mapped[float] = mapped_column(Float)
    # takehome.toml, validated (schemas.AssignmentSpec), as JSON.
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The folder, hidden data included: it is only ever unpacked on the server.
    archive: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TakehomeSubmission(Base):
    """A candidate's take of one assignment: when it started and its server-side deadline."""

    __tablename__ = "takehome_submissions"
    __table_args__ = (UniqueConstraint("assignment_id", "candidate_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("takehome_assignments.id", ondelete="CASCADE"), index=True
    )
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deadline_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class VersionState(enum.StrEnum):
    """Where a version's evaluation stands."""

    pending = "pending"
    evaluated = "evaluated"
    failed = "failed"


class TakehomeVersion(Base):
    """One upload before the deadline; uploads never overwrite earlier versions."""

    __tablename__ = "takehome_versions"
    __table_args__ = (UniqueConstraint("submission_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("takehome_submissions.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(10))  # zip, tar.gz, bundle
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    state: Mapped[VersionState] = mapped_column(
        Enum(VersionState, native_enum=False, length=20), default=VersionState.pending
    )
    # schemas.EvaluationReport as JSON, once evaluated.
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    evaluated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class TakehomeInvitation(Base):
    """A recruiter's assignment of a take-home to a candidate (for one application, if named).

    The candidate sees the take-home from then on; the clock starts only when they start it.
    """

    __tablename__ = "takehome_invitations"
    __table_args__ = (UniqueConstraint("assignment_id", "candidate_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("takehome_assignments.id", ondelete="CASCADE"), index=True
    )
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL")
    )
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
