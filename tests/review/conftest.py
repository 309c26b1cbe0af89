"""Review test fixtures: a recruiter's job with an applicant who finished two stages."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.challenges.loader import load_bank
from hiresight.profiles import service as profiles
from hiresight.tasks import service as tasks
from tests.factories import PASSWORD, bearer, make_application, make_job, make_user
from tests.interviews.test_scoring import STAR
from tests.profiles.factories import SAMPLE_TXT


@pytest.fixture
def world(client: TestClient, db: Session) -> dict:
    """A recruiter's job with one applicant who finished two stages."""
    recruiter = make_user(db, Role.recruiter, email="rec@example.com")
    job = make_job(db, recruiter.organization)
    candidate = make_user(db, email="cand@example.com")
    profiles.upload_resume(db, candidate=candidate, data=SAMPLE_TXT.encode(), filename="cv.txt")
    application = make_application(db, candidate, job)
    cand_headers, staff_headers = bearer(db, candidate), bearer(db, recruiter)
    db.commit()
    session = client.post(
        "/api/v1/interviews", headers=cand_headers, json={"stages": ["code_review", "behavioral"]}
    ).json()
    review = client.post(
        f"/api/v1/interviews/{session['id']}/stages/code_review/start", headers=cand_headers
    ).json()
    challenge = next(c for c in load_bank() if c.id == review["content"]["challenge"]["id"])
    client.post(
        f"/api/v1/attempts/{review['id']}/events",
        headers=cand_headers,
        json={"events": [{"kind": "paste", "data": {"chars": 900}}]},
    )
    client.post(
        f"/api/v1/attempts/{review['id']}/submit",
        headers=cand_headers,
        json={
            "draft": {
                "files": dict(challenge.solution),
                "flags": [],
                "explanation": "I fixed the bugs.",
            }
        },
    )
    story = client.post(
        f"/api/v1/interviews/{session['id']}/stages/behavioral/start", headers=cand_headers
    ).json()
    client.post(
        f"/api/v1/attempts/{story['id']}/submit",
        headers=cand_headers,
        json={"draft": {"answers": {"b1": STAR}}},
    )
    assert tasks.wait(180)
    return {
        "job": job,
        "candidate": candidate,
        "application": application,
        "cand": cand_headers,
        "staff": staff_headers,
        "review_id": review["id"],
        "story_id": story["id"],
    }


def signed_in(app: FastAPI, email: str) -> TestClient:
    """A browser-like client of its own, signed in through the login form."""
    browser = TestClient(app, raise_server_exceptions=False)
    browser.get("/login")
    r = browser.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": browser.cookies.get("hs_csrf")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return browser


def take_behavioural(client: TestClient, headers: dict[str, str], **body: object) -> None:
    """Take and submit the behavioural stage with the shared STAR story, and wait for scoring."""
    session = client.post(
        "/api/v1/interviews", headers=headers, json={"stages": ["behavioral"], **body}
    )
    assert session.status_code == 201, session.text
    attempt = client.post(
        f"/api/v1/interviews/{session.json()['id']}/stages/behavioral/start", headers=headers
    ).json()
    client.post(
        f"/api/v1/attempts/{attempt['id']}/submit",
        headers=headers,
        json={"draft": {"answers": {"b1": STAR}}},
    )
    assert tasks.wait(120)
