"""Access policy for candidate requests and accommodations.

A candidate sees their own requests; staff see the requests addressed to their organization,
and those on the shared screening of a candidate who applied to it (as they see its results).
Anything else answers 404, like a record that does not exist.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, exists, false, or_, select
from sqlalchemy.orm import Session

from hiresight.accounts.access import is_staff
from hiresight.accounts.models import Role, User
from hiresight.appeals.models import CandidateRequest
from hiresight.errors import NotFoundError
from hiresight.jobs.models import Application, Job


def visible_requests(user: User) -> Select[CandidateRequest]:
    """The requests a staff member may read and resolve (none for anyone else)."""
    stmt = select(CandidateRequest)
    if not is_staff(user) or user.organization_id is None:
        return stmt.where(false())
    applied_here = exists().where(
        Application.candidate_id == CandidateRequest.candidate_id,
        Application.job_id == Job.id,
        Job.organization_id == user.organization_id,
    )
    return stmt.where(
        or_(
            CandidateRequest.organization_id == user.organization_id,
            and_(CandidateRequest.organization_id.is_(None), applied_here),
        )
    )


def request_for_staff(session: Session, user: User, request_id: int) -> CandidateRequest:
    """A request addressed to the staff member's organization, or 404."""
    found = session.scalar(visible_requests(user).where(CandidateRequest.id == request_id))
    if found is None:
        raise NotFoundError("No such request.")
    return found


def request_for_owner(session: Session, user: User, request_id: int) -> CandidateRequest:
    """The caller's own request, or 404."""
    found = session.get(CandidateRequest, request_id)
    if found is None or found.candidate_id != user.id:
        raise NotFoundError("No such request.")
    return found


def applied_job(session: Session, candidate: User, job_id: int) -> Job:
    """A job the candidate applied to, or 404."""
    job = session.scalar(
        select(Job)
        .join(Application, Application.job_id == Job.id)
        .where(Job.id == job_id, Application.candidate_id == candidate.id)
    )
    if candidate.role is not Role.candidate or job is None:
        raise NotFoundError("No such job.")
    return job


def applicant_of(session: Session, job: Job, candidate_id: int) -> User:
    """A candidate who applied to the job (the caller may already change the job), or 404."""
    candidate = session.scalar(
        select(User)
        .join(Application, Application.candidate_id == User.id)
        .where(User.id == candidate_id, Application.job_id == job.id)
    )
    if candidate is None:
        raise NotFoundError("No such candidate.")
    return candidate
