"""The audit's scope as a dependency: the caller's organization or one of its jobs, a period.

The policy is `fairness/access.py`; handlers receive the scope and never check a role.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Query

from hiresight.accounts.deps import AdminUser, PageAdmin
from hiresight.accounts.models import User
from hiresight.deps import MAX_ID, SessionDep
from hiresight.errors import AppError, NotFoundError
from hiresight.fairness.access import audited_records
from hiresight.fairness.service import AuditScope, make_scope

JobQuery = Annotated[
    int | None, Query(ge=1, le=MAX_ID, description="One job; all jobs if left out.")
]
FromQuery = Annotated[
    dt.date | None, Query(alias="from", description="First day of applications counted (UTC).")
]
ToQuery = Annotated[
    dt.date | None, Query(alias="to", description="Last day of applications counted (UTC).")
]


def _scope(
    session: SessionDep,
    user: User,
    job_id: int | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
) -> AuditScope:
    organization, job = audited_records(session, user, job_id)
    return make_scope(organization, job, date_from, date_to)


def audit_scope(
    session: SessionDep,
    user: AdminUser,
    job_id: JobQuery = None,
    date_from: FromQuery = None,
    date_to: ToQuery = None,
) -> AuditScope:
    """The audit an API caller asks for, within what they may read."""
    return _scope(session, user, job_id, date_from, date_to)


# The page's filter form sends every field, so "" means "all jobs" or "no bound".
PageJob = Annotated[str, Query(max_length=12, pattern=r"^\d*$")]


def _day(value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise AppError(
            f"{value} is not a date.", code="validation_error", status_code=422
        ) from None


def page_audit_scope(
    session: SessionDep,
    user: PageAdmin,
    job_id: PageJob = "",
    date_from: Annotated[str, Query(alias="from", max_length=10)] = "",
    date_to: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> AuditScope:
    """The audit the admin page asks for, within what the admin may read."""
    job = int(job_id) if job_id else None
    if job is not None and job > MAX_ID:
        raise NotFoundError("No such job.")
    return _scope(session, user, job, _day(date_from), _day(date_to))


ReadableAudit = Annotated[AuditScope, Depends(audit_scope)]
PageReadableAudit = Annotated[AuditScope, Depends(page_audit_scope)]
