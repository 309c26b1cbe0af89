"""Ranking metrics: hand-computed known answers, and agreement with independent computations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import ndcg_score

from hiresight.takehome.metrics import (
    average_precision_at_k,
    mean_metrics,
    ndcg_at_k,
    precision_at_k,
    recall_at_k,
)
from tests.takehome.factories import independent_metrics

RANKED = [5, 3, 9, 1]  # hits at ranks 2 and 4 for relevant {3, 1, 7}
RELEVANT = {3, 1, 7}


def test_known_answers_by_hand() -> None:
    assert precision_at_k(RANKED, RELEVANT, 4) == pytest.approx(2 / 4)
    assert precision_at_k(RANKED[:1], RELEVANT, 4) == 0.0  # a short list still divides by k
    assert recall_at_k(RANKED, RELEVANT, 4) == pytest.approx(2 / 3)
    assert recall_at_k(RANKED, set(), 4) == 0.0
    # AP@4 = (1/2 + 2/4) / min(4, 3)
    assert average_precision_at_k(RANKED, RELEVANT, 4) == pytest.approx((0.5 + 0.5) / 3)
    # AP@2 = (1/2) / min(2, 3)
    assert average_precision_at_k(RANKED, RELEVANT, 2) == pytest.approx(0.25)
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    idcg = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at_k(RANKED, RELEVANT, 4) == pytest.approx(dcg / idcg)
    assert ndcg_at_k([7, 3, 1], RELEVANT, 3) == pytest.approx(1.0)
    assert ndcg_at_k([], RELEVANT, 3) == 0.0


def test_means_agree_with_an_independent_computation_on_random_lists() -> None:
    rng = np.random.default_rng(7)
    answers = {u: set(rng.choice(50, size=rng.integers(1, 6), replace=False).tolist())
               for u in range(200)}  # fmt: skip
    ranked = {u: rng.choice(50, size=10, replace=False).tolist() for u in range(0, 200, 1)}
    del ranked[3]  # a user the submission forgot scores zero
    for k in (1, 5, 10):
        row = mean_metrics(
            ranked, answers, sorted(answers), ["precision", "recall", "map", "ndcg"], [k]
        )
        expected = independent_metrics(ranked, answers, k)
        assert row.users == 200
        for key, value in expected.items():
            assert row.values[key] == pytest.approx(value, abs=1e-12), key
        assert row.values[f"precision@{k}"] > 0  # the data has hits: the comparison means something


def test_ndcg_agrees_with_scikit_learn() -> None:
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


def test_users_without_answers_are_not_scored() -> None:
    row = mean_metrics({1: [5]}, {1: {5}, 2: set()}, [1, 2], ["precision"], [1])
    assert row.users == 1
    assert row.values == {"precision@1": 1.0}
