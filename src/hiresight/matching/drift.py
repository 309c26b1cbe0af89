"""Population stability index (PSI) between training data and recent traffic.

PSI = sum over bins of (p_cur - p_ref) * ln(p_cur / p_ref), with bins at the reference's
quantiles so each holds ~1/bins of the training data, and a small epsilon in empty bins
(otherwise one empty bin makes PSI infinite). Rule-of-thumb thresholds from credit-scoring
practice (Siddiqi 2006, "Credit Risk Scorecards"): < 0.1 stable, 0.1-0.25 some shift,
> 0.25 major shift. Missing values (NaN) get a bin of their own, since "suddenly missing"
(e.g. interview scores stop arriving) is drift too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from hiresight.matching.entities import FloatArray
from hiresight.matching.features import FEATURE_NAMES

WARN, ALERT = 0.1, 0.25
EPSILON = 1e-4


class DriftStatus(StrEnum):
    """Traffic-light verdict for one PSI value."""

    OK = "ok"
    WARN = "warn"
    ALERT = "alert"


def status(psi_value: float) -> DriftStatus:
    """ok below 0.1, warn up to 0.25, alert above."""
    if psi_value >= ALERT:
        return DriftStatus.ALERT
    if psi_value >= WARN:
        return DriftStatus.WARN
    return DriftStatus.OK


def _proportions(values: FloatArray, edges: FloatArray) -> FloatArray:
    finite = values[~np.isnan(values)]
    # Interior edges only: the outer bins are open so out-of-range traffic is still counted.
    idx = np.searchsorted(edges[1:-1], finite, side="right")
    counts = np.bincount(idx, minlength=len(edges) - 1).astype(np.float64)
    counts = np.append(counts, np.isnan(values).sum())
    return counts / max(values.size, 1)


def psi(
    reference: FloatArray, current: FloatArray, bins: int = 10, epsilon: float = EPSILON
) -> float:
    """PSI of `current` against `reference` with reference-quantile bins."""
    ref = np.asarray(reference, dtype=np.float64)
    cur = np.asarray(current, dtype=np.float64)
    finite = ref[~np.isnan(ref)]
    if finite.size == 0:
        edges = np.array([-np.inf, np.inf])
    else:
        edges = np.unique(np.quantile(finite, np.linspace(0.0, 1.0, bins + 1)))
        if edges.size < 2:  # constant feature: one bin for the value, one either side
            edges = np.array([edges[0] - 1.0, edges[0], edges[0] + 1.0])
    p = np.maximum(_proportions(ref, edges), epsilon)
    q = np.maximum(_proportions(cur, edges), epsilon)
    return float(np.sum((q - p) * np.log(q / p)))


@dataclass(frozen=True)
class DriftResult:
    """PSI and verdict for one feature (or for the model score)."""

    name: str
    psi: float
    status: DriftStatus


def feature_drift(
    reference: FloatArray, current: FloatArray, names: Sequence[str], bins: int = 10
) -> list[DriftResult]:
    """PSI per column, worst first."""
    results = [
        DriftResult(name, value, status(value))
        for i, name in enumerate(names)
        for value in [psi(reference[:, i], current[:, i], bins)]
    ]
    return sorted(results, key=lambda r: -r.psi)


def score_drift(
    reference_scores: FloatArray, current_scores: FloatArray, bins: int = 10
) -> DriftResult:
    """PSI of the model's scores: a shift here means the served ranking has changed."""
    value = psi(reference_scores, current_scores, bins)
    return DriftResult("model_score", value, status(value))


def model_drift(
    reference_features: FloatArray,
    reference_scores: FloatArray,
    current_features: FloatArray,
    current_scores: FloatArray,
    names: Sequence[str] = FEATURE_NAMES,
) -> list[DriftResult]:
    """Score drift first, then every feature, worst first (reference from the registry)."""
    return [
        score_drift(reference_scores, current_scores),
        *feature_drift(reference_features, current_features, names),
    ]
