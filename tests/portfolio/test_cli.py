"""`portfolio review PATH [--json]`: output, JSON shape and exit code 2 for bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hiresight.portfolio import PortfolioReport
from hiresight.portfolio.cli import app

from .factories import make_model_repo, write

runner = CliRunner()


def test_review_prints_checklist(tmp_path: Path) -> None:
    """The text output shows the score, each check and the history summary."""
    repo = make_model_repo(tmp_path / "repo")
    result = runner.invoke(app, ["review", str(repo)])
    assert result.exit_code == 0, result.output
    assert "Portfolio score: 100/100" in result.output
    assert "[PASS] ci_configured" in result.output
    assert "History: 12 commits, 1 author(s), 2024-01-01 to 2024-02-09" in result.output


def test_review_json_is_a_report(tmp_path: Path) -> None:
    """--json prints a document that validates as a PortfolioReport."""
    write(tmp_path, "main.go", "package main\n")
    result = runner.invoke(app, ["review", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    report = PortfolioReport.model_validate(json.loads(result.output))
    assert report.languages[0].language == "Go"


def test_missing_path_exits_2(tmp_path: Path) -> None:
    """A missing path prints the error code and message on stderr and exits 2."""
    result = runner.invoke(app, ["review", str(tmp_path / "absent")])
    assert result.exit_code == 2
    assert "Error (portfolio_path_not_found)" in result.stderr


def test_bad_archive_exits_2(tmp_path: Path) -> None:
    """A file that is not an archive prints portfolio_bad_archive and exits 2."""
    path = write(tmp_path, "upload.zip", "not a zip")
    result = runner.invoke(app, ["review", str(path)])
    assert result.exit_code == 2
    assert "Error (portfolio_bad_archive)" in result.stderr
