"""API shapes for recommendations."""

from __future__ import annotations

from pydantic import BaseModel, Field


class RecommendedJob(BaseModel):
    """One recommended job with why it was chosen."""

    job_id: int
    title: str
    organization: str
    location: str
    remote: bool
    position: int
    score: float
    match: int = Field(ge=0, le=100, description="How well the job fits the profile, 0-100.")
    seniority: str
    explanation: str
    notes: list[str]


class Recommendations(BaseModel):
    """A ranked list, the request id to attach to events, and how it was produced."""

    request_id: str
    ranker: str
    fallback: bool
    fallback_reason: str | None
    latency_ms: float
    experiment: str | None = None
    variant: str | None = None
    items: list[RecommendedJob]


class RankedCandidate(BaseModel):
    """An applicant ranked for a job, with the same explanation a candidate would see."""

    candidate_id: int
    name: str
    score: float
    match: int = Field(ge=0, le=100, description="How well the profile fits the job, 0-100.")
    explanation: str
    notes: list[str]


class RankedCandidates(BaseModel):
    """The recruiter direction: applicants ranked for one job."""

    ranker: str
    fallback: bool
    fallback_reason: str | None
    items: list[RankedCandidate]
