"""Stored scores: every score with its rubric version, provider and evidence, never overwritten."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hiresight.db import Base, UTCDateTime, utcnow


class AttemptScore(Base):
    """One component score of one attempt (e.g. the stage, or bug identification).

    Re-scoring with a new rubric version adds rows; the newest row per component is current
    and older ones stay for comparison.
    """

    __tablename__ = "attempt_scores"
    __table_args__ = (Index("ix_attempt_scores_attempt_component", "attempt_id", "component"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("stage_attempts.id", ondelete="CASCADE"))
    component: Mapped[str] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Float)
    rubric_version: Mapped[str] = mapped_column(String(60))
    provider: Mapped[str] = mapped_column(String(60))
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    points_missed: Mapped[list[str]] = mapped_column(JSON, default=list)
    # For each missed point, the answer's sentence that came closest to it (same shape as
    # `evidence`); rows scored before it existed hold an empty list.
    closest: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, server_default="[]")
    sub_scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)
    fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    fallback_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
