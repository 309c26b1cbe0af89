"""The daily maintenance: erasures past their grace period, organizations' retention, and the
audit log's own retention, run in-process once a day by one of the processes that run
background work (`tasks.schedule.Daily`).

It does what `hiresight privacy erase-due`, `hiresight privacy retention --apply` and
`hiresight audit prune --apply` do; those commands stay for running it by hand. Before, they
ran only if an operator put them in cron, and a deployment that forgot kept data past the
periods it promised. Each run records one audit entry with counts, never whose data went.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import MetaData
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from hiresight.audit import service as audit
from hiresight.db import make_session_factory, transaction, utcnow
from hiresight.privacy import service
from hiresight.tasks.schedule import Daily

NAME = "maintenance"
ACTION = "maintenance.run"


def run(
    factory: sessionmaker[Session],
    *,
    metadata: MetaData,
    files_root: Path,
    audit_retention_days: int,
    day: dt.date,
    now: Callable[[], dt.datetime] = utcnow,
) -> dict[str, int]:
    """Erase the due accounts, apply every organization's retention period, prune the audit
    log; record the counts (audited as `maintenance.run` for `day`) and return them."""
    erased = service.erase_due(factory, metadata=metadata, files_root=files_root, now=now)
    organizations = rows = 0
    files: list[Path] = []
    with factory() as session:
        ids = service.organizations_with_retention(session)
    for organization_id in ids:  # one transaction each, as erasures: one failure stops one
        with transaction(factory) as session:
            report = service.retention(
                session, organization_id=organization_id, metadata=metadata,
                files_root=files_root, now=now(), apply=True,
            )  # fmt: skip
        files += report.files
        organizations += bool(report.jobs)
        rows += sum(report.counts.values())
    removed = service.remove_files(files)
    with transaction(factory) as session:
        pruned = audit.prune(
            session, retention_days=audit_retention_days, now=now(), apply=True
        ).entries
        counts = {
            "erased_accounts": len(erased),
            "erased_rows": sum(sum(r.counts.values()) for r in erased),
            "retention_organizations": organizations,
            "retention_rows": rows,
            "files_removed": removed + sum(len(r.files) for r in erased),
            "audit_entries_pruned": pruned,
        }
        audit.record(
            session, actor_id=None, organization_id=None, action=ACTION,
            entity_type="maintenance", entity_id=day.isoformat(), details=counts,
        )  # fmt: skip
    return counts


def daily(
    engine: Engine,
    *,
    metadata: MetaData,
    files_root: Path,
    audit_retention_days: int,
    hour: int,
    now: Callable[[], dt.datetime] = utcnow,
) -> Daily:
    """The maintenance as a once-a-day poller on `engine`, due from `hour` o'clock UTC."""
    factory = make_session_factory(engine)

    def job(day: dt.date) -> dict[str, int]:
        return run(
            factory, metadata=metadata, files_root=files_root,
            audit_retention_days=audit_retention_days, day=day, now=now,
        )  # fmt: skip

    return Daily(engine, NAME, job, hour=hour, now=now)
