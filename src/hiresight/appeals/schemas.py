"""API shapes of candidate requests and accommodations."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from hiresight.appeals.models import RequestKind, RequestState
from hiresight.interviews.config import StageKind

# Room for a real explanation; bounded so a request stays readable and cheap to store.
MAX_REASON = 2000
# At most four times a stage's minutes: beyond that another process fits better than a timer.
MAX_MULTIPLIER = 4.0

Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_REASON)
]


class ReEvaluationCreate(BaseModel):
    """Why the candidate asks a person to review this stage."""

    reason: Reason


class AlternativeCreate(BaseModel):
    """Another assessment process, asked of the recruiters of a job the candidate applied to."""

    job_id: int = Field(ge=1)
    reason: Reason


class Resolution(BaseModel):
    """A recruiter's answer: upheld, or the score changed (with the new score), with a note."""

    outcome: Literal["upheld", "score_changed", "answered"]
    note: Reason
    score: float | None = Field(None, ge=0, le=100)


class RequestPublic(BaseModel):
    """A request as the candidate and the recruiters see it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: RequestKind
    candidate_id: int
    attempt_id: int | None
    job_id: int | None
    reason: str
    state: RequestState
    ai_score: float | None
    human_score: float | None
    resolution_note: str
    created_at: dt.datetime
    resolved_at: dt.datetime | None


class AccommodationCreate(BaseModel):
    """Extra time per stage for one candidate's interviews for a job, and why."""

    multipliers: dict[StageKind, float] = Field(min_length=1, max_length=len(StageKind))
    reason: Reason

    @model_validator(mode="after")
    def _bounded(self) -> AccommodationCreate:
        for kind, value in self.multipliers.items():
            if not 1.0 <= value <= MAX_MULTIPLIER:
                raise ValueError(
                    f"the {kind.value} multiplier must be between 1 and {MAX_MULTIPLIER}"
                )
        return self


class AccommodationPublic(BaseModel):
    """A grant of extra time, as recorded."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    candidate_id: int
    job_id: int
    multipliers: dict[StageKind, float]
    reason: str
    granted_by_id: int | None
    granted_at: dt.datetime
