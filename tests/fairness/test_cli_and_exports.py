"""`hiresight audit fairness` with CSV and PDF output, and the exports' content."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from hiresight.cli import app
from hiresight.fairness import export, pdf, service
from hiresight.settings import get_settings
from hiresight.tasks import service as tasks
from tests.fairness.conftest import World

runner = CliRunner()


@pytest.fixture
def cli_on_test_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The CLI reads the test database through its settings."""
    monkeypatch.setenv("HIRESIGHT_DATABASE_URL", db_url)
    monkeypatch.setenv("HIRESIGHT_TASK_BACKEND", "inline")
    get_settings.cache_clear()
    previous = tasks.current()
    yield
    tasks._backend = previous
    get_settings.cache_clear()


def _csv(text: str) -> dict[tuple[str, str, str], dict[str, str]]:
    rows = csv.DictReader(io.StringIO(text))
    return {(r["section"], r["dimension"], r["category"]): r for r in rows}


def test_the_command_prints_and_writes_csv_and_pdf(
    world: World, cli_on_test_db: None, tmp_path: Path
) -> None:
    """The job's audit (figures of tests/fairness/test_service.py): the CSV has every table's
    categories and unknown lines, the PDF is a non-empty PDF with the tables."""
    out_csv, out_pdf = tmp_path / "audit.csv", tmp_path / "audit.pdf"
    result = runner.invoke(app, [
        "audit", "fairness", "--job", str(world.job.id), "--csv", str(out_csv),
        "--pdf", str(out_pdf),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "7 applications, 4 completed, 2 advanced, 4 scored (median 75" in result.output
    assert "Selection rate by sex and race/ethnicity (intersectional)" in result.output
    rows = _csv(out_csv.read_text(encoding="utf-8"))
    male = rows[("selection_rate", "sex", "male")]
    assert (male["count"], male["positives"], male["rate"], male["impact_ratio"]) == (
        "2", "1", "0.5", "0.5",
    )  # fmt: skip
    assert rows[("selection_rate", "sex", "unknown:not_provided")]["count"] == "1"
    assert rows[("apply_rate", "sex", "female")]["impressions"] == "3"
    assert len(rows) == 3 * (2 + 7 + 14 + 3 * 2)
    body = out_pdf.read_bytes()
    assert body.startswith(b"%PDF")
    assert len(body) > 1000
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "Scoring rate by race/ethnicity" in text


def test_the_organization_by_name_and_the_scope_errors(world: World, cli_on_test_db: None) -> None:
    """--org takes a name or an id; giving both --job and --org, neither, or an unknown job
    ends with exit code 1 and a one-line message."""
    by_name = runner.invoke(app, ["audit", "fairness", "--org", world.org.name])
    assert by_name.exit_code == 0, by_name.output
    assert "all jobs" in by_name.output
    both = runner.invoke(
        app, ["audit", "fairness", "--org", str(world.org.id), "--job", str(world.job.id)]
    )
    assert (both.exit_code, "invalid_scope" in both.output) == (1, True)
    assert runner.invoke(app, ["audit", "fairness"]).exit_code == 1
    missing = runner.invoke(app, ["audit", "fairness", "--job", "999999"])
    assert (missing.exit_code, "not_found" in missing.output) == (1, True)


def test_the_pdf_and_csv_of_an_empty_scope(db: Session, world: World) -> None:
    """An organization with no application still gets a valid PDF and a CSV of empty tables."""
    scope = service.make_scope(world.outsider.organization)
    report = service.build_report(db, scope=scope)
    assert pdf.render(report).startswith(b"%PDF")
    rows = _csv(export.to_csv(report))
    assert rows[("selection_rate", "sex", "female")]["rate"] == ""
