"""Recommendations: the engagement log in, ranked and explained jobs (or candidates) out."""

from __future__ import annotations

import re
import uuid
from typing import Literal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, joinedload

from hiresight.accounts.models import User
from hiresight.db import utcnow
from hiresight.embeddings import get_embedder
from hiresight.engagement import service as engagement
from hiresight.engagement.models import EngagementEvent
from hiresight.engagement.schemas import EventIn, EventOut
from hiresight.errors import AppError
from hiresight.interviews import scores
from hiresight.jobs import service as jobs_service
from hiresight.jobs.models import Job, JobStatus
from hiresight.matching import live as live_state
from hiresight.matching.entities import (
    CandidateProfile,
)
from hiresight.matching.experiments import (
    assign,
)
from hiresight.matching.models import RecsExposure
from hiresight.matching.recommend import DEFAULT, NO_FILTERS, Filters
from hiresight.matching.schemas import (
    RankedCandidate,
    RankedCandidates,
    Recommendations,
    RecommendedJob,
)
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
    # Only the overall number is needed: the stored scores, not a whole scorecard with its
    # integrity checks against other candidates' answers.
    overall = scores.overall_score(session, candidate.id, organization_id)
    return _profile(session, candidate, overall)


def candidate_profiles(
    session: Session, candidates: list[User], *, organization_id: int | None = None
) -> list[CandidateProfile]:
    """`candidate_profile` of each candidate, in order, with all overall scores read at once."""
    overall = scores.overall_scores(session, [c.id for c in candidates], organization_id)
    return [_profile(session, c, overall[c.id]) for c in candidates]


def _profile(session: Session, candidate: User, overall: float | None) -> CandidateProfile:
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
    embedder = get_embedder()
    return CandidateProfile(
        id=candidate.id,
        vector=embedder.embed([embedder.clip(text, PROFILE_TOKENS)])[0],
        skills=live_state.canonical_skills(profile.skills),
        location=profile.location,
        remote_ok=profile.remote_preference != "onsite",
        onsite_ok=profile.remote_preference != "remote",
        salary_expectation=float(profile.salary_min) if profile.salary_min else None,
        salary_currency=profile.salary_currency,
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
    min_salary: int | None = None,
    currency: str | None = None,
) -> Filters:
    """The recommender's filters from request values (already validated by the route)."""
    return Filters(
        remote=remote,
        location=(location or "").strip() or None,
        seniority=_LEVEL[seniority] if seniority else None,
        min_match=min_match,
        min_salary=min_salary or None,
        salary_currency=currency,
    )


def preferred_filters(
    session: Session, candidate: User
) -> tuple[Literal["", "true", "false"], str]:
    """The "Jobs for you" form's remote and least-pay values from the profile's preferences."""
    profile = profiles.get_or_create(session, candidate=candidate)
    preference = profile.remote_preference
    remote: Literal["", "true", "false"] = (
        "true" if preference == "remote" else "false" if preference == "onsite" else ""
    )
    return remote, str(profile.salary_min or "")


def salary_currency(session: Session, candidate: User) -> str | None:
    """The currency of the candidate's least pay (None: not chosen, read in each job's)."""
    return profiles.get_or_create(session, candidate=candidate).salary_currency


def live_recommender(session: Session) -> live_state.LiveRecommender:
    """This process's live recommender for the session's database, synced with it."""
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
    live = live_recommender(session)
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
    # The employers come in the same query (a many-to-one join): loading each job's
    # organization on first access cost one statement per employer shown.
    jobs = {
        j.id: j
        for j in session.scalars(
            select(Job)
            .options(joinedload(Job.organization))
            .where(Job.id.in_([i.id for i in result.items]))
        )
    }
    items, impressions, shown_at = [], [], utcnow()
    for position, item in enumerate(result.items):
        job = jobs.get(item.id)
        if job is None or job.status is not JobStatus.open:
            continue
        impressions.append({
            "event_id": f"{request_id}:{position}", "candidate_id": candidate.id,
            "job_id": job.id, "kind": "impression", "position": position,
            "request_id": request_id, "created_at": shown_at,
        })  # fmt: skip
        items.append(RecommendedJob(
            job_id=job.id, title=job.title, organization=job.organization.name,
            location=job.location, remote=job.remote, position=position, score=item.score,
            match=item.match, seniority=job.seniority.value, explanation=item.explanation,
            notes=list(item.notes),
        ))  # fmt: skip
    if impressions:  # one executemany, not an INSERT per job shown
        session.execute(insert(EngagementEvent), impressions)
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
    live = live_recommender(session)
    applicants = [a.candidate for a in jobs_service.get_for_job(session, job=job)]
    if not applicants:
        return RankedCandidates(ranker="none", fallback=False, fallback_reason=None, items=[])
    profiles_ = candidate_profiles(session, applicants, organization_id=job.organization_id)
    result = live.recommender.rank_candidates_for_job(job.id, profiles_, n=len(profiles_))
    names = {c.id: c.full_name for c in applicants}
    return RankedCandidates(
        ranker=result.ranker, fallback=result.fallback, fallback_reason=result.fallback_reason,
        items=[RankedCandidate(candidate_id=i.id, name=names[i.id], score=i.score,
                               match=i.match, explanation=i.explanation, notes=list(i.notes))
               for i in result.items],
    )  # fmt: skip
