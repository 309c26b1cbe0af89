"""Recording and reading audit entries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.audit.models import AuditLog


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
