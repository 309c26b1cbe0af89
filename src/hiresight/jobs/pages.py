"""Job pages: the candidate's dashboard and applying from it, and the recruiter's dashboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from hiresight.accounts.deps import (
    PageCandidate,
    PageCandidateHome,
    PageStaffHome,
    SignedInUser,
)
from hiresight.deps import SessionDep, SettingsDep
from hiresight.errors import AppError
from hiresight.jobs import pipeline, service
from hiresight.jobs.deps import PageCandidateJob, PageDecidableApplication, PageWritableJob
from hiresight.jobs.schemas import (
    ApplicationMoveCreate,
    CompetencyRating,
    MoveAction,
    PanelScorecardWrite,
)
from hiresight.profiles import service as profiles
from hiresight.web.pages import PageRoute, check_csrf, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)


@router.get("/candidate")
def candidate_dashboard(
    request: Request, user: PageCandidateHome, session: SessionDep, settings: SettingsDep
) -> Response:
    """The candidate's dashboard (staff are sent to theirs)."""
    profile = profiles.get_or_create(session, candidate=user)
    applications = service.get_for_candidate(session, candidate=user)
    open_jobs = service.get_all(session, user=user, limit=10)
    return render(
        request,
        "candidate_dashboard.html",
        settings,
        user=user,
        profile=profile,
        applications=applications,
        open_jobs=open_jobs,
        applied_ids={a.job_id for a in applications},
    )


@router.post("/candidate/jobs/{job_id}/apply")
def apply_page(
    job: PageCandidateJob,
    request: Request,
    session: SessionDep,
    user: PageCandidate,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Apply to an open job from the dashboard."""
    check_csrf(request, csrf_token)
    service.apply(session, candidate=user, job=job)
    return RedirectResponse("/candidate", status_code=303)


@router.get("/recruiter")
def recruiter_dashboard(
    request: Request, user: PageStaffHome, session: SessionDep, settings: SettingsDep
) -> Response:
    """The recruiter's dashboard (candidates are sent to theirs)."""
    org_jobs = service.get_all(session, user=user, limit=50)
    applicants = {job.id: service.get_for_job(session, job=job) for job in org_jobs}
    return render(
        request,
        "recruiter_dashboard.html",
        settings,
        user=user,
        jobs=org_jobs,
        applicants=applicants,
    )


@router.post("/recruiter/jobs/{job_id}/pipeline")
def pipeline_stages_page(
    job: PageWritableJob,
    request: Request,
    session: SessionDep,
    stage: Annotated[list[str], Form(max_length=12)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Replace the job's stages from the pipeline board's form (empty steps are dropped)."""
    check_csrf(request, csrf_token)
    try:
        specs = [pipeline.spec_from_choice(value) for value in stage if value]
        pipeline.check(specs)
    except ValueError as exc:
        raise AppError(
            f"These stages cannot be saved: {exc}.", code="invalid_pipeline", status_code=422
        ) from exc
    service.set_pipeline(session, job=job, specs=specs)
    return RedirectResponse(f"/recruiter/jobs/{job.id}/pipeline", status_code=303)


@router.post("/recruiter/applications/{application_id}/move")
def move_page(
    application: PageDecidableApplication,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    action: Annotated[MoveAction, Form()],
    to_stage: Annotated[str, Form(max_length=40)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Move an applicant along the job's pipeline from the board, with a note (audited)."""
    check_csrf(request, csrf_token)
    if action == "move" and not to_stage:
        raise AppError("Choose the stage to move to.", code="stage_required", status_code=422)
    target = to_stage if action == "move" else None
    data = ApplicationMoveCreate(action=action, to_stage=target, note=note)
    service.move(session, actor=user, application=application, data=data)
    return RedirectResponse(
        f"/recruiter/jobs/{application.job_id}/pipeline?moved={application.id}", status_code=303
    )


@router.post("/recruiter/applications/{application_id}/panel-scorecards/{stage_key}")
def panel_scorecard_page(
    application: PageDecidableApplication,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    stage_key: Annotated[str, Path(pattern=r"^[a-z0-9_]{1,40}$")],
    competency: Annotated[list[str], Form(max_length=8)],
    rating: Annotated[list[int], Form(max_length=8)],
    notes: Annotated[list[str], Form(max_length=8)],
    evidence: Annotated[list[str], Form(max_length=8)],
    summary: Annotated[str, Form(max_length=4000)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Fill the signed-in interviewer's panel scorecard from the candidate's scorecard page:
    one rating, note and evidence per competency, in the form's order."""
    check_csrf(request, csrf_token)
    if not len(competency) == len(rating) == len(notes) == len(evidence):
        raise AppError("Rate every competency.", code="invalid_competencies", status_code=422)
    try:
        ratings = {
            name: CompetencyRating(rating=r, notes=n, evidence=e)
            for name, r, n, e in zip(competency, rating, notes, evidence, strict=True)
        }
        data = PanelScorecardWrite(ratings=ratings, summary=summary)
    except ValidationError as exc:
        raise AppError(
            "Each rating is 1 to 4; notes and evidence are at most 2,000 characters.",
            code="validation_error",
            status_code=422,
        ) from exc
    service.save_panel_scorecard(
        session, actor=user, application=application, stage_key=stage_key, data=data
    )
    return RedirectResponse(
        f"/recruiter/candidates/{application.candidate_id}/scorecard?job={application.job_id}"
        f"#panel-{stage_key}",
        status_code=303,
    )
