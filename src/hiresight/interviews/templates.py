"""Interview templates: the organization's and the job's, with the shipped default as fallback."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.models import User
from hiresight.audit import service as audit
from hiresight.interviews.models import InterviewTemplate
from hiresight.interviews.schemas import TemplateCreate, TemplateUpdate
from hiresight.jobs import access as job_access
from hiresight.jobs.models import Job


def get_all(session: Session, *, user: User) -> list[InterviewTemplate]:
    """The templates of the user's organization."""
    stmt = (
        select(InterviewTemplate)
        .where(InterviewTemplate.organization_id == user.organization_id)
        .order_by(InterviewTemplate.id)
    )
    return list(session.scalars(stmt))


def create(session: Session, *, actor: User, data: TemplateCreate) -> InterviewTemplate:
    """A new template; a job-specific one must be for the actor's organization's job."""
    assert actor.organization_id is not None  # guaranteed by the StaffUser dependency
    if data.job_id is not None:
        job_access.job_for_write(session, actor, data.job_id)
    template = InterviewTemplate(
        organization_id=actor.organization_id,
        job_id=data.job_id,
        name=data.name,
        config=data.config.model_dump(mode="json"),
    )
    session.add(template)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        organization_id=actor.organization_id,
        action="template.create",
        entity_type="interview_template",
        entity_id=template.id,
    )
    return template


def update(
    session: Session, *, actor: User, template: InterviewTemplate, data: TemplateUpdate
) -> InterviewTemplate:
    """Rename or reconfigure a template; sessions keep the snapshot they started with."""
    if data.name is not None:
        template.name = data.name
    if data.config is not None:
        template.config = data.config.model_dump(mode="json")
    audit.record(
        session,
        actor_id=actor.id,
        organization_id=actor.organization_id,
        action="template.update",
        entity_type="interview_template",
        entity_id=template.id,
    )
    return template


def for_job(session: Session, *, job: Job) -> InterviewTemplate | None:
    """The job's own template, else the newest organization-wide one, else None (the default)."""
    own = session.scalar(
        select(InterviewTemplate)
        .where(InterviewTemplate.job_id == job.id)
        .order_by(InterviewTemplate.id.desc())
    )
    if own is not None:
        return own
    return session.scalar(
        select(InterviewTemplate)
        .where(
            InterviewTemplate.organization_id == job.organization_id,
            InterviewTemplate.job_id.is_(None),
        )
        .order_by(InterviewTemplate.id.desc())
    )
