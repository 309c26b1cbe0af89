"""Model comparison on the simulator: the learned ranker must clearly beat the baselines."""

from __future__ import annotations

import pytest

import hiresight.matching.lab.comparison as comparison_module
from hiresight.matching.entities import EventKind
from hiresight.matching.errors import InvalidLogError
from hiresight.matching.lab.comparison import SEQ_MISSING_NOTE, compare_on_log, compare_on_simulator
from hiresight.matching.lab.evaluate import events_to_log
from hiresight.matching.lab.simulator import Marketplace, simulate

# Margins asserted on NDCG@10 against the simulator's true utility. Measured on the default
# market, seeds 0 and 1: lightgbm 0.624 / 0.612, content 0.431 / 0.481, popularity
# 0.245 / 0.203; the asserted margins leave room for LightGBM version drift.
MARGIN_OVER_CONTENT = 0.08
MARGIN_OVER_POPULARITY = 0.25
COLLABORATIVE = {"popularity", "cooccurrence", "als", "gru4rec"}
CONTENT = {"content", "lightgbm", "tfidf", "embedding", "hybrid"}
SESSION = {"session", "recent_review", "city_popularity"}


@pytest.mark.slow
def test_lightgbm_beats_popularity_and_content_on_ndcg10() -> None:
    """On the default simulator LightGBM beats content by 0.08 and popularity by 0.25."""
    comparison = compare_on_simulator(simulate(random_state=0), ks=(10,))
    r = {name: values["utility_ndcg@10"] for name, values in comparison.results.items()}
    logged = {name: values["ndcg@10"] for name, values in comparison.results.items()}
    print("utility NDCG@10:", {k: round(v, 4) for k, v in r.items()})
    print("next-item NDCG@10:", {k: round(v, 4) for k, v in logged.items()})
    assert r["lightgbm"] >= r["content"] + MARGIN_OVER_CONTENT
    assert r["lightgbm"] >= r["popularity"] + MARGIN_OVER_POPULARITY
    assert logged["lightgbm"] > max(logged["content"], logged["popularity"])


def test_log_comparison_runs_collaborative_models(small_market: Marketplace) -> None:
    """A bare log evaluates the four collaborative models and says what it skipped; every
    test user is counted once, as warm or as cold."""
    comparison = compare_on_log(events_to_log(small_market.events), ks=(5, 10))
    assert set(comparison.results) == COLLABORATIVE
    assert all(0.0 <= v["ndcg@10"] <= 1.0 for v in comparison.results.values())
    cold, total = comparison.cold_users()
    warm = int(comparison.by_segment["warm"]["als"]["users"])
    assert total == len(comparison.split.relevant) == cold + warm
    assert any("content, lightgbm, tfidf, embedding, session" in n for n in comparison.notes)


def test_log_with_profiles_runs_every_model(small_market: Marketplace) -> None:
    """Given candidate and job profiles, a log also gets the content ranker and LightGBM."""
    comparison = compare_on_log(
        events_to_log(small_market.events),
        ks=(10,),
        candidates={c.id: c for c in small_market.candidates},
        jobs=small_market.jobs,
        n_estimators=30,
    )
    assert set(comparison.results) == COLLABORATIVE | CONTENT | SESSION
    assert [n.split(":")[0] for n in comparison.notes] == ["re-views"]
    # Content and LightGBM rank real jobs for every test user, so they hit something.
    assert comparison.results["content"]["recall@10"] > 0
    assert comparison.results["lightgbm"]["recall@10"] > 0


def test_log_without_impressions_skips_lightgbm(small_market: Marketplace) -> None:
    """With no impression lists to learn from, content still runs and LightGBM is noted."""
    actions = [r for r in events_to_log(small_market.events) if r.event != EventKind.IMPRESSION]
    comparison = compare_on_log(
        actions,
        ks=(10,),
        candidates={c.id: c for c in small_market.candidates},
        jobs=small_market.jobs,
    )
    assert "content" in comparison.results
    assert "lightgbm" not in comparison.results
    assert any(n.startswith("lightgbm skipped") for n in comparison.notes)


def test_profiles_missing_for_some_users_are_noted(small_market: Marketplace) -> None:
    """Test users without a candidate profile are counted in a note, not silently dropped."""
    comparison = compare_on_log(
        events_to_log(small_market.events),
        ks=(10,),
        candidates={c.id: c for c in small_market.candidates[:60]},
        jobs=small_market.jobs,
        n_estimators=30,
    )
    assert any("have no candidate profile" in n for n in comparison.notes)


def test_candidates_without_jobs_is_a_coded_error(small_market: Marketplace) -> None:
    """Profiles come in pairs: candidates alone are refused before any model is fitted."""
    with pytest.raises(InvalidLogError, match="need the job postings too"):
        compare_on_log(
            events_to_log(small_market.events),
            candidates={c.id: c for c in small_market.candidates},
        )


def test_without_torch_the_sequential_model_is_noted(
    small_market: Marketplace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the `seq` extra is missing, gru4rec is left out and a note says how to add it."""
    monkeypatch.setattr(comparison_module, "torch_available", lambda: False)
    comparison = compare_on_log(events_to_log(small_market.events), ks=(10,))
    assert set(comparison.results) == COLLABORATIVE - {"gru4rec"}
    assert SEQ_MISSING_NOTE in comparison.notes


def test_the_simulator_comparison_has_the_newer_baselines(small_market: Marketplace) -> None:
    """compare_on_simulator runs TF-IDF, embedding, the hybrid and the session models too,
    each with a ground-truth NDCG."""
    comparison = compare_on_simulator(small_market, ks=(10,), n_estimators=30)
    assert set(comparison.results) >= CONTENT | SESSION
    assert all("utility_ndcg@10" in comparison.results[m] for m in SESSION)


def test_repeats_make_re_views_relevant(small_market: Marketplace) -> None:
    """With repeats counted, the re-view note says so and test users gain relevant jobs."""
    rows = events_to_log(small_market.events)
    plain = compare_on_log(rows, ks=(10,))
    counted = compare_on_log(rows, ks=(10,), repeats=True)
    assert any("they count as relevant" in n for n in counted.notes)
    assert sum(map(len, counted.split.relevant.values())) > sum(
        map(len, plain.split.relevant.values())
    )
