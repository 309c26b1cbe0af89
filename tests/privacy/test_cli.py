"""`hiresight privacy erase-due` and `hiresight privacy retention [--apply]` on a database."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from hiresight.accounts.models import User
from hiresight.audit.models import AuditLog
from hiresight.cli import app
from hiresight.db import utcnow
from hiresight.jobs.models import Application, JobStatus
from hiresight.privacy import service
from hiresight.settings import get_settings
from tests.factories import PASSWORD, make_job
from tests.privacy.factories import make_candidate, make_cast

runner = CliRunner()


@pytest.fixture(autouse=True)
def _env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The command reads the test database from the environment."""
    monkeypatch.setenv("HIRESIGHT_DATABASE_URL", db_url)
    monkeypatch.setenv("HIRESIGHT_DATA_DIR", str(tmp_path / "cli"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_erase_due_erases_only_due_accounts(db: Session) -> None:
    """Of two requests, the one whose grace period ended is erased and reported; the other waits."""
    org, _admin, recruiter = make_cast(db)
    due, waiting = make_candidate(db, org, recruiter).user, make_candidate(db, org, recruiter).user
    long_ago = utcnow() - dt.timedelta(days=15)
    service.request_deletion(db, user=due, password=PASSWORD, phrase="", grace_days=14,
                             now=long_ago)  # fmt: skip
    service.request_deletion(db, user=waiting, password=PASSWORD, phrase="", grace_days=14)
    db.commit()
    due_id, waiting_id = due.id, waiting.id
    result = runner.invoke(app, ["privacy", "erase-due", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [item["user_id"] for item in report] == [due_id]
    assert report[0]["counts"]["users"] == 1
    db.expire_all()
    assert db.get(User, due_id) is None
    assert db.get(User, waiting_id) is not None


def test_retention_lists_then_applies(db: Session) -> None:
    """The dry run lists the old closed job and deletes nothing; --apply deletes its
    application and reports it."""
    org, admin, recruiter = make_cast(db)
    old = make_job(db, org, status=JobStatus.closed)
    db.add(
        AuditLog(
            organization_id=org.id, action="job.update", entity_type="job",
            entity_id=str(old.id), details={"fields": ["status"]},
            created_at=utcnow() - dt.timedelta(days=40),
        )
    )  # fmt: skip
    make_candidate(db, org, recruiter, job=old)
    service.set_retention(db, actor=admin, days=30)
    db.commit()
    dry = runner.invoke(app, ["privacy", "retention", "--json"])
    assert dry.exit_code == 0, dry.output
    listed = json.loads(dry.output)
    assert listed["applied"] is False
    assert [(o["jobs"], o["counts"]["applications"]) for o in listed["organizations"]] == [
        ([old.id], 1)
    ]
    assert db.scalars(select(Application.id)).all() != []
    applied = runner.invoke(app, ["privacy", "retention", "--org", org.slug, "--apply"])
    assert applied.exit_code == 0, applied.output
    assert "Deleted" in applied.output
    assert "applications 1" in applied.output
    db.expire_all()
    assert db.scalars(select(Application.id)).all() == []


def test_retention_of_an_unknown_organization_is_a_clear_error() -> None:
    """An unknown slug exits 1 with a one-line message."""
    result = runner.invoke(app, ["privacy", "retention", "--org", "no-such-org"])
    assert result.exit_code == 1
    assert "No organization" in result.output
