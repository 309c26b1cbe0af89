"""Tests for `hiresight scoring answer|calibrate` and `hiresight english assess`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hiresight.scoring.cli import app, english_app

runner = CliRunner()
ARGS = [
    "answer",
    "--question",
    "How would you make a slow API endpoint faster?",
    "--reference",
    "Profile first. Cache repeated reads in Redis.",
    "--answer",
    "I would profile it with py-spy, then cache the repeated reads in Redis.",
]


def test_answer_prints_score_and_evidence() -> None:
    """The human output shows the score and a quoted evidence line."""
    result = runner.invoke(app, ARGS)
    assert result.exit_code == 0, result.output
    assert "Score:" in result.output
    assert "Redis" in result.output


def test_answer_json_with_points_file(tmp_path: Path) -> None:
    """--json prints a Score; --points reads one rubric point per line."""
    points = tmp_path / "points.txt"
    points.write_text("Profile to find the bottleneck\nExplain the rollback plan\n")
    result = runner.invoke(app, [*ARGS, "--points", str(points), "--kind", "resume", "--json"])
    assert result.exit_code == 0, result.output
    score = json.loads(result.output)
    assert score["kind"] == "resume"
    assert score["provider"] == "rubric"
    assert "Explain the rollback plan" in score["points_missed"]


def test_answer_bad_points_file_is_clear_error(tmp_path: Path) -> None:
    """An invalid JSON points file exits 2 with a stable error code."""
    points = tmp_path / "points.json"
    points.write_text('{"not": "a list"}')
    result = runner.invoke(app, [*ARGS, "--points", str(points)])
    assert result.exit_code == 2
    assert "scoring_points_file" in result.output


def test_calibrate_prints_agreement_table() -> None:
    """calibrate prints the table and the agreement summary."""
    result = runner.invoke(app, ["calibrate"])
    assert result.exit_code == 0, result.output
    assert "| case | kind | level |" in result.output
    assert "Agreement:" in result.output


def test_english_assess_text_file(tmp_path: Path) -> None:
    """assess on a text file prints a CEFR estimate and sub-scores."""
    sample = tmp_path / "essay.txt"
    sample.write_text(
        "Last year I worked on a booking system for a small hotel. I wrote the API in Python "
        "and learned to test early, because bugs found late are expensive to fix."
    )
    result = runner.invoke(english_app, ["assess", str(sample)])
    assert result.exit_code == 0, result.output
    assert "CEFR estimate:" in result.output
    assert "accuracy" in result.output


def test_english_assess_json_with_mc(tmp_path: Path) -> None:
    """A JSON input with responses gives an MC estimate; --json prints the result."""
    data = tmp_path / "english.json"
    data.write_text(json.dumps({"responses": [{"difficulty": 0.0, "correct": True}]}))
    result = runner.invoke(english_app, ["assess", str(data), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["mc"]["items"] == 1
    assert out["writing"] is None


def test_english_assess_missing_file() -> None:
    """A missing file exits 2 with a clear message."""
    result = runner.invoke(english_app, ["assess", "/nonexistent/essay.txt"])
    assert result.exit_code == 2
    assert "english_file" in result.output


def test_english_assess_bad_json_shape(tmp_path: Path) -> None:
    """A JSON file of the wrong shape exits 2 with a stable code, no traceback."""
    data = tmp_path / "english.json"
    data.write_text(json.dumps({"writing": 42}))
    result = runner.invoke(english_app, ["assess", str(data)])
    assert result.exit_code == 2
    assert "english_file" in result.output
