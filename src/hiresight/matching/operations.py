"""The recommender's operations: A/B experiment reports, training from the stored engagement
log, and the admin console's view of models, experiments and drift.

Serving a list is `service.py`; this is what the recommender's operators run around it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Exists, and_, or_, select
from sqlalchemy.orm import Session, aliased

from hiresight.accounts.models import User
from hiresight.embeddings import get_embedder
from hiresight.engagement.models import EngagementEvent
from hiresight.engagement.schemas import FEED_KINDS
from hiresight.jobs.models import Job
from hiresight.matching import live as live_state
from hiresight.matching.entities import (
    EVENT_GRADE,
    Event,
    EventKind,
    Impression,
)
from hiresight.matching.errors import MatchingError
from hiresight.matching.experiments import (
    Experiment,
    Exposure,
    VariantReport,
    report,
)
from hiresight.matching.models import RecsExposure
from hiresight.matching.monitoring import DriftReport
from hiresight.matching.registry import ModelRegistry
from hiresight.matching.service import candidate_profiles, live_recommender
from hiresight.matching.training import TrainingInputs, TrainReport, train_once


def _acted(kind: str) -> Exists:
    """Did the exposed candidate `kind` (click, apply) a job shown in that very request?

    An action that carries a request id must carry this one; an action without one (an
    application from the dashboard) counts when the job was in the list and the action came
    after it.
    """
    shown = aliased(EngagementEvent)
    act = aliased(EngagementEvent)
    return (
        select(act.id)
        .join(shown, and_(shown.candidate_id == act.candidate_id, shown.job_id == act.job_id))
        .where(
            shown.request_id == RecsExposure.request_id,
            shown.kind == "impression",
            act.kind == kind,
            act.created_at >= RecsExposure.created_at,
            or_(act.request_id.is_(None), act.request_id == RecsExposure.request_id),
        )
        .exists()
    )


def exposures(session: Session, experiment: str) -> list[Exposure]:
    """An experiment's exposures with their outcomes, oldest first."""
    rows = session.execute(
        select(RecsExposure.variant, RecsExposure.candidate_id, _acted("click"), _acted("apply"))
        .where(RecsExposure.experiment == experiment)
        .order_by(RecsExposure.id)
    )
    return [
        Exposure(experiment, variant, candidate_id, bool(clicked), bool(applied))
        for variant, candidate_id, clicked, applied in rows
    ]


def experiment_names(session: Session) -> list[str]:
    """Experiments that have exposures, by name."""
    return list(session.scalars(select(RecsExposure.experiment).distinct().order_by("experiment")))


def experiment_report(
    session: Session, experiment: str, configured: Experiment | None = None
) -> list[VariantReport]:
    """Per-arm click-through and apply rates with 95% intervals; the first arm is control.

    The control is the first arm of the `configured` experiment when it is the one asked for
    (the order in HIRESIGHT_RECS_EXPERIMENT), otherwise the first arm that was served.
    """
    found = exposures(session, experiment)
    if configured is not None and configured.name == experiment:
        order = {v: i for i, v in enumerate(configured.variants)}
        found.sort(key=lambda e: order.get(e.variant, len(order)))
    return report(found, experiment)


# How long after being shown a job an action without a request id is still credited to the
# list it was shown in (an application from the dashboard a few days later still counts).
ATTRIBUTION_WINDOW = dt.timedelta(days=7)


def training_inputs(session: Session) -> TrainingInputs:
    """The engagement log as training inputs: one impression list per recommendation request.

    Each shown job's outcome is the strongest action on it credited to that list: an action
    carrying the request id, or else (no request id) one within ATTRIBUTION_WINDOW after the
    candidate's latest list that showed the job. Candidates are taken as they are now (the
    profile is not versioned in time), jobs as posted, closed ones included.
    """
    lists: dict[str, tuple[int, dt.datetime, dict[int, int]]] = {}
    last_shown: dict[tuple[int, int], tuple[str, dt.datetime]] = {}
    outcomes: dict[tuple[str, int], EventKind] = {}
    events: list[Event] = []
    stmt = select(EngagementEvent).where(EngagementEvent.kind.in_(FEED_KINDS))
    for row in session.scalars(stmt.order_by(EngagementEvent.created_at, EngagementEvent.id)):
        kind = EventKind(row.kind)
        events.append(Event(
            candidate_id=row.candidate_id, job_id=row.job_id, kind=kind,
            timestamp=row.created_at.timestamp(), position=row.position,
        ))  # fmt: skip
        key = (row.candidate_id, row.job_id)
        if kind is EventKind.IMPRESSION:
            if row.request_id is None:
                continue
            shown = lists.setdefault(row.request_id, (row.candidate_id, row.created_at, {}))[2]
            shown[row.job_id] = row.position if row.position is not None else len(shown)
            last_shown[key] = (row.request_id, row.created_at)
            continue
        credited = row.request_id if row.request_id in lists else None
        if credited is None and key in last_shown:
            request_id, at = last_shown[key]
            if row.created_at - at <= ATTRIBUTION_WINDOW:
                credited = request_id
        if credited is not None:
            best = outcomes.get((credited, row.job_id), EventKind.IMPRESSION)
            if EVENT_GRADE[kind] > EVENT_GRADE[best] or kind is EventKind.DISMISS:
                outcomes[(credited, row.job_id)] = kind
    impressions = []
    for request_id, (candidate_id, at, shown) in lists.items():
        job_ids = tuple(sorted(shown, key=lambda j: shown[j]))
        impressions.append(Impression(
            candidate_id=candidate_id, timestamp=at.timestamp(), job_ids=job_ids,
            outcomes=tuple(outcomes.get((request_id, j), EventKind.IMPRESSION) for j in job_ids),
        ))  # fmt: skip
    candidate_ids = {imp.candidate_id for imp in impressions}
    users = list(session.scalars(select(User).where(User.id.in_(candidate_ids))))
    candidates = {p.id: p for p in candidate_profiles(session, users)}
    job_ids_seen = {j for imp in impressions for j in imp.job_ids}
    jobs = list(session.scalars(select(Job).where(Job.id.in_(job_ids_seen)).order_by(Job.id)))
    postings = []
    if jobs:
        vectors = get_embedder().embed([live_state.job_text(j) for j in jobs])
        postings = [live_state.to_posting(j, v) for j, v in zip(jobs, vectors, strict=True)]
    return TrainingInputs(candidates, postings, impressions, events)


def train_from_database(
    session: Session, registry: ModelRegistry, *, min_engaged: int, random_state: int = 0
) -> TrainReport:
    """Train on the engagement log; promote only if the new model beats the live one."""
    inputs = training_inputs(session)
    if not inputs.impressions:
        return TrainReport(
            None, False, "cold_start: no recommendation lists logged yet; serving ContentRanker",
            {}, {}, 0.0,
        )  # fmt: skip
    return train_once(inputs, registry, min_positive_events=min_engaged, random_state=random_state)


@dataclass(frozen=True)
class ModelRow:
    """One registry version as the console lists it."""

    name: str
    live: bool
    ndcg10: float | None
    champion_ndcg10: float | None
    rows: int | None
    trained_at: dt.datetime | None


@dataclass(frozen=True)
class RecsConsole:
    """What the recommendations console shows: models, serving, drift and experiments."""

    models: list[ModelRow]
    live_version: str | None
    requests: list[tuple[str, str, bool, int]]  # ranker, variant, fallback, count
    fallbacks: dict[str, int]
    drift: DriftReport | None
    experiment: str | None
    reports: dict[str, list[VariantReport]]


def console(session: Session) -> RecsConsole:
    """The console's view; serving counters and drift are this web process's own."""
    live = live_recommender(session)
    models: list[ModelRow] = []
    if (live.models_dir / "versions").is_dir():
        registry = ModelRegistry(live.models_dir)
        for name in reversed(registry.versions()):
            try:
                version = registry.get(name)
            except MatchingError:
                continue  # a half-deleted version is skipped, not fatal for the page
            champion = version.meta.get("champion_metrics", {})
            trained = version.meta.get("trained_at")
            models.append(ModelRow(
                name=name, live=name == live.live_version,
                ndcg10=version.metrics.get("ndcg@10"), champion_ndcg10=champion.get("ndcg@10"),
                rows=version.meta.get("rows"),
                trained_at=dt.datetime.fromtimestamp(trained, dt.UTC) if trained else None,
            ))  # fmt: skip
    with live.monitor.lock:
        requests = [(r, v, f, n) for (r, v, f), n in sorted(live.monitor.requests.items())]
        fallbacks = dict(live.monitor.fallbacks)
    configured = live.experiment
    names = experiment_names(session)
    return RecsConsole(
        models=models, live_version=live.live_version, requests=requests, fallbacks=fallbacks,
        drift=live.monitor.drift(), experiment=configured.name if configured else None,
        reports={name: experiment_report(session, name, configured) for name in names},
    )  # fmt: skip
