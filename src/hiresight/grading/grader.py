"""Grade a candidate's edited files against a challenge's hidden tests (a pure function)."""

from __future__ import annotations

import time
from collections.abc import Mapping

from hiresight.challenges.models import Challenge
from hiresight.grading.discovery import discover
from hiresight.grading.execute import SuiteRun, SyntaxIssue, run_suite
from hiresight.grading.patches import changed_lines, merged_tree
from hiresight.grading.report import (
    BugResult,
    GradedTest,
    GradeReport,
    SyntaxProblem,
    Usage,
)
from hiresight.grading.scoring import score
from hiresight.sandbox import SandboxError


def python_syntax_errors(tree: Mapping[str, str]) -> list[SyntaxIssue]:
    """Compile every .py file host-side: compile() parses without executing anything."""
    issues = []
    for name in sorted(tree):
        if not name.endswith(".py"):
            continue
        try:
            compile(tree[name], name, "exec", dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            # ValueError: NUL bytes; RecursionError/MemoryError: absurdly deep nesting.
            line = exc.lineno if isinstance(exc, SyntaxError) else None
            msg = exc.msg if isinstance(exc, SyntaxError) else f"{type(exc).__name__}: {exc}"
            issues.append(SyntaxIssue(file=name, line=line, message=msg))
    return issues


def _usage(suite: SuiteRun) -> Usage:
    return Usage(
        sandbox_runs=len(suite.runs),
        cpu_ms=round(suite.cpu_ms, 1),
        peak_memory_bytes=suite.peak_memory_bytes,
    )


def _run_checked(
    challenge: Challenge,
    tree: Mapping[str, str],
    tests: Mapping[str, str],
    expected: list[str],
    tests_dir: str,
) -> SuiteRun:
    """Syntax-check (Python host-side, JS in the sandbox run itself), then run the tests."""
    if challenge.language == "python":
        issues = python_syntax_errors(tree)
        if issues:
            return SuiteRun(syntax_errors=issues)
        check: list[str] = []
    else:
        check = sorted(name for name in tree if name.endswith(".js"))
    return run_suite(
        challenge.language,
        tree,
        tests,
        expected,
        limits=challenge.manifest.limits,
        tests_dir=tests_dir,
        check_syntax=check,
    )


def _syntax_problem(suite: SuiteRun) -> SyntaxProblem:
    first = suite.syntax_errors[0]
    return SyntaxProblem(file=first.file, line=first.line, message=first.message)


def grade(challenge: Challenge, files: Mapping[str, str]) -> GradeReport:
    """Run the hidden tests on src/ with `files` laid over it and score the result."""
    started = time.monotonic()
    tree = merged_tree(challenge.src, files)
    bug_of = challenge.bug_for_test()
    expected = discover(challenge.language, challenge.tests)
    base = GradeReport(challenge_id=challenge.id, status="ok")
    try:
        suite = _run_checked(challenge, tree, challenge.tests, expected, "tests")
    except SandboxError as exc:
        base.status, base.error = "infrastructure-error", f"{exc.code}: {exc.message}"
        return base
    base.wall_ms = round((time.monotonic() - started) * 1000, 1)
    base.usage = _usage(suite)
    if suite.infrastructure_error:
        base.status, base.error = "infrastructure-error", suite.infrastructure_error
        return base
    if suite.syntax_errors:
        base.status, base.syntax_error = "syntax-error", _syntax_problem(suite)
    tests = []
    for test_id in expected:
        outcome = suite.outcomes.get(test_id)
        status = outcome.status if outcome else "error"
        message = outcome.message if outcome else "not run: the code does not compile"
        tests.append(
            GradedTest(
                id=test_id,
                passed=status == "passed",
                status=status,
                bug=bug_of.get(test_id),
                message=message,
            )
        )
    passed = {t.id for t in tests if t.passed}
    bugs = [
        BugResult(
            id=b.id,
            fixed=all(t in passed for t in b.tests),
            severity=b.severity,
            bug_class=b.bug_class,
        )
        for b in challenge.manifest.bugs
    ]
    regressions = [t.id for t in tests if t.bug is None and not t.passed]
    value, breakdown = score(
        bugs,
        len(regressions),
        changed_lines(challenge.src, tree),
        changed_lines(challenge.src, challenge.solution),
    )
    if base.status == "syntax-error":
        value = 0.0
    base.tests, base.bugs, base.regressions = tests, bugs, regressions
    base.score, base.breakdown = value, breakdown
    return base


def run_visible_tests(challenge: Challenge, files: Mapping[str, str]) -> GradeReport:
    """Run the candidate-visible example tests; their messages are safe to show in full."""
    tree = merged_tree(challenge.src, files)
    expected = discover(challenge.language, challenge.visible_tests)
    report = GradeReport(challenge_id=challenge.id, status="ok")
    if not expected:
        return report
    try:
        suite = _run_checked(challenge, tree, challenge.visible_tests, expected, "visible_tests")
    except SandboxError as exc:
        report.status, report.error = "infrastructure-error", f"{exc.code}: {exc.message}"
        return report
    report.usage = _usage(suite)
    report.wall_ms = round(suite.wall_ms, 1)
    if suite.syntax_errors:
        report.status, report.syntax_error = "syntax-error", _syntax_problem(suite)
        return report
    report.tests = [
        GradedTest(id=t, passed=o.status == "passed", status=o.status, bug=None, message=o.message)
        for t, o in ((t, suite.outcomes[t]) for t in expected)
    ]
    return report
