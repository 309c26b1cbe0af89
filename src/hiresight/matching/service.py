"""Recommendations and engagement: events in, ranked and explained jobs (or candidates) out."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hiresight.accounts.models import User
from hiresight.embeddings import get_embedder
from hiresight.errors import AppError, ConflictError
from hiresight.jobs import service as jobs_service
from hiresight.jobs.models import Job, JobStatus
from hiresight.matching import live as live_state
from hiresight.matching.entities import CandidateProfile
from hiresight.matching.models import EngagementEvent
from hiresight.matching.schemas import (
    EventIn,
    EventOut,
    RankedCandidate,
    RankedCandidates,
    Recommendations,
    RecommendedJob,
)
from hiresight.profiles import service as profiles
from hiresight.scoring import scorecard

_LEVEL = {"junior": 0, "mid": 1, "senior": 2, "staff": 3}


def record_event(session: Session, *, candidate: User, job: Job, data: EventIn) -> EventOut:
    """Append an event; the same event id again returns the stored one (idempotent)."""
    existing = session.scalar(
        select(EngagementEvent).where(EngagementEvent.event_id == data.event_id)
    )
    if existing is not None:
        same = (existing.candidate_id, existing.job_id, existing.kind, existing.position) == (
            candidate.id, job.id, data.kind, data.position,
        )  # fmt: skip
        if not same:
            raise ConflictError(
                "This event id was used for a different event.", code="event_id_conflict"
            )
        return EventOut(id=existing.id, duplicate=True, **data.model_dump())
    event = EngagementEvent(
        event_id=data.event_id, candidate_id=candidate.id, job_id=job.id, kind=data.kind,
        position=data.position, request_id=data.request_id,
    )  # fmt: skip
    try:
        with session.begin_nested():
            session.add(event)
            session.flush()
    except IntegrityError as exc:  # the same id raced in from another request
        raise ConflictError(
            "This event was just recorded; retry to read it.", code="event_id_conflict"
        ) from exc
    return EventOut(id=event.id, **data.model_dump())


def profile_text(headline: str, summary: str, skills: list[str], claims: list[str]) -> str:
    """The text a candidate is embedded from: who they are, their skills, their best claims.

    Compact on purpose: the three most specific claims say more about fit than a long summary,
    and the embedding cost grows with every token.
    """
    return f"{headline}. {summary} Skills: {', '.join(skills)}. {' '.join(claims[:3])}"


def candidate_profile(session: Session, candidate: User) -> CandidateProfile:
    """The candidate as the recommender sees them: embedding, skills, level, interview score."""
    profile = profiles.get_or_create(session, candidate=candidate)
    view = profiles.interview_profile(session, candidate_id=candidate.id)
    text = profile_text(
        profile.headline, profile.summary, profile.skills, [c.text for c in view.top_claims]
    )
    overall = scorecard.build(session, candidate).overall
    return CandidateProfile(
        id=candidate.id,
        vector=get_embedder().embed([text])[0],
        skills=frozenset(profile.skills),
        location=profile.location,
        remote_ok=True,
        seniority=_LEVEL.get(view.seniority, 1),
        years=view.total_experience_months / 12,
        interview_score=overall / 100 if overall is not None else None,
    )


def _live(session: Session) -> live_state.LiveRecommender:
    bind = session.get_bind()
    live = live_state.for_database(str(bind.engine.url))
    live_state.sync(session, live)
    return live


def recommend(session: Session, *, candidate: User, n: int = 20) -> Recommendations:
    """Top jobs for a candidate; impressions are logged with the request id and positions."""
    live = _live(session)
    applied = {a.job_id for a in jobs_service.get_for_candidate(session, candidate=candidate)}
    result = live.recommender.recommend(candidate_profile(session, candidate), n, exclude=applied)
    request_id = uuid.uuid4().hex
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
            explanation=item.explanation, notes=list(item.notes),
        ))  # fmt: skip
    return Recommendations(
        request_id=request_id, ranker=result.ranker, fallback=result.fallback,
        fallback_reason=result.fallback_reason, latency_ms=round(result.latency_ms, 2),
        items=items,
    )  # fmt: skip


def rank_applicants(session: Session, *, job: Job) -> RankedCandidates:
    """The job's applicants ranked by the same model and explained the same way."""
    if job.status is not JobStatus.open:
        raise AppError("Only open jobs are ranked.", code="job_not_open", status_code=409)
    live = _live(session)
    applicants = [a.candidate for a in jobs_service.get_for_job(session, job=job)]
    if not applicants:
        return RankedCandidates(ranker="none", fallback=False, fallback_reason=None, items=[])
    profiles_ = [candidate_profile(session, c) for c in applicants]
    result = live.recommender.rank_candidates_for_job(job.id, profiles_, n=len(profiles_))
    names = {c.id: c.full_name for c in applicants}
    return RankedCandidates(
        ranker=result.ranker, fallback=result.fallback, fallback_reason=result.fallback_reason,
        items=[RankedCandidate(candidate_id=i.id, name=names[i.id], score=i.score,
                               explanation=i.explanation, notes=list(i.notes))
               for i in result.items],
    )  # fmt: skip
