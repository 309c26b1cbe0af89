"""The rubric's known answers."""

from __future__ import annotations

import pytest

from hiresight.grading.report import BugResult
from hiresight.grading.scoring import score


def _bugs(*fixed_severity: tuple[bool, int]) -> list[BugResult]:
    return [
        BugResult(id=f"b{i}", fixed=f, severity=s, bug_class="other")
        for i, (f, s) in enumerate(fixed_severity)
    ]


@pytest.mark.parametrize(
    ("bugs", "regressions", "changed", "reference", "expected"),
    [
        (_bugs((True, 2), (True, 1)), 0, 4, 4, 100.0),  # everything, reference-sized
        (_bugs((True, 2), (True, 1)), 0, 8, 4, 95.0),  # twice the reference: half the bonus
        (_bugs((False, 2), (False, 1)), 0, 0, 4, 0.0),  # empty patch earns nothing
        (_bugs((True, 2), (False, 1)), 0, 2, 4, 66.7),  # 60 + 10*2/3
        (_bugs((True, 3), (False, 1)), 1, 3, 4, 60.0),  # 67.5 + 7.5 - 15
        (
            _bugs(
                (False, 1),
            ),
            2,
            10,
            4,
            0.0,
        ),  # never below zero
    ],
)
def test_score_known_answers(
    bugs: list[BugResult], regressions: int, changed: int, reference: int, expected: float
) -> None:
    """Severity-weighted share x 90, minimality bonus x 10 x share, minus 15 per regression."""
    value, breakdown = score(bugs, regressions, changed, reference)
    assert value == expected
    assert breakdown.regression_penalty == 15 * regressions
