"""Authorization policy: the one place that decides who may see or change which record.

Handlers never check roles or organizations themselves; they receive records through the
dependencies in `deps.py`, which call these functions. A record the caller may not see answers
404, exactly like a record that does not exist, so a cross-tenant probe learns nothing.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, Select, exists, false, func, or_, select
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role, User
from hiresight.errors import ForbiddenError, NotFoundError
from hiresight.interviews.models import InterviewSession, InterviewTemplate, StageAttempt
from hiresight.jobs.models import Application, Job, JobStatus
from hiresight.profiles.models import CandidateProfile
from hiresight.tasks.models import PendingWork


def is_staff(user: User) -> bool:
    """Recruiters and admins act for their organization."""
    return user.role in (Role.recruiter, Role.admin) and user.organization_id is not None


def require_role(user: User, *roles: Role) -> None:
    """Refuse a caller whose role is not one of `roles` (403: the caller knows their own role)."""
    if user.role not in roles:
        allowed = ", ".join(r.value for r in roles)
        raise ForbiddenError(f"This action needs one of these roles: {allowed}.")


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


def interview_for_owner(session: Session, user: User, interview_id: int) -> InterviewSession:
    """A session the caller may take part in: their own, or 404."""
    interview = session.get(InterviewSession, interview_id)
    if interview is None or interview.candidate_id != user.id:
        raise NotFoundError("No such interview.")
    return interview


def attempt_for_owner(session: Session, user: User, attempt_id: int) -> StageAttempt:
    """A stage attempt of the caller's own, or 404."""
    attempt = session.get(StageAttempt, attempt_id)
    if attempt is None or attempt.candidate_id != user.id:
        raise NotFoundError("No such attempt.")
    return attempt


def template_for_staff(session: Session, user: User, template_id: int) -> InterviewTemplate:
    """An interview template of the caller's organization, or 404."""
    template = session.get(InterviewTemplate, template_id)
    if template is None or not is_staff(user) or template.organization_id != user.organization_id:
        raise NotFoundError("No such template.")
    return template


def template_for_session(session: Session, user: User, template_id: int) -> InterviewTemplate:
    """A template a candidate may start: one of an organization whose open job they may see."""
    template = session.get(InterviewTemplate, template_id)
    if template is None:
        raise NotFoundError("No such template.")
    if is_staff(user) and template.organization_id == user.organization_id:
        return template
    open_job = session.scalar(
        select(Job.id).where(
            Job.organization_id == template.organization_id, Job.status == JobStatus.open
        )
    )
    if user.role is Role.candidate and open_job is not None:
        return template
    raise NotFoundError("No such template.")


def candidate_for_staff(session: Session, user: User, candidate_id: int) -> User:
    """A candidate whose results the staff member may read: an applicant to their org, or 404."""
    if not is_staff(user) or session.scalar(candidate_visible_to(user, candidate_id)) is None:
        raise NotFoundError("No such candidate.")
    candidate = session.get(User, candidate_id)
    assert candidate is not None  # the visibility query found it
    return candidate


def results_shared_with(organization_id: int) -> ColumnElement[bool]:
    """Which interview sessions' results an organization may read (a filter on sessions).

    A session belongs to the organization of its job, else of its template; one with neither
    is the shared screening, which every organization the candidate applies to may read. An
    interview taken for another organization's job, or on its template, stays with that
    organization.
    """
    owner = func.coalesce(
        select(Job.organization_id).where(Job.id == InterviewSession.job_id).scalar_subquery(),
        select(InterviewTemplate.organization_id)
        .where(InterviewTemplate.id == InterviewSession.template_id)
        .scalar_subquery(),
    )
    return or_(owner.is_(None), owner == organization_id)


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


def visible_pending_work(user: User) -> Select[PendingWork]:
    """Background work an admin may see: on interviews run on their organization's template or
    for their organization's job. Others see none."""
    if user.role is not Role.admin or user.organization_id is None:
        return select(PendingWork).where(false())
    org_sessions = (
        select(InterviewSession.id)
        .outerjoin(InterviewTemplate, InterviewSession.template_id == InterviewTemplate.id)
        .outerjoin(Job, InterviewSession.job_id == Job.id)
        .where(
            or_(
                InterviewTemplate.organization_id == user.organization_id,
                Job.organization_id == user.organization_id,
            )
        )
    )
    attempts = select(StageAttempt.id).where(StageAttempt.session_id.in_(org_sessions))
    return select(PendingWork).where(PendingWork.attempt_id.in_(attempts))


def pending_work_for_admin(session: Session, user: User, work_id: int) -> PendingWork:
    """Background work of the admin's organization, or 404."""
    work = session.scalar(visible_pending_work(user).where(PendingWork.id == work_id))
    if work is None:
        raise NotFoundError("No such background work.")
    return work
