"""Job pages: the dashboards (login needed, each role on its own side) and applying from one."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.engagement.models import EngagementEvent
from hiresight.jobs.models import Job
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


def test_the_pipeline_board_changes_the_jobs_stages(client: TestClient, db: Session) -> None:
    """The board's form shows the stages in order and saves a new list (empty steps dropped);
    a list that breaks the rules is refused with 422 and changes nothing."""
    recruiter = make_user(db, Role.recruiter, email="r@example.com")
    job = make_job(db, recruiter.organization, title="Data Engineer")
    db.commit()
    _login(client, "r@example.com")
    board = client.get(f"/recruiter/jobs/{job.id}/pipeline").text
    assert "Change the stages" in board
    # The default pipeline, preselected: AI screening, a presentation panel, the offer.
    assert '<option value="ai_screening" selected>' in board
    assert '<option value="panel:presentation" selected>' in board
    token = client.cookies.get("hs_csrf") or ""
    form = {
        "csrf_token": token,
        "stage": ["ai_screening", "takehome", "", "panel:culture", "offer"],
    }
    r = client.post(f"/recruiter/jobs/{job.id}/pipeline", data=form, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, f"/recruiter/jobs/{job.id}/pipeline")
    db.expire_all()
    keys = ["ai_screening", "takehome", "panel_culture", "offer"]
    assert [s["key"] for s in db.get(Job, job.id).pipeline] == keys  # type: ignore[union-attr]
    bad = {"csrf_token": token, "stage": ["offer", "takehome"]}
    r = client.post(f"/recruiter/jobs/{job.id}/pipeline", data=bad, follow_redirects=False)
    assert r.status_code == 422
    assert "the offer must be the last stage" in r.text
    r = client.post(
        f"/recruiter/jobs/{job.id}/pipeline",
        data={"csrf_token": token, "stage": ["ai_screening", "cooking"]},
        follow_redirects=False,
    )
    assert r.status_code == 422
    db.expire_all()
    assert [s["key"] for s in db.get(Job, job.id).pipeline] == keys  # type: ignore[union-attr]
