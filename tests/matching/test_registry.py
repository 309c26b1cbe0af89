"""The filesystem registry and the promote-only-if-better rule."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hiresight.matching.errors import RegistryError
from hiresight.matching.rankers import LightGBMRanker
from hiresight.matching.registry import ModelRegistry, should_promote
from hiresight.matching.training import TrainingInputs, train_once


def test_should_promote_rule() -> None:
    """Strictly better (by min_gain) wins; a tie or a loss keeps the champion."""
    assert should_promote(0.61, None)
    assert should_promote(0.61, 0.60)
    assert not should_promote(0.60, 0.60)
    assert not should_promote(0.62, 0.60, min_gain=0.05)


def test_register_writes_a_complete_version(small_ranker: LightGBMRanker, tmp_path: Path) -> None:
    """A version holds model, feature names, metrics, meta and a drift reference."""
    registry = ModelRegistry(tmp_path)
    ref = np.ones((3, len(small_ranker.feature_names)), dtype=np.float32)
    version = registry.register(
        small_ranker,
        metrics={"ndcg@10": 0.5},
        reference_features=ref,
        reference_scores=small_ranker.score(ref),
        meta={"seed": 0},
    )
    assert version.name == "v0001"
    assert {p.name for p in version.path.iterdir()} == {
        "model.txt",
        "feature_names.json",
        "metrics.json",
        "meta.json",
        "reference.npz",
    }
    features, scores = version.reference()
    np.testing.assert_array_equal(features, ref)
    np.testing.assert_allclose(version.load().score(ref), scores)
    assert registry.live() is None  # registered is not live


def test_missing_version_is_a_registry_error(tmp_path: Path) -> None:
    """Promoting a version that does not exist fails with a stable code."""
    with pytest.raises(RegistryError) as err:
        ModelRegistry(tmp_path).promote("v0042")
    assert err.value.code == "matching_registry_error"


def test_train_once_promotes_only_when_better(small_inputs: TrainingInputs, tmp_path: Path) -> None:
    """First model beats ContentRanker and goes live; an identical retrain ties and does not."""
    registry = ModelRegistry(tmp_path)
    first = train_once(small_inputs, registry, n_estimators=100, random_state=0)
    print(first)
    assert first.promoted
    assert first.version == "v0001"
    assert first.metrics["ndcg@10"] > first.champion_metrics["ndcg@10"]
    second = train_once(small_inputs, registry, n_estimators=100, random_state=0)
    assert second.version == "v0002"
    assert not second.promoted
    assert second.champion_metrics["ndcg@10"] == pytest.approx(second.metrics["ndcg@10"])
    live = registry.live()
    assert live is not None
    assert live.name == "v0001"
