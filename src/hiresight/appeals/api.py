"""REST endpoints: candidates' requests to a person, their resolution, and extra time."""

from __future__ import annotations

from fastapi import APIRouter, status

from hiresight.accounts.deps import CandidateUser, StaffUser
from hiresight.appeals import service
from hiresight.appeals.deps import AppliedJobLookup, JobApplicant, StaffRequest
from hiresight.appeals.models import CandidateRequest, RequestState
from hiresight.appeals.schemas import (
    AccommodationCreate,
    AccommodationPublic,
    AlternativeCreate,
    ReEvaluationCreate,
    RequestPublic,
    Resolution,
)
from hiresight.deps import SessionDep
from hiresight.interviews import accommodations
from hiresight.interviews.accommodations import Accommodation
from hiresight.interviews.deps import OwnAttempt
from hiresight.jobs.deps import WritableJob

router = APIRouter(tags=["candidate requests"])


@router.post(
    "/attempts/{attempt_id}/re-evaluation",
    response_model=RequestPublic,
    status_code=status.HTTP_201_CREATED,
)
def request_re_evaluation(
    data: ReEvaluationCreate, attempt: OwnAttempt, user: CandidateUser, session: SessionDep
) -> CandidateRequest:
    """Ask a person to review this scored stage; 409 `not_scored` or `re_evaluation_exists`."""
    return service.request_re_evaluation(
        session, candidate=user, attempt=attempt, reason=data.reason
    )


@router.post(
    "/candidate-requests/alternative-process",
    response_model=RequestPublic,
    status_code=status.HTTP_201_CREATED,
)
def request_alternative(
    data: AlternativeCreate, user: CandidateUser, jobs: AppliedJobLookup, session: SessionDep
) -> CandidateRequest:
    """Ask the recruiters of a job the caller applied to for another assessment process."""
    job = jobs.get(data.job_id)
    return service.request_alternative(session, candidate=user, job=job, reason=data.reason)


@router.get("/candidate-requests/mine", response_model=list[RequestPublic])
def my_requests(user: CandidateUser, session: SessionDep) -> list[CandidateRequest]:
    """The caller's requests and their status, newest first."""
    return service.get_for_candidate(session, candidate=user)


@router.get("/candidate-requests", response_model=list[RequestPublic])
def org_requests(
    user: StaffUser, session: SessionDep, state: RequestState | None = None
) -> list[CandidateRequest]:
    """The requests addressed to the caller's organization: open ones first, oldest first."""
    return service.get_for_staff(session, user=user, state=state)


@router.post("/candidate-requests/{request_id}/resolve", response_model=RequestPublic)
def resolve(
    data: Resolution, candidate_request: StaffRequest, user: StaffUser, session: SessionDep
) -> CandidateRequest:
    """Resolve a request with a note: upheld, score changed (a recorded human override), or
    answered; 409 `already_resolved`, 422 `invalid_resolution`."""
    return service.resolve(
        session, actor=user, request=candidate_request, outcome=data.outcome, note=data.note,
        score=data.score,
    )  # fmt: skip


@router.post(
    "/jobs/{job_id}/candidates/{candidate_id}/accommodations",
    response_model=AccommodationPublic,
    status_code=status.HTTP_201_CREATED,
)
def grant_accommodation(
    data: AccommodationCreate,
    job: WritableJob,
    candidate: JobApplicant,
    user: StaffUser,
    session: SessionDep,
) -> Accommodation:
    """Grant an applicant extra time per stage for this job's interviews (replaces an earlier
    grant from now on); stages already running keep their deadline."""
    return accommodations.grant(
        session, actor=user, candidate=candidate, job=job, multipliers=data.multipliers,
        reason=data.reason,
    )  # fmt: skip
