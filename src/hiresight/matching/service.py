"""Recommendations: the engagement log in, ranked and explained jobs (or candidates) out."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Exists, and_, or_, select
from sqlalchemy.orm import Session, aliased

from hiresight.accounts.models import User
from hiresight.embeddings import get_embedder
from hiresight.engagement import service as engagement
from hiresight.engagement.models import EngagementEvent
from hiresight.engagement.schemas import FEED_KINDS, EventIn, EventOut
from hiresight.errors import AppError
from hiresight.interviews import scores
from hiresight.jobs import service as jobs_service
from hiresight.jobs.models import Job, JobStatus
from hiresight.matching import live as live_state
from hiresight.matching.entities import (
    EVENT_GRADE,
    CandidateProfile,
    Event,
    EventKind,
    Impression,
)
from hiresight.matching.errors import MatchingError
from hiresight.matching.experiments import (
    Experiment,
    Exposure,
    VariantReport,
    assign,
    report,
)
from hiresight.matching.models import RecsExposure
from hiresight.matching.monitoring import DriftReport
from hiresight.matching.recommend import DEFAULT, NO_FILTERS, Filters
from hiresight.matching.registry import ModelRegistry
from hiresight.matching.schemas import (
    RankedCandidate,
    RankedCandidates,
    Recommendations,
    RecommendedJob,
)
from hiresight.matching.training import TrainingInputs, TrainReport, train_once
from hiresight.profiles import service as profiles

_LEVEL = {"junior": 0, "mid": 1, "senior": 2, "staff": 3}
Level = Literal["junior", "mid", "senior", "staff"]
# Tokens of profile text the local model reads: MiniLM's training length, and the length that
# embeds within 30 ms here. A 128-token cut ranked the profile set's jobs as well as the whole
# text did; 96 tokens ranked them worse (docs/benchmarks.md, "Embeddings").
PROFILE_TOKENS = 128


def record_event(session: Session, *, candidate: User, job: Job, data: EventIn) -> EventOut:
    """Append a candidate's event on a job they may see (see `engagement.service.record_event`).

    Kept for matching.pages, which records feed events through this module; the API calls
    the engagement package directly.
    """
    return engagement.record_event(session, candidate_id=candidate.id, job_id=job.id, data=data)


def profile_text(headline: str, summary: str, skills: list[str], claims: list[str]) -> str:
    """The text a candidate is embedded from, most telling part first.

    Headline, skills and the three most specific claims say more about fit than a long summary,
    so the summary comes last, where `PROFILE_TOKENS` clips it.
    """
    return f"{headline}. Skills: {', '.join(skills)}. {' '.join(claims[:3])} {summary}".strip()


_HEADLINE_LEVEL = (
    (re.compile(r"\b(?:staff|principal|distinguished|architect|head of)\b", re.I), 3),
    (re.compile(r"\b(?:senior|sr\.?|lead)\b", re.I), 2),
    (re.compile(r"\b(?:mid|mid-level|intermediate)\b", re.I), 1),
    (re.compile(r"\b(?:junior|jr\.?|intern|trainee|graduate)\b", re.I), 0),
)


def stated_level(headline: str, years: float) -> int:
    """The level of a candidate without a résumé: the one their headline names, else by years.

    Years alone: under 2 junior, under 5 mid, under 9 senior, then staff (the usual ladder).
    """
    for pattern, level in _HEADLINE_LEVEL:
        if pattern.search(headline):
            return level
    return 0 if years < 2 else 1 if years < 5 else 2 if years < 9 else 3


def candidate_profile(
    session: Session, candidate: User, *, organization_id: int | None = None
) -> CandidateProfile:
    """The candidate as the recommender sees them: embedding, skills, level, place, interview.

    Everything is read from the stored profile on each call, so a new résumé (which rewrites
    the profile) changes the very next list. With `organization_id` the interview score counts
    only the results that organization may read (the shared screening and its own interviews),
    as its scorecards do.
    """
    profile = profiles.get_or_create(session, candidate=candidate)
    view = profiles.interview_profile(session, candidate_id=candidate.id)
    if view.has_resume:
        years = view.total_experience_months / 12
        level = _LEVEL.get(view.seniority, 1)
    else:  # a profile typed in by hand: its stated years and the level its headline names
        years = float(profile.years_experience or 0)
        level = stated_level(profile.headline, years)
    text = profile_text(
        profile.headline, profile.summary, profile.skills, [c.text for c in view.top_claims]
    )
    # Only the overall number is needed: the stored scores, not a whole scorecard with its
    # integrity checks against other candidates' answers.
    overall = scores.overall_score(session, candidate.id, organization_id)
    embedder = get_embedder()
    return CandidateProfile(
        id=candidate.id,
        vector=embedder.embed([embedder.clip(text, PROFILE_TOKENS)])[0],
        skills=live_state.canonical_skills(profile.skills),
        location=profile.location,
        remote_ok=True,
        seniority=level,
        years=years,
        interview_score=overall / 100 if overall is not None else None,
    )


def make_filters(
    *,
    remote: bool | None = None,
    location: str | None = None,
    seniority: Level | None = None,
    min_match: int = 0,
) -> Filters:
    """The recommender's filters from request values (already validated by the route)."""
    return Filters(
        remote=remote,
        location=(location or "").strip() or None,
        seniority=_LEVEL[seniority] if seniority else None,
        min_match=min_match,
    )


def _live(session: Session) -> live_state.LiveRecommender:
    bind = session.get_bind()
    live = live_state.for_database(str(bind.engine.url))
    live_state.sync(session, live)
    return live


def recommend(
    session: Session, *, candidate: User, n: int = 20, filters: Filters = NO_FILTERS
) -> Recommendations:
    """Top jobs for a candidate; impressions are logged with the request id and positions.

    `filters` (remote, city, level, minimum match) narrow the list; they are applied to the
    jobs retrieved for the candidate, so a narrow filter may return fewer than `n`.

    Under an A/B experiment the candidate's arm (stable by candidate hash) picks the ranker,
    and the request is logged as an exposure so the arm's clicks and applications can be
    counted later.
    """
    live = _live(session)
    applied = {a.job_id for a in jobs_service.get_for_candidate(session, candidate=candidate)}
    experiment = live.experiment
    variant = assign(experiment, candidate.id) if experiment else "live"
    ranker = live_state.ranker_for(live, variant)
    result = live.recommender.recommend(
        candidate_profile(session, candidate),
        n,
        exclude=applied,
        ranker=ranker,
        filters=filters,
    )
    model = live.recommender.ranker
    live.monitor.observe(
        result, variant=variant,
        live_model=ranker is DEFAULT and model is not None and result.ranker == model.name,
    )  # fmt: skip
    request_id = uuid.uuid4().hex
    if experiment is not None:
        session.add(RecsExposure(
            experiment=experiment.name, variant=variant, candidate_id=candidate.id,
            request_id=request_id, ranker=result.ranker, fallback=result.fallback,
        ))  # fmt: skip
    jobs = {
        j.id: j
        for j in session.scalars(select(Job).where(Job.id.in_([i.id for i in result.items])))
    }
    items = []
    for position, item in enumerate(result.items):
        job = jobs.get(item.id)
        if job is None or job.status is not JobStatus.open:
            continue
        session.add(EngagementEvent(
            event_id=f"{request_id}:{position}", candidate_id=candidate.id, job_id=job.id,
            kind="impression", position=position, request_id=request_id,
        ))  # fmt: skip
        items.append(RecommendedJob(
            job_id=job.id, title=job.title, organization=job.organization.name,
            location=job.location, remote=job.remote, position=position, score=item.score,
            match=item.match, seniority=job.seniority.value, explanation=item.explanation,
            notes=list(item.notes),
        ))  # fmt: skip
    return Recommendations(
        request_id=request_id, ranker=result.ranker, fallback=result.fallback,
        fallback_reason=result.fallback_reason, latency_ms=round(result.latency_ms, 2),
        experiment=experiment.name if experiment else None,
        variant=variant if experiment else None, items=items,
    )  # fmt: skip


def rank_applicants(session: Session, *, job: Job) -> RankedCandidates:
    """The job's applicants ranked by the same model and explained the same way."""
    if job.status is not JobStatus.open:
        raise AppError("Only open jobs are ranked.", code="job_not_open", status_code=409)
    live = _live(session)
    applicants = [a.candidate for a in jobs_service.get_for_job(session, job=job)]
    if not applicants:
        return RankedCandidates(ranker="none", fallback=False, fallback_reason=None, items=[])
    profiles_ = [
        candidate_profile(session, c, organization_id=job.organization_id) for c in applicants
    ]
    result = live.recommender.rank_candidates_for_job(job.id, profiles_, n=len(profiles_))
    names = {c.id: c.full_name for c in applicants}
    return RankedCandidates(
        ranker=result.ranker, fallback=result.fallback, fallback_reason=result.fallback_reason,
        items=[RankedCandidate(candidate_id=i.id, name=names[i.id], score=i.score,
                               explanation=i.explanation, notes=list(i.notes))
               for i in result.items],
    )  # fmt: skip


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
    users = session.scalars(select(User).where(User.id.in_(candidate_ids)))
    candidates = {u.id: candidate_profile(session, u) for u in users}
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
    live = _live(session)
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
