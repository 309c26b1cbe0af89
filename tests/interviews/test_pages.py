"""Interview pages: the recruiter's template console and the candidate's interviews dashboard."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.interviews.config import DEFAULT_TEMPLATE
from tests.factories import PASSWORD, bearer, make_job, make_user


def _sign_in(client: TestClient, email: str) -> str:
    client.get("/login")
    csrf = client.cookies.get("hs_csrf") or ""
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf})
    return client.cookies.get("hs_csrf") or ""  # signed in: the token bound to the session


def _form(csrf: str, **extra: str) -> dict[str, str]:
    form = {"csrf_token": csrf, "name": "Backend screen", "lang_python": "1", "grace_seconds": "15"}
    for kind, minutes in (("english", "4"), ("code_review", "12")):
        form |= {
            f"{kind}_enabled": "1",
            f"{kind}_minutes": minutes,
            f"{kind}_questions": "2",
            f"{kind}_attempts": "2",
        }
    return form | extra


def test_recruiter_creates_a_job_template_used_by_candidates(
    client: TestClient, db: Session
) -> None:
    """A job's template from the console decides that job's interview stages and limits."""
    recruiter = make_user(db, Role.recruiter, email="rec@example.com")
    job = make_job(db, recruiter.organization)
    candidate_headers = bearer(db, make_user(db))
    db.commit()
    csrf = _sign_in(client, "rec@example.com")
    r = client.post(
        "/recruiter/templates", data=_form(csrf, job_id=str(job.id)), follow_redirects=False
    )
    assert r.status_code == 303
    assert "Backend screen" in client.get("/recruiter/templates").text
    client.cookies.clear()
    session = client.post(
        "/api/v1/interviews", headers=candidate_headers, json={"job_id": job.id}
    ).json()
    assert [s["kind"] for s in session["config"]["stages"]] == ["english", "code_review"]
    assert session["config"]["languages"] == ["python"]
    assert session["attempts_left"] == {"english": 2, "code_review": 2}


def test_template_without_stages_is_refused(client: TestClient, db: Session) -> None:
    """A template with no stage re-renders the form with a message."""
    make_user(db, Role.recruiter, email="rec@example.com")
    db.commit()
    csrf = _sign_in(client, "rec@example.com")
    r = client.post(
        "/recruiter/templates", data={"csrf_token": csrf, "name": "Empty", "lang_python": "1"}
    )
    assert r.status_code == 422
    assert "alert" in r.text


def test_editing_a_template_keeps_running_sessions(client: TestClient, db: Session) -> None:
    """A session keeps the snapshot it started with when the template changes afterwards."""
    recruiter = make_user(db, Role.recruiter, email="rec@example.com")
    job = make_job(db, recruiter.organization)
    candidate_headers = bearer(db, make_user(db))
    db.commit()
    csrf = _sign_in(client, "rec@example.com")
    client.post("/recruiter/templates", data=_form(csrf, job_id=str(job.id)))
    started = client.post(
        "/api/v1/interviews", headers=candidate_headers, json={"job_id": job.id}
    ).json()
    staff = bearer(db, recruiter)
    db.commit()
    template_id = client.get("/api/v1/interview-templates", headers=staff).json()[0]["id"]
    client.post(
        "/recruiter/templates", data=_form(csrf, template_id=str(template_id), english_minutes="9")
    )
    again = client.get(f"/api/v1/interviews/{started['id']}", headers=candidate_headers).json()
    assert again["config"]["stages"][0]["minutes"] == 4


def test_other_orgs_templates_are_invisible(client: TestClient, db: Session) -> None:
    """Editing another organization's template answers 404."""
    owner = make_user(db, Role.recruiter, email="a@example.com")
    make_user(db, Role.recruiter, email="b@example.com")
    owner_headers = bearer(db, owner)
    db.commit()
    body = {"name": "Mine", "config": {"stages": [{"kind": "behavioral", "minutes": 4}]}}
    template_id = client.post(
        "/api/v1/interview-templates", headers=owner_headers, json=body
    ).json()["id"]
    _sign_in(client, "b@example.com")
    assert client.get(f"/recruiter/templates?edit={template_id}").status_code == 404


def test_candidate_dashboard_starts_an_interview(client: TestClient, db: Session) -> None:
    """Starting from the dashboard opens the interview room."""
    make_user(db, email="c@example.com")
    db.commit()
    csrf = _sign_in(client, "c@example.com")
    r = client.post("/candidate/interviews", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    room = client.get(r.headers["location"])
    assert room.status_code == 200
    assert 'id="interview-data"' in room.text


def test_instructions_page_gives_times_attempts_and_retakes(
    client: TestClient, db: Session
) -> None:
    """Before the interview: every stage's minutes and attempts left, how retakes count."""
    make_user(db, email="ready@example.com")
    db.commit()
    _sign_in(client, "ready@example.com")
    page = client.get("/candidate/interviews/instructions")
    assert page.status_code == 200
    for stage in DEFAULT_TEMPLATE.stages:
        assert (
            f"<td>{stage.minutes} min</td><td>{stage.attempts} of {stage.attempts}</td>"
            in page.text
        )
    assert "The latest finished attempt counts" in page.text
    assert "does not lose work" in page.text
    assert 'href="/candidate/interviews/instructions"' in client.get("/candidate/interviews").text
