"""Job pages: the dashboards (login needed, each role on its own side) and applying from one."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.engagement.models import EngagementEvent
from tests.factories import PASSWORD, make_job, make_org, make_user


def _csrf(client: TestClient, path: str = "/login") -> str:
    client.get(path)
    token = client.cookies.get("hs_csrf")
    assert token
    return token


def _login(client: TestClient, email: str, password: str = PASSWORD, next: str = "") -> object:
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": _csrf(client), "next": next},
        follow_redirects=False,
    )


def test_dashboard_needs_login(client: TestClient) -> None:
    """An anonymous visit to a dashboard redirects to the login page with `next`."""
    r = client.get("/candidate", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/candidate"


def test_candidate_is_kept_out_of_the_recruiter_dashboard(client: TestClient, db: Session) -> None:
    """A candidate visiting /recruiter is sent to their own dashboard."""
    make_user(db, email="c@example.com")
    db.commit()
    _login(client, "c@example.com")
    r = client.get("/recruiter", follow_redirects=False)
    assert r.headers["location"] == "/candidate"


def test_applying_from_the_dashboard_records_one_apply_event(
    client: TestClient, db: Session
) -> None:
    """The Apply button creates the application and one "apply" event; applying again adds
    neither."""
    job = make_job(db, make_org(db))
    candidate = make_user(db, email="c@example.com")
    db.commit()
    _login(client, "c@example.com")
    csrf = client.cookies.get("hs_csrf") or ""  # signed in: the token bound to the session
    first = client.post(
        f"/candidate/jobs/{job.id}/apply", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert first.status_code == 303
    again = client.post(f"/candidate/jobs/{job.id}/apply", data={"csrf_token": csrf})
    assert again.status_code == 409
    db.expire_all()
    events = db.scalars(
        select(EngagementEvent).where(EngagementEvent.candidate_id == candidate.id)
    ).all()
    assert [(e.job_id, e.kind) for e in events] == [(job.id, "apply")]
