"""The fit score: how well a job fits a candidate on paper, 0 (none) to 1 (every criterion).

A transparent weighted mean of five criteria a recruiter checks first, each in [0, 1]:

- required skills: the share of the job's required skills the candidate has, cubed (they
  are must-haves: half of them is a weak match);
- seniority: 1 at the candidate's level, 0.5 one level away, 0 two or more (a shortfall in
  the job's minimum years takes a little more off);
- place: 1 when the job is in the candidate's city or remote (and they work remotely), else 0;
- salary: 1 when the top of the band meets the expectation, falling to 0 at 50 % below;
  left out (its weight shared by the others) when either side is unknown;
- preferred skills and embedding similarity, small weights that break ties between jobs equal
  on the rest.

It ranks alone for candidates with little engagement history (a learned model has nothing of
theirs to go on) and is the prior the learned model's ranking is blended into for the others
(`blend`). The match score shown with each job is the same mean without the embedding
similarity, as 0-100 (`match_scores`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Self

import numpy as np
import numpy.typing as npt

from hiresight.matching.entities import FloatArray
from hiresight.matching.features import FEATURE_INDEX

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class FitWeights:
    """The criteria's weights (relative: they are normalised over the known criteria), and
    the exponent applied to required-skill coverage."""

    required_skills: float = 0.45
    seniority: float = 0.25
    place: float = 0.25
    salary: float = 0.1
    preferred_skills: float = 0.03
    similarity: float = 0.02
    # Required skills are must-haves: covering half of them is worth far less than half of
    # covering all, so coverage counts cubed (1/2 -> 0.13, 2/3 -> 0.30, 1 -> 1). Squared and
    # cubed were tried on half the demo candidates; cubed ranked them best (tests/demo).
    coverage_exponent: float = 3.0


FIT_WEIGHTS = FitWeights()
# What the match score shows: the criteria the explanation names. Embedding similarity breaks
# ties in the ranking, but a candidate cannot read or act on it, and its last decimals move
# with the CPU's int8 arithmetic (two full fits showed 100 on one machine, 99 on another).
MATCH_WEIGHTS = replace(FIT_WEIGHTS, similarity=0.0)
# A candidate with no engagement events (clicks, saves, applies, dismisses) is "cold": the fit
# score ranks alone. From the first event the learned model's share grows linearly to
# MODEL_SHARE at WARM_EVENTS, where the log says enough about them to personalise the order.
COLD_EVENTS = 1
WARM_EVENTS = 20
# At most this much of the final score comes from the learned model's ranking: enough to reorder
# jobs of similar fit, never enough to put a half-matching job above a full match.
MODEL_SHARE = 0.12

_COL = FEATURE_INDEX


def criteria(x: FloatArray, weights: FitWeights = FIT_WEIGHTS) -> dict[str, FloatArray]:
    """Each criterion's value in [0, 1] per feature row (NaN where unknown: salary only)."""
    gap = np.abs(np.nan_to_num(x[:, _COL["seniority_gap"]], nan=0.0))
    shortfall = np.nan_to_num(x[:, _COL["years_shortfall"]], nan=0.0)
    salary = x[:, _COL["salary_fit"]]
    return {
        "required_skills": np.nan_to_num(x[:, _COL["required_skill_coverage"]], nan=1.0)
        ** weights.coverage_exponent,
        "seniority": np.clip(1.0 - 0.5 * gap - 0.05 * shortfall, 0.0, 1.0),
        "place": np.nan_to_num(x[:, _COL["location_fit"]], nan=0.0),
        "salary": np.clip(1.0 + 2.0 * salary, 0.0, 1.0),  # NaN stays NaN: unknown
        "preferred_skills": np.nan_to_num(x[:, _COL["preferred_skill_coverage"]], nan=1.0),
        "similarity": np.clip(np.nan_to_num(x[:, _COL["embedding_similarity"]], nan=0.0), 0, 1),
    }


def fit_score(x: FloatArray, weights: FitWeights = FIT_WEIGHTS) -> FloatArray:
    """The fit of each feature row, in [0, 1]: the weighted mean of the known criteria."""
    total = np.zeros(x.shape[0], dtype=np.float64)
    norm = np.zeros(x.shape[0], dtype=np.float64)
    for name, values in criteria(x, weights).items():
        w = getattr(weights, name)
        known = ~np.isnan(values)
        total += np.where(known, w * np.nan_to_num(values), 0.0)
        norm += np.where(known, w, 0.0)
    return (total / np.maximum(norm, 1e-9)).astype(np.float32)


def match_scores(x: FloatArray) -> npt.NDArray[np.int64]:
    """The 0-100 match score shown with each feature row's job (or candidate)."""
    fit = np.clip(fit_score(x, MATCH_WEIGHTS).astype(np.float64), 0.0, 1.0)
    # Half up, as everywhere a score is shown: numpy's round would take 0.985 to 98.
    return np.floor(100.0 * fit + 0.5).astype(np.int64)


def model_share(events: int) -> float:
    """How much of the ranking the learned model decides for a candidate with `events`."""
    if events < COLD_EVENTS:
        return 0.0
    return MODEL_SHARE * min(1.0, events / WARM_EVENTS)


def blend(fit: FloatArray, model_scores: FloatArray, share: float) -> FloatArray:
    """Fit plus the model's ranking as a percentile in [0, 1], weighted by `share`.

    Percentiles, not raw scores: LambdaRank scores have no fixed scale, and a rank keeps the
    model's order while bounding how far it can move a job.
    """
    n = fit.shape[0]
    if share <= 0.0 or n < 2:
        return fit
    order = np.argsort(model_scores, kind="stable")
    pct = np.empty(n, dtype=np.float32)
    pct[order] = np.arange(n, dtype=np.float32) / (n - 1)
    return ((1.0 - share) * fit + share * pct).astype(np.float32)


class FitRanker:
    """The fit score as a ranker: no training data, the cold-start and fallback ranker."""

    name = "fit"

    def __init__(self, weights: FitWeights = FIT_WEIGHTS) -> None:
        self.weights = weights

    def fit(
        self, x: FloatArray, y: IntArray, groups: IntArray, weights: FloatArray | None = None
    ) -> Self:
        """Nothing to learn: the weights are fixed by design."""
        return self

    def score(self, x: FloatArray) -> FloatArray:
        """The fit score of each row."""
        return fit_score(x, self.weights)
