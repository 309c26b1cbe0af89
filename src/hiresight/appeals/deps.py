"""Candidate requests and accommodation targets as dependencies (rules in `appeals/access.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from hiresight.accounts.deps import (
    CandidateUser,
    PageCandidate,
    PageStaff,
    StaffUser,
)
from hiresight.accounts.models import User
from hiresight.appeals import access
from hiresight.appeals.models import CandidateRequest
from hiresight.deps import MAX_ID, IdPath, SessionDep
from hiresight.errors import NotFoundError
from hiresight.jobs.deps import PageWritableJob, WritableJob
from hiresight.jobs.models import Job


def _id(value: int | str) -> int:
    """An id from a form or a body; one that cannot be a stored id answers 404 like any other."""
    if isinstance(value, str):
        value = int(value) if value.isdigit() else 0
    if not 1 <= value <= MAX_ID:
        raise NotFoundError("No such record.")
    return value


def staff_request(request_id: IdPath, user: StaffUser, session: SessionDep) -> CandidateRequest:
    """The request in the path, if addressed to the staff member's organization."""
    return access.request_for_staff(session, user, request_id)


def page_staff_request(
    request_id: IdPath, user: PageStaff, session: SessionDep
) -> CandidateRequest:
    """The request in the path, for the signed-in staff member of its organization."""
    return access.request_for_staff(session, user, request_id)


@dataclass(frozen=True)
class AppliedJobs:
    """Jobs the candidate applied to, for an id from a body or a form (404 otherwise)."""

    user: User
    session: Session

    def get(self, job_id: int | str) -> Job:
        """The job, if the candidate applied to it; else 404."""
        return access.applied_job(self.session, self.user, _id(job_id))


async def applied_jobs(user: CandidateUser, session: SessionDep) -> AppliedJobs:
    """Look-ups of the calling candidate's applied jobs."""
    return AppliedJobs(user, session)


async def page_applied_jobs(user: PageCandidate, session: SessionDep) -> AppliedJobs:
    """Look-ups of the signed-in candidate's applied jobs."""
    return AppliedJobs(user, session)


def job_applicant(candidate_id: IdPath, job: WritableJob, session: SessionDep) -> User:
    """The candidate in the path, if they applied to the job the caller may change."""
    return access.applicant_of(session, job, candidate_id)


@dataclass(frozen=True)
class JobApplicants:
    """A job's applicants, for an id from a form (404 for anyone who did not apply)."""

    job: Job
    session: Session

    def get(self, candidate_id: int | str) -> User:
        """The applicant; else 404."""
        return access.applicant_of(self.session, self.job, _id(candidate_id))


async def page_job_applicants(job: PageWritableJob, session: SessionDep) -> JobApplicants:
    """Applicants of the job in the path, which the signed-in staff member may change."""
    return JobApplicants(job, session)


StaffRequest = Annotated[CandidateRequest, Depends(staff_request)]
PageStaffRequest = Annotated[CandidateRequest, Depends(page_staff_request)]
AppliedJobLookup = Annotated[AppliedJobs, Depends(applied_jobs)]
PageAppliedJobs = Annotated[AppliedJobs, Depends(page_applied_jobs)]
JobApplicant = Annotated[User, Depends(job_applicant)]
PageJobApplicants = Annotated[JobApplicants, Depends(page_job_applicants)]
