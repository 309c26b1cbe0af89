"""Self-identification (the candidate's own, voluntary answers) and the fairness audit's data.

The audit counts applications, not people: a candidate who applied to two jobs of an
organization is two units of its organization-wide audit. Definitions (docs/compliance.md):

- completed: the candidate finished (session `completed`, not practice) an AI screening
  interview whose results the job's organization may read, taken for this job or not tied to
  any job (the shared screening, or one on the organization's own template);
- advanced: a person moved the application past the pipeline's AI screening stage (the first
  stage when it has none), or decided it advanced or hired, at any time (a later rejection
  does not undo having been selected at the screening);
- score: the candidate's overall score as the organization's scorecard shows it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from hiresight.accounts.models import Organization, User
from hiresight.audit import service as audit
from hiresight.db import utcnow
from hiresight.engagement.models import EngagementEvent
from hiresight.errors import AppError
from hiresight.fairness import report
from hiresight.fairness.models import SelfIdentification
from hiresight.fairness.report import Screened, Unit
from hiresight.fairness.schemas import FairnessReport, SelfIdentificationWrite
from hiresight.interviews.access import results_shared_with
from hiresight.interviews.models import InterviewSession, SessionState
from hiresight.interviews.scores import overall_scores
from hiresight.jobs import pipeline
from hiresight.jobs.models import Application, ApplicationMove, ApplicationStatus, Job

_SELECTED = (ApplicationStatus.advanced.value, ApplicationStatus.hired.value)


# --- self-identification -------------------------------------------------------------------


def get_self_identification(session: Session, *, candidate: User) -> SelfIdentification | None:
    """The candidate's own answers, or None when they gave none."""
    return session.scalar(
        select(SelfIdentification).where(SelfIdentification.candidate_id == candidate.id)
    )


def set_self_identification(
    session: Session, *, candidate: User, data: SelfIdentificationWrite
) -> SelfIdentification:
    """Store (or change) the candidate's answers. The audit log records that they changed,
    never what they are."""
    row = get_self_identification(session, candidate=candidate)
    if row is None:
        row = SelfIdentification(candidate_id=candidate.id)
        try:
            with session.begin_nested():  # two first answers at once: the second updates
                session.add(row)
                session.flush()
        except IntegrityError:
            row = get_self_identification(session, candidate=candidate)
            assert row is not None
    row.sex, row.race_ethnicity = data.sex, data.race_ethnicity
    row.updated_at = utcnow()
    session.flush()
    audit.record(
        session, actor_id=candidate.id, organization_id=None,
        action="self_identification.update", entity_type="user", entity_id=candidate.id,
    )  # fmt: skip
    return row


def withdraw_self_identification(session: Session, *, candidate: User) -> None:
    """Erase the candidate's answers (nothing is kept; later audits count them as unknown)."""
    row = get_self_identification(session, candidate=candidate)
    if row is None:
        return
    session.delete(row)
    session.flush()
    audit.record(
        session, actor_id=candidate.id, organization_id=None,
        action="self_identification.withdraw", entity_type="user", entity_id=candidate.id,
    )  # fmt: skip


# --- the audit -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditScope:
    """What an audit covers: an organization, or one of its jobs, and an optional period of
    application (and impression) dates, both days included."""

    organization: Organization
    job: Job | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def make_scope(
    organization: Organization,
    job: Job | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> AuditScope:
    """A scope, refusing a period that ends before it starts (422)."""
    if date_from and date_to and date_from > date_to:
        raise AppError("The period ends before it starts.", code="invalid_period", status_code=422)
    return AuditScope(organization, job, date_from, date_to)


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def _within(
    column: InstrumentedAttribute[dt.datetime], scope: AuditScope
) -> list[ColumnElement[bool]]:
    """Conditions keeping a timestamp column inside the scope's days."""
    conditions = []
    if scope.date_from:
        conditions.append(column >= _start(scope.date_from))
    if scope.date_to:
        conditions.append(column < _start(scope.date_to + dt.timedelta(days=1)))
    return conditions


def _jobs_in(scope: AuditScope) -> ColumnElement[bool]:
    if scope.job is not None:
        return Job.id == scope.job.id
    return Job.organization_id == scope.organization.id


def _screening_index(job: Job) -> int:
    """Where the AI screening sits in the job's pipeline (the first stage when it has none)."""
    kinds = [stage.kind for stage in pipeline.from_json(job.pipeline)]
    return (
        kinds.index(pipeline.StageType.ai_screening)
        if pipeline.StageType.ai_screening in kinds
        else 0
    )


def _advanced(session: Session, apps: list[Application]) -> set[int]:
    """The applications a person moved past the screening stage, or decided advanced or hired.

    A move forward also sets the status `advanced`, even onto a stage before the screening,
    so statuses count from decisions and hires alone; an application without any recorded
    move (loaded from elsewhere) counts by its status.
    """
    moves: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    ids = [a.id for a in apps]
    for chunk in range(0, len(ids), 500):
        rows = session.execute(
            select(
                ApplicationMove.application_id,
                ApplicationMove.action,
                ApplicationMove.to_stage,
                ApplicationMove.to_status,
            ).where(ApplicationMove.application_id.in_(ids[chunk : chunk + 500]))
        )
        for app_id, action, to_stage, to_status in rows:
            moves[app_id].append((action, to_stage, to_status))
    advanced = set()
    for app in apps:
        keys = [stage.key for stage in pipeline.from_json(app.job.pipeline)]
        screening = _screening_index(app.job)
        stages = {app.stage, *(stage for _, stage, _ in moves[app.id])}
        past = any(stage in keys and keys.index(stage) > screening for stage in stages)
        decided = any(
            action in ("decide", "hire") and status in _SELECTED
            for action, _, status in moves[app.id]
        )
        unrecorded = not moves[app.id] and app.status.value in _SELECTED
        if past or decided or unrecorded:
            advanced.add(app.id)
    return advanced


def _completed(session: Session, scope: AuditScope, apps: list[Application]) -> set[int]:
    """The applications whose candidate finished an AI screening interview for them."""
    candidates = sorted({a.candidate_id for a in apps})
    finished: set[tuple[int, int | None]] = set()
    for chunk in range(0, len(candidates), 500):
        rows = session.execute(
            select(InterviewSession.candidate_id, InterviewSession.job_id)
            .where(
                InterviewSession.candidate_id.in_(candidates[chunk : chunk + 500]),
                InterviewSession.practice.is_(False),
                InterviewSession.state == SessionState.completed,
                results_shared_with(scope.organization.id),
            )
            .distinct()
        )
        finished.update((cand, job) for cand, job in rows)
    return {
        a.id
        for a in apps
        if (a.candidate_id, a.job_id) in finished or (a.candidate_id, None) in finished
    }


def _identities(session: Session, candidate_ids: set[int]) -> dict[int, SelfIdentification]:
    ids = sorted(candidate_ids)
    found: dict[int, SelfIdentification] = {}
    for chunk in range(0, len(ids), 500):
        stmt = select(SelfIdentification).where(
            SelfIdentification.candidate_id.in_(ids[chunk : chunk + 500])
        )
        found.update((row.candidate_id, row) for row in session.scalars(stmt))
    return found


def screened(session: Session, scope: AuditScope) -> list[Screened]:
    """Every application in scope with its self-identification, completion, advance and
    overall score."""
    apps = list(
        session.scalars(
            select(Application)
            .join(Job, Application.job_id == Job.id)
            .where(_jobs_in(scope), *_within(Application.created_at, scope))
            .order_by(Application.id)
        )
    )
    completed = _completed(session, scope, apps)
    advanced = _advanced(session, apps)
    identities = _identities(session, {a.candidate_id for a in apps})
    # All scores in one read: `overall_score` per candidate took two statements each, so a
    # 1,000-application audit ran 1,575 statements; now 12 (benchmarks/fairness.py).
    scores = overall_scores(
        session, {a.candidate_id for a in apps if a.id in completed}, scope.organization.id
    )
    rows = []
    for app in apps:
        who = identities.get(app.candidate_id)
        rows.append(Screened(
            sex=who.sex if who else None, race=who.race_ethnicity if who else None,
            completed=app.id in completed, advanced=app.id in advanced,
            score=scores[app.candidate_id] if app.id in completed else None,
        ))  # fmt: skip
    return rows


def exposed(session: Session, scope: AuditScope) -> list[Unit]:
    """Each candidate-job pair the recommender showed (a job in scope, shown in the period),
    positive when the candidate applied to that job at or after its first impression."""
    shown = session.execute(
        select(
            EngagementEvent.candidate_id,
            EngagementEvent.job_id,
            func.min(EngagementEvent.created_at),
            func.count(),
        )
        .join(Job, EngagementEvent.job_id == Job.id)
        .where(
            EngagementEvent.kind == "impression",
            _jobs_in(scope),
            *_within(EngagementEvent.created_at, scope),
        )
        .group_by(EngagementEvent.candidate_id, EngagementEvent.job_id)
    ).all()
    applied_at = {
        (cand, job): at
        for cand, job, at in session.execute(
            select(Application.candidate_id, Application.job_id, Application.created_at)
            .join(Job, Application.job_id == Job.id)
            .where(_jobs_in(scope))
        )
    }
    identities = _identities(session, {cand for cand, *_ in shown})
    units = []
    for cand, job, first, impressions in shown:
        who = identities.get(cand)
        at = applied_at.get((cand, job))
        units.append(Unit(
            sex=who.sex if who else None, race=who.race_ethnicity if who else None,
            positive=at is not None and at >= first, impressions=impressions,
        ))  # fmt: skip
    return units


def build_report(
    session: Session, *, scope: AuditScope, now: dt.datetime | None = None
) -> FairnessReport:
    """The audit of the scope: selection, scoring and the recommender's apply rates."""
    rows = screened(session, scope)
    pairs = exposed(session, scope)
    median = report.median_score(rows)
    return FairnessReport(
        scope="job" if scope.job is not None else "organization",
        organization_id=scope.organization.id,
        organization_name=scope.organization.name,
        job_id=scope.job.id if scope.job is not None else None,
        job_title=scope.job.title if scope.job is not None else None,
        date_from=scope.date_from,
        date_to=scope.date_to,
        generated_at=now or utcnow(),
        applications=len(rows),
        completed=sum(r.completed for r in rows),
        advanced=sum(r.completed and r.advanced for r in rows),
        scored=sum(r.completed and r.score is not None for r in rows),
        median_score=median,
        impressions=sum(p.impressions for p in pairs),
        selection=report.tables("selection", report.selection_units(rows)),
        scoring=report.tables("scoring", report.scoring_units(rows)),
        recommender=report.tables("apply", pairs),
    )
