"""Recommendations and events through the API: explained, real time, idempotent, scoped."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.profiles import service as profiles
from tests.factories import bearer, make_application, make_job, make_org, make_user
from tests.profiles.factories import SAMPLE_TXT


@pytest.fixture
def market(db: Session) -> dict:
    """A candidate with a Go/Python backend résumé and jobs that fit well and badly."""
    recruiter = make_user(db, Role.recruiter)
    org = recruiter.organization
    other = make_org(db)
    candidate = make_user(db)
    profiles.upload_resume(db, candidate=candidate, data=SAMPLE_TXT.encode(), filename="cv.txt")
    fit = make_job(
        db,
        org,
        title="Backend Engineer (Go)",
        description="Go and PostgreSQL services with Kafka; Kubernetes on call.",
        requirements=["Go", "PostgreSQL", "Kafka"],
    )
    misfit = make_job(
        db, other, title="Pastry Chef", description="Croissants and tarts.", requirements=["Baking"]
    )
    for job in (fit, misfit):
        from hiresight.jobs import service as jobs

        jobs.reparse(job)
    headers, staff = bearer(db, candidate), bearer(db, recruiter)
    db.commit()
    return {
        "candidate": candidate,
        "fit": fit,
        "misfit": misfit,
        "headers": headers,
        "staff": staff,
        "org": org,
        "recruiter": recruiter,
    }


def _event(client: TestClient, headers: dict, job_id: int, kind: str, **extra: object):
    body = {"event_id": uuid.uuid4().hex, "kind": kind, "job_id": job_id, **extra}
    return client.post("/api/v1/events", headers=headers, json=body)


def test_recommendations_are_ranked_and_explained(client: TestClient, market: dict) -> None:
    """The fitting job comes first and says which required skills match."""
    recs = client.get("/api/v1/candidates/me/recommendations", headers=market["headers"]).json()
    assert recs["items"][0]["job_id"] == market["fit"].id
    assert "required skills" in recs["items"][0]["explanation"]
    # No trained model yet: the fit score serves, and the response says so.
    assert recs["ranker"] == "fit"
    assert recs["fallback"] is True
    assert recs["fallback_reason"] == "no_model"


def test_new_job_is_retrievable_at_once(client: TestClient, db: Session, market: dict) -> None:
    """A job posted after the first request shows up in the next one."""
    client.get("/api/v1/candidates/me/recommendations", headers=market["headers"])
    r = client.post(
        "/api/v1/jobs",
        headers=market["staff"],
        json={
            "title": "Senior Go Engineer",
            "description": "Go, PostgreSQL, Kafka, Kubernetes.",
            "requirements": ["Go", "Kafka"],
            "status": "open",
        },
    )
    new_id = r.json()["id"]
    recs = client.get("/api/v1/candidates/me/recommendations", headers=market["headers"]).json()
    assert new_id in [i["job_id"] for i in recs["items"]]


def test_dismissed_and_applied_jobs_are_not_shown_again(client: TestClient, market: dict) -> None:
    """After a dismiss or an application, the job leaves the candidate's list."""
    assert _event(client, market["headers"], market["fit"].id, "dismiss").status_code == 201
    recs = client.get("/api/v1/candidates/me/recommendations", headers=market["headers"]).json()
    assert market["fit"].id not in [i["job_id"] for i in recs["items"]]
    client.post(f"/api/v1/jobs/{market['misfit'].id}/applications", headers=market["headers"])
    recs = client.get("/api/v1/candidates/me/recommendations", headers=market["headers"]).json()
    assert market["misfit"].id not in [i["job_id"] for i in recs["items"]]


def test_events_are_idempotent_and_validated(client: TestClient, market: dict) -> None:
    """The same event id twice is stored once; a conflicting reuse and bad input are refused."""
    body = {"event_id": "evt-0001-abcd", "kind": "click", "job_id": market["fit"].id, "position": 0}
    first = client.post("/api/v1/events", headers=market["headers"], json=body)
    again = client.post("/api/v1/events", headers=market["headers"], json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    clash = client.post("/api/v1/events", headers=market["headers"], json={**body, "kind": "save"})
    assert clash.status_code == 409
    bad = client.post(
        "/api/v1/events",
        headers=market["headers"],
        json={**body, "event_id": "evt-0002-abcd", "kind": "teleport"},
    )
    assert bad.status_code == 422


def test_recruiter_ranks_applicants(client: TestClient, db: Session, market: dict) -> None:
    """A job's applicants come back ranked with explanations; other orgs get 404."""
    make_application(db, market["candidate"], market["fit"])
    outsider = bearer(db, make_user(db, Role.recruiter))
    db.commit()
    url = f"/api/v1/jobs/{market['fit'].id}/ranked-candidates"
    ranked = client.get(url, headers=market["staff"]).json()
    assert [i["candidate_id"] for i in ranked["items"]] == [market["candidate"].id]
    assert ranked["items"][0]["explanation"]
    assert client.get(url, headers=outsider).status_code == 404


def test_jobs_for_you_page_logs_clicks_and_dismissals(
    client: TestClient, db: Session, market: dict
) -> None:
    """The page lists explained jobs; opening one is a click; "Not interested" hides it."""
    from sqlalchemy import select

    from hiresight.engagement.models import EngagementEvent
    from tests.factories import PASSWORD

    candidate_email = market["candidate"].email
    client.get("/login")
    csrf = client.cookies.get("hs_csrf") or ""
    client.post("/login", data={"email": candidate_email, "password": PASSWORD, "csrf_token": csrf})
    csrf = client.cookies.get("hs_csrf") or ""  # signed in: the token bound to the session
    page = client.get("/candidate/jobs-for-you")
    assert "Backend Engineer (Go)" in page.text
    assert "required skills" in page.text
    client.get(f"/candidate/jobs/{market['fit'].id}", params={"rid": "r1", "pos": 0})
    kinds = set(db.scalars(select(EngagementEvent.kind)))
    assert {"impression", "click"} <= kinds
    client.post(
        f"/candidate/jobs/{market['fit'].id}/event",
        data={"csrf_token": csrf, "kind": "dismiss", "rid": "r1", "pos": "0"},
    )
    assert "Backend Engineer (Go)" not in client.get("/candidate/jobs-for-you").text


def test_applying_from_the_dashboard_records_an_apply_event(
    client: TestClient, db: Session, market: dict
) -> None:
    """The dashboard's Apply button creates the application and an "apply" event."""
    from sqlalchemy import select

    from hiresight.engagement.models import EngagementEvent
    from tests.factories import PASSWORD

    client.get("/login")
    csrf = client.cookies.get("hs_csrf") or ""
    client.post(
        "/login",
        data={"email": market["candidate"].email, "password": PASSWORD, "csrf_token": csrf},
    )
    csrf = client.cookies.get("hs_csrf") or ""  # signed in: the token bound to the session
    client.post(f"/candidate/jobs/{market['fit'].id}/apply", data={"csrf_token": csrf})
    kinds = list(db.scalars(select(EngagementEvent.kind)))
    assert kinds == ["apply"]
