"""Run every model on one time-based split: the engine behind `recs evaluate`.

The collaborative models read only the interaction log: popularity, item-to-item
co-occurrence, ALS and, when the `seq` extra (torch) is installed, the GRU4Rec sequential
model. The feature models also need candidate and job profiles: the content ranker and
LightGBM (trained on impression lists logged before the cutoff). The simulator has all of
it; a log gets them when candidate and job profiles come with it. The simulator also knows
the true utility, so each model additionally gets a ground-truth NDCG@k
("utility_ndcg@k", gains max(utility, 0)) that does not depend on which jobs happened to be
shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from hiresight.matching.catalog import JobCatalog
from hiresight.matching.entities import CandidateProfile, JobPosting
from hiresight.matching.errors import InvalidLogError, NotEnoughDataError
from hiresight.matching.features import OnlineState, candidate_job_features
from hiresight.matching.lab.evaluate import (
    DEFAULT_KS,
    LogRow,
    RecommendFn,
    Split,
    evaluate_models,
    events_to_log,
    matrix_model_fn,
    temporal_split,
)
from hiresight.matching.lab.logio import impressions_from_log
from hiresight.matching.lab.metrics import ndcg_at_k
from hiresight.matching.lab.recommenders import (
    ALSRecommender,
    CooccurrenceRecommender,
    PopularityRecommender,
)
from hiresight.matching.lab.sequential import GRU4RecRecommender, torch_available
from hiresight.matching.lab.simulator import Marketplace
from hiresight.matching.rankers import ContentRanker, LightGBMRanker, Ranker
from hiresight.matching.training import TrainingInputs, build_training_data

SEQ_MISSING_NOTE = (
    "gru4rec skipped: the sequential model needs torch, which the `seq` extra installs "
    "(pip install -e '.[seq]')"
)


@dataclass
class Comparison:
    """Metrics per model, the split they were computed on, and notes on what was skipped."""

    results: dict[str, dict[str, float]]
    split: Split
    notes: list[str]


def collaborative_models(
    split: Split, random_state: int = 0
) -> tuple[dict[str, RecommendFn], list[str]]:
    """Popularity, co-occurrence, ALS and (with torch) GRU4Rec fitted on the training part."""
    baselines = (
        PopularityRecommender(random_state=random_state),
        CooccurrenceRecommender(random_state=random_state),
        ALSRecommender(random_state=random_state),
    )
    models = {m.name: matrix_model_fn(m.fit(split.train), split) for m in baselines}
    notes: list[str] = []
    if not torch_available():
        notes.append(SEQ_MISSING_NOTE)
        return models, notes
    gru = GRU4RecRecommender(random_state=random_state)
    try:
        gru.fit(split.train, split.sequence_rows())
    except NotEnoughDataError as exc:
        notes.append(f"{gru.name} skipped: {exc.message}")
    else:
        models[gru.name] = matrix_model_fn(gru, split)
    return models, notes


def feature_models(
    inputs: TrainingInputs, split: Split, random_state: int = 0, n_estimators: int = 300
) -> tuple[dict[str, RecommendFn], list[str]]:
    """The content ranker and LightGBM, seeing only what was logged up to the cutoff."""
    past_events = [e for e in inputs.events if e.timestamp <= split.cutoff]
    past_lists = [i for i in inputs.impressions if i.timestamp <= split.cutoff]
    catalog = JobCatalog(inputs.jobs[0].vector.shape[0], capacity=len(inputs.jobs))
    catalog.extend(inputs.jobs)
    state = OnlineState(catalog)
    for event in past_events:
        state.record(event)
    rankers: list[Ranker] = [ContentRanker()]
    notes = _profile_gaps(inputs, split)
    try:
        data = build_training_data(
            TrainingInputs(inputs.candidates, inputs.jobs, past_lists, past_events)
        )
    except NotEnoughDataError as exc:
        notes.append(f"lightgbm skipped: before the cutoff, {exc.message}")
    else:
        lgbm = LightGBMRanker(n_estimators=n_estimators, random_state=random_state)
        rankers.append(lgbm.fit(data.x, data.y, data.groups, data.weights))
    models = {
        r.name: _feature_model_fn(r, inputs.candidates, split, catalog, state) for r in rankers
    }
    return models, notes


def _profile_gaps(inputs: TrainingInputs, split: Split) -> list[str]:
    """Notes on test users and logged items the profiles do not describe."""
    notes = []
    no_profile = sum(1 for u in split.relevant if u not in inputs.candidates)
    if no_profile:
        notes.append(
            f"{no_profile} of {len(split.relevant)} test users have no candidate profile: "
            "content and lightgbm recommend nothing to them"
        )
    job_ids = {j.id for j in inputs.jobs}
    no_posting = sum(1 for i in split.items if i not in job_ids)
    if no_posting:
        notes.append(
            f"{no_posting} of {len(split.items)} logged items have no job posting: "
            "content and lightgbm never recommend them"
        )
    return notes


def _feature_model_fn(
    ranker: Ranker,
    candidates: Mapping[int, CandidateProfile],
    split: Split,
    catalog: JobCatalog,
    state: OnlineState,
) -> RecommendFn:
    # The jobs of the log only: every model then ranks the same catalogue, which keeps
    # coverage and novelty comparable.
    rows = catalog.rows(split.item_ids())
    ids = np.array(catalog.ids(rows))

    def recommend(user: int, k: int) -> list[int]:
        candidate = candidates.get(user)
        if candidate is None:
            return []
        x = candidate_job_features(candidate, rows, catalog, state, split.cutoff)
        scores = ranker.score(x).astype(np.float64)
        seen = split.seen.get(user, set())
        if seen:
            scores[np.isin(ids, list(seen))] = -np.inf
        order = np.argsort(-scores, kind="stable")[:k]
        return [int(ids[i]) for i in order if np.isfinite(scores[i])]

    return recommend


def compare_on_log(
    rows: Sequence[LogRow],
    ks: Sequence[int] = DEFAULT_KS,
    random_state: int = 0,
    *,
    candidates: Mapping[int, CandidateProfile] | None = None,
    jobs: Sequence[JobPosting] | None = None,
    n_estimators: int = 300,
) -> Comparison:
    """Every model on any interaction log; content and LightGBM need candidates and jobs too.

    Impression lists for LightGBM are rebuilt from the log's impression rows as
    hiresight.matching.lab.logio describes.
    """
    if (candidates is None) != (jobs is None):
        raise InvalidLogError("candidate and job profiles go together: give both or neither")
    if jobs is not None and not jobs:
        raise InvalidLogError("the job profiles hold no job posting")
    split = temporal_split(rows)
    models, notes = collaborative_models(split, random_state)
    if candidates is None or jobs is None:
        notes.append("content and lightgbm skipped: they need candidate and job profiles")
    else:
        impressions, events = impressions_from_log(rows)
        inputs = TrainingInputs(candidates, jobs, impressions, events)
        more, feature_notes = feature_models(inputs, split, random_state, n_estimators)
        models.update(more)
        notes += feature_notes
    return Comparison(evaluate_models(models, split, ks), split, notes)


def compare_on_simulator(
    market: Marketplace,
    ks: Sequence[int] = DEFAULT_KS,
    random_state: int = 0,
    n_estimators: int = 300,
) -> Comparison:
    """Every model on the simulator, with next-item and ground-truth metrics."""
    split = temporal_split(events_to_log(market.events))
    models, notes = collaborative_models(split, random_state)
    inputs = TrainingInputs(
        {c.id: c for c in market.candidates}, market.jobs, market.impressions, market.events
    )
    more, feature_notes = feature_models(inputs, split, random_state, n_estimators)
    models.update(more)
    results = evaluate_models(models, split, ks)
    for name, fn in models.items():
        results[name].update(_utility_ndcg(fn, market, split, ks))
    return Comparison(results, split, notes + feature_notes)


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
