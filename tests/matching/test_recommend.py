"""The online path: exclusions, live updates, online features, diversity and fallback."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

from hiresight.matching.entities import Event, EventKind
from hiresight.matching.fit import WARM_EVENTS, match_scores
from hiresight.matching.lab.simulator import Marketplace
from hiresight.matching.rankers import LightGBMRanker
from hiresight.matching.recommend import Recommender
from tests.matching.conftest import DIM, make_candidate, make_job, unit

NOW = 1_000_000.0


def _small_recommender(**kwargs: object) -> Recommender:
    rec = Recommender(DIM, **kwargs)  # type: ignore[arg-type]
    rng = np.random.default_rng(0)
    jobs = []
    for i in range(40):
        v = rng.normal(size=DIM).astype(np.float32)
        jobs.append(
            make_job(
                id=i + 1,
                company_id=1 + i % 4,
                vector=v / np.linalg.norm(v),
                posted_at=NOW - 86_400.0,
            )
        )
    rec.add_jobs(jobs)
    return rec


def _market_recommender(market: Marketplace, ranker: LightGBMRanker | None) -> Recommender:
    rec = Recommender(market.jobs[0].vector.shape[0], ranker=ranker, max_per_company=100)
    rec.add_jobs(market.jobs)
    rec.record_events(market.events)
    return rec


def test_applied_and_dismissed_jobs_are_not_shown() -> None:
    """After an apply and a dismiss, neither job is recommended again."""
    rec = _small_recommender()
    cand = make_candidate()
    first = [i.id for i in rec.recommend(cand, 5, now=NOW).items]
    rec.record_event(Event(cand.id, first[0], EventKind.APPLY, NOW))
    rec.record_event(Event(cand.id, first[1], EventKind.DISMISS, NOW))
    after = [i.id for i in rec.recommend(cand, 40, now=NOW).items]
    assert first[0] not in after
    assert first[1] not in after
    assert len(after) == 38


def test_new_job_is_recommended_at_once_and_removed_job_disappears() -> None:
    """A perfect-fit job upserted now tops the list; after removal it is gone."""
    rec = _small_recommender()
    cand = make_candidate(vector=unit(0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3))
    perfect = make_job(id=999, vector=cand.vector, required_skills=cand.skills, posted_at=NOW)
    rec.upsert_job(perfect)
    top = rec.recommend(cand, 5, now=NOW).items[0]
    assert top.id == 999
    assert "ann" in top.sources
    rec.remove_job(999)
    assert 999 not in [i.id for i in rec.recommend(cand, 40, now=NOW).items]


def test_diversity_cap_in_top_ten() -> None:
    """With max_per_company=2 and four companies, no company has more than 2 of the top 8."""
    rec = _small_recommender(max_per_company=2)
    items = rec.recommend(make_candidate(), 20, now=NOW).items
    companies = Counter(rec.catalog.get(i.id).company_id for i in items[:8])
    assert max(companies.values()) <= 2


def test_results_carry_explanations() -> None:
    """Every item has a non-empty explanation and its retrieval sources."""
    items = _small_recommender().recommend(make_candidate(), 5, now=NOW).items
    assert all(i.explanation and i.sources for i in items)
    assert items[0].explanation.startswith("Matches 2 of 3 required skills")


class _Failing:
    name = "failing"

    def score(self, x: np.ndarray) -> np.ndarray:
        raise RuntimeError("model file corrupt")


class _Slow:
    name = "slow"

    def score(self, x: np.ndarray) -> np.ndarray:
        time.sleep(0.03)
        return np.zeros(x.shape[0], dtype=np.float32)


@pytest.mark.parametrize(
    ("ranker", "budget", "reason"),
    [
        (None, 50.0, "no_model"),
        (_Failing(), 50.0, "model_error"),
        (_Slow(), 5.0, "latency_budget_exceeded"),
    ],
)
def test_fallback_to_content_ranker(ranker: object, budget: float, reason: str) -> None:
    """Missing, failing or slow models fall back to the fit score and say why."""
    rec = _small_recommender(ranker=ranker, latency_budget_ms=budget)
    result = rec.recommend(make_candidate(), 5, now=NOW)
    assert result.fallback
    assert result.ranker == "fit"
    assert result.fallback_reason is not None
    assert result.fallback_reason.startswith(reason)
    assert len(result.items) == 5


def test_working_model_is_used(small_market: Marketplace, small_ranker: LightGBMRanker) -> None:
    """A healthy model serves without fallback."""
    rec = _market_recommender(small_market, small_ranker)
    result = rec.recommend(small_market.candidates[0], 10, now=small_market.end)
    assert not result.fallback
    assert result.ranker == "lightgbm"
    assert len(result.items) == 10


def _score_of(rec: Recommender, cand, job_id: int, now: float) -> float:  # type: ignore[no-untyped-def]
    """The job's final score: its fit (fixed) plus the model's share of its rank."""
    return next(i.score for i in rec.recommend(cand, 500, now=now).items if i.id == job_id)


def _with_history(rec: Recommender, cand, target: int, ids: list[int], now: float) -> None:  # type: ignore[no-untyped-def]
    """WARM_EVENTS clicks on the jobs least like the target: the model now has its full share,
    so the clicks that follow change only what the model reads, not how much it counts."""
    vectors = rec.catalog.vectors[rec.catalog.rows(ids)]
    sims = vectors @ rec.catalog.get(target).vector
    for i in np.argsort(sims)[:WARM_EVENTS]:
        rec.record_event(Event(cand.id, ids[int(i)], EventKind.CLICK, now - 86_400.0))


def test_clicks_on_similar_jobs_raise_a_job(
    small_market: Marketplace, small_ranker: LightGBMRanker
) -> None:
    """A candidate with a history clicks three jobs close to job J: J's score rises at once.

    Its fit is unchanged, so the rise is the model's: J moved up in the model's order."""
    rec = _market_recommender(small_market, small_ranker)
    cand = replace(small_market.candidates[5], id=10_000)  # no history yet
    now = small_market.end
    ids = [i.id for i in rec.recommend(cand, 500, now=now).items]
    target = ids[len(ids) // 2]
    _with_history(rec, cand, target, ids, now)
    vectors = rec.catalog.vectors[rec.catalog.rows(ids)]
    sims = vectors @ rec.catalog.get(target).vector
    similar = [ids[i] for i in np.argsort(-sims)[1:4]]
    before = _score_of(rec, cand, target, now)
    for job_id in similar:
        rec.record_event(Event(cand.id, job_id, EventKind.CLICK, now))
    after = _score_of(rec, cand, target, now)
    print(f"score of job {target}: {before} -> {after} after clicks on {similar}")
    assert after > before


def test_dismissing_similar_jobs_lowers_a_job(
    small_market: Marketplace, small_ranker: LightGBMRanker
) -> None:
    """A candidate with a history dismisses three jobs close to job J: J's score falls."""
    rec = _market_recommender(small_market, small_ranker)
    cand = replace(small_market.candidates[5], id=10_000)
    now = small_market.end
    ids = [i.id for i in rec.recommend(cand, 500, now=now).items]
    target = ids[5]
    _with_history(rec, cand, target, ids, now)
    vectors = rec.catalog.vectors[rec.catalog.rows(ids)]
    sims = vectors @ rec.catalog.get(target).vector
    similar = [ids[i] for i in np.argsort(-sims)[1:4]]
    before = _score_of(rec, cand, target, now)
    for job_id in similar:
        rec.record_event(Event(cand.id, job_id, EventKind.DISMISS, now))
    after = _score_of(rec, cand, target, now)
    print(f"score of job {target}: {before} -> {after} after dismissing {similar}")
    assert after < before


def test_a_candidate_without_history_is_ranked_by_fit_alone(
    small_market: Marketplace, small_ranker: LightGBMRanker
) -> None:
    """With a working model, a new candidate's list is the fit score's order, said as "fit"."""
    rec = _market_recommender(small_market, small_ranker)
    cand = replace(small_market.candidates[5], id=10_001)
    result = rec.recommend(cand, 20, now=small_market.end)
    assert result.ranker == "fit"
    assert not result.fallback
    scores = [i.score for i in result.items[:10]]
    assert scores == sorted(scores, reverse=True)  # diversity aside, best fit first
    # The shown match is the fit without its similarity tie-breaker (weight 0.02 of 1.0).
    matches = [i.match for i in result.items[:10]]
    assert matches == match_scores(result.features[:10]).tolist()
    assert all(abs(m - 100 * s) <= 2.5 for m, s in zip(matches, scores, strict=True))


def test_rank_candidates_for_job() -> None:
    """The recruiter direction puts the best-fitting candidate first, with explanations."""
    rec = _small_recommender()
    job = rec.catalog.get(1)
    good = make_candidate(vector=job.vector, skills=job.required_skills)
    poor = make_candidate(
        vector=-job.vector, skills=frozenset(), location="Madrid", remote_ok=False
    )
    result = rec.rank_candidates_for_job(1, [poor, good], now=NOW)
    assert [i.id for i in result.items] == [good.id, poor.id]
    assert result.items[0].explanation.startswith("Matches 3 of 3 required skills")
