"""`hiresight challenges check|list`."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from hiresight.cli import app
from tests.challenges.factories import FIXTURES, PY_FIXTURE, copy_fixture, set_manifest_value

runner = CliRunner()


def test_list_shows_id_language_difficulty_classes() -> None:
    """One row per challenge with its bug classes."""
    result = runner.invoke(app, ["challenges", "list", "--bank", str(FIXTURES)])
    assert result.exit_code == 0
    row = next(line for line in result.output.splitlines() if line.startswith("js-fixture-users"))
    assert row.split()[:3] == ["js-fixture-users", "javascript", "2"]
    assert "missing-validation, unhandled-async-error" in row


def test_check_valid_exits_zero_with_summary() -> None:
    """A valid challenge prints `ok` and a final tally; exit 0."""
    result = runner.invoke(app, ["challenges", "check", str(FIXTURES / PY_FIXTURE)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("ok       py-fixture-inventory")
    assert "1 valid, 0 invalid" in result.output


def test_check_invalid_exits_one_with_reasons(tmp_path: Path) -> None:
    """An invalid challenge prints INVALID and each problem's code; exit 1."""
    folder = copy_fixture(tmp_path, PY_FIXTURE)
    set_manifest_value(folder, r"lines = \[26, 27\]", "lines = [21, 22]")
    result = runner.invoke(app, ["challenges", "check", str(folder)])
    assert result.exit_code == 1
    assert "INVALID  py-fixture-inventory" in result.output
    assert "[hunk_unowned]" in result.output


def test_check_whole_bank_from_option() -> None:
    """No folder arguments: every challenge of the bank is checked."""
    result = runner.invoke(app, ["challenges", "check", "--bank", str(FIXTURES)])
    assert result.exit_code == 0, result.output
    assert "2 valid, 0 invalid" in result.output
