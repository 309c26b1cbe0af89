"""Jobs and applications: the state changes, each in the caller's transaction."""

from __future__ import annotations

import uuid

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.models import User
from hiresight.audit import service as audit
from hiresight.engagement.models import EngagementEvent, outcome_event
from hiresight.errors import AppError, ConflictError
from hiresight.jobs import access
from hiresight.jobs.models import Application, ApplicationStatus, Job, JobStatus
from hiresight.jobs.requirements import JobRequirements, parse_requirements
from hiresight.jobs.schemas import (
    ApplicationDecision,
    JobCreate,
    JobUpdate,
    RequirementsCorrection,
)

_OUTCOME_EVENTS = (ApplicationStatus.advanced, ApplicationStatus.hired, ApplicationStatus.rejected)


def get_all(session: Session, *, user: User, limit: int = 50, offset: int = 0) -> list[Job]:
    """The jobs the user may see, newest first."""
    stmt = (
        access.visible_jobs(user)
        .order_by(Job.created_at.desc(), Job.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(stmt))


def reparse(job: Job) -> None:
    """Parse the job's text into structured requirements (corrections are kept apart)."""
    job.parsed_requirements = parse_requirements(
        job.title, job.description, job.requirements, remote=job.remote,
        company=job.organization.name if job.organization else None,
    ).model_dump(mode="json")  # fmt: skip


def structured(job: Job) -> JobRequirements | None:
    """The job's requirements: the parse with the recruiter's corrections applied.

    A correction that does not fit (stored before corrections were validated, such as a null
    skill list) is skipped, so that one bad field never makes the job unreadable.
    """
    if job.parsed_requirements is None:
        return None
    merged = {**job.parsed_requirements, **job.requirement_overrides}
    try:
        return JobRequirements.model_validate(merged)
    except ValidationError:
        kept = dict(job.parsed_requirements)
        for field, value in job.requirement_overrides.items():
            try:
                JobRequirements.model_validate({**kept, field: value})
            except ValidationError:
                continue
            kept[field] = value
        return JobRequirements.model_validate(kept)


def create(session: Session, *, actor: User, data: JobCreate) -> Job:
    """Post a job for the actor's organization."""
    assert actor.organization_id is not None  # guaranteed by the StaffUser dependency
    job = Job(organization_id=actor.organization_id, created_by_id=actor.id, **data.model_dump())
    if actor.organization is not None:  # its name is not a skill (reparse)
        job.organization = actor.organization
    reparse(job)
    session.add(job)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        organization_id=actor.organization_id,
        action="job.create",
        entity_type="job",
        entity_id=job.id,
    )
    return job


def update(session: Session, *, actor: User, job: Job, data: JobUpdate) -> Job:
    """Change a job's fields; the salary range must stay ordered."""
    changes = data.model_dump(exclude_unset=True)
    for field, value in changes.items():
        if value is None and field not in ("salary_min", "salary_max"):
            continue
        setattr(job, field, value)
    if (
        job.salary_min is not None
        and job.salary_max is not None
        and job.salary_min > job.salary_max
    ):
        raise AppError("salary_min must not exceed salary_max.", code="invalid_salary_range")
    if changes.keys() & {"title", "description", "requirements", "remote"}:
        reparse(job)
    audit.record(
        session,
        actor_id=actor.id,
        organization_id=actor.organization_id,
        action="job.update",
        entity_type="job",
        entity_id=job.id,
        details={"fields": sorted(changes)},
    )
    return job


def correct_requirements(
    session: Session, *, actor: User, job: Job, correction: RequirementsCorrection
) -> Job:
    """Record a recruiter's correction of the parsed requirements (kept across re-parses)."""
    changes = correction.model_dump(exclude_unset=True)
    job.requirement_overrides = {**job.requirement_overrides, **changes}
    if job.parsed_requirements is None:
        reparse(job)
    audit.record(
        session,
        actor_id=actor.id,
        organization_id=actor.organization_id,
        action="job.correct_requirements",
        entity_type="job",
        entity_id=job.id,
        details={"fields": sorted(changes)},
    )
    return job


def apply(session: Session, *, candidate: User, job: Job) -> Application:
    """A candidate applies to an open job, once, and the application joins the engagement log.

    The one way to apply (API and dashboard alike). A refused application (closed job, or
    applied already) records nothing.
    """
    if job.status is not JobStatus.open:
        raise AppError("This job is not open for applications.", code="job_not_open")
    existing = session.scalar(
        select(Application).where(
            Application.candidate_id == candidate.id, Application.job_id == job.id
        )
    )
    if existing is not None:
        raise ConflictError("You have already applied to this job.", code="already_applied")
    application = Application(candidate_id=candidate.id, job_id=job.id)
    session.add(application)
    # Applying is the strongest engagement signal the recommender learns from. The row is made
    # here rather than through engagement's record_event: a fresh server-made id can never be a
    # repeat, so none of that function's checks apply.
    session.add(EngagementEvent(
        event_id=uuid.uuid4().hex, candidate_id=candidate.id, job_id=job.id, kind="apply",
    ))  # fmt: skip
    session.flush()
    audit.record(
        session,
        actor_id=candidate.id,
        action="application.create",
        entity_type="application",
        entity_id=application.id,
        organization_id=job.organization_id,
    )
    return application


def get_for_job(session: Session, *, job: Job) -> list[Application]:
    """The applications to one job, oldest first."""
    stmt = select(Application).where(Application.job_id == job.id).order_by(Application.id)
    return list(session.scalars(stmt))


def get_for_candidate(session: Session, *, candidate: User) -> list[Application]:
    """A candidate's own applications, newest first."""
    stmt = (
        select(Application)
        .where(Application.candidate_id == candidate.id)
        .order_by(Application.id.desc())
    )
    return list(session.scalars(stmt))


def decide(
    session: Session, *, actor: User, application: Application, decision: ApplicationDecision
) -> Application:
    """A recruiter moves an application; every decision is audited with its note."""
    if decision.status is ApplicationStatus.withdrawn:
        raise AppError("Only the candidate can withdraw.", code="invalid_status")
    previous = application.status
    application.status = decision.status
    if decision.status in _OUTCOME_EVENTS and decision.status is not previous:
        # Hiring outcomes feed the recommender's engagement log (and its experiment reports).
        session.add(outcome_event(
            candidate_id=application.candidate_id, job_id=application.job_id,
            kind=decision.status.value,
        ))  # fmt: skip
    audit.record(
        session,
        actor_id=actor.id,
        organization_id=actor.organization_id,
        action="application.decide",
        entity_type="application",
        entity_id=application.id,
        details={"from": previous.value, "to": decision.status.value, "note": decision.note},
    )
    return application
