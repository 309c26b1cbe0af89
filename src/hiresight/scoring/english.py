"""English check: a Rasch (1PL) ability estimate for multiple choice, the writing sample, CEFR.

Ability θ and item difficulty b share one logit scale: P(correct) = 1 / (1 + exp(-(θ - b))).
θ is the EAP (posterior mean) over a grid with a standard-normal prior, which stays finite for
all-correct and all-wrong response patterns where maximum likelihood diverges (Bock & Mislevy 1982).
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel, Field

from hiresight.scoring import writing
from hiresight.scoring.errors import InvalidInputError
from hiresight.scoring.spoken import SpokenAssessment
from hiresight.scoring.types import ENGLISH_MC_VERSION, RUBRIC_VERSIONS, AnswerKind

CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
# Upper θ bounds of A1..C1 on the item-difficulty logit scale; item banks are written to match:
# an item of difficulty 0 is a solid B1 item.
_THETA_CUTS = (-1.5, -0.5, 0.5, 1.5, 2.5)
# Upper writing-score bounds (0–100) of A1..C1.
_WRITING_CUTS = (25.0, 45.0, 62.0, 76.0, 88.0)
_GRID = np.linspace(-5.0, 5.0, 401)


class MCResponse(BaseModel):
    """One answered multiple-choice item: its difficulty (logits) and whether it was correct."""

    difficulty: float = Field(ge=-6, le=6)
    correct: bool


class AbilityEstimate(BaseModel):
    """EAP ability estimate with its posterior standard deviation and CEFR band."""

    theta: float
    se: float
    value: float  # θ from -3 (0) to +3 (100) logits, for a 0–100 scorecard column
    cefr: str
    items: int
    version: str = ENGLISH_MC_VERSION


class WritingAssessment(BaseModel):
    """The writing sample's CEFR estimate with sub-scores and the raw measures behind them."""

    value: float
    cefr: str
    sub_scores: dict[str, float]
    metrics: writing.WritingMetrics
    version: str = RUBRIC_VERSIONS[AnswerKind.ENGLISH_WRITING]
    # Sentences of the sample behind the grammar, vocabulary and spelling sub-scores.
    findings: list[writing.Finding] = Field(default_factory=list)


class EnglishAssessment(BaseModel):
    """The combined English result: multiple choice, writing and speaking (each if given)."""

    cefr: str
    mc: AbilityEstimate | None
    writing: WritingAssessment | None
    spoken: SpokenAssessment | None = None


def _posterior(responses: list[MCResponse]) -> np.ndarray:
    log_post = -0.5 * _GRID**2  # standard-normal prior, unnormalised
    for r in responses:
        p = 1.0 / (1.0 + np.exp(-(_GRID - r.difficulty)))
        log_post = log_post + np.log(p if r.correct else 1.0 - p)
    post = np.exp(log_post - log_post.max())
    return np.asarray(post / post.sum())


def estimate_ability(responses: list[MCResponse]) -> AbilityEstimate:
    """EAP estimate of θ from the answered items (the prior mean 0 when there are none)."""
    post = _posterior(responses)
    theta = float((_GRID * post).sum())
    se = float(math.sqrt(((_GRID - theta) ** 2 * post).sum()))
    return AbilityEstimate(
        theta=theta,
        se=se,
        value=100.0 * min(1.0, max(0.0, (theta + 3.0) / 6.0)),
        cefr=theta_to_cefr(theta),
        items=len(responses),
    )


def next_item_difficulty(responses: list[MCResponse]) -> float:
    """Difficulty of the most informative next item: the current θ estimate.

    Rasch item information p(1-p) peaks where b = θ, so adaptive tests pick the item nearest it.
    """
    return estimate_ability(responses).theta


def _band(value: float, cuts: tuple[float, ...]) -> str:
    for level, cut in zip(CEFR_LEVELS, cuts, strict=False):
        if value < cut:
            return level
    return CEFR_LEVELS[-1]


def theta_to_cefr(theta: float) -> str:
    """CEFR band of an ability on the item-difficulty logit scale."""
    return _band(theta, _THETA_CUTS)


def writing_to_cefr(value: float) -> str:
    """CEFR band of a 0–100 writing score."""
    return _band(value, _WRITING_CUTS)


def assess_writing(text: str) -> WritingAssessment:
    """Measure a writing sample, estimate its CEFR level and quote the sentences behind it."""
    if len(text) > 50_000:
        raise InvalidInputError("the writing sample is longer than 50,000 characters")
    metrics = writing.measure(text)
    subs = writing.sub_scores(metrics)
    value = writing.writing_value(subs) if metrics.words else 0.0
    cefr = writing_to_cefr(value)
    # A very short sample cannot show upper-intermediate range, whatever its words.
    if metrics.words < 40 and CEFR_LEVELS.index(cefr) > 2:
        cefr = "B1"
    return WritingAssessment(
        value=value,
        cefr=cefr,
        sub_scores=subs,
        metrics=metrics,
        findings=writing.findings(text, metrics),
    )


def assess_english(
    responses: list[MCResponse] | None = None,
    writing_sample: str | None = None,
    spoken: SpokenAssessment | None = None,
) -> EnglishAssessment:
    """Combine multiple choice, writing and the spoken item into one CEFR band (the mean of the
    parts' band indexes).

    Rounding down on a tie keeps the estimate conservative; a recruiter sees every part anyway.
    """
    if not responses and not writing_sample and spoken is None:
        raise InvalidInputError("give multiple-choice responses, a writing sample, or both")
    mc = estimate_ability(responses) if responses else None
    wr = assess_writing(writing_sample) if writing_sample else None
    idx = [CEFR_LEVELS.index(part.cefr) for part in (mc, wr, spoken) if part is not None]
    return EnglishAssessment(
        cefr=CEFR_LEVELS[sum(idx) // len(idx)], mc=mc, writing=wr, spoken=spoken
    )
