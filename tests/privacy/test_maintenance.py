"""The daily maintenance: what `privacy erase-due`, `privacy retention --apply` and `audit prune
--apply` do, run once a day in-process, audited with counts only, and off when the setting says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hiresight.accounts.models import User
from hiresight.audit.models import AuditLog
from hiresight.jobs.models import Application
from hiresight.models import Base
from hiresight.privacy import maintenance, service
from hiresight.runtime import background_runtime
from hiresight.settings import Settings
from hiresight.tasks.schedule import Daily
from tests.privacy.factories import make_candidate, make_cast
from tests.privacy.test_retention import _closed, _set

NOW = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)


def _poller(engine: Engine, tmp_path: Path, clock: list[dt.datetime]) -> Daily:
    return maintenance.daily(
        engine, metadata=Base.metadata, files_root=tmp_path, audit_retention_days=365, hour=3,
        now=lambda: clock[0],
    )  # fmt: skip


def test_a_run_erases_applies_retention_and_prunes(db: Session, tmp_path: Path) -> None:
    """A deletion past its grace period, a job closed longer ago than its organization's period
    and an audit entry older than the audit retention are all gone after the day's run; the
    recent job's application, the younger audit entries and the other candidate stay."""
    org, admin, recruiter = make_cast(db)
    leaving = make_candidate(db, org, recruiter)
    service.request_deletion(
        db, user=leaving.user, password="", phrase=service.CONFIRM_PHRASE, grace_days=14,
        now=NOW - dt.timedelta(days=15),
    )  # fmt: skip
    old_job, recent_job = _closed(db, org, 40), _closed(db, org, 10)
    expired = make_candidate(db, org, recruiter, job=old_job)
    kept = make_candidate(db, org, recruiter, job=recent_job)
    _set(db, org, admin, 30)
    ancient = AuditLog(organization_id=org.id, actor_id=None, action="job.update",
                       entity_type="job", entity_id="0", details={},
                       created_at=NOW - dt.timedelta(days=400))  # fmt: skip
    db.add(ancient)
    db.commit()
    ancient_id, leaving_id, expired_id = ancient.id, leaving.user.id, expired.user.id

    assert _poller(db.get_bind(), tmp_path, [NOW]).poll() == 1  # type: ignore[arg-type]

    db.expire_all()
    assert db.get(User, leaving_id) is None
    assert db.get(User, expired_id) is not None  # retention keeps the account
    assert set(db.scalars(select(Application.id))) == {kept.application_id}
    assert db.get(AuditLog, ancient_id) is None
    entry = db.scalars(select(AuditLog).where(AuditLog.action == maintenance.ACTION)).one()
    assert (entry.entity_type, entry.entity_id, entry.actor_id) == (
        "maintenance",
        "2026-12-05",
        None,
    )
    counts = entry.details
    assert counts["erased_accounts"] == 1
    assert counts["retention_organizations"] == 1
    assert counts["audit_entries_pruned"] == 1
    assert counts["erased_rows"] > 0
    assert counts["retention_rows"] > 0
    # Counts only: no id, address or name of whoever's data went.
    assert all(isinstance(v, int) for v in counts.values())


def test_the_day_after_a_run_has_nothing_to_do_but_is_recorded(db: Session, tmp_path: Path) -> None:
    """A second day with nothing due runs again, once, and records zeros."""
    clock = [NOW]
    poller = _poller(db.get_bind(), tmp_path, clock)  # type: ignore[arg-type]
    assert (poller.poll(), poller.poll()) == (1, 0)
    clock[0] = NOW + dt.timedelta(days=1)
    assert (poller.poll(), poller.poll()) == (1, 0)
    entries = list(db.scalars(select(AuditLog).where(AuditLog.action == maintenance.ACTION)))
    assert [e.entity_id for e in entries] == ["2026-12-05", "2026-12-06"]
    assert set(entries[1].details.values()) == {0}


def test_the_setting_turns_the_poller_off(db: Session) -> None:
    """HIRESIGHT_SCHEDULED_MAINTENANCE=false: no process polls for it; on (the default): each
    process that runs background work does, as wired by the composition root."""
    engine = db.get_bind()
    assert isinstance(engine, Engine)
    assert Settings().scheduled_maintenance is True
    off = background_runtime(Settings(scheduled_maintenance=False), engine, runs_work=True)
    assert "maintenance" not in off.pollers
    on = background_runtime(Settings(maintenance_hour=0), engine, runs_work=True)
    assert (on.pollers["maintenance"](), on.pollers["maintenance"]()) == (1, 0)
    assert db.scalars(select(AuditLog.action)).all() == [maintenance.ACTION]
