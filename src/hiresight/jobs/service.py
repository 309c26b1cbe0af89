"""Jobs and applications: the state changes, each in the caller's transaction."""

from __future__ import annotations

import dataclasses
import uuid
from collections import Counter
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.models import User
from hiresight.audit import service as audit
from hiresight.engagement.models import EngagementEvent, outcome_event
from hiresight.errors import AppError, ConflictError
from hiresight.jobs import access, pipeline
from hiresight.jobs.models import (
    Application,
    ApplicationMove,
    ApplicationStatus,
    Job,
    JobStatus,
    PanelScorecard,
)
from hiresight.jobs.panels import COMPETENCIES
from hiresight.jobs.pipeline import Stage, StageSpec
from hiresight.jobs.requirements import PARSER_VERSION, JobRequirements, parse_requirements
from hiresight.jobs.schemas import (
    ApplicationDecision,
    ApplicationMoveCreate,
    JobCreate,
    JobUpdate,
    PanelScorecardWrite,
    PipelineBoard,
    PipelineColumn,
    RequirementsCorrection,
)
from hiresight.webhooks import service as webhooks

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
    job.parsed_requirements = _parsed(job)


def _parsed(job: Job) -> dict[str, object]:
    return parse_requirements(
        job.title, job.description, job.requirements, remote=job.remote,
        company=job.organization.name if job.organization else None,
    ).model_dump(mode="json")  # fmt: skip


@dataclass
class ReparseReport:
    """What `reparse_stored` found: jobs checked, their parser versions, those re-parsed."""

    checked: int = 0
    reparsed: int = 0
    changed: int = 0  # re-parsed jobs whose requirements came out different
    versions: Counter[str] = dataclasses.field(default_factory=Counter)  # "none": never parsed


def reparse_stored(
    session: Session, *, include_current: bool = False, dry_run: bool = False
) -> ReparseReport:
    """Parse again the stored jobs an older requirements parser read (every job with
    `include_current`); corrections are kept apart, so they apply to the new parse too.
    With `dry_run` the counts are the same and nothing is written."""
    report = ReparseReport()
    for job in session.scalars(select(Job).order_by(Job.id)):
        version = str((job.parsed_requirements or {}).get("parser_version") or "none")
        report.checked += 1
        report.versions[version] += 1
        if version == PARSER_VERSION and not include_current:
            continue
        before = job.parsed_requirements
        report.reparsed += 1
        if dry_run:
            report.changed += _parsed(job) != before
            continue
        reparse(job)
        report.changed += job.parsed_requirements != before
    session.flush()
    return report


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
    job = Job(
        organization_id=actor.organization_id,
        created_by_id=actor.id,
        **data.model_dump(exclude={"pipeline"}),
    )
    if data.pipeline is not None:
        job.pipeline = pipeline.to_json(pipeline.build(data.pipeline))
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
        if field == "pipeline" or (value is None and field not in ("salary_min", "salary_max")):
            continue
        setattr(job, field, value)
    if data.pipeline is not None:
        set_pipeline(session, job=job, specs=data.pipeline)
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
    application = Application(candidate_id=candidate.id, job_id=job.id, stage=stages(job)[0].key)
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


def _set_status(session: Session, application: Application, status: ApplicationStatus) -> None:
    if status in _OUTCOME_EVENTS and status is not application.status:
        # Hiring outcomes feed the recommender's engagement log (and its experiment reports).
        session.add(outcome_event(
            candidate_id=application.candidate_id, job_id=application.job_id, kind=status.value,
        ))  # fmt: skip
    application.status = status


def _record_move(
    session: Session,
    *,
    actor: User,
    application: Application,
    action: str,
    to_stage: str,
    to_status: ApplicationStatus,
    note: str,
) -> None:
    """Apply a move and record it twice: the move history and the audit log, one transaction."""
    from_stage, from_status = application.stage, application.status
    _set_status(session, application, to_status)
    application.stage = to_stage
    session.add(ApplicationMove(
        application_id=application.id, actor_id=actor.id, action=action, from_stage=from_stage,
        to_stage=to_stage, from_status=from_status.value, to_status=to_status.value, note=note,
    ))  # fmt: skip
    details: dict[str, str] = {"from": from_status.value, "to": to_status.value, "note": note}
    if action != "decide":  # a pipeline move also names the stages
        details |= {"action": action, "from_stage": from_stage, "to_stage": to_stage}
    audit.record(
        session,
        actor_id=actor.id,
        organization_id=actor.organization_id,
        action="application.decide",
        entity_type="application",
        entity_id=application.id,
        details=details,
    )
    # The receiver learns the outcome, not the recruiter's note (it may name the candidate).
    webhooks.emit(
        session,
        organization_id=application.job.organization_id,
        event_type=webhooks.APPLICATION_DECIDED,
        data={
            "application_id": application.id,
            "job_id": application.job_id,
            "candidate_id": application.candidate_id,
            "action": action,
            "from_stage": from_stage,
            "to_stage": to_stage,
            "from_status": from_status.value,
            "to_status": to_status.value,
            "decided_by": actor.id,
        },
    )


def decide(
    session: Session, *, actor: User, application: Application, decision: ApplicationDecision
) -> Application:
    """A recruiter changes an application's status at its stage; audited with its note."""
    if decision.status is ApplicationStatus.withdrawn:
        raise AppError("Only the candidate can withdraw.", code="invalid_status")
    _record_move(
        session, actor=actor, application=application, action="decide",
        to_stage=application.stage, to_status=decision.status, note=decision.note,
    )  # fmt: skip
    return application


def stages(job: Job) -> list[Stage]:
    """The job's pipeline, first stage first."""
    return pipeline.from_json(job.pipeline)


def set_pipeline(session: Session, *, job: Job, specs: list[StageSpec]) -> None:
    """Replace the job's pipeline; a stage that applications are at now cannot be dropped."""
    new = pipeline.to_json(pipeline.build(specs))
    kept = {stage["key"] for stage in new}
    in_use = sorted(
        set(session.scalars(select(Application.stage).where(Application.job_id == job.id))) - kept
    )
    if in_use:
        raise ConflictError(
            "Applications are at a stage this pipeline drops; move them first.",
            code="stage_in_use",
            details={"stages": in_use},
        )
    job.pipeline = new


def move(
    session: Session, *, actor: User, application: Application, data: ApplicationMoveCreate
) -> Application:
    """A recruiter moves an application along its job's pipeline, with a note (audited).

    Nothing moves by itself: this is the one way an application changes stage.
    """
    if application.status is ApplicationStatus.withdrawn:
        raise ConflictError(
            "The candidate withdrew this application.", code="application_withdrawn"
        )
    keys = [s.key for s in stages(application.job)]
    # An application left at a stage its pipeline no longer has counts as at the start.
    here = keys.index(application.stage) if application.stage in keys else 0
    target, status = application.stage, application.status
    if data.action == "advance":
        if here + 1 >= len(keys):
            raise ConflictError("This is the pipeline's last stage.", code="no_next_stage")
        target, status = keys[here + 1], ApplicationStatus.advanced
    elif data.action == "back":
        if here == 0:
            raise ConflictError("This is the pipeline's first stage.", code="no_previous_stage")
        target, status = keys[here - 1], ApplicationStatus.interviewing
    elif data.action == "move":
        if data.to_stage not in keys:
            raise AppError(
                "No such stage in this job's pipeline.",
                code="unknown_stage",
                status_code=422,
                details={"stages": keys},
            )
        if data.to_stage == application.stage:
            raise ConflictError("The application is at that stage already.", code="same_stage")
        target = data.to_stage
        forward = keys.index(target) > here
        status = ApplicationStatus.advanced if forward else ApplicationStatus.interviewing
    elif data.action == "hold":
        status = ApplicationStatus.on_hold
    elif data.action == "reject":
        status = ApplicationStatus.rejected
    else:  # hire
        if application.stage != keys[-1]:
            raise ConflictError(
                "A candidate is hired at the pipeline's last stage.", code="not_at_last_stage"
            )
        status = ApplicationStatus.hired
    _record_move(
        session, actor=actor, application=application, action=data.action, to_stage=target,
        to_status=status, note=data.note,
    )  # fmt: skip
    return application


def get_moves(session: Session, *, application: Application) -> list[ApplicationMove]:
    """An application's recorded moves, oldest first."""
    stmt = (
        select(ApplicationMove)
        .where(ApplicationMove.application_id == application.id)
        .order_by(ApplicationMove.id)
    )
    return list(session.scalars(stmt))


_OUT = (ApplicationStatus.rejected, ApplicationStatus.withdrawn)


def board(session: Session, *, job: Job) -> PipelineBoard:
    """The job's pipeline as columns: who is at each stage, and the per-stage funnel.

    A stage is reached by an application that is or was at it or at a later stage; it moved
    on when it reached the next one (at the last stage: when hired).
    """
    job_stages = stages(job)
    index = {s.key: i for i, s in enumerate(job_stages)}
    apps = get_for_job(session, job=job)
    furthest = {a.id: index.get(a.stage, 0) for a in apps}
    history = session.execute(
        select(ApplicationMove.application_id, ApplicationMove.to_stage)
        .join(Application, ApplicationMove.application_id == Application.id)
        .where(Application.job_id == job.id)
    )
    for app_id, to_stage in history:
        if to_stage in index:
            furthest[app_id] = max(furthest[app_id], index[to_stage])
    hired = sum(1 for a in apps if a.status is ApplicationStatus.hired)
    columns = []
    for i, stage in enumerate(job_stages):
        here = [a.id for a in apps if index.get(a.stage, 0) == i and a.status not in _OUT]
        reached = sum(1 for f in furthest.values() if f >= i)
        moved_on = hired if i == len(job_stages) - 1 else sum(1 for f in furthest.values() if f > i)
        columns.append(PipelineColumn(
            key=stage.key, kind=stage.kind, panel_kind=stage.panel_kind, title=stage.title,
            count=len(here), application_ids=here, reached=reached, moved_on=moved_on,
        ))  # fmt: skip
    return PipelineBoard(
        job_id=job.id,
        stages=columns,
        rejected=sum(1 for a in apps if a.status is ApplicationStatus.rejected),
        withdrawn=sum(1 for a in apps if a.status is ApplicationStatus.withdrawn),
    )


def save_panel_scorecard(
    session: Session,
    *,
    actor: User,
    application: Application,
    stage_key: str,
    data: PanelScorecardWrite,
) -> PanelScorecard:
    """Store the actor's scorecard of the application at a panel stage (one per interviewer,
    replaced when filled again); every competency of the panel's kind is rated. Audited."""
    stage = next((s for s in stages(application.job) if s.key == stage_key), None)
    if stage is None or stage.panel_kind is None:
        raise AppError(
            "No such panel interview in this job's pipeline.",
            code="not_a_panel_stage",
            status_code=422,
        )
    expected = sorted(COMPETENCIES[stage.panel_kind])
    if sorted(data.ratings) != expected:
        raise AppError(
            "Rate exactly the competencies of this panel.",
            code="invalid_competencies",
            status_code=422,
            details={"expected": expected},
        )
    card = session.scalar(
        select(PanelScorecard).where(
            PanelScorecard.application_id == application.id,
            PanelScorecard.stage == stage_key,
            PanelScorecard.interviewer_id == actor.id,
        )
    )
    if card is None:
        card = PanelScorecard(
            application_id=application.id, stage=stage_key, interviewer_id=actor.id
        )
        session.add(card)
    card.ratings = {name: r.model_dump() for name, r in sorted(data.ratings.items())}
    card.summary = data.summary
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        organization_id=actor.organization_id,
        action="panel_scorecard.save",
        entity_type="application",
        entity_id=application.id,
        details={"stage": stage_key},
    )
    return card


def get_panel_scorecards(session: Session, *, application: Application) -> list[PanelScorecard]:
    """The application's panel scorecards, by stage then interviewer."""
    stmt = (
        select(PanelScorecard)
        .where(PanelScorecard.application_id == application.id)
        .order_by(PanelScorecard.stage, PanelScorecard.interviewer_id)
    )
    return list(session.scalars(stmt))
