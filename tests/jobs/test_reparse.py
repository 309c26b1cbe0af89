"""`hiresight jobs reparse`: jobs an older requirements parser read are parsed again."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from hiresight import migrate
from hiresight.cli import app
from hiresight.db import create_db_engine, make_session_factory
from hiresight.jobs.models import Job
from hiresight.jobs.requirements import PARSER_VERSION
from hiresight.settings import get_settings

runner = CliRunner()
OLD = {"required_skills": ["COBOL"], "parser_version": "jobreq-1"}


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A migrated data directory with three imported jobs: one parsed by an older parser, one
    never parsed, one current."""
    monkeypatch.setenv("HIRESIGHT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HIRESIGHT_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    migrate.upgrade(f"sqlite:///{tmp_path / 'hiresight.db'}")
    runner.invoke(app, ["users", "create", "--email", "rec@x.example", "--password",
                        "longenough", "--role", "recruiter", "--org", "Initech"])  # fmt: skip
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text(
        '{"title": "Backend Engineer", "description": "You will use Python and PostgreSQL."}\n'
        '{"title": "Data Engineer", "description": "Airflow and SQL pipelines."}\n'
        '{"title": "SRE", "description": "Kubernetes and Terraform."}\n'
    )
    result = runner.invoke(app, ["jobs", "import", str(jobs), "--recruiter", "rec@x.example"])
    assert "Imported 3 job(s)" in result.output, result.output
    with _session(tmp_path) as session:
        first, second, _ = session.scalars(select(Job).order_by(Job.id))
        first.parsed_requirements = OLD
        second.parsed_requirements = None
        session.commit()
    return tmp_path


def _session(data_dir: Path):  # type: ignore[no-untyped-def]
    engine = create_db_engine(f"sqlite:///{data_dir / 'hiresight.db'}")
    return make_session_factory(engine)()


def _parses(data_dir: Path) -> list[dict[str, object] | None]:
    with _session(data_dir) as session:
        return [j.parsed_requirements for j in session.scalars(select(Job).order_by(Job.id))]


def test_dry_run_counts_the_stale_jobs_and_writes_nothing(data_dir: Path) -> None:
    """One job from jobreq-1 and one never parsed would be re-parsed; the database is as it was."""
    before = _parses(data_dir)
    result = runner.invoke(app, ["jobs", "reparse", "--dry-run"])
    assert result.exit_code == 0, result.output
    versions = ", ".join(f"{v}: 1" for v in sorted(["jobreq-1", PARSER_VERSION, "none"]))
    assert f"Checked 3 job(s) by parser version ({versions})" in result.output
    assert "Would re-parse 2 job(s); 2 with changed requirements." in result.output
    assert _parses(data_dir) == before


def test_stale_jobs_are_parsed_again_with_the_current_parser(data_dir: Path) -> None:
    """After the command every job carries the current parser's version and its own skills."""
    result = runner.invoke(app, ["jobs", "reparse"])
    assert result.exit_code == 0, result.output
    assert "Re-parsed 2 job(s); 2 with changed requirements." in result.output
    first, second, third = _parses(data_dir)
    assert None not in (first, second, third)
    assert {p["parser_version"] for p in (first, second, third)} == {PARSER_VERSION}  # type: ignore[index]
    assert "COBOL" not in first["required_skills"]  # type: ignore[index,operator]
    assert "Python" in first["required_skills"]  # type: ignore[index,operator]
    again = runner.invoke(app, ["jobs", "reparse"])
    assert "Re-parsed 0 job(s)" in again.output


def test_all_parses_current_jobs_too(data_dir: Path) -> None:
    """--all re-parses every job; the current one comes out the same."""
    result = runner.invoke(app, ["jobs", "reparse", "--all"])
    assert result.exit_code == 0, result.output
    assert "Re-parsed 3 job(s); 2 with changed requirements." in result.output
