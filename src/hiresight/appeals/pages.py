"""Pages: a candidate's requests to a person, the recruiters' task list, and extra time."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from hiresight.accounts.deps import PageCandidate, PageStaff
from hiresight.appeals import service
from hiresight.appeals.deps import PageAppliedJobs, PageJobApplicants, PageStaffRequest
from hiresight.appeals.models import RequestKind
from hiresight.appeals.schemas import MAX_REASON, AccommodationCreate, Resolution
from hiresight.deps import SessionDep, SettingsDep
from hiresight.errors import AppError
from hiresight.interviews import accommodations
from hiresight.interviews import service as interviews
from hiresight.interviews.config import StageKind
from hiresight.interviews.deps import PageOwnAttempt
from hiresight.interviews.models import AttemptState
from hiresight.jobs import service as jobs
from hiresight.jobs.deps import PageWritableJob
from hiresight.web.pages import PageRoute, check_csrf, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)
ReasonForm = Annotated[str, Form(max_length=MAX_REASON)]
CsrfForm = Annotated[str, Form(max_length=100)]


def _invalid(exc: ValidationError) -> AppError:
    """A form the schema refuses, as the page's 422 with the first reason."""
    message = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
    return AppError(message, code="validation_error", status_code=422)


@router.get("/candidate/requests")
def candidate_requests(
    request: Request, session: SessionDep, settings: SettingsDep, user: PageCandidate
) -> Response:
    """The candidate's requests with their status, and what they may ask a person to review."""
    mine = service.get_for_candidate(session, candidate=user)
    asked = {r.attempt_id for r in mine}
    reviewable = [
        a
        for a in interviews.get_attempts(session, candidate=user)
        if a.score is not None and a.attempt_no is not None and a.id not in asked
        and a.state in (AttemptState.submitted, AttemptState.expired)
    ]  # fmt: skip
    return render(
        request, "candidate_requests.html", settings, user=user, requests=mine,
        reviewable=reviewable, applications=jobs.get_for_candidate(session, candidate=user),
        max_reason=MAX_REASON,
    )  # fmt: skip


@router.post("/candidate/attempts/{attempt_id}/re-evaluation")
def re_evaluation_page(
    attempt: PageOwnAttempt,
    request: Request,
    session: SessionDep,
    user: PageCandidate,
    reason: ReasonForm = "",
    csrf_token: CsrfForm = "",
) -> Response:
    """Ask a person to review one scored stage."""
    check_csrf(request, csrf_token)
    if not reason.strip():
        raise AppError("Say why you ask for a review.", code="validation_error", status_code=422)
    service.request_re_evaluation(session, candidate=user, attempt=attempt, reason=reason.strip())
    return RedirectResponse("/candidate/requests", status_code=303)


@router.post("/candidate/requests/alternative")
def alternative_page(
    request: Request,
    session: SessionDep,
    user: PageCandidate,
    applied: PageAppliedJobs,
    job_id: Annotated[str, Form(max_length=20)] = "",
    reason: ReasonForm = "",
    csrf_token: CsrfForm = "",
) -> Response:
    """Ask a job's recruiters for another assessment process."""
    check_csrf(request, csrf_token)
    job = applied.get(job_id)
    if not reason.strip():
        raise AppError("Say what you need.", code="validation_error", status_code=422)
    service.request_alternative(session, candidate=user, job=job, reason=reason.strip())
    return RedirectResponse("/candidate/requests", status_code=303)


@router.get("/recruiter/requests")
def recruiter_requests(
    request: Request, session: SessionDep, settings: SettingsDep, user: PageStaff
) -> Response:
    """The organization's candidate requests: the open ones to resolve first."""
    return render(
        request, "recruiter_requests.html", settings, user=user,
        requests=service.get_for_staff(session, user=user), kinds=RequestKind,
        open_count=service.open_count(session, user=user),
        max_reason=MAX_REASON,
    )  # fmt: skip


@router.post("/recruiter/requests/{request_id}/resolve")
def resolve_page(
    candidate_request: PageStaffRequest,
    request: Request,
    session: SessionDep,
    user: PageStaff,
    outcome: Annotated[str, Form(max_length=20)] = "",
    note: ReasonForm = "",
    score: Annotated[str, Form(max_length=10)] = "",
    csrf_token: CsrfForm = "",
) -> Response:
    """Resolve a request with a note (and the new score, when the score is changed)."""
    check_csrf(request, csrf_token)
    try:
        data = Resolution.model_validate(
            {"outcome": outcome, "note": note, "score": score.strip() or None}
        )
    except ValidationError as exc:
        raise _invalid(exc) from exc
    service.resolve(
        session, actor=user, request=candidate_request, outcome=data.outcome, note=data.note,
        score=data.score,
    )  # fmt: skip
    return RedirectResponse("/recruiter/requests", status_code=303)


@router.get("/recruiter/jobs/{job_id}/accommodations")
def accommodations_page(
    job: PageWritableJob, request: Request, session: SessionDep, settings: SettingsDep,
    user: PageStaff,
) -> Response:  # fmt: skip
    """The job's applicants with the extra time each has, and a form to grant it."""
    applications = jobs.get_for_job(session, job=job)
    grants = {
        a.candidate_id: accommodations.in_force(session, candidate_id=a.candidate_id, job_id=job.id)
        for a in applications
    }
    return render(
        request, "accommodations.html", settings, user=user, job=job,
        applications=applications, grants=grants, kinds=list(StageKind), max_reason=MAX_REASON,
    )  # fmt: skip


@router.post("/recruiter/jobs/{job_id}/accommodations")
async def grant_page(
    job: PageWritableJob,
    request: Request,
    session: SessionDep,
    user: PageStaff,
    applicants: PageJobApplicants,
) -> Response:
    """Grant an applicant extra time: a multiplier per stage (empty fields keep the time)."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(request, form.get("csrf_token", ""))
    candidate = applicants.get(form.get("candidate_id", ""))
    multipliers = {k.value: form[k.value] for k in StageKind if form.get(k.value, "").strip()}
    try:
        data = AccommodationCreate.model_validate(
            {"multipliers": multipliers, "reason": form.get("reason", "")}
        )
    except ValidationError as exc:
        raise _invalid(exc) from exc
    accommodations.grant(
        session, actor=user, candidate=candidate, job=job, multipliers=data.multipliers,
        reason=data.reason,
    )  # fmt: skip
    return RedirectResponse(f"/recruiter/jobs/{job.id}/accommodations", status_code=303)
