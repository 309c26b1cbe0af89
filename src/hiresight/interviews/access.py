"""Access policy for interviews: sessions, attempts, templates, their results and their work.

A candidate takes part only in their own interviews; staff manage their organization's
templates and read the results their organization may see. A record the caller may not see
answers 404, exactly like a record that does not exist. Handlers receive these records through
`interviews/deps.py`; services and read models scope their queries here.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, func, or_, select
from sqlalchemy.orm import Session

from hiresight.accounts.access import is_staff
from hiresight.accounts.models import Role, User
from hiresight.errors import NotFoundError
from hiresight.interviews.models import InterviewSession, InterviewTemplate, StageAttempt
from hiresight.jobs.models import Job, JobStatus
from hiresight.tasks.models import PendingWork


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
