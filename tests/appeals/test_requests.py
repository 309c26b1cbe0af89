"""Candidate requests to a person: a re-evaluation of a scored stage or another process reaches
the organization's recruiters as a task; a recruiter resolves it, and a changed score is a
recorded, audited human override beside the software's score."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hiresight.accounts.models import Role, User
from hiresight.appeals import service
from hiresight.audit.models import AuditLog
from hiresight.interviews import rescore
from hiresight.interviews.config import StageKind
from hiresight.interviews.models import StageAttempt
from hiresight.interviews.scores import AttemptScore
from hiresight.jobs.models import Job
from hiresight.webhooks.models import WebhookEvent
from tests.appeals.conftest import scored_attempt
from tests.factories import bearer, make_application, make_job, make_user

REASON = "My answer covered the result; the score says it did not."


class World:
    """Two organizations, a job of the first, its recruiter, an applicant and an outsider."""

    def __init__(self, db: Session) -> None:
        self.recruiter = make_user(db, Role.recruiter)
        self.job: Job = make_job(db, self.recruiter.organization)
        self.other_recruiter = make_user(db, Role.recruiter)
        self.candidate: User = make_user(db)
        self.other_candidate = make_user(db)
        make_application(db, self.candidate, self.job)
        self.attempt: StageAttempt = scored_attempt(db, self.candidate, self.job)
        self.h_rec = bearer(db, self.recruiter)
        self.h_other_rec = bearer(db, self.other_recruiter)
        self.h_cand = bearer(db, self.candidate)
        self.h_other_cand = bearer(db, self.other_candidate)
        db.commit()


@pytest.fixture
def world(db: Session) -> World:
    return World(db)


def _ask(client: TestClient, headers: dict[str, str], attempt_id: int, reason: str = REASON):
    return client.post(
        f"/api/v1/attempts/{attempt_id}/re-evaluation", headers=headers, json={"reason": reason}
    )


def _resolve(client: TestClient, headers: dict[str, str], request_id: int, **body: object):
    return client.post(
        f"/api/v1/candidate-requests/{request_id}/resolve", headers=headers, json=body
    )


def test_a_re_evaluation_reaches_the_organizations_recruiters_only(
    client: TestClient, world: World
) -> None:
    """The request is open with the software's score; the job's recruiters list it; another
    organization's recruiters do not see it and cannot resolve it (404)."""
    r = _ask(client, world.h_cand, world.attempt.id)
    assert r.status_code == 201, r.text
    asked = r.json()
    assert (asked["state"], asked["ai_score"], asked["kind"]) == ("open", 62.0, "re_evaluation")
    listed = client.get("/api/v1/candidate-requests?state=open", headers=world.h_rec).json()
    assert [x["id"] for x in listed] == [asked["id"]]
    assert client.get("/api/v1/candidate-requests", headers=world.h_other_rec).json() == []
    r = _resolve(client, world.h_other_rec, asked["id"], outcome="upheld", note="No.")
    assert r.status_code == 404


def test_nobody_asks_about_another_candidates_attempt(client: TestClient, world: World) -> None:
    """Another candidate's attempt answers 404, like one that does not exist."""
    assert _ask(client, world.h_other_cand, world.attempt.id).status_code == 404


def test_only_a_scored_attempt_and_only_once(client: TestClient, db: Session, world: World) -> None:
    """An attempt without a score is 409 `not_scored`; a second request 409
    `re_evaluation_exists`; an empty reason 422."""
    unscored = scored_attempt(db, world.candidate, world.job, score=None)
    db.commit()
    r = _ask(client, world.h_cand, unscored.id)
    assert (r.status_code, r.json()["error"]["code"]) == (409, "not_scored")
    assert _ask(client, world.h_cand, world.attempt.id, reason="   ").status_code == 422
    assert _ask(client, world.h_cand, world.attempt.id).status_code == 201
    r = _ask(client, world.h_cand, world.attempt.id)
    assert (r.status_code, r.json()["error"]["code"]) == (409, "re_evaluation_exists")


def test_a_changed_score_is_a_human_override_beside_the_software_score(
    client: TestClient, db: Session, world: World
) -> None:
    """The attempt's score becomes the person's; the rubric's row stays, a `human` row is added
    with the note; the audit entry names both scores; the candidate sees the outcome."""
    request_id = _ask(client, world.h_cand, world.attempt.id).json()["id"]
    r = _resolve(client, world.h_rec, request_id, outcome="score_changed", note="Result given.",
                 score=78)  # fmt: skip
    assert r.status_code == 200, r.text
    db.expire_all()
    assert db.get(StageAttempt, world.attempt.id).score == 78  # type: ignore[union-attr]
    rows = db.scalars(
        select(AttemptScore).where(AttemptScore.attempt_id == world.attempt.id)
        .order_by(AttemptScore.id)
    ).all()  # fmt: skip
    assert [(x.provider, x.value) for x in rows] == [("rubric", 62.0), ("human", 78.0)]
    assert rows[1].evidence == rows[0].evidence
    assert "Result given." in rows[1].notes[0]
    entry = db.scalar(select(AuditLog).where(AuditLog.action == "re_evaluation.resolve"))
    assert entry is not None
    assert entry.actor_id == world.recruiter.id
    assert (entry.details["ai_score"], entry.details["human_score"]) == (62.0, 78)
    mine = client.get("/api/v1/candidate-requests/mine", headers=world.h_cand).json()
    assert [(x["state"], x["human_score"], x["resolution_note"]) for x in mine] == [
        ("score_changed", 78.0, "Result given.")
    ]
    # The organization's systems hear of the person's score as of any stored score.
    sent = db.scalars(select(WebhookEvent).where(WebhookEvent.type == "attempt.scored")).all()
    human = [json.loads(e.body)["data"] for e in sent]
    human = [d for d in human if d["components"]["stage"]["model"] == "human"]
    assert [(d["attempt_id"], d["score"]) for d in human] == [(world.attempt.id, 78)]


def test_a_resolution_must_fit_and_happens_once(client: TestClient, world: World) -> None:
    """A changed score without the score is 422; upheld keeps the score; a second resolution is
    409 `already_resolved`."""
    request_id = _ask(client, world.h_cand, world.attempt.id).json()["id"]
    r = _resolve(client, world.h_rec, request_id, outcome="score_changed", note="Hm.")
    assert (r.status_code, r.json()["error"]["code"]) == (422, "invalid_resolution")
    r = _resolve(client, world.h_rec, request_id, outcome="upheld", note="The rubric holds.")
    assert (r.status_code, r.json()["state"], r.json()["human_score"]) == (200, "upheld", None)
    r = _resolve(client, world.h_rec, request_id, outcome="upheld", note="Again.")
    assert (r.status_code, r.json()["error"]["code"]) == (409, "already_resolved")


def test_the_shared_screening_goes_to_the_organizations_the_candidate_applied_to(
    client: TestClient, db: Session, world: World
) -> None:
    """An attempt of the screening taken for no job is seen by the organizations the candidate
    applied to, as its results are, and by no other."""
    screening = scored_attempt(db, world.candidate, None)
    db.commit()
    request_id = _ask(client, world.h_cand, screening.id).json()["id"]
    seen = client.get("/api/v1/candidate-requests", headers=world.h_rec).json()
    assert [x["id"] for x in seen] == [request_id]
    assert client.get("/api/v1/candidate-requests", headers=world.h_other_rec).json() == []


def test_another_process_is_asked_of_a_job_applied_to(
    client: TestClient, db: Session, world: World
) -> None:
    """A request for another process reaches the job's recruiters, who answer it with a note;
    for a job not applied to it is 404; the open count follows."""
    url = "/api/v1/candidate-requests/alternative-process"
    other_job = make_job(db, world.other_recruiter.organization)
    db.commit()
    body = {"job_id": other_job.id, "reason": "I cannot type for long."}
    assert client.post(url, headers=world.h_cand, json=body).status_code == 404
    r = client.post(url, headers=world.h_cand, json={**body, "job_id": world.job.id})
    assert r.status_code == 201, r.text
    assert service.open_count(db, user=world.recruiter) == 1
    assert service.open_count(db, user=world.other_recruiter) == 0
    r = _resolve(client, world.h_rec, r.json()["id"], outcome="answered", note="Call us.")
    assert r.json()["state"] == "answered"
    assert service.open_count(db, user=world.recruiter) == 0


def test_a_rescoring_run_keeps_the_persons_score(
    client: TestClient, db: Session, world: World, session_factory: sessionmaker[Session]
) -> None:
    """Re-scoring under a new rubric version skips an attempt whose current score a person set."""
    request_id = _ask(client, world.h_cand, world.attempt.id).json()["id"]
    r = _resolve(client, world.h_rec, request_id, outcome="score_changed", note="Ok.", score=70)
    assert r.status_code == 200, r.text
    summary = rescore.rescore(session_factory, StageKind.behavioral)
    assert (summary.considered, summary.skipped, summary.rescored) == (1, 1, [])
    db.expire_all()
    assert db.get(StageAttempt, world.attempt.id).score == 70  # type: ignore[union-attr]
