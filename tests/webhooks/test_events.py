"""Events are emitted at the state changes, in the same transaction: an interview completed,
an attempt scored, an application decided, a take-home evaluated."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.takehome import service as takehome
from hiresight.tasks import service as tasks
from hiresight.webhooks import service
from hiresight.webhooks.models import WebhookDelivery, WebhookEvent
from tests.factories import bearer, make_application, make_job, make_org, make_user
from tests.takehome.factories import make_assignment


def _events(db: Session, event_type: str) -> list[dict]:
    db.expire_all()
    rows = db.scalars(
        select(WebhookEvent).where(WebhookEvent.type == event_type).order_by(WebhookEvent.id)
    )
    return [json.loads(r.body) for r in rows]


def _subscribed_org(db: Session):  # type: ignore[no-untyped-def]
    org = make_org(db)
    admin = make_user(db, Role.admin, org=org)
    service.create_endpoint(
        db,
        organization_id=org.id,
        actor_id=admin.id,
        url="https://ats.example.com/hook",
        event_types=list(service.EVENT_TYPES),
    )
    return org


def test_a_finished_job_interview_and_its_score_are_events(client: TestClient, db: Session) -> None:
    """Submitting the one stage of a job's interview completes it (interview.completed), and
    the background score is an attempt.scored event with rubric and model versions."""
    org = _subscribed_org(db)
    job = make_job(db, org)
    candidate = make_user(db)
    headers = bearer(db, candidate)
    db.commit()
    interview = client.post(
        "/api/v1/interviews", headers=headers, json={"job_id": job.id, "stages": ["behavioral"]}
    ).json()
    attempt = client.post(
        f"/api/v1/interviews/{interview['id']}/stages/behavioral/start", headers=headers
    ).json()
    r = client.post(
        f"/api/v1/attempts/{attempt['id']}/submit",
        headers=headers,
        json={"draft": {"b1": "I led the migration and measured it."}},
    )
    assert r.status_code == 202, r.text  # accepted: the score follows in the background
    [completed] = _events(db, service.INTERVIEW_COMPLETED)
    assert completed["organization_id"] == org.id
    assert completed["data"]["interview_id"] == interview["id"]
    assert completed["data"]["job_id"] == job.id
    assert completed["data"]["stages"] == [
        {"attempt_id": attempt["id"], "stage": "behavioral", "state": "submitted"}
    ]
    assert tasks.wait(120)
    [scored] = _events(db, service.ATTEMPT_SCORED)
    data = scored["data"]
    assert data["attempt_id"] == attempt["id"]
    assert 0 <= data["score"] <= 100
    stage = data["components"]["stage"]
    assert stage["rubric_version"]
    assert stage["model"]
    # Numbers and ids only: no answer text travels.
    assert "migration" not in json.dumps(scored)
    deliveries = db.scalars(select(WebhookDelivery)).all()
    assert len(deliveries) == 2


def test_a_practice_interview_is_no_event(client: TestClient, db: Session) -> None:
    """A candidate's own practice belongs to no organization: nothing is emitted."""
    _subscribed_org(db)
    candidate = make_user(db)
    headers = bearer(db, candidate)
    db.commit()
    interview = client.post(
        "/api/v1/interviews", headers=headers, json={"practice": True, "stages": ["behavioral"]}
    ).json()
    client.post(f"/api/v1/interviews/{interview['id']}/stages/behavioral/start", headers=headers)
    client.post(f"/api/v1/interviews/{interview['id']}/end", headers=headers)
    assert _events(db, service.INTERVIEW_COMPLETED) == []


def test_a_recruiters_decision_is_an_event_without_the_note(
    client: TestClient, db: Session
) -> None:
    """application.decided names the old and new status and who decided, not the note."""
    org = _subscribed_org(db)
    recruiter = make_user(db, Role.recruiter, org=org)
    application = make_application(db, make_user(db), make_job(db, org))
    headers = bearer(db, recruiter)
    db.commit()
    r = client.patch(
        f"/api/v1/applications/{application.id}",
        headers=headers,
        json={"status": "rejected", "note": "Private remark about Zoe"},
    )
    assert r.status_code == 200, r.text
    [decided] = _events(db, service.APPLICATION_DECIDED)
    assert decided["data"]["application_id"] == application.id
    assert decided["data"]["to_status"] == "rejected"
    assert decided["data"]["decided_by"] == recruiter.id
    assert "Zoe" not in json.dumps(decided)


def _tar_gz(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_a_take_home_evaluation_is_an_event(sqlite_session: Session, tmp_path: Path) -> None:
    """Storing a take-home version's evaluation (here a refused archive) is takehome.evaluated,
    with the state and the error's code."""
    org = _subscribed_org(sqlite_session)
    stored = takehome.create_assignment(
        sqlite_session,
        organization_id=org.id,
        created_by_id=None,
        source=make_assignment(tmp_path / "a"),
    )
    candidate = make_user(sqlite_session)
    submission = takehome.start(sqlite_session, assignment=stored, candidate_id=candidate.id)
    version = takehome.add_version(
        sqlite_session,
        submission=submission,
        filename="evil.tar.gz",
        content=_tar_gz({"../x.py": "x"}),
    )
    takehome.evaluate_version(sqlite_session, version=version)
    [event] = _events(sqlite_session, service.TAKEHOME_EVALUATED)
    assert event["data"]["version_id"] == version.id
    assert event["data"]["candidate_id"] == candidate.id
    assert event["data"]["state"] == "failed"
    assert event["data"]["error_code"] == "portfolio_unsafe_archive"
