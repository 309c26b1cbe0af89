"""Bulk job import: valid rows are created, malformed rows are reported with their line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from hiresight import migrate
from hiresight.cli import app
from hiresight.db import create_db_engine, make_session_factory
from hiresight.jobs.models import Job
from hiresight.settings import get_settings

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A migrated data directory with a recruiter."""
    monkeypatch.setenv("HIRESIGHT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HIRESIGHT_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    migrate.upgrade(f"sqlite:///{tmp_path / 'hiresight.db'}")
    runner.invoke(
        app,
        [
            "users",
            "create",
            "--email",
            "rec@x.example",
            "--password",
            "longenough",
            "--role",
            "recruiter",
            "--org",
            "Initech",
        ],
    )
    return tmp_path


def _count(data_dir: Path) -> int:
    engine = create_db_engine(f"sqlite:///{data_dir / 'hiresight.db'}")
    with make_session_factory(engine)() as session:
        count = session.scalar(select(func.count()).select_from(Job)) or 0
    engine.dispose()
    return count


def test_csv_import_reports_bad_rows(data_dir: Path) -> None:
    """Two good rows are imported; a row without a title and one with a bad salary are reported."""
    csv_file = data_dir / "jobs.csv"
    csv_file.write_text(
        "title,description,requirements,location,remote,salary_min,salary_max\n"
        "Backend Engineer,FastAPI and PostgreSQL,Python;Docker,Berlin,yes,70000,90000\n"
        ",No title here,,,,,\n"
        "Data Engineer,Airflow pipelines,Python;SQL,Paris,no,90000,60000\n"
        "SRE,Kubernetes on call,Go,Remote,true,,\n"
    )
    result = runner.invoke(app, ["jobs", "import", str(csv_file), "--recruiter", "rec@x.example"])
    assert result.exit_code == 0, result.output
    assert "Imported 2 job(s); rejected 2." in result.output
    assert "line 3: title" in result.output
    assert "line 4:" in result.output
    assert "salary_min must not exceed salary_max" in result.output
    assert _count(data_dir) == 2


def test_jsonl_import_and_broken_lines(data_dir: Path) -> None:
    """JSON Lines rows are imported; a line that is not JSON is reported, nothing half-written."""
    jsonl = data_dir / "jobs.jsonl"
    jsonl.write_text(
        '{"title": "Node.js Developer", "description": "Express APIs", "remote": true}\n'
        "{not json}\n"
    )
    result = runner.invoke(app, ["jobs", "import", str(jsonl), "--recruiter", "rec@x.example"])
    assert "Imported 1 job(s); rejected 1." in result.output
    assert "line 2: not valid JSON" in result.output
    assert _count(data_dir) == 1


def test_import_needs_a_recruiter(data_dir: Path) -> None:
    """An unknown recruiter is a clear error and nothing is imported."""
    jsonl = data_dir / "jobs.jsonl"
    jsonl.write_text('{"title": "X"}\n')
    result = runner.invoke(app, ["jobs", "import", str(jsonl), "--recruiter", "nobody@x.example"])
    assert result.exit_code == 1
    assert "No recruiter" in result.output
    assert _count(data_dir) == 0
