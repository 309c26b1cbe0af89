"""API shapes of candidate rights: deletion requests and organizations' retention."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

# A retention period past ten years is a typo for "keep", which is an empty setting.
MAX_RETENTION_DAYS = 3650


class DeletionCreate(BaseModel):
    """The candidate confirms with their password, or by typing the confirmation phrase."""

    password: str = Field("", max_length=200)
    phrase: str = Field("", max_length=100)


class DeletionPublic(BaseModel):
    """A pending deletion request: the account is erased after `erase_after` unless cancelled."""

    model_config = ConfigDict(from_attributes=True)

    requested_at: dt.datetime
    erase_after: dt.datetime


class PrivacyStatus(BaseModel):
    """What the candidate's "Your data" page shows: the pending request and the grace period."""

    deletion: DeletionPublic | None
    grace_days: int
    confirm_phrase: str


class RetentionUpdate(BaseModel):
    """Days after a job closes to delete its candidate data; null keeps it."""

    days: int | None = Field(None, ge=1, le=MAX_RETENTION_DAYS)


class RetentionPublic(BaseModel):
    """The organization's retention period (null: kept)."""

    days: int | None


class RetentionJobPublic(BaseModel):
    """A closed job past the period."""

    job_id: int
    title: str
    closed_at: dt.datetime


class RetentionPreview(BaseModel):
    """What applying retention now would delete: the jobs and the rows per table."""

    days: int | None
    jobs: list[RetentionJobPublic]
    counts: dict[str, int]
