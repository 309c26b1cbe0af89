"""Templates mark the stages answerable by voice; the code review cannot be one."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from tests.factories import PASSWORD, bearer, make_job, make_user


def test_the_console_marks_stages_answerable_by_voice(client: TestClient, db: Session) -> None:
    """Ticking "By voice" for the English check gives the job's interviews a spoken item."""
    recruiter = make_user(db, Role.recruiter, email="rec@example.com")
    job = make_job(db, recruiter.organization)
    candidate = bearer(db, make_user(db))
    db.commit()
    client.get("/login")
    login = {"email": "rec@example.com", "password": PASSWORD,
             "csrf_token": client.cookies.get("hs_csrf") or ""}  # fmt: skip
    client.post("/login", data=login)
    form = {"csrf_token": client.cookies.get("hs_csrf") or "", "name": "Spoken screen",
            "lang_python": "1", "job_id": str(job.id), "english_enabled": "1",
            "english_minutes": "5", "english_questions": "2", "english_voice": "1",
            "behavioral_enabled": "1", "behavioral_minutes": "4"}  # fmt: skip
    page = client.get("/recruiter/templates").text
    assert 'name="english_voice"' in page
    assert 'name="code_review_voice"' not in page
    assert client.post("/recruiter/templates", data=form, follow_redirects=False).status_code == 303
    client.cookies.clear()
    session = client.post("/api/v1/interviews", headers=candidate, json={"job_id": job.id}).json()
    voice = {s["kind"]: s["voice"] for s in session["config"]["stages"]}
    assert voice == {"english": True, "behavioral": False}
    english = client.post(
        f"/api/v1/interviews/{session['id']}/stages/english/start", headers=candidate
    ).json()
    assert english["content"]["speaking"]["id"] == "speaking"


def test_a_code_review_by_voice_is_refused(client: TestClient, db: Session) -> None:
    """The API refuses a template whose code-review stage is marked for voice (422)."""
    staff = bearer(db, make_user(db, Role.recruiter, email="rec@example.com"))
    db.commit()
    body = {"name": "Bad", "config": {"stages": [
        {"kind": "code_review", "minutes": 10, "voice": True}]}}  # fmt: skip
    r = client.post("/api/v1/interview-templates", headers=staff, json=body)
    assert r.status_code == 422
