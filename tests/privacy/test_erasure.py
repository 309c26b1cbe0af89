"""Erasing a candidate's account: no row or file of theirs is left, the audit entry holds no
personal data, other candidates stay whole, and the grace period holds."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from hiresight.accounts.models import User
from hiresight.audit.models import AuditLog
from hiresight.errors import AppError
from hiresight.models import Base
from hiresight.privacy import graph, service
from hiresight.privacy.models import DeletionRequest
from hiresight.webhooks.models import WebhookEvent
from tests.factories import PASSWORD, make_application, make_job
from tests.privacy.factories import RECRUITER_NOTE, make_candidate, make_cast

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
# Tables the known candidate fills; the scan must see them before erasure.
FILLED = {
    "users", "candidate_profiles", "resume_versions", "portfolio_reviews", "applications",
    "application_moves", "panel_scorecards", "interview_sessions", "stage_attempts",
    "attempt_scores", "integrity_events", "pending_work", "engagement_events", "recs_exposures",
    "takehome_invitations", "takehome_submissions", "takehome_versions", "login_attempts",
    "partner_invitations", "self_identifications", "web_sessions", "api_tokens",
}  # fmt: skip


def _scan(session: Session, user: dict[str, Any], before: graph.RowSet | None) -> list[str]:
    """Every place in the whole schema that still refers to the person: a key to their users
    row, a declared address column holding theirs, a row kept from `before`, or a key to one."""
    found = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            target = fk.column.table.name
            keys = {user["id"]} if target == "users" else set()
            if before is not None:
                keys |= before.delete.get(target, set())
            if keys and session.scalar(
                select(func.count()).select_from(table).where(fk.parent.in_(sorted(keys)))
            ):
                found.append(f"{table.name}.{fk.parent.name}")
        if before is not None and before.delete.get(table.name):
            key = graph.key_of(table)
            stmt = select(func.count()).select_from(table)
            if session.scalar(stmt.where(key.in_(sorted(before.delete[table.name])))):
                found.append(table.name)
    for (name, column), users_column in graph.UNLINKED.items():
        table = Base.metadata.tables[name]
        stmt = select(func.count()).select_from(table)
        if session.scalar(stmt.where(table.c[column] == user[users_column])):
            found.append(f"{name}.{column}")
    return sorted(set(found))


def _counts(session: Session) -> dict[str, int]:
    return {
        t.name: session.scalar(select(func.count()).select_from(t)) or 0
        for t in Base.metadata.sorted_tables
    }


def test_erasure_leaves_no_row_that_refers_to_the_candidate(db: Session, tmp_path: Path) -> None:
    """Before: the candidate's rows fill every kind of table. After: no table of the schema
    holds a row of theirs or a key to one; the other candidate's rows are all still there."""
    org, _admin, recruiter = make_cast(db)
    gone = make_candidate(db, org, recruiter)
    other = make_candidate(db, org, recruiter, job=gone.job)
    db.commit()
    person = service.person_of(gone.user)
    before = graph.person_rows(db, Base.metadata, person)
    assert {name for name, keys in before.delete.items() if keys} >= FILLED
    assert _scan(db, person, None) != []
    other_rows = graph.person_rows(db, Base.metadata, service.person_of(other.user)).counts()

    report = service.erase_user(
        db, user_id=gone.user.id, metadata=Base.metadata, files_root=tmp_path
    )
    db.commit()

    assert _scan(db, person, before) == []
    assert (
        graph.person_rows(db, Base.metadata, service.person_of(other.user)).counts() == other_rows
    )
    assert report.counts["resume_versions"] == 1
    assert report.counts["stage_attempts"] == 2
    # Their own audit entries stay with the actor emptied (the application's, at least).
    assert report.counts["audit_log.actor_id"] >= 1
    assert db.get(User, other.user.id) is not None


def test_the_audit_entry_of_an_erasure_holds_no_personal_data(db: Session, tmp_path: Path) -> None:
    """One `candidate.erased` entry: the user id and counts, never the e-mail or name; the
    recruiter's note about the application is scrubbed from the audit log."""
    org, _admin, recruiter = make_cast(db)
    gone = make_candidate(db, org, recruiter)
    db.commit()
    email, name, user_id = gone.user.email, gone.user.full_name, gone.user.id
    service.erase_user(db, user_id=user_id, metadata=Base.metadata, files_root=tmp_path)
    db.commit()
    entries = db.scalars(select(AuditLog).where(AuditLog.action == service.ERASED_ACTION)).all()
    assert [(e.entity_type, e.entity_id, e.actor_id) for e in entries] == [
        ("user", str(user_id), None)
    ]
    text = json.dumps(entries[0].details)
    assert email not in text
    assert name not in text
    assert entries[0].details["counts"]["users"] == 1
    every_detail = json.dumps([e.details for e in db.scalars(select(AuditLog))])
    assert RECRUITER_NOTE not in every_detail
    assert "hello" not in every_detail


def test_each_organization_applied_to_gets_a_candidate_deleted_event(
    db: Session, tmp_path: Path
) -> None:
    """The webhook outbox holds one `candidate.deleted` event per organization, with the id."""
    org, _admin, recruiter = make_cast(db)
    other_org, _a2, _r2 = make_cast(db)
    gone = make_candidate(db, org, recruiter)
    make_application(db, gone.user, make_job(db, other_org))
    db.commit()
    service.erase_user(db, user_id=gone.user.id, metadata=Base.metadata, files_root=tmp_path)
    db.commit()
    events = db.scalars(select(WebhookEvent).where(WebhookEvent.type == "candidate.deleted"))
    bodies = sorted((e.organization_id, json.loads(e.body)["data"]["candidate_id"]) for e in events)
    assert bodies == sorted([(org.id, gone.user.id), (other_org.id, gone.user.id)])


def test_request_needs_the_password_or_the_phrase(db: Session) -> None:
    """A wrong password and no phrase are refused (422 confirmation_required)."""
    org, _admin, recruiter = make_cast(db)
    user = make_candidate(db, org, recruiter).user
    with pytest.raises(AppError) as caught:
        service.request_deletion(db, user=user, password="wrong", phrase="", grace_days=14)
    assert caught.value.code == "confirmation_required"
    request = service.request_deletion(db, user=user, password=PASSWORD, phrase="", grace_days=14)
    assert request.user_id == user.id


def test_erase_due_waits_for_the_grace_period(
    db: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    """Asked at T0 with 14 days' grace: nothing is erased at T0+13d, the account is at T0+14d."""
    org, _admin, recruiter = make_cast(db)
    user = make_candidate(db, org, recruiter).user
    service.request_deletion(db, user=user, password="", phrase="Delete my account ",
                             grace_days=14, now=T0)  # fmt: skip
    db.commit()
    user_id = user.id

    def erase_at(when: dt.datetime) -> list[int]:
        reports = service.erase_due(
            session_factory, metadata=Base.metadata, files_root=tmp_path, now=lambda: when
        )
        return [r.user_id for r in reports]

    assert erase_at(T0 + dt.timedelta(days=13, hours=23)) == []
    db.expire_all()
    assert db.get(User, user_id) is not None
    assert erase_at(T0 + dt.timedelta(days=14)) == [user_id]
    db.expire_all()
    assert db.get(User, user_id) is None
    assert db.scalar(select(func.count()).select_from(DeletionRequest)) == 0


def test_a_cancelled_request_is_never_carried_out(
    db: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    """Cancelled within the grace period, the account survives erase-due long after."""
    org, _admin, recruiter = make_cast(db)
    user = make_candidate(db, org, recruiter).user
    service.request_deletion(db, user=user, password=PASSWORD, phrase="", grace_days=14, now=T0)
    db.commit()
    service.cancel_deletion(db, user=user)
    db.commit()
    reports = service.erase_due(
        session_factory, metadata=Base.metadata, files_root=tmp_path,
        now=lambda: T0 + dt.timedelta(days=60),
    )  # fmt: skip
    assert reports == []
    db.expire_all()
    assert db.get(User, user.id) is not None
