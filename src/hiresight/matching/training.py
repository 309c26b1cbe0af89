"""Training data from impression logs, LambdaRank training, evaluation and `train_once`.

Each impression list becomes one query group: shown jobs with no action are the negatives.
Features are computed by replaying the event log in time order, so a row only sees
engagement that happened before the list was shown (no leakage from the future).
Position bias is corrected with inverse propensity weights (Joachims et al. 2017): the
examination propensity of position p is estimated as CTR(p) / CTR(0) from the logs, which
is unbiased when the logging policy shows jobs in randomised order.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from hiresight.matching.catalog import IntArray, JobCatalog
from hiresight.matching.entities import (
    CandidateProfile,
    Event,
    FloatArray,
    Impression,
    JobPosting,
)
from hiresight.matching.errors import NotEnoughDataError
from hiresight.matching.features import FEATURE_NAMES, OnlineState, candidate_job_features
from hiresight.matching.rankers import ContentRanker, LightGBMRanker, Ranker
from hiresight.matching.registry import ModelRegistry, should_promote

MAX_IPW = 20.0  # clip inverse propensities so a rare deep click cannot dominate training
MIN_PROPENSITY = 1.0 / MAX_IPW
REFERENCE_SAMPLE = 5000  # rows kept with a model for drift monitoring


@dataclass
class TrainingData:
    """Feature rows grouped by impression list, in time order."""

    x: FloatArray
    y: IntArray
    positions: IntArray
    groups: IntArray  # size of each consecutive group
    group_times: FloatArray
    weights: FloatArray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))

    def subset(self, group_mask: npt.NDArray[np.bool_]) -> TrainingData:
        """Groups selected by a boolean mask, rows kept in order."""
        row_mask = np.repeat(group_mask, self.groups)
        return TrainingData(
            x=self.x[row_mask],
            y=self.y[row_mask],
            positions=self.positions[row_mask],
            groups=self.groups[group_mask],
            group_times=self.group_times[group_mask],
            weights=self.weights[row_mask] if self.weights.size else self.weights,
        )


@dataclass(frozen=True)
class TrainingInputs:
    """Everything `train_once` needs, as plain data the service layer can load."""

    candidates: Mapping[int, CandidateProfile]
    jobs: Sequence[JobPosting]
    impressions: Sequence[Impression]
    events: Sequence[Event]


def build_training_data(inputs: TrainingInputs) -> TrainingData:
    """Replay the log and emit one feature row per shown job, labelled with its grade."""
    dim = inputs.jobs[0].vector.shape[0] if inputs.jobs else 1
    catalog = JobCatalog(dim, capacity=max(len(inputs.jobs), 1))
    catalog.extend(inputs.jobs)
    state = OnlineState(catalog)
    events = sorted(inputs.events, key=lambda e: e.timestamp)
    xs: list[FloatArray] = []
    ys: list[int] = []
    positions: list[int] = []
    groups: list[int] = []
    times: list[float] = []
    cursor = 0
    for imp in sorted(inputs.impressions, key=lambda i: i.timestamp):
        while cursor < len(events) and events[cursor].timestamp < imp.timestamp:
            state.record(events[cursor])
            cursor += 1
        candidate = inputs.candidates.get(imp.candidate_id)
        keep = [i for i, j in enumerate(imp.job_ids) if j in catalog.id_to_row]
        if candidate is None or not keep:
            continue
        rows = catalog.rows(imp.job_ids[i] for i in keep)
        xs.append(candidate_job_features(candidate, rows, catalog, state, imp.timestamp))
        grades = imp.grades()
        ys.extend(grades[i] for i in keep)
        positions.extend(keep)
        groups.append(len(keep))
        times.append(imp.timestamp)
    if not xs:
        raise NotEnoughDataError("no impression list refers to a known candidate and job")
    data = TrainingData(
        x=np.concatenate(xs),
        y=np.asarray(ys, dtype=np.int64),
        positions=np.asarray(positions, dtype=np.int64),
        groups=np.asarray(groups, dtype=np.int64),
        group_times=np.asarray(times, dtype=np.float64),
    )
    data.weights = ipw_weights(
        data.y, data.positions, estimate_propensities(data.y, data.positions)
    )
    return data


def estimate_propensities(labels: IntArray, positions: IntArray) -> FloatArray:
    """Examination propensity per position: CTR(p) / CTR(0), clipped to [1/MAX_IPW, 1]."""
    n_pos = int(positions.max()) + 1 if positions.size else 1
    shown = np.bincount(positions, minlength=n_pos).astype(np.float64)
    clicked = np.bincount(positions, weights=(labels > 0).astype(np.float64), minlength=n_pos)
    ctr = clicked / np.maximum(shown, 1.0)
    if ctr[0] <= 0:
        return np.ones(n_pos, dtype=np.float32)
    propensities: FloatArray = np.clip(ctr / ctr[0], MIN_PROPENSITY, 1.0).astype(np.float32)
    return propensities


def ipw_weights(labels: IntArray, positions: IntArray, propensities: FloatArray) -> FloatArray:
    """1/propensity for engaged rows (their click was less likely to be seen), 1 otherwise."""
    weights = np.ones(labels.shape[0], dtype=np.float32)
    pos = labels > 0
    weights[pos] = 1.0 / propensities[positions[pos]]
    return weights


def time_split(
    data: TrainingData, validation_fraction: float = 0.2
) -> tuple[TrainingData, TrainingData]:
    """Split by impression time: the last `validation_fraction` of lists validates."""
    cutoff = np.quantile(data.group_times, 1.0 - validation_fraction)
    late = data.group_times > cutoff
    return data.subset(~late), data.subset(late)


def evaluate_ranker(
    ranker: Ranker, data: TrainingData, ks: Sequence[int] = (5, 10)
) -> dict[str, float]:
    """Mean IPS-weighted NDCG@k over lists with at least one engaged job.

    Each engaged job's gain 2^grade - 1 is multiplied by its inverse propensity, the
    counterfactual estimator of Joachims et al. (2017): plain logged NDCG would reward a
    model for reproducing the position bias of the logging policy.
    """
    scores = ranker.score(data.x)
    weights = data.weights if data.weights.size else np.ones(data.y.shape[0], np.float32)
    totals = dict.fromkeys(ks, 0.0)
    n = 0
    start = 0
    for size in data.groups:
        stop = start + int(size)
        gains = (np.exp2(data.y[start:stop]) - 1.0) * weights[start:stop]
        order = np.argsort(-scores[start:stop], kind="stable")
        start = stop
        if not (gains > 0).any():
            continue
        for k in ks:
            totals[k] += _dcg(gains[order], k) / _dcg(np.sort(gains)[::-1], k)
        n += 1
    return {f"ndcg@{k}": (totals[k] / n if n else 0.0) for k in ks} | {"lists": float(n)}


def _dcg(gains: FloatArray, k: int) -> float:
    top = gains[:k]
    return float(np.sum(top / np.log2(np.arange(2, top.size + 2))))


@dataclass(frozen=True)
class TrainReport:
    """Outcome of one training run."""

    version: str | None
    promoted: bool
    reason: str
    metrics: dict[str, float]
    champion_metrics: dict[str, float]
    seconds: float


def train_once(
    inputs: TrainingInputs,
    registry: ModelRegistry,
    *,
    min_positive_events: int = 200,
    validation_fraction: float = 0.2,
    min_gain: float = 0.0,
    n_estimators: int = 300,
    random_state: int = 0,
) -> TrainReport:
    """Train, evaluate against the live model (or ContentRanker) and promote only if better."""
    started = time.perf_counter()
    data = build_training_data(inputs)
    positives = int((data.y > 0).sum())
    if positives < min_positive_events:
        return TrainReport(
            None,
            False,
            f"cold_start: {positives} engaged rows < {min_positive_events}; serving ContentRanker",
            {},
            {},
            time.perf_counter() - started,
        )
    train, valid = time_split(data, validation_fraction)
    ranker = LightGBMRanker(n_estimators=n_estimators, random_state=random_state)
    ranker.fit(train.x, train.y, train.groups, train.weights)
    metrics = evaluate_ranker(ranker, valid)
    live = registry.live()
    champion: Ranker = live.load() if live is not None else ContentRanker()
    champion_metrics = evaluate_ranker(champion, valid)
    rng = np.random.default_rng(random_state)
    sample = rng.choice(data.x.shape[0], size=min(REFERENCE_SAMPLE, data.x.shape[0]), replace=False)
    reference = data.x[np.sort(sample)]
    version = registry.register(
        ranker,
        metrics=metrics,
        reference_features=reference,
        reference_scores=ranker.score(reference),
        meta={
            "feature_names": list(FEATURE_NAMES),
            "random_state": random_state,
            "rows": int(data.x.shape[0]),
            "lists": int(data.groups.size),
            "engaged_rows": positives,
            "train_until": float(train.group_times.max()),
            "champion": live.name if live is not None else "content",
            "champion_metrics": champion_metrics,
            "trained_at": time.time(),
        },
    )
    promoted = should_promote(metrics["ndcg@10"], champion_metrics["ndcg@10"], min_gain)
    if promoted:
        registry.promote(version.name)
    reason = f"ndcg@10 {metrics['ndcg@10']:.4f} vs champion {champion_metrics['ndcg@10']:.4f}"
    return TrainReport(
        version.name, promoted, reason, metrics, champion_metrics, time.perf_counter() - started
    )
