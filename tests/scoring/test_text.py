"""Tests for free-text measures: specificity, STAR, trade-offs, coverage evidence and gates."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest
from numpy.typing import NDArray

from hiresight.scoring import freetext, scorers, text
from hiresight.scoring.types import RUBRIC_VERSIONS, Answer, AnswerKind, Question, RubricPoint

QUESTION = Question(
    text="How would you make a slow product-page endpoint faster?",
    kind=AnswerKind.SYSTEM_DESIGN,
    reference_answer=(
        "Profile the endpoint first. Cache repeated database reads in Redis with a TTL. "
        "Fix N+1 queries with joins or batching."
    ),
)
RUBRIC = [
    RubricPoint(id="profile", text="Profile the endpoint to find the bottleneck first"),
    RubricPoint(id="cache", text="Cache repeated database reads in Redis with a TTL"),
    RubricPoint(id="n+1", text="Fix N+1 queries with joins or batching"),
]
GOOD = (
    "First I would profile the endpoint with py-spy to see where the time goes. "
    "If most of it is repeated catalogue reads, I would cache them in Redis with a 5 minute TTL. "
    "I would also fix the N+1 queries by loading the variants with a single join."
)


def test_specificity_counts_numbers_names_actions() -> None:
    """Numbers, tech names and actions are detected; vague text has none."""
    concrete = text.specificity("I cut p95 from 400 ms to 160 ms by adding Redis and Kafka.")
    vague = text.specificity("It was good and things got better after some work.")
    assert concrete["numbers"] > 0
    assert concrete["named_technologies"] > 0
    assert concrete["concrete_actions"] > 0
    assert vague["numbers"] == vague["named_technologies"] == vague["concrete_actions"] == 0


def test_ownership_prefers_i_over_we() -> None:
    """First-person ownership is the share of 'I' among I/we mentions."""
    assert text.specificity("I wrote it and I shipped it.")["ownership"] == 1.0
    assert text.specificity("We wrote it and we shipped it.")["ownership"] == 0.0


def test_tradeoff_cues_counted() -> None:
    """'at the cost of', 'instead of' and 'trade-off' each count."""
    answer = "A trade-off: Redis instead of Memcached, faster at the cost of memory."
    assert freetext.tradeoff_count(answer) == 3


def test_evidence_quotes_answer_with_exact_offsets() -> None:
    """Every evidence quote is the answer text at its offsets, and covered points are matched."""
    score = scorers.score(QUESTION, Answer(text=GOOD), RUBRIC)
    assert {e.point for e in score.evidence} == {p.text for p in RUBRIC}
    for ev in score.evidence:
        assert GOOD[ev.start : ev.end] == ev.quote
    cache_ev = next(e for e in score.evidence if e.point == RUBRIC[1].text)
    assert "Redis" in cache_ev.quote


def test_missing_point_reported() -> None:
    """A point the answer never touches is listed in points_missed."""
    answer = "I would cache the repeated catalogue reads in Redis with a short TTL of 5 minutes."
    score = scorers.score(QUESTION, Answer(text=answer), RUBRIC)
    assert RUBRIC[2].text in score.points_missed


@pytest.mark.parametrize("blank", ["", "   ", "ok"])
def test_empty_answers_score_zero(blank: str) -> None:
    """Empty or near-empty answers score 0 and miss every point."""
    score = scorers.score(QUESTION, Answer(text=blank), RUBRIC)
    assert score.value == 0.0
    assert len(score.points_missed) == len(RUBRIC)


def test_nonsense_scores_very_low() -> None:
    """Keyboard mash is detected by the real-word share and scores under 10."""
    score = scorers.score(QUESTION, Answer(text="asdkj qwpoe zxmcn lkjqw poiuy mnbvc"), RUBRIC)
    assert score.value < 10
    assert any("nonsense" in n for n in score.notes)


def test_off_topic_scores_below_weak_on_topic() -> None:
    """An off-topic answer scores below a weak but relevant one."""
    weak = scorers.score(QUESTION, Answer(text="I would add a cache to make it faster."), RUBRIC)
    off = scorers.score(
        QUESTION, Answer(text="My favourite holiday was hiking in the Alps with friends."), RUBRIC
    )
    assert off.value < 10
    assert off.value < weak.value


def test_good_beats_weak() -> None:
    """The detailed answer outscores a vague one."""
    good = scorers.score(QUESTION, Answer(text=GOOD), RUBRIC)
    weak = scorers.score(QUESTION, Answer(text="I would add a cache to make it faster."), RUBRIC)
    assert good.value > weak.value + 20


def test_scoring_is_deterministic_and_versioned() -> None:
    """Same input, same score; the rubric version and provider are recorded."""
    a = scorers.score(QUESTION, Answer(text=GOOD), RUBRIC)
    b = scorers.score(QUESTION, Answer(text=GOOD), RUBRIC)
    assert a == b
    assert a.rubric_version == RUBRIC_VERSIONS[AnswerKind.SYSTEM_DESIGN]
    assert a.provider == "rubric"


def test_rubric_defaults_to_reference_sentences() -> None:
    """With no rubric, each reference sentence becomes a point."""
    points = text.rubric_from_reference(QUESTION)
    assert points[0].text == "Profile the endpoint first."
    assert len(points) == 3


def test_keyword_stuffing_is_penalised() -> None:
    """A bare list of rubric keywords scores well below prose making the same points."""
    stuffed = scorers.score(
        QUESTION, Answer(text="py-spy profile bottleneck Redis cache TTL N+1 join batching"), RUBRIC
    )
    prose = scorers.score(QUESTION, Answer(text=GOOD), RUBRIC)
    assert any("keyword list" in n for n in stuffed.notes)
    assert stuffed.value < prose.value / 2


def test_claim_figures_mismatch_noted_not_penalised() -> None:
    """Different figures from the résumé claim produce a note; matching ones do not."""
    claim = "Cut p95 latency by 60% with a Redis cache"
    assert text.claim_number_mismatch(claim, "Latency fell by 20% after caching.") is not None
    assert text.claim_number_mismatch(claim, "It fell by 60% after caching.") is None
    assert text.claim_number_mismatch(claim, "It got much faster.") is None


class _TableEmbedder:
    """Fixed unit vectors per text (unknown texts share one), so similarities are known."""

    name, dim = "table", 4

    def __init__(self, table: dict[str, list[float]]) -> None:
        self.table = table

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        rows = [self.table.get(t, [1.0, 0.0, 0.0, 0.0]) for t in texts]
        return np.asarray(rows, dtype=np.float32)

    def clip(self, text: str, max_tokens: int) -> str:
        return text


def test_coverage_quotes_the_closest_sentence_of_each_missed_point() -> None:
    """Known answer: a point missed at similarity 0.30 (above SIM_LOW) gets its nearest sentence
    as `closest`; one missed at 0.10 gets none; a covered point is evidence only; the credit is
    unchanged by the closest sentences (1 + ramp(0.30)) / 3."""
    rest = math.sqrt(1 - 0.3**2)
    table = {
        "Cache the reads.": [1.0, 0.0, 0.0, 0.0],
        "Fix the N+1 queries.": [0.0, 1.0, 0.0, 0.0],
        "Profile it first.": [0.0, 0.0, 0.0, 1.0],
        "I cached the reads.": [1.0, 0.0, 0.0, 0.0],
        "I changed some database code.": [0.0, 0.3, rest, 0.0],
        "It went well.": [0.0, 0.0, math.sqrt(1 - 0.1**2), 0.1],
    }
    rubric = [
        RubricPoint(id="cache", text="Cache the reads."),
        RubricPoint(id="n+1", text="Fix the N+1 queries."),
        RubricPoint(id="profile", text="Profile it first."),
    ]
    answer = "I cached the reads. I changed some database code. It went well."
    cov = text.coverage(QUESTION, answer, rubric, _TableEmbedder(table))
    assert [e.point for e in cov.evidence] == ["Cache the reads."]
    assert cov.missed == ["Fix the N+1 queries.", "Profile it first."]
    (near,) = cov.closest
    assert near.point == "Fix the N+1 queries."
    assert near.quote == "I changed some database code."
    assert answer[near.start : near.end] == near.quote
    assert near.similarity == pytest.approx(0.3, abs=1e-4)
    low, high = text.SIM_LOW, text.SIM_HIGH
    assert cov.credit == pytest.approx((1.0 + (0.3 - low) / (high - low)) / 3, abs=1e-5)
