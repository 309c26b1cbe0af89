"""Recommendation experiments: which variant served which request."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hiresight.db import Base, UTCDateTime, utcnow


class RecsExposure(Base):
    """A recommendation request served under an A/B experiment: who saw which variant, when.

    The impressions of the same request (engagement_events.request_id) say what was shown;
    clicks and applications on those jobs afterwards are the variant's outcomes.
    """

    __tablename__ = "recs_exposures"
    __table_args__ = (Index("ix_recs_exposures_experiment", "experiment", "variant"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    experiment: Mapped[str] = mapped_column(String(80))
    variant: Mapped[str] = mapped_column(String(40))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    request_id: Mapped[str] = mapped_column(String(80), unique=True)
    ranker: Mapped[str] = mapped_column(String(80))
    fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
