"""Checklist scoring: tiers, not-applicable history, and the 0..100 overall score."""

from __future__ import annotations

from datetime import timedelta

from hiresight.portfolio.checks import history_checks, overall_score, readme_checks, suite_checks
from hiresight.portfolio.history import GitReadout
from hiresight.portfolio.inventory import Inventory
from hiresight.portfolio.readme import ReadmeFindings
from hiresight.portfolio.schemas import CheckResult, GitActivity, TestStats

from .factories import START


def _check(points: int, max_points: int) -> CheckResult:
    return CheckResult(name="c", passed=points == max_points, points=points, max=max_points,
                       evidence="")  # fmt: skip


def test_overall_score_is_points_over_applicable_max() -> None:
    """Known answer: 30 of 40 applicable points is 75; max-0 checks do not dilute the score."""
    assert overall_score([_check(20, 20), _check(10, 20), _check(0, 0)]) == 75
    assert overall_score([_check(1, 3)]) == 33
    assert overall_score([]) == 0


def test_unknown_history_is_not_applicable() -> None:
    """Without history the three history checks have max 0 and carry the note as evidence."""
    results = history_checks(GitReadout(None, "no .git folder"))
    assert [(c.points, c.max, c.evidence) for c in results] == [(0, 0, "no .git folder")] * 3


def test_history_tiers() -> None:
    """4 commits in 2 weeks over 10 days earn the middle tiers: 2 + 2 + 2 of 15."""
    activity = GitActivity(commits=4, authors=1, first_commit=START,
                           last_commit=START + timedelta(days=10), active_weeks=2)  # fmt: skip
    results = history_checks(GitReadout(activity))
    assert [(c.name, c.points, c.max, c.passed) for c in results] == [
        ("history_commits", 2, 5, False),
        ("history_active_weeks", 2, 5, False),
        ("history_span", 2, 5, False),
    ]


def test_test_count_tiers() -> None:
    """9 test functions: present (10/10) but below the first count tier (0/10); 10 earn 5."""
    inventory = Inventory(tests=TestStats(test_files=2, test_functions=9, by_language={"Go": 9}))
    present, count = suite_checks(inventory)
    assert (present.points, count.points) == (10, 0)
    assert present.evidence == "2 test file(s), 9 test function(s) (Go 9)"
    inventory.tests.test_functions = 10
    assert suite_checks(inventory)[1].points == 5


def test_missing_readme_fails_all_readme_checks() -> None:
    """No README: five failed checks worth 5 each, all saying why."""
    results = readme_checks(ReadmeFindings())
    assert [(c.points, c.max) for c in results] == [(0, 5)] * 5
    assert {c.evidence for c in results} == {"no README at the repository root"}
