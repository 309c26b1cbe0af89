"""Known-answer tests for the ranking metrics, each worked out by hand in the docstring."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import ndcg_score

from hiresight.ranking.metrics import (
    average_precision_at_k,
    catalogue_coverage,
    ndcg_at_k,
    ndcg_of_grades,
    novelty_at_k,
    precision_at_k,
    recall_at_k,
)

RANKED = [3, 1, 7, 5, 9]
RELEVANT = {1, 5, 8}


def test_precision_at_k_counts_hits_over_k() -> None:
    """Hits 1 (rank 2) and 5 (rank 4) in the top 5: 2/5; top 3 holds one hit: 1/3."""
    assert precision_at_k(RANKED, RELEVANT, 5) == pytest.approx(0.4)
    assert precision_at_k(RANKED, RELEVANT, 3) == pytest.approx(1 / 3)


def test_precision_divides_short_lists_by_k() -> None:
    """A 2-item list with one hit scores 1/10 at k=10, not 1/2."""
    assert precision_at_k([1, 2], RELEVANT, 10) == pytest.approx(0.1)


def test_recall_at_k_divides_by_number_relevant() -> None:
    """Two of three relevant items are found in the top 5: 2/3; none relevant gives 0."""
    assert recall_at_k(RANKED, RELEVANT, 5) == pytest.approx(2 / 3)
    assert recall_at_k(RANKED, set(), 5) == 0.0


def test_average_precision_by_hand() -> None:
    """Hits at ranks 2 and 4: (1/2 + 2/4) / min(5, 3) = 1/3."""
    assert average_precision_at_k(RANKED, RELEVANT, 5) == pytest.approx(1 / 3)


def test_average_precision_perfect_list_is_one() -> None:
    """All relevant items first gives AP 1."""
    assert average_precision_at_k([1, 5, 8, 2], RELEVANT, 3) == pytest.approx(1.0)


def test_ndcg_binary_by_hand() -> None:
    """DCG = 1/log2(3) + 1/log2(5); IDCG = 1 + 1/log2(3) + 1/log2(4)."""
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    idcg = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    relevance = dict.fromkeys(RELEVANT, 1.0)
    assert ndcg_at_k(RANKED, relevance, 5) == pytest.approx(dcg / idcg)


def test_ndcg_graded_by_hand() -> None:
    """Grades [0, 3, 1] ranked as is: DCG = 7/log2(3) + 1/2; ideal [3, 1, 0]: 7 + 1/log2(3)."""
    expected = (7 / math.log2(3) + 1 / 2) / (7 + 1 / math.log2(3))
    assert ndcg_of_grades([0, 3, 1], 3) == pytest.approx(expected)


def test_ndcg_without_relevant_items_is_zero() -> None:
    """No gain anywhere gives 0, not a division error."""
    assert ndcg_at_k(RANKED, {}, 5) == 0.0


def test_catalogue_coverage_counts_distinct_items() -> None:
    """Top-2 of [1,2,3] and [2,4] cover {1,2,4}: 3 of 10 items."""
    assert catalogue_coverage([[1, 2, 3], [2, 4]], 10, 2) == pytest.approx(0.3)


def test_novelty_is_mean_self_information() -> None:
    """Item 1 seen by 4 of 8 users (1 bit), item 2 by 1 of 8 (3 bits), item 3 unseen (3 bits)."""
    popularity = {1: 4, 2: 1}
    assert novelty_at_k([[1, 2], [3]], popularity, 8, 2) == pytest.approx((1 + 3 + 3) / 3)


SET_RANKED = [5, 3, 9, 1]  # hits at ranks 2 and 4 for relevant {3, 1, 7}
SET_RELEVANT = {3, 1, 7}


def test_binary_known_answers_with_a_set_of_relevant_items() -> None:
    """A plain set is binary relevance: hits at ranks 2 and 4 of {3, 1, 7}, worked by hand."""
    assert precision_at_k(SET_RANKED, SET_RELEVANT, 4) == pytest.approx(2 / 4)
    assert precision_at_k(SET_RANKED[:1], SET_RELEVANT, 4) == 0.0  # a short list still divides by k
    assert recall_at_k(SET_RANKED, SET_RELEVANT, 4) == pytest.approx(2 / 3)
    assert recall_at_k(SET_RANKED, set(), 4) == 0.0
    # AP@4 = (1/2 + 2/4) / min(4, 3)
    assert average_precision_at_k(SET_RANKED, SET_RELEVANT, 4) == pytest.approx((0.5 + 0.5) / 3)
    # AP@2 = (1/2) / min(2, 3)
    assert average_precision_at_k(SET_RANKED, SET_RELEVANT, 2) == pytest.approx(0.25)
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    idcg = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at_k(SET_RANKED, SET_RELEVANT, 4) == pytest.approx(dcg / idcg)
    assert ndcg_at_k([7, 3, 1], SET_RELEVANT, 3) == pytest.approx(1.0)
    assert ndcg_at_k([], SET_RELEVANT, 3) == 0.0


def test_ndcg_agrees_with_scikit_learn() -> None:
    """Binary NDCG@10 equals scikit-learn's ndcg_score on random lists."""
    rng = np.random.default_rng(3)
    for _ in range(20):
        relevant = set(rng.choice(30, size=3, replace=False).tolist())
        ranked = rng.choice(30, size=10, replace=False).tolist()
        y_true = np.array([[1.0 if i in relevant else 0.0 for i in range(30)]])
        y_score = np.zeros((1, 30))
        for pos, item in enumerate(ranked):
            y_score[0, item] = 10 - pos
        if not relevant & set(ranked):
            continue
        assert ndcg_at_k(ranked, relevant, 10) == pytest.approx(ndcg_score(y_true, y_score, k=10))
