"""Run every model on one time-based split: the engine behind `recs evaluate`.

The collaborative models read only the interaction log: popularity, item-to-item
co-occurrence, ALS and, when the `seq` extra (torch) is installed, the GRU4Rec sequential
model. The feature models also need candidate and job profiles: the content ranker and
LightGBM (trained on impression lists logged before the cutoff). The simulator has all of
it; a log gets them when candidate and job profiles come with it. With the jobs' texts,
the lexical and embedding baselines, the view-log models of lab.session (the `session`
blend, `recent_review`, `city_popularity`) and the hybrid run too. The simulator also knows
the true utility, so each model additionally gets a ground-truth NDCG@k
("utility_ndcg@k", gains max(utility, 0)) that does not depend on which jobs happened to be
shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from hiresight.matching.catalog import JobCatalog
from hiresight.matching.entities import CandidateProfile, JobPosting
from hiresight.matching.errors import InvalidLogError, NotEnoughDataError
from hiresight.matching.features import OnlineState, candidate_job_features
from hiresight.matching.lab.content import EmbeddingScorer, TfidfScorer, scorer_fn
from hiresight.matching.lab.evaluate import (
    DEFAULT_KS,
    Half,
    LogRow,
    RecommendFn,
    Split,
    evaluate_models,
    events_to_log,
    matrix_model_fn,
    segments,
    temporal_split,
)
from hiresight.matching.lab.hybrid import HybridInputs, HybridRanker
from hiresight.matching.lab.logio import impressions_from_log
from hiresight.matching.lab.recommenders import (
    ALSRecommender,
    CooccurrenceRecommender,
    PopularityRecommender,
)
from hiresight.matching.lab.sequential import GRU4RecRecommender, torch_available
from hiresight.matching.lab.session import BlendWeights, SessionModels, review_share
from hiresight.matching.lab.simulator import Marketplace
from hiresight.matching.lab.users import complete_profiles, engaged_jobs
from hiresight.matching.rankers import ContentRanker, LightGBMRanker, Ranker
from hiresight.matching.training import TrainingInputs, build_training_data
from hiresight.ranking.metrics import ndcg_at_k

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
    # "all", "warm" (some training history) and "cold" (none) test users: model -> metrics
    by_segment: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    # The fitted models, to judge them on other user groups (e.g. both halves) without refitting
    models: dict[str, RecommendFn] = field(default_factory=dict)

    def cold_users(self) -> tuple[int, int]:
        """(cold test users, all test users) of the reported half."""
        counts = {name: int(next(iter(r.values()), {}).get("users", 0)) for name, r in
                  self.by_segment.items()}  # fmt: skip
        return counts.get("cold", 0), counts.get("all", 0)


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
        if not past_lists:  # a view log: no lists were logged at all
            notes.append(
                "lightgbm skipped: the log has no impression rows (shown lists) to learn from"
            )
        else:
            notes.append(f"lightgbm skipped: before the cutoff, {exc.message}")
    else:
        lgbm = LightGBMRanker(n_estimators=n_estimators, random_state=random_state)
        rankers.append(lgbm.fit(data.x, data.y, data.groups, data.weights))
    models = {
        r.name: _feature_model_fn(r, inputs.candidates, split, catalog, state) for r in rankers
    }
    return models, notes


class _NoProfile:
    def scores(self, user: int) -> None:
        return None


def _profile_gaps(inputs: TrainingInputs, split: Split) -> list[str]:
    """Notes on test users and logged items the profiles do not describe."""
    notes = []
    no_profile = sum(1 for u in split.relevant if u not in inputs.candidates)
    if no_profile:
        notes.append(
            f"{no_profile} of {len(split.relevant)} test users have no candidate profile and "
            "no training history: content and lightgbm give them the popularity list"
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
    # A user with no record and no history: the same list popularity gives, not an empty one.
    fallback = scorer_fn(_NoProfile(), split)

    def recommend(user: int, k: int) -> list[int]:
        candidate = candidates.get(user)
        if candidate is None:
            return fallback(user, k)
        x = candidate_job_features(candidate, rows, catalog, state, split.cutoff)
        scores = ranker.score(x).astype(np.float64)
        seen = split.seen.get(user, set())
        if seen:
            scores[np.isin(ids, list(seen))] = -np.inf
        order = np.argsort(-scores, kind="stable")[:k]
        return [int(ids[i]) for i in order if np.isfinite(scores[i])]

    return recommend


def content_models(
    rows: Sequence[LogRow],
    split: Split,
    jobs: Sequence[JobPosting],
    job_texts: Mapping[int, str],
    candidates: Mapping[int, CandidateProfile],
    user_texts: Mapping[int, str],
    random_state: int = 0,
    profiles: Mapping[int, CandidateProfile] | None = None,
    weights: BlendWeights | None = None,
) -> tuple[dict[str, RecommendFn], list[str]]:
    """TF-IDF, embedding similarity, the session models and the hybrid (training window only).

    `profiles` (given or read off the history) lend a cold user's record city to the
    session models.
    """
    vectors = {j.id: j.vector for j in jobs}
    models: dict[str, RecommendFn] = {
        "tfidf": scorer_fn(TfidfScorer(split, job_texts, user_texts), split),
        "embedding": scorer_fn(EmbeddingScorer(split, vectors), split),
    }
    models.update(SessionModels.fit(rows, split, jobs, profiles, weights).models())
    notes: list[str] = []
    hybrid = HybridRanker(seed=random_state)
    try:
        companies = {j.id: j.company_id for j in jobs}
        inputs = HybridInputs(job_texts, vectors, user_texts, candidates, companies, jobs)
        hybrid.fit(rows, split, inputs)
    except NotEnoughDataError as exc:
        notes.append(f"hybrid skipped: {exc.message}")
    else:
        models[hybrid.name] = hybrid.recommend_fn()
    return models, notes


def compare_on_log(
    rows: Sequence[LogRow],
    ks: Sequence[int] = DEFAULT_KS,
    random_state: int = 0,
    *,
    candidates: Mapping[int, CandidateProfile] | None = None,
    jobs: Sequence[JobPosting] | None = None,
    job_texts: Mapping[int, str] | None = None,
    user_texts: Mapping[int, str] | None = None,
    n_estimators: int = 300,
    half: Half | None = None,
    repeats: bool = False,
    weights: BlendWeights | None = None,
) -> Comparison:
    """Every model on any interaction log; the content models need the jobs (texts, vectors).

    Candidate records are optional: users without one are represented by the jobs they
    engaged with before the cutoff (hiresight.matching.lab.users). Impression lists for
    LightGBM are rebuilt from the log's impression rows as hiresight.matching.lab.logio
    describes. `half` restricts the reported test users to one fixed half (evaluate.half_of);
    `repeats` counts a test user's re-views of training jobs as relevant too.
    """
    if candidates is not None and jobs is None:
        raise InvalidLogError("candidate profiles need the job postings too")
    if jobs is not None and not jobs:
        raise InvalidLogError("the job profiles hold no job posting")
    split = temporal_split(rows, repeats=repeats)
    models, notes = collaborative_models(split, random_state)
    notes.append(_review_note(rows, split))
    if jobs is None:
        notes.append(
            "content, lightgbm, tfidf, embedding, session, recent_review, city_popularity and "
            "hybrid skipped: they need the jobs (--jobs)"
        )
    else:
        impressions, events = impressions_from_log(rows)
        given = dict(candidates or {})
        history = engaged_jobs(events, until=split.cutoff)
        profiles = complete_profiles(given, history, jobs)
        inputs = TrainingInputs(profiles, jobs, impressions, events)
        more, feature_notes = feature_models(inputs, split, random_state, n_estimators)
        models.update(more)
        notes += feature_notes
        texts = job_texts or {j.id: j.title for j in jobs}
        more, content_notes = content_models(
            rows, split, jobs, texts, given, user_texts or {}, random_state, profiles, weights
        )
        models.update(more)
        notes += content_notes
    by_segment = {
        name: evaluate_models(models, split, ks, users)
        for name, users in segments(split, half).items()
    }
    return Comparison(by_segment["all"], split, notes, by_segment, models)


def _review_note(rows: Sequence[LogRow], split: Split) -> str:
    """How common re-views are before the cutoff, and what the split makes of them."""
    share = review_share(rows, split.cutoff)
    counted = "count" if split.repeats else "do not count (--repeats counts them)"
    return (
        f"re-views: {share:.1%} of the training window's views repeat the user's earlier view "
        f"of a job; in the test window they {counted} as relevant"
    )


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
    # The newer baselines read job text: the simulated jobs as a job board would show them.
    rows = events_to_log(market.events)
    texts = {j.id: f"{j.title} {j.location}" for j in market.jobs}
    more, content_notes = content_models(
        rows, split, market.jobs, texts, inputs.candidates, {}, random_state, inputs.candidates
    )
    models.update(more)
    feature_notes += content_notes
    by_segment = {
        name: evaluate_models(models, split, ks, users) for name, users in segments(split).items()
    }
    results = by_segment["all"]
    for name, fn in models.items():
        results[name].update(_utility_ndcg(fn, market, split, ks))
    return Comparison(results, split, notes + feature_notes, by_segment, models)


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
