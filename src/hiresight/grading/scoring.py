"""The grading rubric: severity-weighted bugs fixed, a minimality bonus, regression penalty."""

from __future__ import annotations

from collections.abc import Sequence

from hiresight.grading.report import BugResult, ScoreBreakdown

BUG_WEIGHT = 90.0
MINIMALITY_WEIGHT = 10.0
REGRESSION_PENALTY = 15.0


def score(
    bugs: Sequence[BugResult], regressions: int, changed: int, reference_changed: int
) -> tuple[float, ScoreBreakdown]:
    """Score 0..100 and its parts.

    The minimality bonus is scaled by the share of bugs fixed, so that an empty patch (the
    most "minimal" one) earns nothing; a patch as small as the reference earns it in full.
    """
    total_severity = sum(b.severity for b in bugs)
    share = sum(b.severity for b in bugs if b.fixed) / total_severity if total_severity else 0.0
    bug_points = BUG_WEIGHT * share
    ratio = min(1.0, reference_changed / changed) if changed else 0.0
    minimality = MINIMALITY_WEIGHT * share * ratio
    penalty = REGRESSION_PENALTY * regressions
    value = max(0.0, min(100.0, bug_points + minimality - penalty))
    breakdown = ScoreBreakdown(
        bugs=round(bug_points, 2),
        minimality=round(minimality, 2),
        regression_penalty=round(penalty, 2),
        changed_lines=changed,
        reference_changed_lines=reference_changed,
    )
    return round(value, 1), breakdown
