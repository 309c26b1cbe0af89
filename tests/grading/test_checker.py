"""The checker on the good fixtures and on deliberately broken copies of them."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from hiresight.grading.checker import check_path
from tests.challenges.factories import (
    FIXTURES,
    JS_FIXTURE,
    PY_FIXTURE,
    copy_fixture,
    edit,
    set_manifest_value,
)


@pytest.mark.parametrize("name", [PY_FIXTURE, JS_FIXTURE])
def test_good_fixtures_pass_every_check(name: str) -> None:
    """Both fixtures: solution passes, src fails each bug, each fix is independent."""
    result = check_path(FIXTURES / name)
    assert result.problems == []
    # solution + src + one run per bug + visible tests
    assert result.sandbox_runs == 5


def _wrong_range(folder: Path) -> None:
    set_manifest_value(folder, r"lines = \[26, 27\]", "lines = [21, 22]")


def _missing_test(folder: Path) -> None:
    edit(
        folder / "challenge.toml",
        '"test_inventory.py::test_last_page_partial"]',
        '"test_inventory.py::test_nope"]',
    )


def _broken_solution(folder: Path) -> None:
    edit(folder / "solution/inventory.py", "return sum(self.stock.values())", "return 0")


def _test_not_catching_bug(folder: Path) -> None:
    edit(
        folder / "challenge.toml",
        '"test_inventory.py::test_last_page_partial"]',
        '"test_inventory.py::test_last_page_partial", "test_inventory.py::test_add_accumulates"]',
    )


def _overlapping_ranges(folder: Path) -> None:
    set_manifest_value(folder, r"lines = \[17, 20\]", "lines = [17, 27]")


def _dependent_fixes(folder: Path) -> None:
    with (folder / "tests/test_inventory.py").open("a") as f:
        f.write(
            "\n\ndef test_needs_both_fixes():\n"
            "    inv = _stocked()\n"
            "    assert _raises_value_error(lambda: inv.reserve('a', 0))\n"
            "    assert inv.page(1, 1) == ['a']\n"
        )
    edit(
        folder / "challenge.toml",
        '"test_inventory.py::test_reserve_rejects_negative"]',
        '"test_inventory.py::test_reserve_rejects_negative", '
        '"test_inventory.py::test_needs_both_fixes"]',
    )


def _lines_past_end(folder: Path) -> None:
    set_manifest_value(folder, r"lines = \[26, 27\]", "lines = [26, 99]")


def _solution_missing_file(folder: Path) -> None:
    (folder / "src/extra.py").write_text("X = 1\n")


def _pytest_import(folder: Path) -> None:
    edit(
        folder / "tests/test_inventory.py",
        "from inventory import Inventory",
        "import pytest\nfrom inventory import Inventory",
    )


def _slow_test(folder: Path) -> None:
    set_manifest_value(folder, r"wall_seconds = 10", "wall_seconds = 1")
    edit(
        folder / "tests/test_inventory.py",
        "def test_add_accumulates():\n",
        "def test_add_accumulates():\n    while True:\n        pass\n",
    )


@pytest.mark.parametrize(
    ("breaker", "code", "needle"),
    [
        (_wrong_range, "hunk_unowned", "inventory.py:27"),
        (_missing_test, "test_missing", "test_nope"),
        (
            _broken_solution,
            "test_fails_fixed",
            "solution/: test_inventory.py::test_total_counts_every_item",
        ),
        (
            _test_not_catching_bug,
            "test_passes_unfixed",
            "src/: test_inventory.py::test_add_accumulates",
        ),
        (_overlapping_ranges, "hunk_shared", "reserve-validation, page-offset"),
        (
            _dependent_fixes,
            "test_fails_fixed",
            "all fixes but page-offset: test_inventory.py::test_needs_both_fixes",
        ),
        (_lines_past_end, "bug_lines_out_of_range", "page-offset"),
        (_solution_missing_file, "solution_incomplete", "extra.py"),
        (_pytest_import, "tests_import_pytest", "test_inventory.py"),
        (_slow_test, "over_limits", "test_add_accumulates hit a limit: timeout"),
    ],
)
def test_broken_python_challenges_are_reported(
    tmp_path: Path, breaker: Callable[[Path], None], code: str, needle: str
) -> None:
    """Each kind of breakage yields its stable problem code and names the culprit."""
    folder = copy_fixture(tmp_path, PY_FIXTURE)
    breaker(folder)
    result = check_path(folder)
    assert not result.ok
    matching = [p for p in result.problems if p.code == code]
    assert matching, result.problems
    assert any(needle in p.message for p in matching), matching


def test_js_solution_syntax_error_is_reported(tmp_path: Path) -> None:
    """A JS solution that does not parse is reported with file and line."""
    folder = copy_fixture(tmp_path, JS_FIXTURE)
    edit(
        folder / "solution/users.js",
        "function displayName(user) {",
        "function displayName(user) {{",
    )
    result = check_path(folder)
    assert any(p.code == "syntax_error" and "users.js:" in p.message for p in result.problems)


def test_schema_errors_become_problems(tmp_path: Path) -> None:
    """An unknown bug class is a problem with the loader's code, not an exception."""
    folder = copy_fixture(tmp_path, PY_FIXTURE)
    set_manifest_value(folder, r'class = "off-by-one"', 'class = "typo"')
    result = check_path(folder)
    assert [p.code for p in result.problems] == ["challenge_invalid"]
    assert "bugs.1.class" in result.problems[0].message


@pytest.mark.parametrize("name", [PY_FIXTURE, JS_FIXTURE])
def test_challenge_without_example_tests_is_invalid(tmp_path: Path, name: str) -> None:
    """No visible_tests/ means no Run button in the room: the checker refuses it, by name."""
    folder = copy_fixture(tmp_path, name)
    shutil.rmtree(folder / "visible_tests")
    result = check_path(folder)
    assert [p.code for p in result.problems] == ["no_visible_tests"]
    assert "visible_tests/" in result.problems[0].message
    assert result.sandbox_runs == 0


def test_visible_tests_folder_with_no_test_is_invalid(tmp_path: Path) -> None:
    """A visible_tests/ holding only a helper (no test the runner picks up) is refused too."""
    folder = copy_fixture(tmp_path, PY_FIXTURE)
    shutil.rmtree(folder / "visible_tests")
    (folder / "visible_tests").mkdir()
    (folder / "visible_tests/helpers.py").write_text("def helper():\n    return 1\n")
    result = check_path(folder)
    assert "no_visible_tests" in [p.code for p in result.problems]
