"""REST endpoints for take-homes (thin: authorize through deps, call the service).

Recruiters upload an assignment archive, list their assignments, assign one to an applicant
and read each version's report, code, diff and question kit. Candidates see what is assigned to
them, start it (the server sets the deadline once), download the brief and public data, and
upload versions; each upload is evaluated in the background.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Form, Query, Response, UploadFile, status
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from hiresight.accounts.deps import CandidateUser, StaffUser
from hiresight.deps import MAX_ID, SessionDep
from hiresight.errors import AppError, ForbiddenError, NotFoundError
from hiresight.takehome import service, work
from hiresight.takehome.deps import (
    CandidateAssignment,
    CandidateInvitations,
    Invitations,
    OtherVersion,
    Provider,
    StaffAssignment,
    StaffAssignments,
    StaffVersion,
)
from hiresight.takehome.errors import UnsupportedUploadError
from hiresight.takehome.kit import draft_kit, readme_of
from hiresight.takehome.models import TakehomeAssignment, TakehomeVersion
from hiresight.takehome.schemas import EvaluationReport

router = APIRouter(tags=["takehomes"])
MAX_ASSIGNMENT_UPLOAD_BYTES = service.MAX_ASSIGNMENT_BYTES
MAX_SUBMISSION_UPLOAD_BYTES = service.SUBMISSION_LIMITS.max_archive_bytes
ASSIGNMENT_SUFFIXES = (".zip", ".tar.gz", ".tgz")


class AssignmentPublic(BaseModel):
    """An assignment as staff see it (never its hidden data)."""

    id: int
    title: str
    duration_days: float
    k: int
    metrics: list[str]
    created_at: dt.datetime


class InvitationCreate(BaseModel):
    """Whom to assign a take-home to."""

    candidate_id: int = Field(ge=1, le=MAX_ID)
    application_id: int | None = Field(None, ge=1, le=MAX_ID)


class InvitationPublic(BaseModel):
    """A take-home assigned to a candidate."""

    id: int
    assignment_id: int
    candidate_id: int
    application_id: int | None
    assigned_at: dt.datetime


class VersionPublic(BaseModel):
    """One uploaded version and where its evaluation stands."""

    id: int
    number: int
    filename: str
    kind: str
    size_bytes: int
    state: str
    error: str | None
    uploaded_at: dt.datetime
    evaluated_at: dt.datetime | None


class CandidateTakehome(BaseModel):
    """A take-home assigned to the caller: its deadline once started, and the versions."""

    assignment_id: int
    title: str
    duration_days: float
    started_at: dt.datetime | None
    deadline_at: dt.datetime | None
    versions: list[VersionPublic]


class SubmissionPublic(BaseModel):
    """A candidate's submission, as staff see it."""

    id: int
    candidate_id: int
    started_at: dt.datetime
    deadline_at: dt.datetime
    versions: list[VersionPublic]


class KitQuestionPublic(BaseModel):
    """A question for the panel and the figures it cites."""

    topic: str
    text: str
    cites: list[str]
    drafted_by: str


class VersionReview(BaseModel):
    """A version's report, its files and the panel's question kit."""

    version: VersionPublic
    report: dict[str, Any] | None
    files: list[str]
    kit: list[KitQuestionPublic]
    kit_drafted_by: str | None


class FileDiff(BaseModel):
    """One changed file between two versions."""

    path: str
    change: str
    diff: str


def assignment_public(row: TakehomeAssignment) -> AssignmentPublic:
    """An assignment without its archive."""
    contract = row.spec.get("contract", {})
    metrics = row.spec.get("metrics", {})
    return AssignmentPublic(
        id=row.id,
        title=row.title,
        duration_days=row.duration_days,
        k=int(contract.get("k", 10)),
        metrics=list(metrics.get("names", [])),
        created_at=row.created_at,
    )


def version_public(row: TakehomeVersion) -> VersionPublic:
    """A version without its bytes."""
    return VersionPublic(
        id=row.id,
        number=row.number,
        filename=row.filename,
        kind=row.kind,
        size_bytes=row.size_bytes,
        state=str(row.state),
        error=row.error,
        uploaded_at=row.uploaded_at,
        evaluated_at=row.evaluated_at,
    )


async def read_limited(file: UploadFile, limit: int) -> bytes:
    """The upload's bytes, reading at most one byte past `limit`."""
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise AppError(
            f"The file is larger than {limit // (1024 * 1024)} MB.",
            code="takehome_upload_too_large",
            status_code=413,
        )
    return data


def create_from_upload(
    session: SessionDep, user: StaffUser, filename: str, data: bytes
) -> TakehomeAssignment:
    """Validate an uploaded assignment archive with the engine and store it."""
    if user.organization_id is None:
        raise ForbiddenError("Only an organization's recruiters can add take-homes.")
    organization_id = user.organization_id
    suffix = next((s for s in ASSIGNMENT_SUFFIXES if filename.lower().endswith(s)), None)
    if suffix is None:
        raise UnsupportedUploadError(f"{filename!r} is not a .zip or .tar.gz of the assignment")
    with tempfile.TemporaryDirectory(prefix="hiresight-assignment-upload-") as tmp:
        path = Path(tmp) / f"assignment{suffix}"
        path.write_bytes(data)
        return service.create_assignment(
            session, organization_id=organization_id, created_by_id=user.id, source=path
        )


@router.post("/takehomes", response_model=AssignmentPublic, status_code=status.HTTP_201_CREATED)
async def create_assignment(
    file: UploadFile, user: StaffUser, session: SessionDep
) -> AssignmentPublic:
    """Upload an assignment (.zip or .tar.gz of its folder); refused 422 unless it validates."""
    data = await read_limited(file, MAX_ASSIGNMENT_UPLOAD_BYTES)
    row = await run_in_threadpool(
        create_from_upload, session, user, file.filename or "assignment", data
    )
    session.commit()
    return assignment_public(row)


@router.get("/takehomes", response_model=list[AssignmentPublic])
def list_assignments(rows: StaffAssignments) -> list[AssignmentPublic]:
    """The caller's organization's assignments, newest first."""
    return [assignment_public(r) for r in rows]


@router.post(
    "/takehomes/{assignment_id}/invitations",
    response_model=InvitationPublic,
    status_code=status.HTTP_201_CREATED,
)
def assign(
    data: InvitationCreate,
    assignment: StaffAssignment,
    lookup: Invitations,
    user: StaffUser,
    session: SessionDep,
) -> InvitationPublic:
    """Assign the take-home to an applicant (optionally naming the application); idempotent."""
    candidate = lookup.candidate(data.candidate_id)
    application_id = None
    if data.application_id is not None:
        application_id = lookup.application(data.application_id, candidate.id).id
    row = service.invite(
        session,
        assignment=assignment,
        candidate_id=candidate.id,
        application_id=application_id,
        assigned_by_id=user.id,
    )
    session.commit()
    return InvitationPublic.model_validate(row, from_attributes=True)


@router.get("/takehomes/{assignment_id}/submissions", response_model=list[SubmissionPublic])
def list_submissions(assignment: StaffAssignment, session: SessionDep) -> list[SubmissionPublic]:
    """Every started submission of the assignment with its versions."""
    rows = service.submissions_of(session, assignment_id=assignment.id)
    return [
        SubmissionPublic(
            id=s.id,
            candidate_id=s.candidate_id,
            started_at=s.started_at,
            deadline_at=s.deadline_at,
            versions=[version_public(v) for v in service.versions_of(session, submission_id=s.id)],
        )
        for s in rows
    ]


def _candidate_view(
    session: SessionDep, assignment: TakehomeAssignment, candidate_id: int
) -> CandidateTakehome:
    submission = service.submission_of(
        session, assignment_id=assignment.id, candidate_id=candidate_id
    )
    versions = (
        [] if submission is None else service.versions_of(session, submission_id=submission.id)
    )
    return CandidateTakehome(
        assignment_id=assignment.id,
        title=assignment.title,
        duration_days=assignment.duration_days,
        started_at=submission.started_at if submission else None,
        deadline_at=submission.deadline_at if submission else None,
        versions=[version_public(v) for v in versions],
    )


@router.get("/candidates/me/takehomes", response_model=list[CandidateTakehome])
def my_takehomes(
    invitations: CandidateInvitations, user: CandidateUser, session: SessionDep
) -> list[CandidateTakehome]:
    """The take-homes assigned to the caller, with deadlines and versions."""
    out = []
    for invitation in invitations:
        assignment = session.get_one(TakehomeAssignment, invitation.assignment_id)
        out.append(_candidate_view(session, assignment, user.id))
    return out


@router.post("/candidates/me/takehomes/{assignment_id}/start", response_model=CandidateTakehome)
def start_takehome(
    assignment: CandidateAssignment, user: CandidateUser, session: SessionDep
) -> CandidateTakehome:
    """Start the take-home: the server sets the deadline once; starting again changes nothing."""
    service.start(session, assignment=assignment, candidate_id=user.id)
    session.commit()
    return _candidate_view(session, assignment, user.id)


@router.get(
    "/candidates/me/takehomes/{assignment_id}/package",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}, "description": "The .zip."}},
)
def download_package(assignment: CandidateAssignment) -> Response:
    """brief.md and the public data as a .zip (never the hidden data)."""
    return Response(
        service.candidate_package(assignment),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="takehome-{assignment.id}.zip"'},
    )


def store_upload(
    session: SessionDep,
    assignment: TakehomeAssignment,
    candidate_id: int,
    filename: str,
    data: bytes,
) -> TakehomeVersion:
    """A new version of the candidate's started submission, woken for evaluation on commit."""
    submission = service.submission_of(
        session, assignment_id=assignment.id, candidate_id=candidate_id
    )
    if submission is None:
        raise AppError(
            "Start the take-home before uploading.",
            code="takehome_not_started",
            status_code=409,
        )
    version = service.add_version(session, submission=submission, filename=filename, content=data)
    # Unpacked now with the evaluation's checks: a bad archive is refused with its error.
    service.version_files(version)
    work.schedule(session, version=version)
    session.commit()
    return version


@router.post(
    "/candidates/me/takehome-versions",
    response_model=VersionPublic,
    status_code=status.HTTP_202_ACCEPTED,
)
async def upload_version(
    file: UploadFile,
    user: CandidateUser,
    session: SessionDep,
    invitations: CandidateInvitations,
    assignment_id: int = Form(ge=1, le=MAX_ID),
) -> VersionPublic:
    """Upload a version (.zip, .tar.gz or git bundle) before the deadline; 409 after it.

    Answers at once with the version `pending`; the evaluation runs in the background.
    """
    if not any(i.assignment_id == assignment_id for i in invitations):
        raise NotFoundError("No such take-home.")
    data = await read_limited(file, MAX_SUBMISSION_UPLOAD_BYTES)
    assignment = session.get_one(TakehomeAssignment, assignment_id)
    version = await run_in_threadpool(
        store_upload, session, assignment, user.id, file.filename or "upload", data
    )
    return version_public(version)


def review_of(version: TakehomeVersion, provider: Provider) -> VersionReview:
    """The version's report, file list and question kit (none before it is evaluated)."""
    files: dict[str, str | None] = {}
    if version.report is not None:
        files = service.version_files(version)
    kit = None
    if version.report is not None:
        report = EvaluationReport.model_validate(version.report)
        kit = draft_kit(report, readme=readme_of(files), files=files, provider=provider)
    return VersionReview(
        version=version_public(version),
        report=version.report,
        files=sorted(files),
        kit=[KitQuestionPublic(**vars(q)) for q in kit.questions] if kit else [],
        kit_drafted_by=kit.drafted_by if kit else None,
    )


@router.get("/takehome-versions/{version_id}", response_model=VersionReview)
def review_version(version: StaffVersion, provider: Provider) -> VersionReview:
    """The evaluation report, the files and the panel's question kit."""
    return review_of(version, provider)


@router.get(
    "/takehome-versions/{version_id}/file",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "The file's text."}},
)
def version_file(version: StaffVersion, path: str = Query(max_length=1000)) -> Response:
    """One file of the version, as text (404 for a path it does not hold or a binary file)."""
    text = service.version_files(version).get(path)
    if text is None:
        raise NotFoundError("No such text file in this version.")
    return PlainTextResponse(text)


@router.get("/takehome-versions/{version_id}/diff", response_model=list[FileDiff])
def version_diff(version: StaffVersion, other: OtherVersion) -> list[FileDiff]:
    """A unified diff per changed file from version `against` to this one."""
    return [FileDiff(**d) for d in service.diff_versions(other, version)]
