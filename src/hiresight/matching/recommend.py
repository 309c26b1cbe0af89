"""The online path: retrieve, build features, rank (with a guarded fallback), diversify.

`Recommender` owns the in-process state the service layer feeds: the job catalogue, the
ANN and skill indexes and the online engagement counters. Every method is synchronous and
cheap enough to call inside a request (see docs/benchmarks.md, "Recommendations").
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np
import numpy.typing as npt

from hiresight.matching.catalog import IntArray, JobCatalog, city
from hiresight.matching.entities import CandidateProfile, Event, FloatArray, JobPosting
from hiresight.matching.explain import diversify, explain
from hiresight.matching.features import (
    FEATURE_NAMES,
    OnlineState,
    candidate_job_features,
    job_candidate_features,
)
from hiresight.matching.fit import FitRanker, blend, fit_score, match_scores, model_share
from hiresight.matching.rankers import Ranker
from hiresight.matching.retrieval import ANNIndex, SkillIndex, fresh_popular, retrieve

log = logging.getLogger(__name__)


class Default(Enum):
    """Marker type for "use the recommender's own ranker" (None already means content)."""

    RANKER = "default"


DEFAULT = Default.RANKER


@dataclass(frozen=True)
class Recommendation:
    """One ranked item (a job for a candidate, or a candidate for a job)."""

    id: int
    score: float
    explanation: str
    notes: tuple[str, ...]
    sources: tuple[str, ...] = ()
    match: int = 0  # the fit score as 0-100 (fit.match_score)


@dataclass(frozen=True)
class Filters:
    """What the candidate narrowed the list to; None (or 0) leaves a criterion open."""

    remote: bool | None = None
    location: str | None = None  # a city; remote jobs are kept unless `remote` is False
    seniority: int | None = None  # 0 junior, 1 mid, 2 senior, 3 staff
    min_match: int = 0  # 0-100
    # The least yearly pay: a job whose band tops out below it goes; one with no pay stated
    # stays (most postings state none, and the candidate can ask), and so does one paid in a
    # currency the static table lacks (the comparison is unknown, not a no).
    min_salary: int | None = None
    # The currency `min_salary` is in (ISO 4217); None: the candidate's expectation's, and
    # if that is unstated too, each job's own (the number is compared as it is).
    salary_currency: str | None = None

    def __bool__(self) -> bool:
        """Whether any filter is set."""
        return (
            self.remote is not None
            or bool(self.location)
            or self.seniority is not None
            or self.min_match > 0
            or bool(self.min_salary)
        )


NO_FILTERS = Filters()


@dataclass(frozen=True)
class RecommendationResult:
    """A ranked list and how it was produced."""

    items: list[Recommendation]
    ranker: str
    fallback: bool
    fallback_reason: str | None
    latency_ms: float
    # The served items' feature rows and scores, in served order, for drift monitoring.
    features: FloatArray | None = None
    scores: FloatArray | None = None


class Recommender:
    """In-process two-stage recommender over the open jobs."""

    def __init__(
        self,
        dim: int,
        *,
        ranker: Ranker | None = None,
        fallback: Ranker | None = None,
        latency_budget_ms: float = 50.0,
        max_per_company: int = 3,
        k_ann: int = 200,
        k_skills: int = 100,
        k_fresh: int = 50,
        fresh_refresh_seconds: float = 30.0,
        ann_m: int = 16,
        ann_ef_search: int | None = None,  # None: ANNIndex widens ef as the catalogue grows
        random_state: int = 0,
    ) -> None:
        self.dim = dim
        self.catalog = JobCatalog(dim)
        self.state = OnlineState(self.catalog)
        self.ann = ANNIndex(dim, m=ann_m, ef_search=ann_ef_search, random_state=random_state)
        self.skills = SkillIndex()
        self.ranker = ranker
        self.fallback = fallback or FitRanker()
        self.latency_budget_ms = latency_budget_ms
        self.max_per_company = max_per_company
        self.k_ann, self.k_skills, self.k_fresh = k_ann, k_skills, k_fresh
        self.fresh_refresh_seconds = fresh_refresh_seconds
        self._fresh: tuple[float, float, IntArray] | None = None  # (computed at, now, rows)

    def _fresh_rows(self, now: float) -> IntArray:
        """The fresh-and-popular pool, recomputed at most every fresh_refresh_seconds."""
        cached = self._fresh
        clock = time.monotonic()
        if (
            cached is None
            or clock - cached[0] > self.fresh_refresh_seconds
            or abs(now - cached[1]) > self.fresh_refresh_seconds
        ):
            rows = fresh_popular(self.catalog, self.state, now, self.k_fresh)
            self._fresh = cached = (clock, now, rows)
        return cached[2]

    def add_jobs(self, jobs: Sequence[JobPosting], num_threads: int = 1) -> None:
        """Bulk-load jobs (one batched ANN insert, parallel if asked)."""
        for job in jobs:
            self.catalog.upsert(job)
            self.skills.add(job.id, job.required_skills | job.preferred_skills)
        if jobs:
            ids = np.array([j.id for j in jobs], dtype=np.int64)
            self.ann.add(ids, np.stack([j.vector for j in jobs]), num_threads=num_threads)
        self._fresh = None  # a new job may belong in the pool

    def upsert_job(self, job: JobPosting) -> None:
        """Add or edit a job; retrievable by the very next call."""
        self.add_jobs([job])

    def remove_job(self, job_id: int) -> None:
        """Close a job: it disappears from retrieval at once."""
        self.catalog.remove(job_id)
        self.skills.remove(job_id)
        if job_id in self.ann:
            self.ann.delete(job_id)
        self._fresh = None

    def record_event(self, event: Event) -> None:
        """Update online features; applied or dismissed jobs are hidden from then on."""
        self.state.record(event)

    def record_events(self, events: Iterable[Event]) -> None:
        """Replay many events in order."""
        for event in events:
            self.state.record(event)

    def _score(
        self, x: FloatArray, ranker: Ranker | Default | None = DEFAULT
    ) -> tuple[FloatArray, str, str | None]:
        """Scores from the main ranker (or the one asked for), or the fallback's with the reason.

        Asking for `ranker=None` means "the content ranker on purpose" (an experiment arm):
        that is not a fallback.
        """
        if ranker is None:
            return self.fallback.score(x), self.fallback.name, None
        model = self.ranker if isinstance(ranker, Default) else ranker
        if model is None:
            return self.fallback.score(x), self.fallback.name, "no_model"
        names = getattr(model, "feature_names", FEATURE_NAMES)
        if tuple(names) != FEATURE_NAMES:
            return self.fallback.score(x), self.fallback.name, "feature_mismatch"
        started = time.perf_counter()
        try:
            scores = model.score(x)
        except Exception as exc:  # any model failure must degrade, never break the feed
            log.warning("ranker %s failed, using fallback", model.name, exc_info=True)
            return self.fallback.score(x), self.fallback.name, f"model_error: {exc!r}"
        elapsed = (time.perf_counter() - started) * 1000.0
        if elapsed > self.latency_budget_ms:
            reason = f"latency_budget_exceeded: {elapsed:.1f} ms > {self.latency_budget_ms} ms"
            return self.fallback.score(x), self.fallback.name, reason
        return scores, model.name, None

    def recommend(
        self,
        candidate: CandidateProfile,
        n: int = 20,
        *,
        now: float | None = None,
        exclude: Collection[int] = (),
        ranker: Ranker | Default | None = DEFAULT,
        filters: Filters = NO_FILTERS,
    ) -> RecommendationResult:
        """Top-n open jobs for a candidate, with explanations, diversity and fallback flag.

        The fit score (fit.py) ranks for a candidate with little engagement; the learned model
        (the main ranker, or `ranker` for an experiment's variant; None asks for the fit alone)
        reorders within its share for the others. `filters` narrow the retrieved jobs.
        """
        started = time.perf_counter()
        now = time.time() if now is None else now
        cand_state = self.state.candidates.get(candidate.id)
        hidden = set(exclude) | (cand_state.hidden_jobs if cand_state else set())
        found = retrieve(
            query=candidate.vector,
            skills=candidate.skills,
            catalog=self.catalog,
            ann=self.ann,
            skill_index=self.skills,
            fresh_rows=self._fresh_rows(now),
            k_ann=self.k_ann,
            k_skills=self.k_skills,
            exclude=hidden,
        )
        x = candidate_job_features(candidate, found.rows, self.catalog, self.state, now)
        fit = fit_score(x)
        matches = match_scores(x)
        # The model is asked even when its share is 0, so a broken or missing model shows as a
        # counted fallback at once, not only when a warm candidate comes by.
        scores, ranker_name, reason = self._score(x, ranker)
        share = model_share(cand_state.event_count if cand_state else 0)
        if reason is None and ranker_name != self.fallback.name:
            if share > 0.0:
                final = blend(fit, scores, share)
            else:  # cold: the order is the fit's, and the result says so
                final, ranker_name = fit, self.fallback.name
        else:
            final = scores
        keep = self._filtered(
            found.rows, matches, filters, filters.salary_currency or candidate.salary_currency
        )
        order = [int(i) for i in np.argsort(-final, kind="stable") if keep[i]]
        ranked = diversify(
            order, lambda i: int(self.catalog.company[found.rows[i]]), self.max_per_company
        )[:n]
        items = []
        for i in ranked:
            job = self.catalog.jobs[int(found.rows[i])]
            why = explain(candidate, job)
            items.append(Recommendation(
                job.id, float(final[i]), why.summary, why.notes, found.sources[i],
                match=int(matches[i]),
            ))  # fmt: skip
        elapsed = (time.perf_counter() - started) * 1000.0
        return RecommendationResult(
            items, ranker_name, reason is not None, reason, elapsed,
            features=x[ranked], scores=scores[ranked],
        )  # fmt: skip

    def _filtered(
        self, rows: IntArray, matches: IntArray, filters: Filters, salary_currency: str | None
    ) -> npt.NDArray[np.bool_]:
        """Which retrieved rows pass the candidate's filters (`min_salary` in `salary_currency`)."""
        keep = np.ones(rows.shape[0], dtype=np.bool_)
        if not filters:
            return keep
        remote = self.catalog.remote[rows]
        if filters.remote is not None:
            keep &= remote == filters.remote
        if filters.location:
            place = city(filters.location)
            here = np.fromiter(
                (city(self.catalog.jobs[int(r)].location) == place for r in rows),
                dtype=np.bool_,
                count=rows.shape[0],
            )
            keep &= here | (remote & (filters.remote is not False))
        if filters.seniority is not None:
            keep &= self.catalog.seniority[rows] == filters.seniority
        if filters.min_match:
            keep &= matches >= filters.min_match
        if filters.min_salary:
            # Each band's top in the filter's currency: one rate vector over the rows.
            top = self.catalog.salary_max[rows] * self.catalog.salary_rates(rows, salary_currency)
            keep &= np.isnan(top) | (top >= filters.min_salary)
        return keep

    def rank_candidates_for_job(
        self,
        job_id: int,
        candidates: Sequence[CandidateProfile],
        n: int = 20,
        *,
        now: float | None = None,
    ) -> RecommendationResult:
        """The recruiter direction: the given candidates ranked for one job, same features."""
        started = time.perf_counter()
        now = time.time() if now is None else now
        row = self.catalog.row(job_id)
        job = self.catalog.jobs[row]
        x = job_candidate_features(row, candidates, self.catalog, self.state, now)
        scores, ranker_name, reason = self._score(x)
        matches = match_scores(x)
        items = []
        for i in np.argsort(-scores, kind="stable")[:n]:
            cand = candidates[int(i)]
            why = explain(cand, job)
            items.append(Recommendation(
                cand.id, float(scores[i]), why.summary, why.notes, match=int(matches[i])
            ))  # fmt: skip
        return RecommendationResult(
            items, ranker_name, reason is not None, reason, (time.perf_counter() - started) * 1000.0
        )
