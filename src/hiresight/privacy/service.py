"""Deletion requests, erasing an account, and organizations' retention of candidate data.

State changes work inside the caller's transaction; `erase_due` opens one transaction per
account, so one failure leaves the others erased, and removes files only once the rows that
named them are committed away.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy import MetaData, select, update
from sqlalchemy.orm import Session, sessionmaker

from hiresight.accounts.models import Role, User
from hiresight.accounts.security import verify_password
from hiresight.audit import service as audit
from hiresight.audit.models import AuditLog
from hiresight.db import utcnow
from hiresight.errors import AppError, ForbiddenError, NotFoundError
from hiresight.jobs.models import Application, Job, JobStatus
from hiresight.privacy import graph
from hiresight.privacy.models import DeletionRequest, RetentionSetting
from hiresight.takehome.models import TakehomeAssignment, TakehomeInvitation, TakehomeSubmission
from hiresight.webhooks import service as webhooks

log = structlog.get_logger(__name__)
# Typed instead of the password by accounts that sign in some other way.
CONFIRM_PHRASE = "delete my account"
ERASED_ACTION = "candidate.erased"


@dataclass
class ErasureReport:
    """What erasing one account removed: rows per table, emptied mentions, files."""

    user_id: int
    counts: dict[str, int]
    files: list[Path] = field(default_factory=list)


@dataclass
class RetentionJob:
    """A closed job whose candidate data is past the organization's retention period."""

    job_id: int
    title: str
    closed_at: dt.datetime


@dataclass
class RetentionReport:
    """The jobs past the period and the rows (to be) removed for them, per table."""

    organization_id: int
    days: int | None
    jobs: list[RetentionJob]
    counts: dict[str, int]
    applied: bool
    files: list[Path] = field(default_factory=list)


# Deletion requests


def get_request(session: Session, *, user_id: int) -> DeletionRequest | None:
    """The account's pending deletion request, if any."""
    return session.scalar(select(DeletionRequest).where(DeletionRequest.user_id == user_id))


def confirmed(user: User, *, password: str, phrase: str) -> bool:
    """Whether the candidate proved the request is theirs: their password or the phrase."""
    if phrase.strip().lower() == CONFIRM_PHRASE:
        return True
    return bool(password) and verify_password(user.password_hash, password)


def request_deletion(
    session: Session,
    *,
    user: User,
    password: str,
    phrase: str,
    grace_days: int,
    now: dt.datetime | None = None,
) -> DeletionRequest:
    """Schedule the candidate's account for erasure after the grace period (once; audited)."""
    if user.role is not Role.candidate:
        raise ForbiddenError("Only candidates can delete their account here.")
    if not confirmed(user, password=password, phrase=phrase):
        raise AppError(
            f"Confirm with your password or by typing “{CONFIRM_PHRASE}”.",
            code="confirmation_required",
            status_code=422,
        )
    existing = get_request(session, user_id=user.id)
    if existing is not None:
        return existing
    now = now or utcnow()
    request = DeletionRequest(
        user_id=user.id, requested_at=now, erase_after=now + dt.timedelta(days=grace_days)
    )
    session.add(request)
    session.flush()
    audit.record(
        session, actor_id=user.id, organization_id=None, action="privacy.deletion_requested",
        entity_type="user", entity_id=user.id,
        details={"erase_after": request.erase_after.isoformat()},
    )  # fmt: skip
    return request


def cancel_deletion(session: Session, *, user: User) -> None:
    """Withdraw the pending request (404 when there is none); audited."""
    request = get_request(session, user_id=user.id)
    if request is None:
        raise NotFoundError("There is no deletion request to cancel.")
    session.delete(request)
    audit.record(
        session, actor_id=user.id, organization_id=None, action="privacy.deletion_cancelled",
        entity_type="user", entity_id=user.id,
    )  # fmt: skip


# Erasure


def _scrub_audit(session: Session, rows: graph.RowSet) -> int:
    """Empty the details of audit entries by the erased people or about erased records.

    The entries stay (who changed what and when is the organization's record) but their
    details may quote a note or a name, so they keep only the action and the record's id.
    """
    actors = rows.delete.get(graph.PERSON_TABLE, set())
    targets = [
        AuditLog.id.in_(select(AuditLog.id).where(AuditLog.actor_id.in_(sorted(actors))))
    ] if actors else []  # fmt: skip
    for name, keys in rows.delete.items():
        entity_type = name[:-1] if name.endswith("s") else name
        if keys:
            ids = [str(k) for k in sorted(keys)]
            targets.append(
                AuditLog.id.in_(
                    select(AuditLog.id).where(
                        AuditLog.entity_type == entity_type, AuditLog.entity_id.in_(ids)
                    )
                )
            )
    scrubbed = 0
    for target in targets:
        result = session.execute(update(AuditLog).where(target).values(details={}))
        scrubbed += int(getattr(result, "rowcount", 0) or 0)
    return scrubbed


def _organizations_of(session: Session, user_id: int) -> list[int]:
    """The organizations the candidate applied to or was assigned a take-home by."""
    applied = (
        select(Job.organization_id).join(Application).where(Application.candidate_id == user_id)
    )
    assigned = (
        select(TakehomeAssignment.organization_id)
        .join(TakehomeInvitation)
        .where(TakehomeInvitation.candidate_id == user_id)
    )
    return sorted(set(session.scalars(applied)) | set(session.scalars(assigned)))


def erase_user(
    session: Session, *, user_id: int, metadata: MetaData, files_root: Path
) -> ErasureReport:
    """Erase every row of the account (unlinked columns included) and audit it without any
    personal data: the user id and counts. Files are listed for the caller to remove after
    commit. Each organization the candidate dealt with gets a `candidate.deleted` event."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError("No such user.")
    organizations = _organizations_of(session, user_id)
    rows = graph.person_rows(session, metadata, person_of(user))
    files = graph.files_of(session, metadata, rows, files_root)
    scrubbed = _scrub_audit(session, rows)
    counts = graph.erase(session, metadata, rows)
    if scrubbed:
        counts[f"{graph.AUDIT_TABLE}.details"] = scrubbed
    erased_at = utcnow()
    for organization_id in organizations:
        webhooks.emit(
            session, organization_id=organization_id, event_type=webhooks.CANDIDATE_DELETED,
            data={"candidate_id": user_id, "erased_at": erased_at.isoformat()},
        )  # fmt: skip
    audit.record(
        session, actor_id=None, organization_id=None, action=ERASED_ACTION, entity_type="user",
        entity_id=user_id, details={"counts": counts, "files": len(files)},
    )  # fmt: skip
    return ErasureReport(user_id=user_id, counts=counts, files=files)


def person_of(user: User) -> dict[str, Any]:
    """The users columns `graph.UNLINKED` matches rows on."""
    return {"id": user.id, "email": user.email}


def remove_files(paths: list[Path]) -> int:
    """Delete files whose rows are gone; a file already missing counts as removed."""
    removed = 0
    for path in paths:
        try:
            path.unlink(missing_ok=True)
            removed += 1
        except OSError as exc:  # logged for an operator; the rows are already gone
            log.warning("erased_file_not_removed", error=repr(exc))
    return removed


def due_requests(session: Session, *, now: dt.datetime) -> list[DeletionRequest]:
    """Pending requests whose grace period has passed, oldest first."""
    stmt = (
        select(DeletionRequest)
        .where(DeletionRequest.erase_after <= now)
        .order_by(DeletionRequest.erase_after, DeletionRequest.id)
    )
    return list(session.scalars(stmt))


def erase_due(
    factory: sessionmaker[Session],
    *,
    metadata: MetaData,
    files_root: Path,
    now: Callable[[], dt.datetime] = utcnow,
) -> list[ErasureReport]:
    """Erase each account whose grace period has passed, one transaction each."""
    with factory() as session:
        due = [request.user_id for request in due_requests(session, now=now())]
    reports = []
    for user_id in due:
        with factory() as session, session.begin():
            # Locked, so two processes running erase-due at once erase (and announce) it once;
            # cancelled or erased meanwhile by another process: nothing to do.
            request = session.scalar(
                select(DeletionRequest).where(DeletionRequest.user_id == user_id).with_for_update()
            )
            if request is None or request.erase_after > now():
                continue
            report = erase_user(session, user_id=user_id, metadata=metadata, files_root=files_root)
        remove_files(report.files)
        log.info("candidate_erased", user_id=user_id, rows=sum(report.counts.values()))
        reports.append(report)
    return reports


# Retention


def get_retention(session: Session, *, organization_id: int) -> int | None:
    """The organization's retention period in days (None: keep)."""
    setting = session.get(RetentionSetting, organization_id)
    return None if setting is None else setting.days


def set_retention(session: Session, *, actor: User, days: int | None) -> int | None:
    """Set the actor's organization's retention period (None: keep); audited."""
    assert actor.organization_id is not None  # guaranteed by the AdminUser dependency
    setting = session.get(RetentionSetting, actor.organization_id)
    if setting is None:
        setting = RetentionSetting(organization_id=actor.organization_id)
        session.add(setting)
    before = setting.days
    setting.days, setting.updated_by_id = days, actor.id
    audit.record(
        session, actor_id=actor.id, organization_id=actor.organization_id,
        action="privacy.retention_set", entity_type="organization",
        entity_id=actor.organization_id, details={"from": before, "to": days},
    )  # fmt: skip
    return days


def closed_at(session: Session, job: Job) -> dt.datetime:
    """When the closed job was closed: its latest audited status change, else its last update.

    Jobs keep no closing time of their own; the last change that touched the status of a job
    that is closed now is the one that closed it. The last update is never earlier than that,
    so falling back on it can only keep data longer, never delete it early.
    """
    entries = session.scalars(
        select(AuditLog)
        .where(
            AuditLog.entity_type == "job",
            AuditLog.entity_id == str(job.id),
            AuditLog.action == "job.update",
        )
        .order_by(AuditLog.id.desc())
    )
    for entry in entries:
        if "status" in (entry.details or {}).get("fields", []):
            return entry.created_at
    return job.updated_at


def expired_jobs(
    session: Session, *, organization_id: int, days: int, now: dt.datetime
) -> list[RetentionJob]:
    """The organization's closed jobs closed at least `days` days before `now`."""
    jobs = session.scalars(
        select(Job)
        .where(Job.organization_id == organization_id, Job.status == JobStatus.closed)
        .order_by(Job.id)
    )
    cutoff = now - dt.timedelta(days=days)
    found = []
    for job in jobs:
        when = closed_at(session, job)
        if when <= cutoff:
            found.append(RetentionJob(job_id=job.id, title=job.title, closed_at=when))
    return found


def _retention_roots(session: Session, metadata: MetaData, job_ids: list[int]) -> graph.RowSet:
    """The candidate data held for these jobs: every row of a table that can hold a person's data
    and names one of the jobs (applications, interviews sat for them, requests, engagement...),
    the take-homes assigned through their applications, and every row that belongs to those."""
    if not job_ids:
        return graph.RowSet()
    person_tables = graph.reachable_tables(metadata) - {graph.PERSON_TABLE}
    roots = graph.referencing(session, metadata, "jobs", set(job_ids), person_tables)
    applications = roots.get("applications", set())
    invitations = list(
        session.scalars(
            select(TakehomeInvitation).where(
                TakehomeInvitation.application_id.in_(sorted(applications) or [0])
            )
        )
    )
    submissions: set[Any] = set()
    for invitation in invitations:
        submissions |= set(
            session.scalars(
                select(TakehomeSubmission.id).where(
                    TakehomeSubmission.assignment_id == invitation.assignment_id,
                    TakehomeSubmission.candidate_id == invitation.candidate_id,
                )
            )
        )
    roots["takehome_invitations"] |= {i.id for i in invitations}
    roots["takehome_submissions"] |= submissions
    return graph.collect(session, metadata, {k: v for k, v in roots.items() if v})


def retention(
    session: Session,
    *,
    organization_id: int,
    metadata: MetaData,
    files_root: Path,
    now: dt.datetime,
    apply: bool = False,
) -> RetentionReport:
    """List (or, with `apply`, delete) the organization's candidate data for closed jobs past its
    retention period; the candidates' accounts and other organizations' data stay."""
    days = get_retention(session, organization_id=organization_id)
    if days is None:
        return RetentionReport(organization_id, None, [], {}, applied=apply)
    jobs = expired_jobs(session, organization_id=organization_id, days=days, now=now)
    rows = _retention_roots(session, metadata, [job.job_id for job in jobs])
    files = graph.files_of(session, metadata, rows, files_root)
    if not apply:
        return RetentionReport(organization_id, days, jobs, rows.counts(), applied=False)
    scrubbed = _scrub_audit(session, rows)
    counts = graph.erase(session, metadata, rows)
    if scrubbed:
        counts[f"{graph.AUDIT_TABLE}.details"] = scrubbed
    audit.record(
        session, actor_id=None, organization_id=organization_id,
        action="privacy.retention_applied", entity_type="organization",
        entity_id=organization_id,
        details={"days": days, "jobs": [job.job_id for job in jobs], "counts": counts},
    )  # fmt: skip
    return RetentionReport(organization_id, days, jobs, counts, applied=True, files=files)


def organizations_with_retention(session: Session) -> list[int]:
    """Organizations that set a retention period."""
    stmt = select(RetentionSetting.organization_id).where(RetentionSetting.days.is_not(None))
    return list(session.scalars(stmt.order_by(RetentionSetting.organization_id)))
