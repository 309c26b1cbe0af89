"""What the live recommender served: requests, fallbacks, latency and drift.

Each web process keeps its own counters (Prometheus scrapes every process and sums them) and
a bounded sample of the feature rows and scores it served. Drift compares that sample with
the reference the live model was trained on (the registry's reference.npz): the population
stability index per feature and of the model score (see drift.py). Served rows are compared
with training rows because both are "jobs shown to a candidate": the reference is built from
impression lists, so comparing it with every retrieved job would report drift that is only
the difference between shown and retrieved.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    Metric,
    SummaryMetricFamily,
)
from prometheus_client.registry import Collector

from hiresight.matching.drift import DriftResult, DriftStatus, model_drift
from hiresight.matching.entities import FloatArray
from hiresight.matching.recommend import RecommendationResult

log = logging.getLogger(__name__)

_STATUS_LEVEL = {DriftStatus.OK: 0, DriftStatus.WARN: 1, DriftStatus.ALERT: 2}


def reason_code(reason: str | None) -> str:
    """The stable part of a fallback reason ("model_error: ..." -> "model_error")."""
    return (reason or "none").split(":", 1)[0]


@dataclass(frozen=True)
class DriftReport:
    """Drift of recent traffic against one model version's training reference."""

    version: str
    rows: int
    results: list[DriftResult]  # the model score first, then features worst first
    computed_at: float


class RecsMonitor:
    """Counters and a served-traffic sample of one live recommender; thread-safe."""

    def __init__(
        self,
        *,
        capacity: int = 5000,
        min_rows: int = 500,
        refresh_seconds: float = 60.0,
        random_state: int = 0,
    ) -> None:
        self.capacity = capacity
        self.min_rows = min_rows
        self.refresh_seconds = refresh_seconds
        self.lock = threading.Lock()
        self.requests: Counter[tuple[str, str, bool]] = Counter()  # (ranker, variant, fallback)
        self.fallbacks: Counter[str] = Counter()
        self.latency_count = 0
        self.latency_sum_s = 0.0
        self._rows: deque[FloatArray] = deque(maxlen=capacity)
        self._scores: deque[float] = deque(maxlen=capacity)
        self._reference: tuple[str, FloatArray, FloatArray] | None = None
        self._drift: DriftReport | None = None
        self._rng = np.random.default_rng(random_state)

    def set_reference(self, version: str, features: FloatArray, scores: FloatArray) -> None:
        """A new live model: drift is measured against its training data from now on."""
        with self.lock:
            if self._reference is not None and self._reference[0] == version:
                return
            self._reference = (version, features, scores)
            self._scores.clear()  # scores of the previous model are not comparable
            self._drift = None

    def observe(self, result: RecommendationResult, *, variant: str, live_model: bool) -> None:
        """Count one served list; sample its rows (scores only when the live model scored)."""
        with self.lock:
            self.requests[(result.ranker, variant, result.fallback)] += 1
            if result.fallback:
                self.fallbacks[reason_code(result.fallback_reason)] += 1
            self.latency_count += 1
            self.latency_sum_s += result.latency_ms / 1000.0
            if result.features is None or result.scores is None or not len(result.features):
                return
            self._rows.extend(result.features)
            if live_model and not result.fallback:
                self._scores.extend(float(s) for s in result.scores)

    def drift(self, now: float | None = None) -> DriftReport | None:
        """Drift against the live model's reference, recomputed at most every refresh_seconds.

        None until there is a live model and at least min_rows served rows. Alerts are logged
        as warnings when they are computed.
        """
        now = time.monotonic() if now is None else now
        with self.lock:
            if self._reference is None or len(self._rows) < self.min_rows:
                return None
            if self._drift is not None and now - self._drift.computed_at < self.refresh_seconds:
                return self._drift
            version, ref_x, ref_scores = self._reference
            current = np.stack(list(self._rows))
            scores = np.asarray(self._scores, dtype=np.float64)
        results = model_drift(
            ref_x, ref_scores, current, scores if scores.size else np.full(1, np.nan)
        )
        if not scores.size:
            results = results[1:]  # no live-model scores yet: feature drift only
        report = DriftReport(version, int(current.shape[0]), results, now)
        for r in results:
            if r.status is DriftStatus.ALERT:
                log.warning(
                    "recommendation drift: %s PSI %.3f against %s training data",
                    r.name, r.psi, version,
                )  # fmt: skip
        with self.lock:
            self._drift = report
        return report


class RecsCollector(Collector):
    """Prometheus view of a live recommender's monitor (looked up at scrape time)."""

    def __init__(self, monitor: Callable[[], RecsMonitor | None]) -> None:
        self._monitor = monitor

    def collect(self) -> Iterator[Metric]:
        """Request and fallback counters, latency, and per-feature and score PSI."""
        monitor = self._monitor()
        requests = CounterMetricFamily(
            "hiresight_recs_requests",
            "Recommendation lists served, by ranker, experiment variant and fallback.",
            labels=["ranker", "variant", "fallback"],
        )
        fallbacks = CounterMetricFamily(
            "hiresight_recs_fallbacks",
            "Lists served by the content ranker because the model was missing, failed or slow.",
            labels=["reason"],
        )
        latency = SummaryMetricFamily(
            "hiresight_recs_latency_seconds", "Time to retrieve, rank and explain one list."
        )
        psi = GaugeMetricFamily(
            "hiresight_recs_drift_psi",
            "Population stability index of served traffic against the live model's training "
            "data (feature `model_score` is the score).",
            labels=["feature"],
        )
        level = GaugeMetricFamily(
            "hiresight_recs_drift_status",
            "Drift verdict per feature: 0 ok (PSI < 0.1), 1 warn, 2 alert (PSI >= 0.25).",
            labels=["feature"],
        )
        if monitor is not None:
            with monitor.lock:
                counts = dict(monitor.requests)
                reasons = dict(monitor.fallbacks)
                n, total = monitor.latency_count, monitor.latency_sum_s
            for (ranker, variant, fell_back), value in sorted(counts.items()):
                requests.add_metric([ranker, variant, str(fell_back).lower()], value)
            for reason, value in sorted(reasons.items()):
                fallbacks.add_metric([reason], value)
            latency.add_metric([], count_value=n, sum_value=total)
            report = monitor.drift()
            for r in report.results if report else []:
                psi.add_metric([r.name], r.psi)
                level.add_metric([r.name], _STATUS_LEVEL[r.status])
        else:
            latency.add_metric([], count_value=0, sum_value=0.0)
        yield from (requests, fallbacks, latency, psi, level)
