"""Grading the fixture challenges: scores, statuses, limits and the candidate view."""

from __future__ import annotations

import json

import pytest

from hiresight.challenges.models import Challenge
from hiresight.grading.grader import grade, run_visible_tests
from hiresight.sandbox import SandboxLimits
from tests.challenges.factories import JS_FIXTURE, PY_FIXTURE, fixture_challenge

PY_BUG_TESTS = {
    "test_inventory.py::test_first_page_starts_at_first_sku",
    "test_inventory.py::test_last_page_partial",
}


def _with_limits(ch: Challenge, **limits: float) -> Challenge:
    manifest = ch.manifest.model_copy(update={"limits": SandboxLimits(**limits)})  # type: ignore[arg-type]
    return ch.model_copy(update={"manifest": manifest})


def _py_edit(old: str, new: str, *, base: str = "src") -> dict[str, str]:
    ch = fixture_challenge(PY_FIXTURE)
    text = (ch.src if base == "src" else ch.solution)["inventory.py"]
    assert old in text
    return {"inventory.py": text.replace(old, new)}


@pytest.mark.parametrize("name", [PY_FIXTURE, JS_FIXTURE])
def test_reference_solution_scores_100(name: str) -> None:
    """Every bug fixed with a reference-sized patch: full marks, no regressions."""
    ch = fixture_challenge(name)
    report = grade(ch, ch.solution)
    assert report.status == "ok"
    assert all(t.passed for t in report.tests)
    assert [b.fixed for b in report.bugs] == [True, True]
    assert report.regressions == []
    assert report.score == 100.0


@pytest.mark.parametrize("name", [PY_FIXTURE, JS_FIXTURE])
def test_unchanged_code_scores_zero(name: str) -> None:
    """No edits: no bug fixed, bug tests fail, regression tests pass, score 0."""
    ch = fixture_challenge(name)
    report = grade(ch, {})
    assert report.score == 0.0
    assert not any(b.fixed for b in report.bugs)
    assert all(t.passed == (t.bug is None) for t in report.tests)
    assert all(t.status == "failed" and t.message for t in report.tests if t.bug)


def test_partial_fix_is_severity_weighted() -> None:
    """Fixing only page-offset (severity 1 of 3) with a 2-line change: 30 + 10/3 = 33.3."""
    report = grade(
        fixture_challenge(PY_FIXTURE), _py_edit("start = page * size", "start = (page - 1) * size")
    )
    assert [(b.id, b.fixed) for b in report.bugs] == [
        ("reserve-validation", False),
        ("page-offset", True),
    ]
    assert report.score == 33.3
    assert report.breakdown is not None
    assert (report.breakdown.changed_lines, report.breakdown.reference_changed_lines) == (2, 4)


def test_regression_is_penalised() -> None:
    """Full fix that breaks total(): 90 + 10*4/6 - 15 = 81.7, and the regression is named."""
    files = _py_edit("return sum(self.stock.values())", "return 0", base="solution")
    report = grade(fixture_challenge(PY_FIXTURE), files)
    assert report.regressions == ["test_inventory.py::test_total_counts_every_item"]
    assert report.score == 81.7


def test_python_syntax_error_names_file_and_line() -> None:
    """A syntax error stops grading with status syntax-error, the file and the line."""
    report = grade(
        fixture_challenge(PY_FIXTURE), _py_edit("start = page * size", "start = page * * size")
    )
    assert report.status == "syntax-error"
    assert report.syntax_error is not None
    assert (report.syntax_error.file, report.syntax_error.line) == ("inventory.py", 27)
    assert report.score == 0.0
    assert report.usage is not None
    assert report.usage.sandbox_runs == 0  # compile() host-side; nothing was run


def test_js_syntax_error_names_file_and_line() -> None:
    """JS is compiled in the sandbox; the report carries file and line."""
    ch = fixture_challenge(JS_FIXTURE)
    broken = ch.src["users.js"].replace("return n;", "return n;;)")
    report = grade(ch, {"users.js": broken})
    assert report.status == "syntax-error"
    assert report.syntax_error is not None
    assert (report.syntax_error.file, report.syntax_error.line) == ("users.js", 12)


@pytest.mark.slow
def test_python_hang_is_a_timeout_and_other_tests_still_run() -> None:
    """An infinite loop times out only the tests that reach it."""
    ch = _with_limits(fixture_challenge(PY_FIXTURE), wall_seconds=3, cpu_seconds=3)
    files = _py_edit("names = sorted(self.stock)", "while True:\n            pass")
    report = grade(ch, files)
    status = {t.id: t.status for t in report.tests}
    assert {status[t] for t in PY_BUG_TESTS} == {"timeout"}
    assert status["test_inventory.py::test_add_accumulates"] == "passed"


def test_js_pending_promise_is_a_timeout() -> None:
    """An async function that never settles (kept alive by a timer) times out its test."""
    ch = _with_limits(fixture_challenge(JS_FIXTURE), wall_seconds=3)
    hang = ch.src["users.js"].replace(
        "  const users = [];",
        "  setInterval(() => {}, 1000);\n  await new Promise(() => {});\n  const users = [];",
    )
    report = grade(ch, {"users.js": hang})
    status = {t.id: t.status for t in report.tests}
    assert status["users.test.js::loads every user in order"] == "timeout"
    assert status["users.test.js::default limit"] == "passed"


def test_flood_of_output_is_an_output_limit() -> None:
    """A test whose code prints without end is stopped with output-limit; the rest still run."""
    files = _py_edit(
        "names = sorted(self.stock)", "print('x' * 10_000_000)\n        names = sorted(self.stock)"
    )
    report = grade(fixture_challenge(PY_FIXTURE), files)
    status = {t.id: t.status for t in report.tests}
    assert status["test_inventory.py::test_first_page_starts_at_first_sku"] == "output-limit"
    assert status["test_inventory.py::test_total_counts_every_item"] == "passed"


def test_memory_hog_is_a_memory_limit() -> None:
    """A test whose code allocates beyond the limit gets memory-limit."""
    ch = _with_limits(fixture_challenge(PY_FIXTURE), memory_mb=128)
    files = _py_edit(
        "names = sorted(self.stock)", "hog = bytearray(1 << 30)\n        names = sorted(self.stock)"
    )
    report = grade(ch, files)
    status = {t.id: t.status for t in report.tests}
    assert {status[t] for t in PY_BUG_TESTS} == {"memory-limit"}


def test_candidate_view_leaks_no_hidden_source_or_solution() -> None:
    """The candidate view has ids and generic messages only: no test body, assert text or fix."""
    ch = fixture_challenge(PY_FIXTURE)
    report = grade(ch, {})
    assert any("reserve(0) must raise" in t.message for t in report.tests)  # the full report has it
    view = json.dumps(report.for_candidate().model_dump())
    secrets = [
        "reserve(0) must raise",
        "_stocked",
        "assert _raises",
        "quantity must be positive",
        "(page - 1)",
    ]
    secrets += [b.explanation.fix for b in ch.manifest.bugs] + [b.id for b in ch.manifest.bugs]
    for secret in secrets:
        assert secret not in view
    assert "test_inventory.py::test_reserve_rejects_zero" in view


def test_visible_tests_report_full_messages() -> None:
    """Visible tests run from visible_tests/ and keep their failure messages."""
    ch = fixture_challenge(PY_FIXTURE)
    ok = run_visible_tests(ch, {})
    assert [(t.id, t.passed) for t in ok.tests] == [
        ("test_visible.py::test_reserve_returns_remaining", True)
    ]
    bad = run_visible_tests(ch, _py_edit("return self.stock[sku]", "return -1"))
    assert bad.tests[0].status == "failed"
    assert "test_visible.py:7" in bad.tests[0].message


def test_grade_is_deterministic() -> None:
    """The same inputs give the same verdicts and score (timings aside)."""
    ch = fixture_challenge(JS_FIXTURE)
    files = {"users.js": ch.solution["users.js"]}
    first, second = grade(ch, files), grade(ch, files)
    keep = {"tests", "bugs", "regressions", "score", "breakdown", "status"}
    assert first.model_dump(include=keep) == second.model_dump(include=keep)


def test_runner_that_cannot_start_is_an_infrastructure_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A missing interpreter is our failure: infrastructure-error, no test verdicts, score 0."""
    from hiresight.grading import execute

    monkeypatch.setattr(execute, "runner_command", lambda language, limits: ["/usr/bin/nope"])
    report = grade(fixture_challenge(PY_FIXTURE), {})
    assert report.status == "infrastructure-error"
    assert report.error is not None
    assert "did not start" in report.error
    assert report.tests == []
    assert report.score == 0.0


def test_missing_bwrap_is_an_infrastructure_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without bubblewrap the report says so with the sandbox_unavailable code."""
    import shutil

    real = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: None if name == "bwrap" else real(name))
    report = grade(fixture_challenge(JS_FIXTURE), {})
    assert report.status == "infrastructure-error"
    assert report.error is not None
    assert report.error.startswith("sandbox_unavailable: ")


def test_absurd_nesting_is_a_syntax_error_not_a_crash() -> None:
    """Deeply nested brackets are reported as a syntax error by the host-side compile()."""
    report = grade(
        fixture_challenge(PY_FIXTURE), {"inventory.py": "x = " + "[" * 5000 + "]" * 5000}
    )
    assert report.status == "syntax-error"
    assert report.syntax_error is not None
    assert report.syntax_error.file == "inventory.py"
