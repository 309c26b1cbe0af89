"""Take-home metric means: agreement with an independent computation, users without answers."""

from __future__ import annotations

import numpy as np
import pytest

from hiresight.takehome.metrics import mean_metrics
from tests.takehome.factories import independent_metrics


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


def test_users_without_answers_are_not_scored() -> None:
    row = mean_metrics({1: [5]}, {1: {5}, 2: set()}, [1, 2], ["precision"], [1])
    assert row.users == 1
    assert row.values == {"precision@1": 1.0}
