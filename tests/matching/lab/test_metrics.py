"""Known-answer tests for the ranking metrics, each worked out by hand in the docstring."""

from __future__ import annotations

import math

import pytest

from hiresight.matching.lab.metrics import (
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
