"""Training data construction, propensity correction, time split and train_once."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hiresight.matching.errors import NotEnoughDataError
from hiresight.matching.features import FEATURE_INDEX
from hiresight.matching.lab.simulator import Marketplace
from hiresight.matching.registry import ModelRegistry
from hiresight.matching.training import (
    MAX_IPW,
    TrainingData,
    TrainingInputs,
    build_training_data,
    estimate_propensities,
    ipw_weights,
    time_split,
    train_once,
)


def test_one_row_per_shown_job_with_graded_labels(
    small_market: Marketplace, small_data: TrainingData
) -> None:
    """Rows = shown jobs; labels are the grades of the logged outcomes."""
    shown = sum(len(i.job_ids) for i in small_market.impressions)
    assert small_data.x.shape[0] == shown == int(small_data.groups.sum())
    expected = [g for imp in small_market.impressions for g in imp.grades()]
    assert small_data.y.tolist() == expected


def test_first_list_sees_no_engagement(small_data: TrainingData) -> None:
    """Replay is leak-free: the very first list has no history or popularity yet."""
    first = small_data.x[: small_data.groups[0]]
    assert (first[:, FEATURE_INDEX["job_popularity"]] == 0).all()
    assert (first[:, FEATURE_INDEX["candidate_event_count"]] == 0).all()


def test_propensities_recover_simulated_examination(
    small_market: Marketplace, small_data: TrainingData
) -> None:
    """CTR(p)/CTR(0) tracks the simulator's examination curve within 0.15 at every position."""
    est = estimate_propensities(small_data.y, small_data.positions)
    np.testing.assert_allclose(est, small_market.examination, atol=0.15)


def test_propensities_known_answer() -> None:
    """CTR 0.5 at position 0 and 0.25 at position 1 give propensities [1, 0.5]."""
    y = np.array([1, 0, 1, 0, 0, 0], dtype=np.int64)
    pos = np.array([0, 0, 1, 1, 1, 1], dtype=np.int64)
    np.testing.assert_allclose(estimate_propensities(y, pos), [1.0, 0.5])


def test_ipw_weights_only_engaged_rows_and_clipped() -> None:
    """Engaged rows get 1/propensity (clipped at MAX_IPW); others weigh 1."""
    y = np.array([1, 0, 2], dtype=np.int64)
    pos = np.array([1, 1, 2], dtype=np.int64)
    w = ipw_weights(y, pos, np.array([1.0, 0.5, 1 / MAX_IPW], dtype=np.float32))
    np.testing.assert_allclose(w, [2.0, 1.0, MAX_IPW])


def test_time_split_keeps_validation_after_training(small_data: TrainingData) -> None:
    """Every validation list is later than every training list, and rows stay aligned."""
    train, valid = time_split(small_data, 0.2)
    assert train.group_times.max() < valid.group_times.min()
    assert train.x.shape[0] == train.groups.sum()
    assert valid.y.shape[0] == valid.groups.sum()
    assert train.groups.size + valid.groups.size == small_data.groups.size


def test_unknown_candidates_give_a_clear_error(small_inputs: TrainingInputs) -> None:
    """Logs that mention no known candidate cannot train anything."""
    inputs = TrainingInputs({}, small_inputs.jobs, small_inputs.impressions, small_inputs.events)
    with pytest.raises(NotEnoughDataError):
        build_training_data(inputs)


def test_cold_start_keeps_content_ranker(small_inputs: TrainingInputs, tmp_path: Path) -> None:
    """Too few engaged rows: nothing is trained or promoted."""
    registry = ModelRegistry(tmp_path)
    report = train_once(small_inputs, registry, min_positive_events=10**9)
    assert report.version is None
    assert not report.promoted
    assert report.reason.startswith("cold_start")
    assert registry.live() is None
