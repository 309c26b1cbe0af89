"""REST endpoints for jobs and applications (thin: authorize through deps, call the service)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from hiresight.accounts.deps import CandidateUser, CurrentUser, StaffUser
from hiresight.deps import SessionDep
from hiresight.jobs import service
from hiresight.jobs.deps import DecidableApplication, ReadableApplication, ReadableJob, WritableJob
from hiresight.jobs.models import Job
from hiresight.jobs.schemas import (
    ApplicationDecision,
    ApplicationMoveCreate,
    ApplicationMovePublic,
    ApplicationPublic,
    JobCreate,
    JobPublic,
    JobUpdate,
    PanelScorecardPublic,
    PanelScorecardWrite,
    PipelineBoard,
    RequirementsCorrection,
)

router = APIRouter(tags=["jobs"])


def job_public(job: Job) -> JobPublic:
    """A job with its structured requirements."""
    public = JobPublic.model_validate(job)
    public.structured = service.structured(job)
    return public


@router.get("/jobs", response_model=list[JobPublic])
def list_jobs(
    user: CurrentUser,
    session: SessionDep,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> list[JobPublic]:
    """Jobs visible to the caller: their organization's, or open jobs for candidates."""
    jobs = service.get_all(session, user=user, limit=limit, offset=offset)
    return [job_public(j) for j in jobs]


@router.post("/jobs", response_model=JobPublic, status_code=status.HTTP_201_CREATED)
def create_job(data: JobCreate, user: StaffUser, session: SessionDep) -> JobPublic:
    """Post a job for the caller's organization."""
    return job_public(service.create(session, actor=user, data=data))


@router.get("/jobs/{job_id}", response_model=JobPublic)
def get_job(job: ReadableJob) -> JobPublic:
    """One job."""
    return job_public(job)


@router.patch("/jobs/{job_id}", response_model=JobPublic)
def update_job(
    data: JobUpdate, job: WritableJob, user: StaffUser, session: SessionDep
) -> JobPublic:
    """Change a job."""
    return job_public(service.update(session, actor=user, job=job, data=data))


@router.patch("/jobs/{job_id}/requirements", response_model=JobPublic)
def correct_requirements(
    correction: RequirementsCorrection, job: WritableJob, user: StaffUser, session: SessionDep
) -> JobPublic:
    """Correct the parsed requirements; the correction survives later edits of the text."""
    return job_public(
        service.correct_requirements(session, actor=user, job=job, correction=correction)
    )


@router.post(
    "/jobs/{job_id}/applications",
    response_model=ApplicationPublic,
    status_code=status.HTTP_201_CREATED,
)
def apply_to_job(job: ReadableJob, user: CandidateUser, session: SessionDep) -> ApplicationPublic:
    """Apply to an open job."""
    return ApplicationPublic.model_validate(service.apply(session, candidate=user, job=job))


@router.get("/jobs/{job_id}/applications", response_model=list[ApplicationPublic])
def list_job_applications(
    job: WritableJob, user: StaffUser, session: SessionDep
) -> list[ApplicationPublic]:
    """The applications to one of the caller's organization's jobs."""
    return [ApplicationPublic.model_validate(a) for a in service.get_for_job(session, job=job)]


@router.get("/applications", response_model=list[ApplicationPublic])
def list_my_applications(user: CandidateUser, session: SessionDep) -> list[ApplicationPublic]:
    """The caller's own applications."""
    apps = service.get_for_candidate(session, candidate=user)
    return [ApplicationPublic.model_validate(a) for a in apps]


@router.get("/applications/{application_id}", response_model=ApplicationPublic)
def get_application(application: ReadableApplication) -> ApplicationPublic:
    """One application."""
    return ApplicationPublic.model_validate(application)


@router.patch("/applications/{application_id}", response_model=ApplicationPublic)
def decide_application(
    decision: ApplicationDecision,
    application: DecidableApplication,
    user: StaffUser,
    session: SessionDep,
) -> ApplicationPublic:
    """A recruiter's decision on an application (audited)."""
    updated = service.decide(session, actor=user, application=application, decision=decision)
    return ApplicationPublic.model_validate(updated)


@router.get("/jobs/{job_id}/pipeline", response_model=PipelineBoard)
def get_pipeline(job: WritableJob, user: StaffUser, session: SessionDep) -> PipelineBoard:
    """The job's pipeline as columns with counts, and how many reached and left each stage."""
    return service.board(session, job=job)


@router.post(
    "/applications/{application_id}/moves",
    response_model=ApplicationPublic,
    status_code=status.HTTP_201_CREATED,
)
def move_application(
    data: ApplicationMoveCreate,
    application: DecidableApplication,
    user: StaffUser,
    session: SessionDep,
) -> ApplicationPublic:
    """Move an application along its job's pipeline (or hold, reject, hire), with a note."""
    moved = service.move(session, actor=user, application=application, data=data)
    return ApplicationPublic.model_validate(moved)


@router.get("/applications/{application_id}/moves", response_model=list[ApplicationMovePublic])
def list_application_moves(
    application: DecidableApplication, user: StaffUser, session: SessionDep
) -> list[ApplicationMovePublic]:
    """An application's moves, oldest first: who, when, from and to which stage, the note."""
    moves = service.get_moves(session, application=application)
    return [ApplicationMovePublic.model_validate(m) for m in moves]


StageKey = Annotated[str, Path(pattern=r"^[a-z0-9_]{1,40}$")]


@router.put(
    "/applications/{application_id}/panel-scorecards/{stage_key}",
    response_model=PanelScorecardPublic,
)
def save_panel_scorecard(
    stage_key: StageKey,
    data: PanelScorecardWrite,
    application: DecidableApplication,
    user: StaffUser,
    session: SessionDep,
) -> PanelScorecardPublic:
    """Fill (or refill) the caller's scorecard of the application at a panel stage."""
    card = service.save_panel_scorecard(
        session, actor=user, application=application, stage_key=stage_key, data=data
    )
    return PanelScorecardPublic.model_validate(card)


@router.get(
    "/applications/{application_id}/panel-scorecards", response_model=list[PanelScorecardPublic]
)
def list_panel_scorecards(
    application: DecidableApplication, user: StaffUser, session: SessionDep
) -> list[PanelScorecardPublic]:
    """Every interviewer's panel scorecards of the application."""
    cards = service.get_panel_scorecards(session, application=application)
    return [PanelScorecardPublic.model_validate(c) for c in cards]
