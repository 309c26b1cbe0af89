"""Retention: at least six months, a year by default; `hiresight audit prune` reports, and with
--apply deletes, what is older."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from hiresight import migrate
from hiresight.audit import service as audit
from hiresight.audit.models import AuditLog
from hiresight.cli import app
from hiresight.db import create_db_engine, make_session_factory, utcnow
from hiresight.settings import Settings
from tests.factories import make_org

NOW = dt.datetime(2027, 6, 1, tzinfo=dt.UTC)


def _aged(session: Session, *days: int) -> None:
    org = make_org(session)
    for age in days:
        row = audit.record(
            session, actor_id=None, organization_id=org.id, action="job.update",
            entity_type="job", entity_id=age,
        )  # fmt: skip
        row.created_at = NOW - dt.timedelta(days=age)
    session.flush()


def test_retention_is_a_year_by_default_and_never_under_six_months() -> None:
    """The setting defaults to 365 days; 182 is refused, 183 accepted."""
    assert Settings().audit_retention_days == 365
    with pytest.raises(ValidationError):
        Settings(audit_retention_days=182)
    assert Settings(audit_retention_days=183).audit_retention_days == 183
    with pytest.raises(ValueError, match="at least 183"):
        audit.check_retention(30)


def test_prune_reports_then_deletes_only_what_is_older(sqlite_session: Session) -> None:
    """Entries 10, 200, 364, 366 and 800 days old with 365 days kept: two are past it."""
    _aged(sqlite_session, 10, 200, 364, 366, 800)
    report = audit.prune(sqlite_session, retention_days=365, now=NOW, apply=False)
    assert (report.entries, report.applied) == (2, False)
    assert report.oldest == NOW - dt.timedelta(days=800)
    assert sqlite_session.scalar(select(func.count()).select_from(AuditLog)) == 5
    audit.prune(sqlite_session, retention_days=365, now=NOW, apply=True)
    left = sorted(int(e) for e in sqlite_session.scalars(select(AuditLog.entity_id)))
    assert left == [10, 200, 364]


def test_the_prune_command_reports_and_applies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`hiresight audit prune` prints the report; --apply deletes the entries it names."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    migrate.upgrade(url)
    engine = create_db_engine(url)
    with make_session_factory(engine)() as session:
        org = make_org(session)
        for age in (10, 400):
            row = audit.record(
                session, actor_id=None, organization_id=org.id, action="job.update",
                entity_type="job", entity_id=age,
            )  # fmt: skip
            row.created_at = utcnow() - dt.timedelta(days=age)
        session.commit()
    monkeypatch.setenv("HIRESIGHT_DATABASE_URL", url)
    monkeypatch.setenv("HIRESIGHT_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    dry = runner.invoke(app, ["audit", "prune"])
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.output)["entries"] == 1
    applied = runner.invoke(app, ["audit", "prune", "--apply"])
    assert json.loads(applied.output)["applied"] is True
    with make_session_factory(engine)() as session:
        assert list(session.scalars(select(AuditLog.entity_id))) == ["10"]
    engine.dispose()
