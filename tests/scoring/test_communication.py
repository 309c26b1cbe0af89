"""Tests for delivery measures: fillers, pacing, concision and structure."""

from __future__ import annotations

import pytest

from hiresight.scoring import communication


def test_filler_count_known_answer() -> None:
    """Counts um, basically, you know and comma-set 'like' but not the verb 'like'."""
    text = "Um, basically I, like, fixed it, you know. I like Python."
    assert communication.filler_count(text) == 4


@pytest.mark.parametrize(
    ("used", "allotted", "expected"),
    [(60, 300, 0.18 / 0.23), (150, 300, 1.0), (300, 300, 1.0), (360, 300, 0.6), (None, 300, None)],
)
def test_pacing_known_values(used: float | None, allotted: float, expected: float | None) -> None:
    """Pacing ramps from 2 % to 25 % of the time, is flat to 100 %, then loses 2x the overrun."""
    got = communication.pacing(used, allotted)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected, abs=0.01)


def test_fillers_lower_the_filler_score() -> None:
    """An answer full of fillers scores lower on fillers than the same answer without them."""
    clean = communication.assess("I profiled the service and added a cache. It halved latency.")
    filled = communication.assess(
        "Um, basically I, like, profiled the service, you know, and um added a cache."
    )
    assert filled.fillers < clean.fillers


def test_rambling_repetition_costs_concision() -> None:
    """Repeating the same sentence many times lowers concision."""
    once = "We added an index to the orders table because lookups were slow. " * 1
    many = once * 12
    assert communication.assess(many).concision < communication.assess(once * 2).concision


def test_empty_text_scores_zero() -> None:
    """Nothing said, nothing to score."""
    assert communication.assess("").overall == 0.0


def test_quick_answer_that_covers_the_points_keeps_full_pacing() -> None:
    """Finishing in 5 % of the time costs pacing, unless the answer covers the points."""
    assert communication.pacing(15, 300) == pytest.approx(0.03 / 0.23, abs=0.01)
    assert communication.pacing(15, 300, covers_points=True) == 1.0


def test_covering_the_points_does_not_excuse_going_over_time() -> None:
    """Going 20 % over the limit loses 40 % of pacing whether or not the points are covered."""
    assert communication.pacing(360, 300, covers_points=True) == pytest.approx(0.6)


def test_assess_passes_covers_points_to_pacing() -> None:
    """A complete answer given quickly is not penalised in the overall delivery score."""
    text = "I profiled the service first. Then I added a cache, because reads dominated."
    rushed = communication.assess(text, time_used_s=6, time_allotted_s=300)
    complete = communication.assess(text, time_used_s=6, time_allotted_s=300, covers_points=True)
    assert rushed.pacing is not None
    assert rushed.pacing < 0.1
    assert complete.pacing == 1.0
    assert complete.overall > rushed.overall


def test_findings_quote_markers_fillers_and_long_sentences() -> None:
    """Each delivery finding is a quote at its exact offsets."""
    text = "First I profiled it, um, for a day. Then I added an index because scans were slow."
    found = communication.findings(text)
    points = [f.point for f in found]
    assert points.count("structure: discourse markers") == 2
    assert "fillers" in points
    for f in found:
        assert text[f.start : f.end] == f.quote


def test_findings_never_empty_for_an_answer() -> None:
    """With nothing to point at, the finding says what was measured and quotes the start."""
    (only,) = communication.findings("I fixed it. It works.")
    assert only.point.startswith("structure: 2 sentence(s)")
    assert only.quote == "I fixed it."
    assert communication.findings("") == []
