"""API shapes of the partner API and of the organization's API keys."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# "interview:default", "interview:<template id>" or "takehome:<assignment id>".
DEFAULT_INTERVIEW = "interview:default"
# At most nine digits: every id stays inside the database's integer range.
ASSESSMENT_ID = r"^(interview:(default|[1-9][0-9]{0,8})|takehome:[1-9][0-9]{0,8})$"


class ApiKeyCreate(BaseModel):
    """A name for a new key, such as the applicant-tracking system it is for."""

    name: str = Field(min_length=1, max_length=100)


class ApiKeyPublic(BaseModel):
    """An organization API key as listed (never its secret)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str = Field(description="The key's first characters, to tell keys apart.")
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class ApiKeyCreated(ApiKeyPublic):
    """A new key with its secret, shown this once."""

    key: str = Field(description="Send as `Authorization: Bearer <key>`; it is not shown again.")


class AssessmentPublic(BaseModel):
    """An assessment the organization can send: an interview template or a take-home."""

    id: str = Field(description="`interview:default`, `interview:<id>` or `takehome:<id>`.")
    name: str
    kind: Literal["interview", "takehome"]
    estimated_minutes: int | None = Field(
        description="Working time of an interview (its stages' limits plus the breaks); none "
        "for a take-home, whose window is `window_days`."
    )
    window_days: float | None = Field(
        None, description="A take-home's time from start to deadline."
    )


class InvitationCreate(BaseModel):
    """Send an assessment to a candidate for one of the partner's applications."""

    model_config = ConfigDict(extra="forbid")

    assessment_id: str = Field(pattern=ASSESSMENT_ID, max_length=40)
    candidate_email: str = Field(min_length=3, max_length=320)
    candidate_name: str = Field(min_length=1, max_length=200)
    job_id: int | None = Field(
        None,
        ge=1,
        le=2**31 - 1,
        description="A Hiresight job of the organization: the candidate applies to it on "
        "accepting, and the interview counts for it.",
    )
    external_application_id: str = Field(
        min_length=1,
        max_length=200,
        description="The partner's application id: sending the same assessment for the same "
        "application again returns the same invitation.",
    )
    external_candidate_id: str | None = Field(None, min_length=1, max_length=200)
    expires_in_days: int = Field(14, ge=1, le=90, description="How long the link can be opened.")


class InvitationState(enum.StrEnum):
    """Where an invitation stands, read from the interview or take-home records."""

    invited = "invited"
    started = "started"
    completed = "completed"
    scored = "scored"
    abandoned = "abandoned"
    expired = "expired"


class EmailStatus(BaseModel):
    """Whether the invitation e-mail went to the SMTP server; if not, send the link yourself."""

    sent: bool
    detail: str


class InvitationPublic(BaseModel):
    """An invitation: its id, the candidate's link and where it stands."""

    id: int
    assessment_id: str
    link: str = Field(description="The candidate's link: sign up or sign in, then start.")
    status: InvitationState
    email: EmailStatus
    external_application_id: str
    external_candidate_id: str | None
    expires_at: dt.datetime


class StageScore(BaseModel):
    """One scored part: an interview stage, or a take-home's evaluation."""

    stage: str
    score: float | None = Field(description="0-100; none until scored (and for a take-home).")
    rubric_version: str | None = Field(
        description="The rubric that produced the score; for a take-home, the assignment's "
        "version (`takehome-<sha256 prefix>`)."
    )
    metrics: dict[str, float] = Field(
        default_factory=dict, description="A take-home's metrics over all test users."
    )


class Results(BaseModel):
    """A scorecard summary and where the full report is."""

    overall: float | None = Field(description="The interview's weighted overall score, 0-100.")
    stages: list[StageScore]
    report_url: str | None = Field(
        description="The recruiter's full report (sign-in needed); none while the candidate "
        "is not an applicant to one of the organization's jobs."
    )
    report_pdf_url: str | None = None


class InvitationStatus(InvitationPublic):
    """An invitation with its results, once there are any."""

    claimed_at: dt.datetime | None
    results: Results | None
