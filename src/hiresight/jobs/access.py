"""Access policy for jobs, applications and the candidates behind them.

A recruiter sees the candidates who applied to one of their organization's jobs, and nobody
else; a candidate sees open jobs and their own applications. A record the caller may not see
answers 404, exactly like a record that does not exist, so a cross-tenant probe learns nothing.
Handlers receive these records through `jobs/deps.py`; services scope their queries here.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Select, exists, false, select
from sqlalchemy.orm import Session

from hiresight.accounts.access import is_staff
from hiresight.accounts.models import Role, User
from hiresight.errors import ForbiddenError, NotFoundError
from hiresight.jobs.models import Application, Job, JobStatus
from hiresight.profiles.models import CandidateProfile


def visible_jobs(user: User) -> Select[Job]:
    """Jobs the user may list: staff see their organization's, candidates see open jobs."""
    stmt = select(Job)
    if is_staff(user):
        return stmt.where(Job.organization_id == user.organization_id)
    return stmt.where(Job.status == JobStatus.open)


def job_for_read(session: Session, user: User, job_id: int) -> Job:
    """A job the user may read, or 404."""
    job = session.scalar(visible_jobs(user).where(Job.id == job_id))
    if job is None:
        raise NotFoundError("No such job.")
    return job


def job_for_write(session: Session, user: User, job_id: int) -> Job:
    """A job the user may change: staff of its organization only; others get 404 or 403."""
    job = job_for_read(session, user, job_id)
    if not is_staff(user):
        raise ForbiddenError("Only the organization's recruiters can change a job.")
    return job


def candidate_visible_to(user: User, candidate_id: int) -> Select[int]:
    """A query that yields the candidate id when the user may see that candidate."""
    stmt = select(User.id).where(User.id == candidate_id, User.role == Role.candidate)
    if user.role is Role.candidate:
        return stmt.where(User.id == user.id)
    if is_staff(user):
        applied_here = exists().where(
            Application.candidate_id == User.id,
            Application.job_id == Job.id,
            Job.organization_id == user.organization_id,
        )
        return stmt.where(applied_here)
    return stmt.where(false())


def profile_for_read(session: Session, user: User, candidate_id: int) -> CandidateProfile:
    """A candidate's profile the user may read: their own, or an applicant to the user's org."""
    if session.scalar(candidate_visible_to(user, candidate_id)) is None:
        raise NotFoundError("No such candidate.")
    profile = session.scalar(
        select(CandidateProfile).where(CandidateProfile.user_id == candidate_id)
    )
    if profile is None:
        raise NotFoundError("No such candidate.")
    return profile


def candidate_for_staff(session: Session, user: User, candidate_id: int) -> User:
    """A candidate whose results the staff member may read: an applicant to their org, or 404."""
    if not is_staff(user) or session.scalar(candidate_visible_to(user, candidate_id)) is None:
        raise NotFoundError("No such candidate.")
    candidate = session.get(User, candidate_id)
    assert candidate is not None  # the visibility query found it
    return candidate


def application_for_read(session: Session, user: User, application_id: int) -> Application:
    """An application the user may read: the candidate's own, or one to the user's org's job."""
    app = session.get(Application, application_id)
    if app is None:
        raise NotFoundError("No such application.")
    if user.role is Role.candidate and app.candidate_id == user.id:
        return app
    if is_staff(user) and app.job.organization_id == user.organization_id:
        return app
    raise NotFoundError("No such application.")


def application_for_decision(session: Session, user: User, application_id: int) -> Application:
    """An application whose status the user may change: staff of the job's organization."""
    app = application_for_read(session, user, application_id)
    if not is_staff(user):
        raise ForbiddenError("Only the organization's recruiters decide on applications.")
    return app


def applicant_ids(
    session: Session, organization_id: int, candidate_ids: Collection[int]
) -> set[int]:
    """Those of `candidate_ids` who applied to one of the organization's jobs."""
    if not candidate_ids:
        return set()
    stmt = (
        select(Application.candidate_id)
        .join(Job, Application.job_id == Job.id)
        .where(Job.organization_id == organization_id, Application.candidate_id.in_(candidate_ids))
    )
    return set(session.scalars(stmt))


def job_application(
    session: Session, user: User, candidate: User, job_id: int
) -> Application | None:
    """The candidate's application to a job of the staff member's organization (404 for a job
    the user may not change, so probing job ids reveals nothing)."""
    job = job_for_write(session, user, job_id)
    return session.scalar(
        select(Application).where(
            Application.job_id == job.id, Application.candidate_id == candidate.id
        )
    )
