"""The oracles rank by the simulator's hidden state: known answers on a hand-built market."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hiresight.matching.entities import Event, EventKind, Impression, JobPosting
from hiresight.matching.lab.evaluate import LogRow, evaluate_models, split_at
from hiresight.matching.lab.oracle import AGE_SCALE, MarketOracle, oracle_models
from hiresight.matching.lab.simulator import CLICK_BIAS, DAY, W_AGE, Marketplace

CLICK, APPLY = EventKind.CLICK, EventKind.APPLY
END = 100 * DAY
CUTOFF = 50 * DAY
SESSION = 60 * DAY  # user 1's one session after the cutoff
# Utility at the end of the log, users x jobs; job 4 is posted after user 1's session.
UTILITY = np.array([[0.5, -1.0, 2.0, 3.0], [1.2, 2.5, 0.0, 0.0]], dtype=np.float32)
POSTED = (0.0, 0.0, 0.0, 70 * DAY)


def _market(applied_before_cutoff: bool = False) -> Marketplace:
    """Two users, four jobs at one company; user 1 views job 2 before and job 3 after."""
    jobs = [
        JobPosting(id=j + 1, company_id=1, vector=np.ones(2, dtype=np.float32), posted_at=p)
        for j, p in enumerate(POSTED)
    ]
    events = [
        Event(1, 2, EventKind.CLICK, 10 * DAY, 0),
        Event(2, 1, EventKind.CLICK, 20 * DAY, 0),
        Event(1, 3, EventKind.CLICK, SESSION + 1, 0),
    ]
    if applied_before_cutoff:
        events.append(Event(1, 1, EventKind.APPLY, 30 * DAY, 0))
    impressions = [
        Impression(1, 10 * DAY, (2, 1)),
        Impression(2, 20 * DAY, (1, 3)),
        Impression(1, SESSION, (3, 1)),
    ]
    return Marketplace(
        candidates=[],
        jobs=jobs,
        impressions=impressions,
        events=events,
        taste=np.zeros((2, 2), dtype=np.float32),
        brand=np.zeros(4, dtype=np.float32),
        utility=UTILITY,
        examination=np.array([1.0, 0.5], dtype=np.float32),
        start=0.0,
        end=END,
    )


def _split(market: Marketplace):  # type: ignore[no-untyped-def]
    rows = [
        LogRow(e.candidate_id, e.job_id, e.timestamp, e.kind)
        for e in market.events
        if e.kind in (CLICK, APPLY)
    ]
    return split_at(rows, CUTOFF, {1: 0, 2: 1}, {1: 0, 2: 1, 3: 2, 4: 3})


def test_choice_probability_follows_the_simulator_rule() -> None:
    """One session at day 60 with three open jobs and lists of two: each open job is shown
    with 2/3, examined with (1 + 0.5) / 2 and clicked with sigmoid(u - CLICK_BIAS), u the
    utility at day 60; job 4, posted at day 70, cannot be viewed."""
    market = _market()
    oracle = MarketOracle(market, _split(market))
    chance = oracle.choice_probability(1)
    for j in range(3):
        static = UTILITY[0, j] + W_AGE * (END - POSTED[j]) / AGE_SCALE
        u = static - W_AGE * (SESSION - POSTED[j]) / AGE_SCALE
        expected = 2 / 3 * 0.75 / (1 + math.exp(-(u - CLICK_BIAS)))
        assert chance[j] == pytest.approx(expected, rel=1e-6)
    assert chance[3] == 0.0


def test_oracles_rank_by_hidden_state_and_hide_training_jobs() -> None:
    """User 1 (job 2 seen in training): the utility oracle orders 4, 3, 1 by utility at the
    cutoff; the choice oracle puts job 4 last (posted after the session) and so gets the
    test view (job 3) first: NDCG@10 of 1."""
    market = _market()
    split = _split(market)
    models = oracle_models(market, split)
    assert models["oracle_utility"](1, 10) == [4, 3, 1]
    assert models["oracle_choice"](1, 10) == [3, 1, 4]
    results = evaluate_models(models, split, (10,), [1])
    assert results["oracle_choice"]["ndcg@10"] == pytest.approx(1.0)
    assert results["oracle_utility"]["ndcg@10"] == pytest.approx(1 / math.log2(3))


def test_jobs_applied_to_before_the_cutoff_are_never_shown_again() -> None:
    """An application hides the job from later lists in the simulator: chance 0."""
    market = _market(applied_before_cutoff=True)
    chance = MarketOracle(market, _split(market)).choice_probability(1)
    assert chance[0] == 0.0
    assert chance[2] > 0.0


def test_the_nonpersonal_oracle_is_one_list_for_all() -> None:
    """With the utility averaged over users, both users get the same order of jobs."""
    market = _market()
    oracle = MarketOracle(market, _split(market))
    np.testing.assert_array_equal(
        np.argsort(-oracle.choice_probability(1, personal=False)[:3]),
        np.argsort(-(UTILITY.mean(axis=0)[:3])),
    )
