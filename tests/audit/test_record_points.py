"""Every state change of an interview, an attempt and a score is audited, with its actor, time
and (for scores) the model and rubric versions behind it."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.audit.models import AuditLog
from hiresight.db import utcnow
from hiresight.tasks import service as tasks
from tests.factories import bearer, make_job, make_org, make_user


def _entries(db: Session, entity_type: str, entity_id: object) -> list[AuditLog]:
    db.expire_all()
    return list(
        db.scalars(
            select(AuditLog)
            .where(AuditLog.entity_type == entity_type, AuditLog.entity_id == str(entity_id))
            .order_by(AuditLog.id)
        )
    )


def _job_candidate(db: Session) -> tuple[int, int, int, dict[str, str]]:
    """(organization id, job id, candidate id, the candidate's headers)."""
    org = make_org(db)
    job = make_job(db, org)
    candidate = make_user(db)
    headers = bearer(db, candidate)
    db.commit()
    return org.id, job.id, candidate.id, headers


def _start(client: TestClient, headers: dict[str, str], **body: object) -> dict:
    r = client.post("/api/v1/interviews", headers=headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()


def _stage(client: TestClient, headers: dict[str, str], interview_id: int) -> dict:
    r = client.post(f"/api/v1/interviews/{interview_id}/stages/behavioral/start", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def test_start_submit_score_and_completion_are_audited(client: TestClient, db: Session) -> None:
    """A job's one-stage interview: the attempt's start, submit and score, and the interview's
    completion are entries of the job's organization; the score names its versions."""
    org_id, job_id, candidate_id, headers = _job_candidate(db)
    interview = _start(client, headers, job_id=job_id, stages=["behavioral"])
    attempt = _stage(client, headers, interview["id"])
    client.post(
        f"/api/v1/attempts/{attempt['id']}/submit",
        headers=headers,
        json={"draft": {"b1": "I led the migration."}},
    )
    assert tasks.wait(120)
    entries = _entries(db, "stage_attempt", attempt["id"])
    assert [e.action for e in entries] == ["attempt.start", "attempt.submit", "attempt.scored"]
    start, submit, scored = entries
    assert (start.actor_id, submit.actor_id, scored.actor_id) == (candidate_id, candidate_id, None)
    assert {e.organization_id for e in entries} == {org_id}
    assert submit.details["ended_by"] == "candidate"
    stage = scored.details["components"]["stage"]
    assert stage["rubric_version"]
    assert stage["model"]
    assert scored.details["score"] == stage["value"]
    [completed] = _entries(db, "interview_session", interview["id"])[-1:]
    assert completed.action == "interview.completed"
    assert completed.details["stages"][0]["attempt_id"] == attempt["id"]
    assert all(e.created_at <= utcnow() for e in entries)


def test_ending_an_interview_and_choosing_an_attempt_are_audited(
    client: TestClient, db: Session
) -> None:
    """`end` is an entry by the candidate; `select` names the attempts it unselected."""
    _, _, candidate_id, headers = _job_candidate(db)
    ids = []
    for answer in ("first", "second"):
        interview = _start(client, headers)
        attempt = _stage(client, headers, interview["id"])
        client.put(
            f"/api/v1/attempts/{attempt['id']}/draft",
            headers=headers,
            json={"revision": 1, "draft": {"b1": answer}},
        )
        assert client.post(f"/api/v1/interviews/{interview['id']}/end", headers=headers).is_success
        ids.append((interview["id"], attempt["id"]))
    (first_interview, first), (_, second) = ids
    actions = [e.action for e in _entries(db, "interview_session", first_interview)]
    assert actions[-2:] == ["interview.completed", "interview.end"]
    submit = _entries(db, "stage_attempt", first)[1]
    assert (submit.action, submit.details["ended_by"]) == ("attempt.submit", "end_interview")
    client.post(f"/api/v1/attempts/{first}/select", headers=headers)
    [select_entry] = [
        e for e in _entries(db, "stage_attempt", first) if e.action == "attempt.select"
    ]
    assert select_entry.actor_id == candidate_id
    assert select_entry.details["unselected"] in ([], [second])
    assert tasks.wait(120)


def test_a_deadline_that_passes_is_audited_without_an_actor(
    client: TestClient, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An attempt the clock cut short with nothing saved is `attempt.abandoned`, actor none."""
    _, _, _, headers = _job_candidate(db)
    interview = _start(client, headers)
    attempt = _stage(client, headers, interview["id"])
    later = utcnow() + dt.timedelta(hours=3)
    monkeypatch.setattr("hiresight.interviews.sessions.utcnow", lambda: later)
    monkeypatch.setattr("hiresight.interviews.service.utcnow", lambda: later)
    client.get("/api/v1/attempts", headers=headers)
    abandoned = _entries(db, "stage_attempt", attempt["id"])[-1]
    assert (abandoned.action, abandoned.actor_id) == ("attempt.abandoned", None)
