"""The live recommender of this process, kept in step with the database.

Each web process holds an in-process index (hnswlib) and online features. Before serving, it
catches up with jobs changed and events recorded since its last look, so a new or edited job is
retrievable on the next request and a click changes the next list, whichever process took it.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.embeddings import get_embedder
from hiresight.jobs import service as jobs_service
from hiresight.jobs.models import Job, JobStatus, Seniority
from hiresight.matching.entities import Event, EventKind, JobPosting
from hiresight.matching.models import EngagementEvent
from hiresight.matching.recommend import Recommender
from hiresight.matching.registry import ModelRegistry
from hiresight.settings import get_settings

# The recommender's levels: 0 junior, 1 mid, 2 senior, 3 staff and above.
SENIORITY_LEVEL = {
    Seniority.intern: 0, Seniority.junior: 0, Seniority.mid: 1, Seniority.senior: 2,
    Seniority.staff: 3, Seniority.principal: 3,
}  # fmt: skip
_ONLINE_KINDS = {k.value: k for k in EventKind}


@dataclass
class LiveRecommender:
    """A recommender plus how far it has caught up with the database."""

    recommender: Recommender
    jobs_synced_at: dt.datetime | None = None
    last_event_id: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


_live: dict[str, LiveRecommender] = {}
_live_lock = threading.Lock()


def job_text(job: Job) -> str:
    """The text a job is embedded from."""
    return f"{job.title}. {job.description} Skills: {', '.join(job.requirements)}"


def to_posting(job: Job, vector: np.ndarray) -> JobPosting:
    """A job row as the recommender sees it."""
    req = jobs_service.structured(job)
    return JobPosting(
        id=job.id,
        company_id=job.organization_id,
        vector=vector,
        title=job.title,
        required_skills=frozenset(req.required_skills if req else job.requirements),
        preferred_skills=frozenset(req.preferred_skills if req else ()),
        seniority=SENIORITY_LEVEL[job.seniority],
        min_years=float(req.years_min or 0) if req else 0.0,
        location=job.location,
        remote=job.remote,
        salary_min=float(job.salary_min) if job.salary_min is not None else None,
        salary_max=float(job.salary_max) if job.salary_max is not None else None,
        posted_at=job.created_at.timestamp(),
    )


def _ranker_from_registry() -> Recommender:
    embedder = get_embedder()
    registry = ModelRegistry(get_settings().data_dir / "models")
    live = registry.live() if registry.root.is_dir() else None
    return Recommender(embedder.dim, ranker=live.load() if live else None)


def for_database(url: str) -> LiveRecommender:
    """The process's live recommender for one database (tests use several)."""
    with _live_lock:
        live = _live.get(url)
        if live is None:
            live = _live[url] = LiveRecommender(_ranker_from_registry())
        return live


def forget(url: str) -> None:
    """Drop the live recommender of a database; the next request rebuilds it from the rows."""
    with _live_lock:
        _live.pop(url, None)


def sync(session: Session, live: LiveRecommender) -> None:
    """Catch up with jobs changed and events recorded since the last sync."""
    with live.lock:
        stmt = select(Job)
        if live.jobs_synced_at is not None:
            stmt = stmt.where(Job.updated_at >= live.jobs_synced_at)
        changed = list(session.scalars(stmt))
        open_jobs = [j for j in changed if j.status is JobStatus.open]
        if open_jobs:
            vectors = get_embedder().embed([job_text(j) for j in open_jobs])
            for job, vector in zip(open_jobs, vectors, strict=True):
                live.recommender.upsert_job(to_posting(job, vector))
        for job in changed:
            if job.status is not JobStatus.open and job.id in live.recommender.catalog.id_to_row:
                live.recommender.remove_job(job.id)
        if changed:
            live.jobs_synced_at = max(j.updated_at for j in changed)
        events = session.scalars(
            select(EngagementEvent)
            .where(EngagementEvent.id > live.last_event_id)
            .order_by(EngagementEvent.id)
        )
        for event in events:
            live.last_event_id = event.id
            kind = _ONLINE_KINDS.get(event.kind)
            if kind is not None:
                live.recommender.record_event(Event(
                    candidate_id=event.candidate_id, job_id=event.job_id, kind=kind,
                    timestamp=event.created_at.timestamp(), position=event.position,
                ))  # fmt: skip
