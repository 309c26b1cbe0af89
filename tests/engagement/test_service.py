"""Recording engagement events: idempotent by event id, outcomes refused from candidates."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hiresight.engagement import service
from hiresight.engagement.models import EngagementEvent, outcome_event
from hiresight.engagement.schemas import EventIn
from hiresight.errors import AppError, ConflictError
from tests.factories import bearer, make_job, make_org, make_user


def _ids(db: Session) -> tuple[int, int]:
    candidate = make_user(db)
    job = make_job(db, make_org(db))
    db.commit()
    return candidate.id, job.id


def _count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(EngagementEvent)) or 0


def test_the_same_event_id_is_stored_once(db: Session) -> None:
    """Sending an event again returns the stored row, marked as a duplicate."""
    candidate_id, job_id = _ids(db)
    data = EventIn(event_id="evt-0001-abcd", kind="click", job_id=job_id, position=2)
    first = service.record_event(db, candidate_id=candidate_id, job_id=job_id, data=data)
    again = service.record_event(db, candidate_id=candidate_id, job_id=job_id, data=data)
    assert not first.duplicate
    assert again.duplicate
    assert again.id == first.id
    assert _count(db) == 1


def test_a_reused_event_id_for_another_event_conflicts(db: Session) -> None:
    """The same id with a different kind is a stable 409, and the first event stays."""
    candidate_id, job_id = _ids(db)
    data = EventIn(event_id="evt-0002-abcd", kind="click", job_id=job_id)
    service.record_event(db, candidate_id=candidate_id, job_id=job_id, data=data)
    clash = data.model_copy(update={"kind": "save"})
    with pytest.raises(ConflictError) as caught:
        service.record_event(db, candidate_id=candidate_id, job_id=job_id, data=clash)
    assert caught.value.code == "event_id_conflict"
    assert db.scalars(select(EngagementEvent.kind)).all() == ["click"]


def test_outcome_kinds_are_refused_from_the_feed(db: Session) -> None:
    """Only the hiring flow records outcomes; through record_event they are a 403."""
    candidate_id, job_id = _ids(db)
    data = EventIn(event_id=uuid.uuid4().hex, kind="hired", job_id=job_id)
    with pytest.raises(AppError) as caught:
        service.record_event(db, candidate_id=candidate_id, job_id=job_id, data=data)
    assert (caught.value.code, caught.value.status_code) == ("outcome_event_forbidden", 403)
    assert _count(db) == 0


def test_outcome_events_get_a_server_made_id(db: Session) -> None:
    """Each outcome is its own row, its id prefixed with the kind."""
    candidate_id, job_id = _ids(db)
    for _ in range(2):
        db.add(outcome_event(candidate_id=candidate_id, job_id=job_id, kind="advanced"))
    db.flush()
    ids = db.scalars(select(EngagementEvent.event_id)).all()
    assert len(set(ids)) == 2
    assert all(i.startswith("advanced:") for i in ids)


def test_candidates_cannot_send_outcome_events(client: TestClient, db: Session) -> None:
    """A candidate posting `hired` gets a stable 403, and nothing is stored."""
    candidate = make_user(db)
    job = make_job(db, make_org(db))
    headers = bearer(db, candidate)
    db.commit()
    body = {"event_id": uuid.uuid4().hex, "kind": "hired", "job_id": job.id}
    response = client.post("/api/v1/events", headers=headers, json=body)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "outcome_event_forbidden"
    assert db.scalar(select(EngagementEvent.id)) is None
