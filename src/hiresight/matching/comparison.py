"""Run every model on one time-based split: the engine behind `recs evaluate`.

On the simulator all five models run: popularity, item-to-item co-occurrence, ALS, the
content ranker and LightGBM (trained on impression lists logged before the cutoff). The
simulator also knows the true utility, so each model additionally gets a ground-truth
NDCG@k ("utility_ndcg@k", gains max(utility, 0)) that does not depend on which jobs happened
to be shown. A bare interaction log carries no job content, so only the three
collaborative baselines run on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hiresight.matching.catalog import JobCatalog
from hiresight.matching.evaluate import (
    DEFAULT_KS,
    LogRow,
    RecommendFn,
    Split,
    evaluate_models,
    events_to_log,
    matrix_model_fn,
    temporal_split,
)
from hiresight.matching.features import OnlineState, candidate_job_features
from hiresight.matching.metrics import ndcg_at_k
from hiresight.matching.rankers import ContentRanker, LightGBMRanker, Ranker
from hiresight.matching.recommenders import (
    ALSRecommender,
    CooccurrenceRecommender,
    PopularityRecommender,
)
from hiresight.matching.simulator import Marketplace
from hiresight.matching.training import TrainingInputs, build_training_data


@dataclass
class Comparison:
    """Metrics per model, the split they were computed on, and notes on what was skipped."""

    results: dict[str, dict[str, float]]
    split: Split
    notes: list[str]


def baseline_models(split: Split, random_state: int = 0) -> dict[str, RecommendFn]:
    """Popularity, co-occurrence and ALS fitted on the training part of a split."""
    models = (
        PopularityRecommender(random_state=random_state),
        CooccurrenceRecommender(random_state=random_state),
        ALSRecommender(random_state=random_state),
    )
    return {m.name: matrix_model_fn(m.fit(split.train), split) for m in models}


def compare_on_log(
    rows: Sequence[LogRow], ks: Sequence[int] = DEFAULT_KS, random_state: int = 0
) -> Comparison:
    """Collaborative baselines on any interaction log."""
    split = temporal_split(rows)
    results = evaluate_models(baseline_models(split, random_state), split, ks)
    notes = ["content and lightgbm need job and candidate profiles: run without --log"]
    return Comparison(results, split, notes)


def _feature_model_fn(
    ranker: Ranker, market: Marketplace, split: Split, catalog: JobCatalog, state: OnlineState
) -> RecommendFn:
    candidates = {c.id: c for c in market.candidates}
    rows = catalog.active_rows()
    ids = np.array(catalog.ids(rows))

    def recommend(user: int, k: int) -> list[int]:
        x = candidate_job_features(candidates[user], rows, catalog, state, split.cutoff)
        scores = ranker.score(x).astype(np.float64)
        seen = split.seen.get(user, set())
        if seen:
            scores[np.isin(ids, list(seen))] = -np.inf
        order = np.argsort(-scores, kind="stable")[:k]
        return [int(ids[i]) for i in order if np.isfinite(scores[i])]

    return recommend


def compare_on_simulator(
    market: Marketplace,
    ks: Sequence[int] = DEFAULT_KS,
    random_state: int = 0,
    n_estimators: int = 300,
) -> Comparison:
    """All five models on the simulator, with next-item and ground-truth metrics."""
    split = temporal_split(events_to_log(market.events))
    models = baseline_models(split, random_state)
    past_events = [e for e in market.events if e.timestamp <= split.cutoff]
    past_lists = [i for i in market.impressions if i.timestamp <= split.cutoff]
    candidates = {c.id: c for c in market.candidates}
    data = build_training_data(TrainingInputs(candidates, market.jobs, past_lists, past_events))
    lgbm = LightGBMRanker(n_estimators=n_estimators, random_state=random_state)
    lgbm.fit(data.x, data.y, data.groups, data.weights)

    catalog = JobCatalog(market.jobs[0].vector.shape[0], capacity=len(market.jobs))
    catalog.extend(market.jobs)
    state = OnlineState(catalog)
    for event in past_events:
        state.record(event)
    for ranker in (ContentRanker(), lgbm):
        models[ranker.name] = _feature_model_fn(ranker, market, split, catalog, state)
    results = evaluate_models(models, split, ks)
    for name, fn in models.items():
        results[name].update(_utility_ndcg(fn, market, split, ks))
    return Comparison(results, split, [])


def _utility_ndcg(
    fn: RecommendFn, market: Marketplace, split: Split, ks: Sequence[int]
) -> dict[str, float]:
    """NDCG@k against the simulator's true utility, over the split's test users."""
    job_ids = [j.id for j in market.jobs]
    totals = dict.fromkeys(ks, 0.0)
    users = sorted(split.relevant)
    for user in users:
        utility = np.maximum(market.utility[user - 1], 0.0)
        seen = split.seen.get(user, set())
        relevance = {j: float(u) for j, u in zip(job_ids, utility, strict=True) if j not in seen}
        ranked = fn(user, max(ks))
        for k in ks:
            totals[k] += ndcg_at_k(ranked, relevance, k)
    return {f"utility_ndcg@{k}": totals[k] / len(users) for k in ks}
