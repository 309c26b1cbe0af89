"""The `hiresight takehome` commands: exit codes and output."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hiresight.cli import app
from tests.takehome.factories import BROKEN, REFERENCE, make_assignment, write_solution

runner = CliRunner()


def test_check_passes_then_fails(tmp_path: Path) -> None:
    root = make_assignment(tmp_path / "a")
    result = runner.invoke(app, ["takehome", "check", str(root)])
    assert result.exit_code == 0, result.output
    assert "[PASS] hidden_data_unreachable" in result.output
    assert "All checks passed." in result.output
    write_solution(root / "solutions" / "reference", BROKEN)
    result = runner.invoke(app, ["takehome", "check", str(root), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert {i["name"]: i["passed"] for i in report["items"]}["reference_passes"] is False


def test_a_bad_assignment_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["takehome", "check", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "takehome_assignment_not_found" in result.output


def test_evaluate_prints_the_metric_table(tmp_path: Path) -> None:
    root = make_assignment(tmp_path / "a")
    submission = write_solution(tmp_path / "s", REFERENCE)
    result = runner.invoke(app, ["takehome", "evaluate", str(root), str(submission), "--no-tests"])
    assert result.exit_code == 0, result.output
    assert "submission (all)" in result.output
    assert "popularity (cold)" in result.output
    assert "Reproducibility: same output on a second run" in result.output
    assert "Code review (portfolio checklist): " in result.output
    result = runner.invoke(
        app, ["takehome", "evaluate", str(root), str(submission), "--json", "--no-repeat"]
    )
    report = json.loads(result.output)
    assert report["run"]["scores"]["all"]["values"]["ndcg@2"] == 1.0
    assert report["reproducibility"] is None
