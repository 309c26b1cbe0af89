"""Take-home pages: the candidate's take-homes (start, download, upload) and the recruiter's
assignments and version review (metric table, checks, code, diff, question kit)."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from hiresight.accounts.deps import PageCandidate, PageStaff
from hiresight.deps import MAX_ID, SessionDep, SettingsDep
from hiresight.errors import AppError
from hiresight.jobs import service as jobs
from hiresight.takehome import service
from hiresight.takehome.api import (
    MAX_ASSIGNMENT_UPLOAD_BYTES,
    MAX_SUBMISSION_UPLOAD_BYTES,
    create_from_upload,
    read_limited,
    review_of,
    store_upload,
)
from hiresight.takehome.deps import (
    PageCandidateAssignment,
    PageCandidateInvitations,
    PageInvitations,
    PageStaffAssignment,
    PageStaffAssignments,
    PageStaffVersion,
    Provider,
)
from hiresight.takehome.models import TakehomeAssignment
from hiresight.takehome.review import file_tree, metric_table
from hiresight.takehome.schemas import EvaluationReport
from hiresight.web.pages import PageRoute, check_csrf, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)
CANDIDATE = "/candidate/takehomes"
RECRUITER = "/recruiter/takehomes"


def _candidate_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageCandidate,
    invitations: PageCandidateInvitations,
    *,
    status_code: int = 200,
    error: str | None = None,
) -> Response:
    items = []
    for invitation in invitations:
        assignment = session.get_one(TakehomeAssignment, invitation.assignment_id)
        submission = service.submission_of(
            session, assignment_id=assignment.id, candidate_id=user.id
        )
        versions = (
            [] if submission is None else service.versions_of(session, submission_id=submission.id)
        )
        items.append(
            {
                "assignment": assignment,
                "submission": submission,
                "versions": versions,
                "brief": service.brief_text(assignment),
            }
        )
    return render(
        request,
        "takehome_candidate.html",
        settings,
        user=user,
        status_code=status_code,
        items=items,
        error=error,
        notice=request.query_params.get("uploaded"),
    )


@router.get(CANDIDATE)
def candidate_takehomes(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageCandidate,
    invitations: PageCandidateInvitations,
) -> Response:
    """The candidate's take-homes: brief, deadline, download, upload and versions."""
    return _candidate_page(request, session, settings, user, invitations)


@router.post(CANDIDATE + "/{assignment_id}/start")
def start_page(
    request: Request,
    assignment: PageCandidateAssignment,
    user: PageCandidate,
    session: SessionDep,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Start the take-home (the server sets the deadline once)."""
    check_csrf(request, csrf_token)
    service.start(session, assignment=assignment, candidate_id=user.id)
    session.commit()
    return RedirectResponse(CANDIDATE, status_code=303)


@router.get(CANDIDATE + "/{assignment_id}/package")
def package_page(assignment: PageCandidateAssignment) -> Response:
    """brief.md and the public data as a .zip."""
    return Response(
        service.candidate_package(assignment),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="takehome-{assignment.id}.zip"'},
    )


@router.post(CANDIDATE + "/upload")
async def upload_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageCandidate,
    invitations: PageCandidateInvitations,
    file: UploadFile,
    assignment_id: Annotated[int, Form(ge=1, le=MAX_ID)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Upload a version; a refused one re-renders the page with the engine's reason."""
    check_csrf(request, csrf_token)
    try:
        if not any(i.assignment_id == assignment_id for i in invitations):
            raise AppError("No such take-home.", code="not_found", status_code=404)
        data = await read_limited(file, MAX_SUBMISSION_UPLOAD_BYTES)
        assignment = session.get_one(TakehomeAssignment, assignment_id)
        version = await run_in_threadpool(
            store_upload, session, assignment, user.id, file.filename or "upload", data
        )
    except AppError as exc:
        session.rollback()
        return await run_in_threadpool(
            partial(_candidate_page, status_code=exc.status_code, error=exc.message),
            request, session, settings, user, invitations,
        )  # fmt: skip
    return RedirectResponse(f"{CANDIDATE}?uploaded={version.number}", status_code=303)


def _recruiter_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageStaff,
    assignments: PageStaffAssignments,
    *,
    status_code: int = 200,
    error: str | None = None,
) -> Response:
    # The organization's applicants, to pick whom to assign by name (newest jobs first).
    applicants: dict[int, str] = {}
    for job in jobs.get_all(session, user=user, limit=50):
        for application in jobs.get_for_job(session, job=job):
            label = f"{application.candidate.full_name} ({job.title})"
            applicants.setdefault(application.candidate_id, label)
    rows = []
    for assignment in assignments:
        submissions = [
            (s, service.versions_of(session, submission_id=s.id))
            for s in service.submissions_of(session, assignment_id=assignment.id)
        ]
        rows.append({"assignment": assignment, "submissions": submissions})
    return render(
        request,
        "takehome_assignments.html",
        settings,
        user=user,
        status_code=status_code,
        rows=rows,
        applicants=applicants,
        error=error,
        notice=request.query_params.get("notice"),
    )


@router.get(RECRUITER)
def recruiter_takehomes(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageStaff,
    assignments: PageStaffAssignments,
) -> Response:
    """The organization's take-homes, their submissions and versions."""
    return _recruiter_page(request, session, settings, user, assignments)


@router.post(RECRUITER)
async def create_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageStaff,
    assignments: PageStaffAssignments,
    file: UploadFile,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Upload an assignment archive; a refused one re-renders with the engine's reason."""
    check_csrf(request, csrf_token)
    try:
        data = await read_limited(file, MAX_ASSIGNMENT_UPLOAD_BYTES)
        row = await run_in_threadpool(
            create_from_upload, session, user, file.filename or "assignment", data
        )
        session.commit()
    except AppError as exc:
        session.rollback()
        return await run_in_threadpool(
            partial(_recruiter_page, status_code=exc.status_code, error=exc.message),
            request, session, settings, user, assignments,
        )  # fmt: skip
    return RedirectResponse(f"{RECRUITER}?notice=created-{row.id}", status_code=303)


@router.post(RECRUITER + "/{assignment_id}/invitations")
def assign_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageStaff,
    assignment: PageStaffAssignment,
    lookup: PageInvitations,
    assignments: PageStaffAssignments,
    candidate_id: Annotated[int, Form(ge=1, le=MAX_ID)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Assign the take-home to an applicant of the organization."""
    check_csrf(request, csrf_token)
    try:
        candidate = lookup.candidate(candidate_id)
    except AppError as exc:
        return _recruiter_page(
            request, session, settings, user, assignments,
            status_code=exc.status_code, error=exc.message,
        )  # fmt: skip
    service.invite(
        session,
        assignment=assignment,
        candidate_id=candidate.id,
        application_id=None,
        assigned_by_id=user.id,
    )
    session.commit()
    return RedirectResponse(f"{RECRUITER}?notice=assigned", status_code=303)


@router.get("/recruiter/takehome-versions/{version_id}")
def review_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PageStaff,
    version: PageStaffVersion,
    provider: Provider,
    file: Annotated[str | None, Query(max_length=1000)] = None,
    against: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    """A version's report: metric table, checks, code tree with a file view, diff and kit."""
    review = review_of(version, provider)
    report = EvaluationReport.model_validate(version.report) if version.report else None
    files = service.version_files(version) if report is not None else {}
    versions = service.versions_of(session, submission_id=version.submission_id)
    diff = None
    if against is not None:
        other = next((v for v in versions if v.number == against), None)
        if other is not None and other.id != version.id:
            diff = service.diff_versions(other, version)
    return render(
        request,
        "takehome_review.html",
        settings,
        user=user,
        version=version,
        versions=versions,
        review=review,
        report=report,
        table=metric_table(report) if report is not None else None,
        tree=file_tree(sorted(files)),
        shown=file if file in files else None,
        shown_text=files.get(file) if file else None,
        diff=diff,
        against=against,
    )
