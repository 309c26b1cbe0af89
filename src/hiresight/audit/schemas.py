"""API shapes for the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class AuditEntryPublic(BaseModel):
    """One audit entry as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    actor_id: int | None
    action: str
    entity_type: str
    entity_id: str
    details: dict[str, Any]
    created_at: dt.datetime


class AuditQuery(BaseModel):
    """What to look for in the audit log; every field left out matches everything.

    `action` matches exactly, or as a prefix when it ends with a dot (`interview.`).
    """

    action: str | None = Field(None, max_length=80)
    entity_type: str | None = Field(None, max_length=80)
    entity_id: str | None = Field(None, max_length=80)
    actor_id: int | None = Field(None, ge=1, le=2_147_483_647)
    since: dt.datetime | None = Field(None, description="From this time on (inclusive).")
    until: dt.datetime | None = Field(None, description="Before this time (exclusive).")

    @field_validator("since", "until")
    @classmethod
    def _aware(cls, value: dt.datetime | None) -> dt.datetime | None:
        # A time without a zone is read as UTC, the zone every entry is stored in.
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value


class PruneReport(BaseModel):
    """What `hiresight audit prune` found (and, with --apply, deleted)."""

    retention_days: int
    cutoff: dt.datetime
    entries: int
    oldest: dt.datetime | None
    applied: bool
