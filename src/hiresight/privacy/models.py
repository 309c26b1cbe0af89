"""Deletion requests and each organization's retention period."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from hiresight.db import Base, UTCDateTime, utcnow


class DeletionRequest(Base):
    """A candidate's request to erase their account, carried out once `erase_after` passes.

    Cancelling deletes the row; erasing the account deletes it with everything else of the user.
    """

    __tablename__ = "deletion_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True, index=True
    )
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    erase_after: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)


class RetentionSetting(Base):
    """How many days after a job closes an organization keeps its candidates' data for it.

    No row, or `days` None, keeps the data until someone deletes it.
    """

    __tablename__ = "retention_settings"

    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    days: Mapped[int | None] = mapped_column(Integer)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
