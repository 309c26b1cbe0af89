"""Recording and reading audit entries."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from hiresight.audit.models import AuditLog
from hiresight.audit.schemas import AuditQuery, PruneReport
from hiresight.errors import AppError


def record(
    session: Session,
    *,
    actor_id: int | None,
    organization_id: int | None,
    action: str,
    entity_type: str,
    entity_id: object,
    details: dict[str, Any] | None = None,
) -> AuditLog:
    """Add an audit entry inside the caller's transaction, so it commits with the change.

    The actor and organization come as plain ids: the audit log sits below every domain that
    records into it, accounts included.
    """
    entry = AuditLog(
        organization_id=organization_id,
        actor_id=actor_id,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        details=details or {},
    )
    session.add(entry)
    return entry


def get_all(session: Session, *, organization_id: int, limit: int = 100) -> list[AuditLog]:
    """The newest audit entries of one organization."""
    stmt = (
        select(AuditLog)
        .where(AuditLog.organization_id == organization_id)
        .order_by(AuditLog.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


# The EU AI Act (Art. 19 and 26(6)) asks that the logs of a high-risk system be kept at least
# six months; the retention setting may not go below it.
MIN_RETENTION_DAYS = 183
EXPORT_FIELDS = (
    "id",
    "created_at",
    "actor_id",
    "action",
    "entity_type",
    "entity_id",
    "details",
)
# Entries read per round trip while exporting: the export streams, whatever the log's size.
_EXPORT_CHUNK = 1000


def _filtered(organization_id: int, query: AuditQuery) -> Select[AuditLog]:
    stmt = select(AuditLog).where(AuditLog.organization_id == organization_id)
    if query.action:
        if query.action.endswith("."):
            stmt = stmt.where(AuditLog.action.startswith(query.action, autoescape=True))
        else:
            stmt = stmt.where(AuditLog.action == query.action)
    if query.entity_type:
        stmt = stmt.where(AuditLog.entity_type == query.entity_type)
    if query.entity_id:
        stmt = stmt.where(AuditLog.entity_id == query.entity_id)
    if query.actor_id is not None:
        stmt = stmt.where(AuditLog.actor_id == query.actor_id)
    if query.since is not None:
        stmt = stmt.where(AuditLog.created_at >= query.since)
    if query.until is not None:
        stmt = stmt.where(AuditLog.created_at < query.until)
    return stmt


def search(
    session: Session,
    *,
    organization_id: int,
    query: AuditQuery,
    limit: int = 100,
    before_id: int | None = None,
) -> list[AuditLog]:
    """The organization's entries matching `query`, newest first; `before_id` pages back."""
    stmt = _filtered(organization_id, query)
    if before_id is not None:
        stmt = stmt.where(AuditLog.id < before_id)
    return list(session.scalars(stmt.order_by(AuditLog.id.desc()).limit(limit)))


def iter_matching(
    session: Session, *, organization_id: int, query: AuditQuery
) -> Iterator[AuditLog]:
    """Every matching entry, oldest first, read in chunks (for exports)."""
    after = 0
    while True:
        chunk = list(
            session.scalars(
                _filtered(organization_id, query)
                .where(AuditLog.id > after)
                .order_by(AuditLog.id)
                .limit(_EXPORT_CHUNK)
            )
        )
        yield from chunk
        if len(chunk) < _EXPORT_CHUNK:
            return
        after = chunk[-1].id


def _row(entry: AuditLog) -> dict[str, Any]:
    return {
        "id": entry.id,
        "created_at": entry.created_at.isoformat(),
        "actor_id": entry.actor_id,
        "action": entry.action,
        "entity_type": entry.entity_type,
        "entity_id": entry.entity_id,
        "details": entry.details,
    }


def jsonl_lines(entries: Iterable[AuditLog]) -> Iterator[str]:
    """One JSON object per entry and line."""
    for entry in entries:
        yield json.dumps(_row(entry), sort_keys=True, default=str) + "\n"


def csv_lines(entries: Iterable[AuditLog]) -> Iterator[str]:
    """A header line, then one CSV line per entry; `details` is a JSON string.

    Cells that a spreadsheet would run as a formula (=, +, -, @ first) get a leading quote
    (OWASP "CSV Injection"): details hold text that users typed.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_FIELDS)
    for entry in entries:
        row = _row(entry)
        row["details"] = json.dumps(row["details"], sort_keys=True, default=str)
        writer.writerow([_defused(row[name]) for name in EXPORT_FIELDS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def _defused(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def check_retention(days: int) -> int:
    """`days` if it keeps entries at least six months; ValueError otherwise."""
    if days < MIN_RETENTION_DAYS:
        raise ValueError(
            f"audit-log retention must be at least {MIN_RETENTION_DAYS} days (six months)"
        )
    return days


def prune(session: Session, *, retention_days: int, now: dt.datetime, apply: bool) -> PruneReport:
    """Count (and with `apply`, delete) the entries older than `retention_days` before `now`."""
    cutoff = now - dt.timedelta(days=check_retention(retention_days))
    old = AuditLog.created_at < cutoff
    entries = session.scalar(select(func.count()).select_from(AuditLog).where(old)) or 0
    oldest = session.scalar(select(func.min(AuditLog.created_at)).where(old))
    if apply and entries:
        session.execute(delete(AuditLog).where(old))
    return PruneReport(
        retention_days=retention_days,
        cutoff=cutoff,
        entries=entries,
        oldest=oldest,
        applied=apply,
    )


def parse_query(values: dict[str, str]) -> AuditQuery:
    """An `AuditQuery` from a page's search form, where a blank field means "any"."""
    try:
        return AuditQuery.model_validate({k: v for k, v in values.items() if v.strip()})
    except ValidationError as exc:
        fields = sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]})
        raise AppError(
            "Check the search: " + ", ".join(fields) + ".",
            code="invalid_audit_query",
            status_code=422,
            details={"fields": fields},
        ) from None
