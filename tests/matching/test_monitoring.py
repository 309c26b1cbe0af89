"""Serving counters, drift against the training reference, and their Prometheus export."""

from __future__ import annotations

import numpy as np
from prometheus_client import CollectorRegistry, generate_latest

from hiresight.matching.drift import DriftStatus
from hiresight.matching.features import FEATURE_NAMES
from hiresight.matching.monitoring import RecsCollector, RecsMonitor, reason_code
from hiresight.matching.recommend import RecommendationResult

N_FEATURES = len(FEATURE_NAMES)


def _result(
    rows: np.ndarray, *, ranker: str = "lightgbm:v0001", reason: str | None = None
) -> RecommendationResult:
    return RecommendationResult(
        items=[], ranker=ranker, fallback=reason is not None, fallback_reason=reason,
        latency_ms=4.0, features=rows, scores=rows[:, 0].copy(),
    )  # fmt: skip


def _reference(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    x = rng.normal(size=(2000, N_FEATURES))
    return x, x[:, 0].copy()


def test_same_distribution_is_stable_and_a_shift_alerts() -> None:
    """Traffic like the training data gives PSI < 0.1; shifting one feature alerts on it."""
    rng = np.random.default_rng(0)
    ref_x, ref_scores = _reference(rng)
    calm, shifted = RecsMonitor(min_rows=500), RecsMonitor(min_rows=500)
    for monitor in (calm, shifted):
        monitor.set_reference("v0001", ref_x, ref_scores)
    for _ in range(100):
        rows = rng.normal(size=(10, N_FEATURES))
        calm.observe(_result(rows), variant="live", live_model=True)
        moved = rows.copy()
        moved[:, 3] += 1.5  # e.g. the seniority gap of served jobs grew
        shifted.observe(_result(moved), variant="live", live_model=True)
    quiet = calm.drift()
    assert quiet is not None
    assert quiet.rows == 1000
    assert all(r.status is DriftStatus.OK for r in quiet.results)
    loud = shifted.drift()
    assert loud is not None
    worst = max(loud.results, key=lambda r: r.psi)
    assert worst.name == FEATURE_NAMES[3]
    assert worst.status is DriftStatus.ALERT


def test_drift_waits_for_a_model_and_enough_rows() -> None:
    """No reference, or too few served rows, means no verdict rather than a noisy one."""
    rng = np.random.default_rng(1)
    monitor = RecsMonitor(min_rows=500)
    monitor.observe(_result(rng.normal(size=(600, N_FEATURES))), variant="live", live_model=True)
    assert monitor.drift() is None  # no live model yet
    monitor.set_reference("v0001", *_reference(rng))
    monitor.observe(_result(rng.normal(size=(10, N_FEATURES))), variant="live", live_model=True)
    assert monitor.drift() is not None  # 610 rows kept from before the model
    fresh = RecsMonitor(min_rows=500)
    fresh.set_reference("v0001", *_reference(rng))
    fresh.observe(_result(rng.normal(size=(10, N_FEATURES))), variant="live", live_model=True)
    assert fresh.drift() is None


def test_scores_from_other_rankers_are_not_compared_with_the_model() -> None:
    """Score drift only uses the live model's scores; fallback lists count but add no score."""
    rng = np.random.default_rng(2)
    monitor = RecsMonitor(min_rows=100)
    monitor.set_reference("v0001", *_reference(rng))
    rows = rng.normal(size=(200, N_FEATURES))
    monitor.observe(
        _result(rows, ranker="content", reason="model_error: boom"),
        variant="live", live_model=True,
    )  # fmt: skip
    report = monitor.drift()
    assert report is not None
    assert "model_score" not in {r.name for r in report.results}
    assert monitor.fallbacks == {"model_error": 1}


def test_the_collector_exports_counters_latency_and_drift() -> None:
    """/metrics text carries requests by variant, fallbacks by reason and PSI per feature."""
    rng = np.random.default_rng(3)
    monitor = RecsMonitor(min_rows=100)
    monitor.set_reference("v0001", *_reference(rng))
    monitor.observe(_result(rng.normal(size=(150, N_FEATURES))), variant="b", live_model=False)
    monitor.observe(
        _result(rng.normal(size=(5, N_FEATURES)), ranker="content", reason="no_model"),
        variant="live", live_model=True,
    )  # fmt: skip
    registry = CollectorRegistry()
    registry.register(RecsCollector(lambda: monitor))
    text = generate_latest(registry).decode()
    assert (
        'hiresight_recs_requests_total{fallback="false",ranker="lightgbm:v0001",variant="b"} 1.0'
        in text
    )
    assert 'hiresight_recs_fallbacks_total{reason="no_model"} 1.0' in text
    assert "hiresight_recs_latency_seconds_count 2.0" in text
    assert 'hiresight_recs_drift_psi{feature="embedding_similarity"}' in text
    assert 'hiresight_recs_drift_status{feature="embedding_similarity"}' in text


def test_reason_codes_drop_the_detail() -> None:
    """Metric labels stay bounded: the detail after ':' is dropped."""
    assert reason_code("latency_budget_exceeded: 61.0 ms > 50 ms") == "latency_budget_exceeded"
    assert reason_code(None) == "none"
