"""Feature vectors for (candidate, job) pairs, and the online engagement state behind them.

Everything is vectorised over the jobs (or candidates) being scored; the only Python loop
is the skill-set intersection, which costs well under a microsecond per pair. The column
order is FEATURE_NAMES and is stored with every trained model, so never reorder it: append.
Missing values are NaN; LightGBM learns a direction for them, the content ranker ignores them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from hiresight.matching.catalog import IntArray, JobCatalog, city, fold
from hiresight.matching.entities import CandidateProfile, Event, EventKind, FloatArray

FEATURE_NAMES: tuple[str, ...] = (
    "embedding_similarity",
    "required_skill_coverage",
    "preferred_skill_coverage",
    "seniority_gap",
    "years_shortfall",
    "location_fit",
    "job_remote",
    "salary_fit",
    "interview_score",
    "job_popularity",
    "job_ctr",
    "job_age_days",
    "click_max_similarity",
    "click_similar_count",
    "apply_max_similarity",
    "apply_similar_count",
    "dismiss_max_similarity",
    "dismiss_similar_count",
    "days_since_last_event",
    "candidate_event_count",
)
FEATURE_INDEX = {name: i for i, name in enumerate(FEATURE_NAMES)}

# Two jobs count as "similar" above this cosine. For MiniLM descriptions of the same role
# family cosines sit around 0.6-0.8; the simulator's latent space is calibrated to match.
SIMILAR_THRESHOLD = 0.6
# Only the most recent engagements shape the online features: bounded memory and cost.
HISTORY_LENGTH = 50
# Beta(1, 19) prior for the job click-through rate, i.e. 5 % before any data.
CTR_PRIOR_CLICKS, CTR_PRIOR_IMPRESSIONS = 1.0, 20.0
DAY = 86_400.0

_KIND_SLOT = {EventKind.CLICK: 0, EventKind.SAVE: 0, EventKind.APPLY: 1, EventKind.DISMISS: 2}


@dataclass
class CandidateState:
    """Recent engagement of one candidate: job vectors per kind and the jobs to hide."""

    history: deque[tuple[int, FloatArray]] = field(
        default_factory=lambda: deque(maxlen=HISTORY_LENGTH)
    )
    hidden_jobs: set[int] = field(default_factory=set)  # applied or dismissed: never re-show
    event_count: int = 0
    last_event_at: float | None = None


class OnlineState:
    """Engagement counters updated as events arrive; read by the feature builder."""

    def __init__(self, catalog: JobCatalog) -> None:
        self.catalog = catalog
        self.impressions = np.zeros(0, dtype=np.float64)
        self.clicks = np.zeros(0, dtype=np.float64)
        self.candidates: dict[int, CandidateState] = {}

    def _ensure(self) -> None:
        size = self.catalog.vectors.shape[0]
        if self.impressions.shape[0] < size:
            self.impressions = np.pad(self.impressions, (0, size - self.impressions.shape[0]))
            self.clicks = np.pad(self.clicks, (0, size - self.clicks.shape[0]))

    def candidate(self, candidate_id: int) -> CandidateState:
        """The state of a candidate (empty for a new one)."""
        return self.candidates.setdefault(candidate_id, CandidateState())

    def record(self, event: Event) -> None:
        """Apply one event; unknown jobs are ignored (closed since the event was logged)."""
        row = self.catalog.id_to_row.get(event.job_id)
        if row is None:
            return
        self._ensure()
        if event.kind is EventKind.IMPRESSION:
            self.impressions[row] += 1
            return
        state = self.candidate(event.candidate_id)
        state.event_count += 1
        state.last_event_at = max(state.last_event_at or event.timestamp, event.timestamp)
        if event.kind in (EventKind.CLICK, EventKind.SAVE, EventKind.APPLY):
            self.clicks[row] += 1
        if event.kind in (EventKind.APPLY, EventKind.DISMISS):
            state.hidden_jobs.add(event.job_id)
        state.history.append((_KIND_SLOT[event.kind], self.catalog.vectors[row].copy()))

    def job_counts(self, rows: IntArray) -> tuple[FloatArray, FloatArray]:
        """(impressions, positive engagements) of job rows."""
        self._ensure()
        return (
            self.impressions[rows].astype(np.float32),
            self.clicks[rows].astype(np.float32),
        )


def _coverage(wanted: Sequence[frozenset[str]], have: Sequence[frozenset[str]]) -> FloatArray:
    # A job with no listed skills is fully covered: absence of requirements is not a mismatch.
    return np.fromiter(
        (len(w & h) / len(w) if w else 1.0 for w, h in zip(wanted, have, strict=True)),
        dtype=np.float32,
        count=len(wanted),
    )


def _history_features(
    state: CandidateState | None, job_vectors: FloatArray
) -> tuple[FloatArray, ...]:
    n = job_vectors.shape[0]
    out = [
        np.full(n, np.nan, dtype=np.float32) if i % 2 == 0 else np.zeros(n, np.float32)
        for i in range(6)
    ]
    if state is None or not state.history:
        return tuple(out)
    slots = np.fromiter((s for s, _ in state.history), dtype=np.int64)
    sims = job_vectors @ np.stack([v for _, v in state.history]).T  # (n, h)
    for slot in range(3):
        mask = slots == slot
        if mask.any():
            part = sims[:, mask]
            out[2 * slot] = part.max(axis=1)
            out[2 * slot + 1] = (part >= SIMILAR_THRESHOLD).sum(axis=1).astype(np.float32)
    return tuple(out)


def candidate_job_features(
    candidate: CandidateProfile,
    rows: IntArray,
    catalog: JobCatalog,
    state: OnlineState | None,
    now: float,
) -> FloatArray:
    """Feature matrix (len(rows), len(FEATURE_NAMES)) for one candidate against job rows."""
    n = rows.shape[0]
    cand_state = state.candidates.get(candidate.id) if state is not None else None
    return _assemble(
        cand_vectors=candidate.vector[None, :],
        cand_skills=[fold(candidate.skills)] * n,
        cand_locations=[city(candidate.location)] * n,
        cand_remote_ok=np.full(n, candidate.remote_ok),
        cand_onsite_ok=np.full(n, candidate.onsite_ok),
        cand_salary=np.full(n, _nan(candidate.salary_expectation), dtype=np.float32),
        cand_currency=[candidate.salary_currency] * n,
        cand_seniority=np.full(n, candidate.seniority, dtype=np.float32),
        cand_years=np.full(n, candidate.years, dtype=np.float32),
        cand_interview=np.full(n, _nan(candidate.interview_score), dtype=np.float32),
        cand_states=[cand_state],
        rows=rows,
        catalog=catalog,
        state=state,
        now=now,
    )


def job_candidate_features(
    job_row: int,
    candidates: Sequence[CandidateProfile],
    catalog: JobCatalog,
    state: OnlineState | None,
    now: float,
) -> FloatArray:
    """Feature matrix (len(candidates), len(FEATURE_NAMES)) for one job against candidates."""
    n = len(candidates)
    return _assemble(
        cand_vectors=np.stack([c.vector for c in candidates]) if n else np.zeros((0, catalog.dim)),
        cand_skills=[fold(c.skills) for c in candidates],
        cand_locations=[city(c.location) for c in candidates],
        cand_remote_ok=np.array([c.remote_ok for c in candidates], dtype=np.bool_),
        cand_onsite_ok=np.array([c.onsite_ok for c in candidates], dtype=np.bool_),
        cand_salary=np.array([_nan(c.salary_expectation) for c in candidates], np.float32),
        cand_currency=[c.salary_currency for c in candidates],
        cand_seniority=np.array([c.seniority for c in candidates], dtype=np.float32),
        cand_years=np.array([c.years for c in candidates], dtype=np.float32),
        cand_interview=np.array([_nan(c.interview_score) for c in candidates], np.float32),
        cand_states=[state.candidates.get(c.id) if state else None for c in candidates],
        rows=np.full(n, job_row, dtype=np.int64),
        catalog=catalog,
        state=state,
        now=now,
    )


def _nan(value: float | None) -> float:
    return np.nan if value is None else float(value)


def _salary_rates(
    catalog: JobCatalog, rows: IntArray, cand_currency: Sequence[str | None]
) -> FloatArray:
    """Per row, the rate from the job's pay currency into its candidate's expectation's.

    One vector lookup per distinct candidate currency: one for a candidate's job list, a few
    for a job's applicants.
    """
    targets = list(dict.fromkeys(cand_currency))
    if len(targets) == 1:
        return catalog.salary_rates(rows, targets[0])
    rates = np.empty(rows.shape[0], dtype=np.float32)
    for target in targets:
        mask = np.fromiter((c == target for c in cand_currency), np.bool_, len(cand_currency))
        rates[mask] = catalog.salary_rates(rows[mask], target)
    return rates


def _assemble(
    *,
    cand_vectors: FloatArray,
    cand_skills: Sequence[frozenset[str]],
    cand_locations: Sequence[str],
    cand_remote_ok: npt.NDArray[np.bool_],
    cand_onsite_ok: npt.NDArray[np.bool_],
    cand_salary: FloatArray,
    cand_currency: Sequence[str | None],
    cand_seniority: FloatArray,
    cand_years: FloatArray,
    cand_interview: FloatArray,
    cand_states: Sequence[CandidateState | None],
    rows: IntArray,
    catalog: JobCatalog,
    state: OnlineState | None,
    now: float,
) -> FloatArray:
    n = rows.shape[0]
    x = np.empty((n, len(FEATURE_NAMES)), dtype=np.float32)
    if n == 0:
        return x
    jobs = [catalog.jobs[int(r)] for r in rows]
    job_vectors = catalog.vectors[rows]
    col = FEATURE_INDEX
    x[:, col["embedding_similarity"]] = np.einsum(
        "ij,ij->i", job_vectors, np.broadcast_to(cand_vectors, job_vectors.shape)
    )
    x[:, col["required_skill_coverage"]] = _coverage(
        [catalog.required[int(r)] for r in rows], cand_skills
    )
    x[:, col["preferred_skill_coverage"]] = _coverage(
        [catalog.preferred[int(r)] for r in rows], cand_skills
    )
    x[:, col["seniority_gap"]] = catalog.seniority[rows] - cand_seniority
    x[:, col["years_shortfall"]] = np.maximum(0.0, catalog.min_years[rows] - cand_years)
    same_place = np.fromiter(
        (
            bool(loc) and city(j.location) == loc
            for j, loc in zip(jobs, cand_locations, strict=True)
        ),
        dtype=np.bool_,
        count=n,
    )
    remote = catalog.remote[rows]
    x[:, col["location_fit"]] = (same_place & cand_onsite_ok) | (remote & cand_remote_ok)
    x[:, col["job_remote"]] = remote
    # Relative headroom of the top of the band over the expectation, clipped to [-1, 1], the
    # band converted to the expectation's currency first (NaN, unknown, for a currency the
    # static table lacks).
    rates = _salary_rates(catalog, rows, cand_currency)
    with np.errstate(invalid="ignore", divide="ignore"):
        x[:, col["salary_fit"]] = np.clip(
            (catalog.salary_max[rows] * rates - cand_salary) / cand_salary, -1.0, 1.0
        )
    x[:, col["interview_score"]] = cand_interview
    if state is not None:
        impressions, clicks = state.job_counts(rows)
    else:
        impressions = clicks = np.zeros(n, dtype=np.float32)
    x[:, col["job_popularity"]] = np.log1p(clicks)
    x[:, col["job_ctr"]] = (clicks + CTR_PRIOR_CLICKS) / (impressions + CTR_PRIOR_IMPRESSIONS)
    x[:, col["job_age_days"]] = (now - catalog.posted_at[rows]) / DAY
    start = col["click_max_similarity"]
    if len(cand_states) == 1:
        hist = _history_features(cand_states[0], job_vectors)
        for i, values in enumerate(hist):
            x[:, start + i] = values
    else:
        for k, cs in enumerate(cand_states):
            hist = _history_features(cs, job_vectors[k : k + 1])
            for i, values in enumerate(hist):
                x[k, start + i] = values[0]
    last = [
        cs.last_event_at if cs and cs.last_event_at is not None else np.nan for cs in cand_states
    ]
    counts = [cs.event_count if cs else 0 for cs in cand_states]
    x[:, col["days_since_last_event"]] = (now - np.asarray(last, dtype=np.float64)) / DAY
    x[:, col["candidate_event_count"]] = np.asarray(counts, dtype=np.float32)
    return x
