"""The record of background work that must happen: one row per (kind, attempt), and one per
period of a scheduled job.

A row is written in the same transaction as the change that causes the work (an answer becoming
final), so a crash after commit cannot lose it; a queue message only wakes a process up to run
it sooner. Processes claim rows with a lease; an expired lease means the claimant died.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hiresight.db import Base, UTCDateTime, utcnow


class WorkState(enum.StrEnum):
    """Where a piece of work stands: `failed` waits for an admin's retry."""

    pending = "pending"
    running = "running"
    done = "done"
    failed = "failed"


class PendingWork(Base):
    """One piece of background work on one attempt (`grade`, `score`)."""

    __tablename__ = "pending_work"
    __table_args__ = (
        # Recording the same work twice (a replayed submit, a retried grade) is a no-op.
        UniqueConstraint("kind", "attempt_id"),
        Index("ix_pending_work_due", "state", "next_run_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("stage_attempts.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[WorkState] = mapped_column(
        Enum(WorkState, native_enum=False, length=20), default=WorkState.pending
    )
    # Tries so far; each claim adds one, and the claimant's number is its fencing token.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    next_run_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ScheduledRun(Base):
    """One period's run of a scheduled job (`maintenance` on `2026-12-05`), claimed with a lease.

    The unique (name, period) pair is what makes the run happen once per period however many
    processes poll for it: each inserts the row if it is missing, then only one claim wins it.
    The outbox cannot hold it: its rows belong to an attempt.
    """

    __tablename__ = "scheduled_runs"
    __table_args__ = (UniqueConstraint("name", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(20))
    state: Mapped[WorkState] = mapped_column(
        Enum(WorkState, native_enum=False, length=20), default=WorkState.pending
    )
    # Claims so far; each adds one, and the claimant's number is its fencing token.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # While running: when a claim by a process that died expires. After a failure: when the
    # run may be tried again.
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    # What the run did, counts only (`{"erased_accounts": 1, ...}`).
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
