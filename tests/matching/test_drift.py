"""PSI known answers and the ok/warn/alert thresholds."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hiresight.matching.drift import (
    EPSILON,
    DriftStatus,
    feature_drift,
    model_drift,
    psi,
    score_drift,
    status,
)

REFERENCE = np.arange(100, dtype=np.float64)  # ten quantile bins of exactly 10 values


def test_identical_distribution_has_zero_psi() -> None:
    """The reference against itself: every bin matches, PSI 0."""
    assert psi(REFERENCE, REFERENCE) == pytest.approx(0.0, abs=1e-12)


def test_everything_in_one_bin_known_answer() -> None:
    """All traffic in the first decile: (1-.1)ln(1/.1) + 9(eps-.1)ln(eps/.1)."""
    expected = 0.9 * math.log(10) + 9 * (EPSILON - 0.1) * math.log(EPSILON / 0.1)
    assert psi(REFERENCE, np.arange(10, dtype=np.float64)) == pytest.approx(expected)


def test_half_shift_known_answer() -> None:
    """Traffic spread over the upper half only: 5 bins at 0.2 and 5 at eps."""
    current = np.arange(50, 100, dtype=np.float64)
    expected = 5 * 0.1 * math.log(2) + 5 * (EPSILON - 0.1) * math.log(EPSILON / 0.1)
    assert psi(REFERENCE, current) == pytest.approx(expected)


def test_out_of_range_values_land_in_the_outer_bins() -> None:
    """Values beyond the reference range still count (open outer bins)."""
    assert psi(REFERENCE, np.full(10, 1e6)) == pytest.approx(psi(REFERENCE, np.full(10, 99.0)))


def test_missing_values_have_their_own_bin() -> None:
    """A feature that suddenly goes missing is reported as drift."""
    current = np.full(100, np.nan)
    assert status(psi(REFERENCE, current)) is DriftStatus.ALERT


def test_thresholds() -> None:
    """< 0.1 ok, 0.1 up to 0.25 warn, from 0.25 alert."""
    assert [status(v) for v in (0.05, 0.1, 0.2, 0.25, 1.0)] == [
        DriftStatus.OK,
        DriftStatus.WARN,
        DriftStatus.WARN,
        DriftStatus.ALERT,
        DriftStatus.ALERT,
    ]


def test_feature_drift_flags_only_the_shifted_column() -> None:
    """Of two columns, only the shifted one alerts; results are worst first."""
    rng = np.random.default_rng(0)
    ref = rng.normal(size=(5000, 2))
    cur = np.column_stack([rng.normal(size=5000), rng.normal(loc=1.0, size=5000)])
    results = feature_drift(ref, cur, ["stable", "shifted"])
    assert [(r.name, r.status) for r in results] == [
        ("shifted", DriftStatus.ALERT),
        ("stable", DriftStatus.OK),
    ]


def test_score_drift_named_model_score() -> None:
    """Score drift reports under the name model_score."""
    assert score_drift(REFERENCE, REFERENCE).name == "model_score"


def test_model_drift_reports_scores_then_features() -> None:
    """model_drift puts model_score first, then one result per feature."""
    rng = np.random.default_rng(1)
    ref = rng.normal(size=(2000, 3))
    results = model_drift(ref, ref[:, 0], ref, ref[:, 0] + 5.0, names=["a", "b", "c"])
    assert next(r.name for r in results) == "model_score"
    assert results[0].status is DriftStatus.ALERT
    assert {r.name for r in results[1:]} == {"a", "b", "c"}
    assert all(r.status is DriftStatus.OK for r in results[1:])
