"""API shapes for jobs and applications."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hiresight.jobs.models import ApplicationStatus, JobStatus, Seniority
from hiresight.jobs.requirements import JobRequirements, RemotePolicy, SeniorityLevel

# One listed requirement (a line such as "5+ years of Python") and one skill name.
RequirementLine = Annotated[str, Field(max_length=500)]
SkillName = Annotated[str, Field(min_length=1, max_length=100)]


class JobBase(BaseModel):
    """Fields a recruiter sets on a job."""

    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=20_000)
    requirements: list[RequirementLine] = Field(default_factory=list, max_length=100)
    location: str = Field("", max_length=200)
    remote: bool = False
    seniority: Seniority = Seniority.mid
    salary_min: int | None = Field(None, ge=0, le=10_000_000)
    salary_max: int | None = Field(None, ge=0, le=10_000_000)
    salary_currency: str = Field("USD", min_length=3, max_length=3)
    status: JobStatus = JobStatus.draft

    @model_validator(mode="after")
    def _salary_range(self) -> JobBase:
        if (
            self.salary_min is not None
            and self.salary_max is not None
            and self.salary_min > self.salary_max
        ):
            raise ValueError("salary_min must not exceed salary_max")
        return self


class JobCreate(JobBase):
    """A new job."""


class JobUpdate(BaseModel):
    """A partial change to a job."""

    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=20_000)
    requirements: list[RequirementLine] | None = Field(None, max_length=100)
    location: str | None = Field(None, max_length=200)
    remote: bool | None = None
    seniority: Seniority | None = None
    salary_min: int | None = Field(None, ge=0, le=10_000_000)
    salary_max: int | None = Field(None, ge=0, le=10_000_000)
    salary_currency: str | None = Field(None, min_length=3, max_length=3)
    status: JobStatus | None = None


class JobPublic(JobBase):
    """A job as the API shows it, with its structured requirements (corrections applied)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    organization_id: int
    # Jobs stored before lines were capped still read back whole.
    requirements: list[str] = Field(default_factory=list)
    created_at: dt.datetime
    updated_at: dt.datetime
    structured: JobRequirements | None = None
    requirement_overrides: dict[str, Any] = Field(default_factory=dict)


def _unspecified() -> RemotePolicy:
    return "unspecified"


class RequirementsCorrection(BaseModel):
    """A recruiter's correction of the parsed requirements; unset fields keep the parse.

    Only the fields the structured requirements may leave empty (level, years, salary) accept
    null. The skill lists and the remote policy always have a value there, so null is refused
    with 422 instead of being stored where it would break every later read of the job. The
    defaults below never reach the job: the service applies only the fields that were sent.
    """

    required_skills: list[SkillName] = Field(default_factory=list, max_length=100)
    preferred_skills: list[SkillName] = Field(default_factory=list, max_length=100)
    seniority: SeniorityLevel | None = None
    years_min: int | None = Field(None, ge=0, le=40)
    remote_policy: RemotePolicy = Field(default_factory=_unspecified)
    salary_min: int | None = Field(None, ge=0, le=10_000_000)
    salary_max: int | None = Field(None, ge=0, le=10_000_000)


class ApplicationPublic(BaseModel):
    """An application as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    candidate_id: int
    job_id: int
    status: ApplicationStatus
    created_at: dt.datetime
    updated_at: dt.datetime


class ApplicationDecision(BaseModel):
    """A recruiter's decision on an application, with an optional note for the audit log."""

    status: ApplicationStatus
    note: str = Field("", max_length=2000)
