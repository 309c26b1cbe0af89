"""Contract tests run against every feature ranker, on synthetic data with a known answer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hiresight.matching.errors import RegistryError
from hiresight.matching.features import FEATURE_INDEX, FEATURE_NAMES
from hiresight.matching.rankers import ContentRanker, LightGBMRanker, Ranker, rank
from hiresight.ranking.metrics import ndcg_of_grades

GROUP = 10


def synthetic(n_groups: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random features; the grade rises with embedding similarity and required-skill coverage."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, size=(n_groups * GROUP, len(FEATURE_NAMES))).astype(np.float32)
    x[rng.random(x.shape) < 0.1] = np.nan  # missing values must not break anyone
    sim = np.nan_to_num(x[:, FEATURE_INDEX["embedding_similarity"]])
    cov = np.nan_to_num(x[:, FEATURE_INDEX["required_skill_coverage"]])
    y = np.digitize(sim + cov, [0.8, 1.3, 1.7]).astype(np.int64)
    return x, y, np.full(n_groups, GROUP, dtype=np.int64)


def mean_ndcg(ranker: Ranker, x: np.ndarray, y: np.ndarray) -> float:
    """Mean NDCG@5 over consecutive groups of GROUP rows."""
    scores = ranker.score(x)
    values = []
    for start in range(0, len(y), GROUP):
        order = np.argsort(-scores[start : start + GROUP], kind="stable")
        values.append(ndcg_of_grades(y[start : start + GROUP][order].tolist(), 5))
    return float(np.mean(values))


class RankerContract:
    """Behaviour every Ranker must have; subclasses provide `make`."""

    def make(self) -> Ranker:
        raise NotImplementedError

    def fitted(self) -> Ranker:
        x, y, groups = synthetic(300, seed=0)
        return self.make().fit(x, y, groups)

    def test_scores_one_finite_value_per_row(self) -> None:
        """score() returns a finite float per row even with NaN features."""
        x, _, _ = synthetic(5, seed=1)
        scores = self.fitted().score(x)
        assert scores.shape == (x.shape[0],)
        assert np.isfinite(scores).all()

    def test_recovers_known_ordering(self) -> None:
        """On held-out synthetic groups, mean NDCG@5 is at least 0.9 (random order: ~0.5)."""
        x, y, _ = synthetic(100, seed=2)
        assert mean_ndcg(self.fitted(), x, y) >= 0.9

    def test_best_row_ranks_first(self) -> None:
        """A perfect-fit row outranks a no-fit row."""
        x = np.zeros((2, len(FEATURE_NAMES)), dtype=np.float32)
        x[1, FEATURE_INDEX["embedding_similarity"]] = 0.95
        x[1, FEATURE_INDEX["required_skill_coverage"]] = 1.0
        assert rank(self.fitted(), x).tolist() == [1, 0]

    def test_deterministic(self) -> None:
        """Two fits with the same seed score identically."""
        x, _, _ = synthetic(5, seed=3)
        np.testing.assert_array_equal(self.fitted().score(x), self.fitted().score(x))


class TestContentRanker(RankerContract):
    """The hand-weighted fallback meets the contract without learning."""

    def make(self) -> Ranker:
        return ContentRanker()

    def test_seniority_gap_hurts_both_ways(self) -> None:
        """Over- and under-levelled jobs score the same, both below an exact fit."""
        x = np.zeros((3, len(FEATURE_NAMES)), dtype=np.float32)
        x[:, FEATURE_INDEX["seniority_gap"]] = [-1, 0, 1]
        s = ContentRanker().score(x)
        assert s[0] == s[2] < s[1]


class TestLightGBMRanker(RankerContract):
    """LambdaRank meets the contract and round-trips through its model file."""

    def make(self) -> Ranker:
        return LightGBMRanker(n_estimators=60, random_state=0)

    def test_save_and_load_score_the_same(self, tmp_path: Path) -> None:
        """A saved and reloaded model gives identical scores and keeps its feature names."""
        ranker = self.fitted()
        assert isinstance(ranker, LightGBMRanker)
        ranker.save(tmp_path / "model.txt")
        loaded = LightGBMRanker.load(tmp_path / "model.txt")
        x, _, _ = synthetic(5, seed=4)
        np.testing.assert_allclose(loaded.score(x), ranker.score(x), rtol=1e-6)
        assert loaded.feature_names == FEATURE_NAMES

    def test_untrained_model_raises_registry_error(self) -> None:
        """Scoring before training is a clear, coded error."""
        with pytest.raises(RegistryError) as err:
            LightGBMRanker().score(np.zeros((1, len(FEATURE_NAMES)), dtype=np.float32))
        assert err.value.code == "matching_registry_error"
