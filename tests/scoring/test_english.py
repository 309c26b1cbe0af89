"""Tests for the Rasch multiple-choice estimate, CEFR mapping and the combined English result."""

from __future__ import annotations

import math

import pytest
from scipy import integrate

from hiresight.scoring import english
from hiresight.scoring.english import MCResponse
from hiresight.scoring.errors import InvalidInputError


def _eap_by_quadrature(responses: list[MCResponse]) -> float:
    """Independent EAP: integrate θ·L(θ)·φ(θ) / ∫L(θ)·φ(θ) with scipy."""

    def likelihood(theta: float) -> float:
        value = math.exp(-0.5 * theta * theta)
        for r in responses:
            p = 1 / (1 + math.exp(-(theta - r.difficulty)))
            value *= p if r.correct else 1 - p
        return value

    num = integrate.quad(lambda t: t * likelihood(t), -8, 8)[0]
    den = integrate.quad(likelihood, -8, 8)[0]
    return num / den


def test_eap_matches_numerical_integration() -> None:
    """The grid EAP agrees with an independent quadrature to 3 decimals (known answer)."""
    responses = [
        MCResponse(difficulty=-1.0, correct=True),
        MCResponse(difficulty=0.0, correct=True),
        MCResponse(difficulty=0.5, correct=False),
        MCResponse(difficulty=1.5, correct=True),
        MCResponse(difficulty=2.0, correct=False),
    ]
    assert english.estimate_ability(responses).theta == pytest.approx(
        _eap_by_quadrature(responses), abs=1e-3
    )


def test_single_correct_item_known_value() -> None:
    """One correct item of difficulty 0 gives θ ≈ 0.4132 (quadrature value, N(0,1) prior)."""
    est = english.estimate_ability([MCResponse(difficulty=0.0, correct=True)])
    assert est.theta == pytest.approx(0.4132, abs=2e-3)


def test_all_correct_and_all_wrong_are_finite_and_symmetric() -> None:
    """Extreme patterns stay finite (EAP) and mirror each other on a symmetric item set."""
    diffs = [-1.0, 0.0, 1.0]
    up = english.estimate_ability([MCResponse(difficulty=d, correct=True) for d in diffs])
    down = english.estimate_ability([MCResponse(difficulty=d, correct=False) for d in diffs])
    assert math.isfinite(up.theta)
    assert up.theta > 0.5
    assert up.theta == pytest.approx(-down.theta, abs=1e-6)


def test_harder_items_right_mean_higher_ability() -> None:
    """Answering harder items correctly raises θ more than answering easy ones."""
    easy = english.estimate_ability([MCResponse(difficulty=-2, correct=True)] * 4)
    hard = english.estimate_ability([MCResponse(difficulty=2, correct=True)] * 4)
    assert hard.theta > easy.theta


def test_no_responses_gives_prior() -> None:
    """With no items the estimate is the prior mean 0 with SD ≈ 1."""
    est = english.estimate_ability([])
    assert est.theta == pytest.approx(0.0, abs=1e-9)
    assert est.se == pytest.approx(1.0, abs=0.01)
    assert est.value == pytest.approx(50.0)


def test_next_item_moves_towards_ability() -> None:
    """Adaptive selection targets the current θ: up after a correct answer, down after a wrong."""
    start = english.next_item_difficulty([])
    after_right = english.next_item_difficulty([MCResponse(difficulty=start, correct=True)])
    after_wrong = english.next_item_difficulty([MCResponse(difficulty=start, correct=False)])
    assert after_wrong < start < after_right


@pytest.mark.parametrize(
    ("theta", "band"),
    [(-3.0, "A1"), (-1.0, "A2"), (0.0, "B1"), (1.0, "B2"), (2.0, "C1"), (3.0, "C2")],
)
def test_theta_to_cefr_bands(theta: float, band: str) -> None:
    """θ maps onto the six CEFR bands at the documented cut points."""
    assert english.theta_to_cefr(theta) == band


def test_assess_english_requires_some_input() -> None:
    """Neither responses nor writing is a user error with a stable code."""
    with pytest.raises(InvalidInputError) as err:
        english.assess_english(None, None)
    assert err.value.code == "scoring_invalid_input"


def test_assess_english_combines_parts_conservatively() -> None:
    """The combined band is the rounded-down mean of the MC and writing bands."""
    strong_mc = [MCResponse(difficulty=2.5, correct=True)] * 12
    result = english.assess_english(strong_mc, "I like cat. It is good.")
    assert result.mc is not None
    assert result.writing is not None
    idx = [english.CEFR_LEVELS.index(p.cefr) for p in (result.mc, result.writing)]
    assert result.cefr == english.CEFR_LEVELS[sum(idx) // 2]


def test_difficulty_out_of_range_rejected() -> None:
    """Item difficulties outside ±6 logits are rejected by validation."""
    with pytest.raises(ValueError, match="difficulty"):
        MCResponse(difficulty=42, correct=True)


def test_writing_part_quotes_the_sentences_behind_its_sub_scores() -> None:
    """The combined result's writing part carries grammar, vocabulary and spelling findings,
    each quoting a sentence of the sample at its exact offsets."""
    sample = "I has recieve the report. The latency was ubiquitous, so we mitigated it."
    result = english.assess_english(None, sample)
    assert result.writing is not None
    assert {f.aspect for f in result.writing.findings} == {"grammar", "vocabulary", "spelling"}
    for f in result.writing.findings:
        assert sample[f.start : f.end] == f.quote


def test_a_stored_assessment_without_findings_still_reads() -> None:
    """Assessments serialised before findings existed validate with an empty list."""
    stored = english.assess_writing("We fixed the build.").model_dump()
    del stored["findings"]
    assert english.WritingAssessment.model_validate(stored).findings == []
