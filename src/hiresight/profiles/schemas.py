"""API shapes for candidate profiles."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class ProfileBase(BaseModel):
    """Fields a candidate edits on their profile."""

    headline: str = Field("", max_length=200)
    summary: str = Field("", max_length=10_000)
    location: str = Field("", max_length=200)
    skills: list[str] = Field(default_factory=list, max_length=200)
    years_experience: int | None = Field(None, ge=0, le=70)


class ProfileUpdate(ProfileBase):
    """A candidate's replacement of their editable profile fields."""


class ProfilePublic(ProfileBase):
    """A profile as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    updated_at: dt.datetime
