"""The simulator is deterministic per seed and produces the structure it promises."""

from __future__ import annotations

import numpy as np

from hiresight.matching.entities import EventKind
from hiresight.matching.lab.simulator import Marketplace, simulate


def _tiny(seed: int) -> Marketplace:
    return simulate(n_candidates=30, n_jobs=50, n_sessions=200, random_state=seed)


def test_same_seed_gives_identical_market() -> None:
    """Two runs with one seed produce the same events, impressions and utilities."""
    a, b = _tiny(3), _tiny(3)
    assert a.events == b.events
    assert a.impressions == b.impressions
    np.testing.assert_array_equal(a.utility, b.utility)


def test_different_seeds_differ() -> None:
    """Another seed gives another log."""
    assert _tiny(3).events != _tiny(4).events


def test_events_are_time_ordered_per_session_and_typed(small_market: Marketplace) -> None:
    """Each action follows its impression, and every event kind occurs."""
    kinds = {e.kind for e in small_market.events}
    assert kinds == set(EventKind)
    shown = {}
    for e in small_market.events:
        if e.kind is EventKind.IMPRESSION:
            shown[(e.candidate_id, e.job_id)] = e.timestamp
        else:
            assert e.timestamp > shown[(e.candidate_id, e.job_id)]


def test_vectors_are_unit_length(small_market: Marketplace) -> None:
    """Profile and job embeddings are L2-normalised, as the embedder's are."""
    norms = [np.linalg.norm(j.vector) for j in small_market.jobs]
    norms += [np.linalg.norm(c.vector) for c in small_market.candidates]
    np.testing.assert_allclose(norms, 1.0, atol=1e-5)


def test_clicks_follow_position_bias(small_market: Marketplace) -> None:
    """Lists are shown in random order, so CTR falls with position like the examination curve."""
    shown = np.zeros(10)
    clicked = np.zeros(10)
    for imp in small_market.impressions:
        for pos, grade in enumerate(imp.grades()):
            shown[pos] += 1
            clicked[pos] += grade > 0
    ctr = clicked / shown
    assert ctr[0] > 2 * ctr[9]


def test_engaged_jobs_have_higher_true_utility(small_market: Marketplace) -> None:
    """Applied jobs have higher ground-truth utility than shown-but-ignored ones."""
    m = small_market
    applied, ignored = [], []
    for imp in m.impressions:
        for job_id, outcome in zip(imp.job_ids, imp.outcomes, strict=True):
            u = m.utility[imp.candidate_id - 1, job_id - 1]
            if outcome is EventKind.APPLY:
                applied.append(u)
            elif outcome is EventKind.IMPRESSION:
                ignored.append(u)
    assert np.mean(applied) > np.mean(ignored) + 1.0
