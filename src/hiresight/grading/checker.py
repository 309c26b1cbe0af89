"""Check that a challenge is gradable: schema, files, tests, fixes and bug independence."""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from hiresight.challenges.diffs import all_hunks, owners, without_bug_fix
from hiresight.challenges.errors import ChallengeError
from hiresight.challenges.loader import load_challenge
from hiresight.challenges.models import Challenge
from hiresight.grading.discovery import discover
from hiresight.grading.execute import Outcome, SuiteRun, run_suite
from hiresight.grading.grader import python_syntax_errors
from hiresight.sandbox import SandboxError

SRC_LINES = (40, 150)
# A check run slower than this share of the wall limit would time out on a busy host.
WALL_HEADROOM = 0.5
LIMIT_STATUSES = ("timeout", "memory-limit", "output-limit")
CHECK_WORKERS = min(4, os.cpu_count() or 1)


@dataclass(frozen=True)
class Problem:
    """One reason the challenge is not valid, with a stable code."""

    code: str
    message: str


@dataclass
class CheckResult:
    """Every problem found in one challenge, and what checking it cost."""

    challenge_id: str
    path: Path
    problems: list[Problem] = field(default_factory=list)
    sandbox_runs: int = 0
    slowest_run_ms: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def add(self, code: str, message: str) -> None:
        """Record one problem."""
        self.problems.append(Problem(code, message))


def _static_checks(ch: Challenge, result: CheckResult, expected: list[str]) -> None:
    missing = sorted(set(ch.src) - set(ch.solution))
    if missing:
        result.add("solution_incomplete", f"solution/ lacks {', '.join(missing)}")
    extra = sorted(set(ch.solution) - set(ch.src))
    if extra:
        result.add("solution_extra_files", f"solution/ has files not in src/: {', '.join(extra)}")
    total = sum(len(text.splitlines()) for text in ch.src.values())
    if not SRC_LINES[0] <= total <= SRC_LINES[1]:
        result.add(
            "src_size", f"src/ has {total} lines; the format asks for {SRC_LINES[0]}-{SRC_LINES[1]}"
        )
    if ch.language == "python":
        for issue in python_syntax_errors(ch.solution) + python_syntax_errors(ch.tests):
            result.add("syntax_error", f"{issue.file}:{issue.line}: {issue.message}")
        for name, text in ch.tests.items():
            if "import pytest" in text or "from pytest" in text:
                result.add("tests_import_pytest", f"tests/{name} imports pytest")
    seen: dict[str, str] = {}
    for bug in ch.manifest.bugs:
        if bug.file not in ch.src:
            result.add("bug_file_missing", f"bug {bug.id}: src/{bug.file} does not exist")
        elif bug.lines[1] > len(ch.src[bug.file].splitlines()):
            result.add(
                "bug_lines_out_of_range",
                f"bug {bug.id}: lines {list(bug.lines)} past the end of {bug.file}",
            )
        for test_id in bug.tests:
            if test_id not in expected:
                result.add("test_missing", f"bug {bug.id}: test {test_id} not found in tests/")
            if test_id in seen:
                result.add(
                    "test_shared", f"test {test_id} is listed by {seen[test_id]} and {bug.id}"
                )
            seen[test_id] = bug.id


def _hunk_checks(ch: Challenge, result: CheckResult) -> None:
    bugs = ch.manifest.bugs
    owned: dict[str, int] = {b.id: 0 for b in bugs}
    for hunk in all_hunks(ch.src, ch.solution):
        found = owners(hunk, bugs)
        if not found:
            result.add("hunk_unowned", f"the fix at {hunk.label} lies in no bug's line range")
        elif len(found) > 1:
            result.add(
                "hunk_shared", f"the fix at {hunk.label} lies in the ranges of {', '.join(found)}"
            )
        for bug_id in found:
            owned[bug_id] += 1
    for bug_id, count in owned.items():
        if count == 0:
            result.add(
                "bug_without_fix", f"bug {bug_id}: solution/ changes nothing in its line range"
            )


def _describe(outcome: Outcome | None) -> str:
    if outcome is None:
        return "not run"
    return outcome.status + (f" ({outcome.message})" if outcome.message else "")


def _expect(
    result: CheckResult,
    suite: SuiteRun,
    label: str,
    failing: set[str],
    expected: list[str],
    ch: Challenge,
) -> None:
    """Every test in `failing` must fail and every other pass, within the limits.

    A failing test may fail by timing out (a deadlock bug hangs by nature); a test that must
    pass may not hit any limit, and a run with nothing expected to fail must keep headroom.
    """
    result.sandbox_runs += len(suite.runs)
    result.slowest_run_ms = max([result.slowest_run_ms, *(r.wall_ms for r in suite.runs)])
    if suite.infrastructure_error:
        result.add("infrastructure", f"{label}: {suite.infrastructure_error}")
        return
    for issue in suite.syntax_errors:
        result.add("syntax_error", f"{label}: {issue.file}:{issue.line}: {issue.message}")
    limit_ms = ch.manifest.limits.wall_seconds * 1000
    if not failing:
        for run in suite.runs:
            if run.wall_ms > limit_ms * WALL_HEADROOM:
                result.add(
                    "too_slow",
                    f"{label}: a run took {run.wall_ms:.0f} ms of a {limit_ms:.0f} ms limit",
                )
    for test_id in expected:
        outcome = suite.outcomes.get(test_id)
        status = outcome.status if outcome else "error"
        if test_id in failing:
            if status == "passed":
                result.add("test_passes_unfixed", f"{label}: {test_id} should fail but passes")
            elif status in ("memory-limit", "output-limit"):
                result.add("over_limits", f"{label}: {test_id} hit a limit: {_describe(outcome)}")
        elif status != "passed":
            code = "over_limits" if status in LIMIT_STATUSES else "test_fails_fixed"
            verb = "hit a limit" if code == "over_limits" else "should pass but"
            result.add(code, f"{label}: {test_id} {verb}: {_describe(outcome)}")


def _run(
    ch: Challenge,
    tree: Mapping[str, str],
    tests: Mapping[str, str],
    expected: list[str],
    tests_dir: str,
) -> SuiteRun:
    check = sorted(n for n in tree if n.endswith(".js")) if ch.language == "javascript" else []
    return run_suite(
        ch.language,
        tree,
        tests,
        expected,
        limits=ch.manifest.limits,
        tests_dir=tests_dir,
        check_syntax=check,
    )


def check_challenge(ch: Challenge) -> CheckResult:
    """Run every check on a loaded challenge; an empty problem list means it is valid."""
    result = CheckResult(challenge_id=ch.id, path=ch.root)
    try:
        expected = discover(ch.language, ch.tests)
    except SyntaxError as exc:
        result.add("syntax_error", f"tests: {exc}")
        return result
    if not expected:
        result.add("no_tests", "tests/ holds no test the runner would pick up")
        return result
    try:
        visible = discover(ch.language, ch.visible_tests)
    except SyntaxError as exc:
        result.add("syntax_error", f"visible_tests: {exc}")
        return result
    if not visible:
        # The room shows its "Run the example tests" button only for challenges that have some.
        result.add(
            "no_visible_tests",
            "visible_tests/ holds no example test the runner would pick up: add at least one, "
            "passing on solution/, so that the candidate can run the example tests",
        )
    _static_checks(ch, result, expected)
    if result.problems:
        return result  # running tests against a broken layout only adds noise
    _hunk_checks(ch, result)
    bug_tests = {b.id: set(b.tests) for b in ch.manifest.bugs}
    # (label, code tree, test tree, tests dir, expected ids, tests that must fail)
    plan: list[tuple[str, Mapping[str, str], Mapping[str, str], str, list[str], set[str]]] = [
        ("solution/", ch.solution, ch.tests, "tests", expected, set()),
        ("src/", ch.src, ch.tests, "tests", expected, set().union(*bug_tests.values())),
    ]
    if not any(p.code.startswith("hunk_") for p in result.problems):
        for bug in ch.manifest.bugs:
            tree = without_bug_fix(ch.src, ch.solution, ch.manifest.bugs, bug.id)
            plan.append(
                (f"all fixes but {bug.id}", tree, ch.tests, "tests", expected, bug_tests[bug.id])
            )
    plan.append(
        (
            "visible tests on solution/",
            ch.solution,
            ch.visible_tests,
            "visible_tests",
            visible,
            set(),
        )
    )
    try:
        # The variants are independent sandbox runs: run them side by side.
        with ThreadPoolExecutor(max_workers=CHECK_WORKERS) as pool:
            suites = list(pool.map(lambda step: _run(ch, step[1], step[2], step[4], step[3]), plan))
    except SandboxError as exc:
        result.add("infrastructure", f"{exc.code}: {exc.message}")
        return result
    for (label, _, _, _, ids, failing), suite in zip(plan, suites, strict=True):
        _expect(result, suite, label, failing, ids, ch)
    return result


def check_path(path: Path | str) -> CheckResult:
    """Load and check the challenge folder at `path`; load errors become problems."""
    folder = Path(path)
    try:
        challenge = load_challenge(folder)
    except ChallengeError as exc:
        result = CheckResult(challenge_id=folder.name, path=folder)
        result.add(exc.code, exc.message)
        return result
    return check_challenge(challenge)
