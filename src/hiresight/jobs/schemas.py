"""API shapes for jobs and applications."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hiresight.jobs import pipeline
from hiresight.jobs.models import ApplicationStatus, JobStatus, Seniority
from hiresight.jobs.pipeline import PanelKind, PipelineSpec, Stage, StageSpec, StageType
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


def _check_pipeline(specs: list[StageSpec] | None) -> None:
    if specs is not None:
        pipeline.check(specs)


class JobCreate(JobBase):
    """A new job; without a pipeline it gets the default (AI screening, panel, offer)."""

    pipeline: PipelineSpec | None = None

    @model_validator(mode="after")
    def _pipeline_rules(self) -> JobCreate:
        _check_pipeline(self.pipeline)
        return self


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
    pipeline: PipelineSpec | None = None

    @model_validator(mode="after")
    def _pipeline_rules(self) -> JobUpdate:
        _check_pipeline(self.pipeline)
        return self


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
    pipeline: list[Stage] = Field(default_factory=list)


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
    stage: str
    created_at: dt.datetime
    updated_at: dt.datetime


class ApplicationDecision(BaseModel):
    """A recruiter's decision on an application, with an optional note for the audit log."""

    status: ApplicationStatus
    note: str = Field("", max_length=2000)


MoveAction = Literal["advance", "back", "move", "hold", "reject", "hire"]


class ApplicationMoveCreate(BaseModel):
    """A recruiter's move of an application along its job's pipeline, with a note.

    `advance` and `back` go one stage on or back, `move` goes to `to_stage` (any stage of the
    job's pipeline), `hold` and `reject` keep the stage and change the status, and `hire`
    closes the application at the last stage.
    """

    action: MoveAction
    to_stage: str | None = Field(None, min_length=1, max_length=40)
    note: str = Field("", max_length=2000)

    @model_validator(mode="after")
    def _target_only_for_move(self) -> ApplicationMoveCreate:
        if (self.action == "move") != (self.to_stage is not None):
            raise ValueError("to_stage is given with the action `move`, and only with it")
        return self


class ApplicationMovePublic(BaseModel):
    """One recorded move: who, when, from where to where, and why."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    application_id: int
    actor_id: int | None
    action: str
    from_stage: str
    to_stage: str
    from_status: ApplicationStatus
    to_status: ApplicationStatus
    note: str
    created_at: dt.datetime


class PipelineColumn(BaseModel):
    """One stage of a job's board: who is there now, and the stage's line of the funnel."""

    key: str
    kind: StageType
    panel_kind: PanelKind | None = None
    title: str
    # Applications at this stage now and still in the process (not rejected or withdrawn).
    count: int
    application_ids: list[int] = Field(default_factory=list)
    # How many ever got this far, and how many of those went further (hired, at the last stage).
    reached: int
    moved_on: int


class PipelineBoard(BaseModel):
    """A job's pipeline as columns with counts, and the applications out of the process."""

    job_id: int
    stages: list[PipelineColumn]
    rejected: int
    withdrawn: int


class CompetencyRating(BaseModel):
    """One competency of a panel scorecard: 1 (strong no) to 4 (strong yes), why, and what
    the candidate said or showed."""

    rating: int = Field(ge=1, le=4)
    notes: str = Field("", max_length=2000)
    evidence: str = Field("", max_length=2000)


class PanelScorecardWrite(BaseModel):
    """An interviewer's scorecard for one panel stage: every competency of the panel's kind."""

    ratings: dict[Annotated[str, Field(max_length=40)], CompetencyRating] = Field(max_length=8)
    summary: str = Field("", max_length=4000)


class PanelScorecardPublic(BaseModel):
    """A stored panel scorecard."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    application_id: int
    stage: str
    interviewer_id: int
    ratings: dict[str, CompetencyRating]
    summary: str
    created_at: dt.datetime
    updated_at: dt.datetime
