"""The live recommender of this process, kept in step with the database.

Each web process holds an in-process index (hnswlib) and online features. Before serving, it
catches up with jobs changed and events recorded since its last look, so a new or edited job is
retrievable on the next request and a click changes the next list, whichever process took it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hiresight.embeddings import get_embedder
from hiresight.engagement.models import EngagementEvent
from hiresight.jobs import service as jobs_service
from hiresight.jobs.models import Job, JobStatus, Seniority
from hiresight.matching.catalog import IntArray
from hiresight.matching.entities import CandidateProfile, Event, EventKind, FloatArray, JobPosting
from hiresight.matching.errors import RegistryError
from hiresight.matching.experiments import Experiment, parse_experiment
from hiresight.matching.features import FEATURE_NAMES
from hiresight.matching.fit import FitRanker
from hiresight.matching.monitoring import RecsMonitor
from hiresight.matching.rankers import Ranker
from hiresight.matching.recommend import DEFAULT, Default, Recommender
from hiresight.matching.registry import ModelRegistry
from hiresight.profiles.taxonomy import load_taxonomy
from hiresight.settings import Settings

# The recommender's levels: 0 junior, 1 mid, 2 senior, 3 staff and above.
SENIORITY_LEVEL = {
    Seniority.intern: 0, Seniority.junior: 0, Seniority.mid: 1, Seniority.senior: 2,
    Seniority.staff: 3, Seniority.principal: 3,
}  # fmt: skip
_ONLINE_KINDS = {k.value: k for k in EventKind}
log = logging.getLogger(__name__)


@dataclass
class LiveRecommender:
    """A recommender plus how far it has caught up with the database and the registry."""

    recommender: Recommender
    models_dir: Path
    jobs_synced_at: dt.datetime | None = None
    last_event_id: int = 0
    live_version: str | None = None
    experiment: Experiment | None = None  # the A/B test being served, if any
    monitor: RecsMonitor = field(default_factory=RecsMonitor)
    versions: dict[str, Ranker] = field(default_factory=dict)  # experiment arms, by version
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Unavailable:
    """Stands in for a model version that cannot be loaded: scoring it fails, so the request
    falls back to the content ranker and the fallback is counted, instead of the arm silently
    serving something else."""

    feature_names = FEATURE_NAMES

    def __init__(self, version: str, error: Exception) -> None:
        self.name = f"lightgbm:{version}"
        # The message only: a kept exception would keep its traceback's frames (and every
        # session and connection they reference) alive for as long as this process serves.
        self.error = str(error)

    def fit(
        self, x: FloatArray, y: IntArray, groups: IntArray, weights: FloatArray | None = None
    ) -> Self:
        raise RegistryError(f"model version {self.name} is unavailable: {self.error}")

    def score(self, x: FloatArray) -> FloatArray:
        raise RegistryError(f"model version {self.name} is unavailable: {self.error}")


_live: dict[str, LiveRecommender] = {}
_settings: dict[str, Settings] = {}
_live_lock = threading.Lock()


def job_text(job: Job) -> str:
    """The text a job is embedded from."""
    return f"{job.title}. {job.description} Skills: {', '.join(job.requirements)}"


def canonical_skills(names: list[str]) -> frozenset[str]:
    """Skill names as the taxonomy spells them ("AWS" -> "Amazon Web Services"), as parsed
    requirements and résumés are, so hand-typed lists match them; unknown names are kept."""
    taxonomy = load_taxonomy()
    found = ((n.strip(), taxonomy.get(n)) for n in names if n.strip())
    return frozenset(skill.name if skill else n for n, skill in found)


def to_posting(job: Job, vector: np.ndarray) -> JobPosting:
    """A job row as the recommender sees it."""
    req = jobs_service.structured(job)
    return JobPosting(
        id=job.id,
        company_id=job.organization_id,
        vector=vector,
        title=job.title,
        required_skills=frozenset(req.required_skills)
        if req
        else canonical_skills(job.requirements),
        preferred_skills=frozenset(req.preferred_skills if req else ()),
        seniority=SENIORITY_LEVEL[job.seniority],
        min_years=float(req.years_min or 0) if req else 0.0,
        location=job.location,
        remote=job.remote,
        salary_min=float(job.salary_min) if job.salary_min is not None else None,
        salary_max=float(job.salary_max) if job.salary_max is not None else None,
        salary_currency=job.salary_currency,
        posted_at=job.created_at.timestamp(),
    )


def _load(models_dir: Path, version: str) -> Ranker:
    """A registry version as a ranker named after its version, or a stand-in that fails."""
    try:
        ranker = ModelRegistry(models_dir).get(version).load()
    except Exception as exc:  # a missing or corrupt version must not break the feed
        log.warning("cannot load model version %s", version, exc_info=True)
        return _Unavailable(version, exc)
    ranker.name = f"lightgbm:{version}"
    return ranker


def configure(url: str, settings: Settings) -> None:
    """Use an app's settings for its database's recommender, rebuilt from the rows on next use.

    A new app starts from the database, not from an earlier app's memory (tests build many).
    """
    with _live_lock:
        _settings[url] = settings
        _live.pop(url, None)
        _warm_state.pop(url, None)
        _warm_started.pop(url, None)


def _root_settings() -> Settings:
    """The settings of this process's composition root (hiresight.runtime)."""
    # Imported here: the composition root imports the domains it wires, not they it, at
    # import time (as the scoring provider getter does).
    from hiresight.runtime import current_root

    return current_root().settings


def for_database(url: str) -> LiveRecommender:
    """The process's live recommender for one database (tests use several).

    Its settings are those an app configured for that database, else the composition root's.
    """
    with _live_lock:
        live = _live.get(url)
        if live is None:
            settings = _settings.get(url) or _root_settings()
            text = settings.recs_experiment
            live = _live[url] = LiveRecommender(
                Recommender(get_embedder().dim, latency_budget_ms=settings.recs_latency_budget_ms),
                models_dir=settings.data_dir / "models",
                experiment=parse_experiment(text) if text else None,
            )
        return live


def monitor_for(url: str) -> RecsMonitor | None:
    """The monitor of a database's live recommender, if this process has one."""
    with _live_lock:
        live = _live.get(url)
    return live.monitor if live is not None else None


def sync_model(live: LiveRecommender) -> None:
    """Serve the registry's live version; a promotion elsewhere is picked up on the next call.

    Reading the one-line LIVE pointer costs microseconds, so every request checks it: a model
    promoted by `hiresight recs train` (another process) starts serving without a restart.
    """
    pointer = live.models_dir / "LIVE"
    try:
        version: str | None = pointer.read_text().strip() or None
    except FileNotFoundError:
        version = None
    if version == live.live_version:
        return
    live.live_version = version
    if version is None:
        live.recommender.ranker = None
        return
    ranker = _load(live.models_dir, version)
    live.recommender.ranker = ranker
    if not isinstance(ranker, _Unavailable):
        features, scores = ModelRegistry(live.models_dir).get(version).reference()
        live.monitor.set_reference(version, features, scores)


def ranker_for(live: LiveRecommender, variant: str) -> Ranker | Default | None:
    """The ranker of an experiment arm: `live`, `fit` (or `content`) or a registry version name.

    `fit` and its older name `content` serve the fit score alone, whatever the history.
    """
    if variant == "live" or variant == live.live_version:
        return DEFAULT
    if variant in ("fit", "content"):
        return None
    with live.lock:
        if variant not in live.versions:
            live.versions[variant] = _load(live.models_dir, variant)
        return live.versions[variant]


def sync(session: Session, live: LiveRecommender) -> None:
    """Catch up with the live model, jobs changed and events recorded since the last sync."""
    with live.lock:
        sync_model(live)
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


# How the start-up warm-up of each database's recommender went: "warming", "warm", "failed";
# and when it started (time.monotonic()).
_warm_state: dict[str, str] = {}
_warm_started: dict[str, float] = {}
# How long /readyz answers 503 while the warm-up runs. The demo warms in about 6 s; a large
# catalogue embeds every open job first and may take minutes, and a process must not stay out
# of the load balancer for that long: past this the process takes traffic (its first requests
# wait on the warm-up's lock) and /readyz still says "warming".
WARM_UP_HOLD_S = 60.0


def warm_state(url: str) -> str:
    """The warm-up state of a database's recommender in this process ("off" if none ran)."""
    return _warm_state.get(url, "off")


@dataclass(frozen=True)
class Readiness:
    """The recommender's part of /readyz."""

    state: str  # off, warming, warm or failed
    hold: bool  # whether the process should get no traffic yet
    ranker: str  # what ranks now: the live model's name, else the fit score's


def readiness(url: str) -> Readiness:
    """The warm-up state, whether it holds readiness back, and the ranker that serves.

    Only a warm-up younger than `WARM_UP_HOLD_S` holds the process back: a failed one does not
    (requests then load the recommender themselves, and without a usable model the fit score
    ranks, which `ranker` shows), nor does one that overran its time.
    """
    state = warm_state(url)
    started = _warm_started.get(url)
    hold = (
        state == "warming" and started is not None
        and time.monotonic() - started < WARM_UP_HOLD_S
    )  # fmt: skip
    with _live_lock:
        live = _live.get(url)
    if live is None:
        return Readiness(state, hold, FitRanker.name)
    model = live.recommender.ranker
    if model is None or isinstance(model, _Unavailable):
        return Readiness(state, hold, live.recommender.fallback.name)
    return Readiness(state, hold, model.name)


def warm_up(url: str, live: LiveRecommender, session_factory: Callable[[], Session]) -> float:
    """Do now what the first "Jobs for you" would otherwise pay for; returns the seconds.

    Loads the embedding model (and runs it once), the skill taxonomy, the live model (with
    LightGBM's import) and builds the index: every open job embedded, the engagement log
    replayed. A request arriving meanwhile waits on the recommender's lock instead of doing the
    same work twice.
    """
    started = time.monotonic()
    _warm_state[url], _warm_started[url] = "warming", started
    try:
        vector = get_embedder().embed(["Backend engineer. Skills: Python, PostgreSQL."])[0]
        load_taxonomy()
        with session_factory() as session:
            sync(session, live)
        # One list for nobody: the model's first prediction and the ranking path run now.
        live.recommender.recommend(CandidateProfile(id=-1, vector=vector), 20)
    except Exception:
        _warm_state[url] = "failed"
        raise
    _warm_state[url] = "warm"
    return time.monotonic() - started


def start_warm_up(url: str, session_factory: sessionmaker[Session]) -> threading.Thread:
    """Run `warm_up` in a background thread (a failure is logged; requests then load lazily).

    The recommender is taken now, on the caller's thread: the one this app configured, so a
    slow warm-up can never fill the recommender of an app built after it on the same database.
    """
    live = for_database(url)

    def run() -> None:
        try:
            seconds = warm_up(url, live, session_factory)
        except Exception:  # the feed still works, only the first request pays the start
            log.warning("recommender warm-up failed", exc_info=True)
        else:
            log.info("recommender warm-up done in %.2f s", seconds)

    thread = threading.Thread(target=run, name="recs-warm-up", daemon=True)
    thread.start()
    return thread
