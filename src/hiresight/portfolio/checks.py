"""The scored checklist: findings in, `CheckResult`s out, and the overall 0..100 score.

Points (out of 100 when history is known): README 25, tests 20, CI 15, reproducible build 10,
licence 10, source code 5, commit history 15. A check that cannot apply (no .git folder) gets
max 0, so an archive without history is scored on what it shows rather than penalised.
"""

from __future__ import annotations

from hiresight.portfolio.history import GitReadout
from hiresight.portfolio.inventory import Inventory
from hiresight.portfolio.readme import ReadmeFindings
from hiresight.portfolio.schemas import CheckResult

README_MIN_WORDS = 150
SOURCE_MIN_LINES = 100


def _binary(name: str, max_points: int, evidence: str | None, missing: str) -> CheckResult:
    """A pass/fail check worth all or nothing."""
    passed = evidence is not None
    return CheckResult(
        name=name,
        passed=passed,
        points=max_points if passed else 0,
        max=max_points,
        evidence=evidence if evidence is not None else missing,
    )


def _tiered(name: str, value: float, tiers: list[tuple[float, int]], evidence: str) -> CheckResult:
    """Points of the highest tier whose threshold `value` reaches; passed at the top tier."""
    max_points = max(points for _, points in tiers)
    points = max((p for threshold, p in tiers if value >= threshold), default=0)
    return CheckResult(
        name=name, passed=points == max_points, points=points, max=max_points, evidence=evidence
    )


def readme_checks(readme: ReadmeFindings) -> list[CheckResult]:
    """README present, problem statement, run instructions, usage/results, enough substance."""
    if readme.path is None:
        missing = "no README at the repository root"
        names = ["readme_present", "readme_problem_statement", "readme_install_run"]
        names += ["readme_usage_results", "readme_substance"]
        return [_binary(name, 5, None, missing) for name in names]
    return [
        _binary("readme_present", 5, readme.path, ""),
        _binary("readme_problem_statement", 5, readme.problem_evidence,
                "no overview section or opening paragraph saying what the project is for"),
        _binary("readme_install_run", 5, readme.install_evidence,
                "no install/run section or command"),
        _binary("readme_usage_results", 5, readme.usage_evidence,
                "no usage, results or screenshots"),
        _tiered("readme_substance", readme.words, [(README_MIN_WORDS, 5)],
                f"{readme.words} word(s) (at least {README_MIN_WORDS} expected)"),
    ]  # fmt: skip


def suite_checks(inventory: Inventory) -> list[CheckResult]:
    """Tests present, and how many test functions."""
    tests = inventory.tests
    per_language = ", ".join(f"{lang} {n}" for lang, n in sorted(tests.by_language.items()))
    summary = f"{tests.test_files} test file(s), {tests.test_functions} test function(s)"
    present = summary + (f" ({per_language})" if per_language else "")
    return [
        _tiered("tests_present", tests.test_functions, [(1, 10)], present),
        _tiered("tests_count", tests.test_functions, [(10, 5), (30, 10)],
                f"{tests.test_functions} test function(s): 10 earn 5 points, 30 earn 10"),
    ]  # fmt: skip


def hygiene_checks(
    ci: list[str], build: list[str], licence: str | None, inventory: Inventory
) -> list[CheckResult]:
    """CI, reproducible build, licence and some real source code."""
    languages = sorted(inventory.languages.values(), key=lambda s: -s.lines)
    top = ", ".join(f"{s.language} {s.lines}" for s in languages[:3]) or "none recognised"
    return [
        _binary("ci_configured", 15, _listed(ci), "no CI configuration (.github/workflows, ...)"),
        _binary("reproducible_build", 10, _listed(build),
                "no Dockerfile, lock file or fully pinned requirements"),
        _binary("licence", 10, licence, "no LICENSE file or declared licence"),
        _tiered("source_code", inventory.total_lines, [(SOURCE_MIN_LINES, 5)],
                f"{inventory.total_lines} non-blank source lines ({top})"),
    ]  # fmt: skip


def history_checks(readout: GitReadout) -> list[CheckResult]:
    """Commit count, active weeks and time span; max 0 when there is no history to read."""
    names = ("history_commits", "history_active_weeks", "history_span")
    git = readout.activity
    if git is None:
        note = readout.note or "commit history unknown"
        return [CheckResult(name=n, passed=False, points=0, max=0, evidence=note) for n in names]
    span_days = (
        (git.last_commit - git.first_commit).days if git.first_commit and git.last_commit else 0
    )
    return [
        _tiered(names[0], git.commits, [(3, 2), (10, 5)],
                f"{git.commits} commit(s) by {git.authors} author(s)"),
        _tiered(names[1], git.active_weeks, [(2, 2), (4, 5)],
                f"commits in {git.active_weeks} distinct week(s)"),
        _tiered(names[2], span_days, [(7, 2), (28, 5)],
                f"{span_days} day(s) from first to last commit"),
    ]  # fmt: skip


def overall_score(checks: list[CheckResult]) -> int:
    """Points earned over points applicable, scaled to 0..100 and rounded."""
    available = sum(c.max for c in checks)
    return round(100 * sum(c.points for c in checks) / available) if available else 0


def _listed(items: list[str], shown: int = 3) -> str | None:
    if not items:
        return None
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more
