"""API shapes for candidate profiles and résumé versions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from hiresight import currencies
from hiresight.profiles.parsed import ParsedResume

RemotePreference = Literal["remote", "onsite"]


def _known_currency(code: str) -> str:
    # One check with one message for a lower-case, a misspelt or an unlisted code alike.
    if not currencies.is_known(code):
        raise ValueError(
            f"Unknown currency {code[:12]!r}: use an ISO 4217 code in capitals, one of "
            f"{', '.join(currencies.KNOWN)}."
        )
    return code


SalaryCurrency = Annotated[
    str,
    # The enum is for the published schema (clients and schema-driven tests see the codes);
    # the validator enforces it with a message that lists them.
    Field(
        json_schema_extra={"enum": list(currencies.KNOWN)},
        examples=["EUR"],
        description="An ISO 4217 code in capitals, one of the static rate table's.",
    ),
    AfterValidator(_known_currency),
]


class ProfileBase(BaseModel):
    """Fields a candidate edits on their profile."""

    headline: str = Field("", max_length=200)
    summary: str = Field("", max_length=10_000)
    location: str = Field("", max_length=200)
    skills: list[str] = Field(default_factory=list, max_length=200)
    years_experience: int | None = Field(None, ge=0, le=70)
    salary_min: int | None = Field(
        None, ge=0, le=10_000_000, description="The least yearly pay the candidate considers."
    )
    salary_currency: SalaryCurrency | None = Field(
        None,
        description="The currency of salary_min; null: not chosen, salary_min is then read "
        "in each job's own currency.",
    )
    remote_preference: RemotePreference | None = Field(
        None, description="remote: remote jobs only; onsite: no remote jobs; null: either."
    )


class JobPreferences(BaseModel):
    """What a candidate asks of a job: matching filters and weighs jobs by it."""

    salary_min: int | None = Field(None, ge=0, le=10_000_000)
    salary_currency: SalaryCurrency | None = None
    remote_preference: RemotePreference | None = None


class ProfileUpdate(ProfileBase):
    """A candidate's replacement of their editable profile fields."""


class ProfilePublic(ProfileBase):
    """A profile as the API shows it, with the structured résumé data and its evidence."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    updated_at: dt.datetime
    current_resume_id: int | None = None
    structured: ParsedResume | None = None
    corrections: list[dict[str, object]] = Field(default_factory=list)


class ResumeVersionPublic(BaseModel):
    """One stored résumé version (the file itself is not echoed)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    version: int
    filename: str
    file_type: str
    size_bytes: int
    sha256: str
    parser_version: str
    created_at: dt.datetime


class ResumeUploaded(BaseModel):
    """The answer to an upload: the new version and the updated profile."""

    version: ResumeVersionPublic
    profile: ProfilePublic


class SkillPublic(BaseModel):
    """A taxonomy skill."""

    name: str
    category: str
    aliases: list[str]
    esco_uri: str | None = None


class PortfolioReviewPublic(BaseModel):
    """A reviewed repository attached to a profile, with its scored checklist."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    filename: str
    score: int
    report: dict[str, object]
    created_at: dt.datetime
