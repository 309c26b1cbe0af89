"""Pages: sign-up, login, logout, dashboards, CSRF on forms, and safe redirects."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
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


def test_signup_signs_in_and_lands_on_the_candidate_dashboard(client: TestClient) -> None:
    """A new candidate lands on their dashboard with a session cookie."""
    r = client.post(
        "/signup",
        data={
            "full_name": "Zoë Çelik",
            "email": "zoe@example.com",
            "password": "longenough",
            "csrf_token": _csrf(client, "/signup"),
        },
    )
    assert r.status_code == 200
    assert "Welcome, Zoë Çelik" in r.text


def test_signup_shows_a_clear_error(client: TestClient) -> None:
    """A short password re-renders the form with a message and keeps the typed fields."""
    r = client.post(
        "/signup",
        data={
            "full_name": "Al",
            "email": "al@example.com",
            "password": "short",
            "csrf_token": _csrf(client, "/signup"),
        },
    )
    assert r.status_code == 422
    assert "at least 8 characters" in r.text
    assert 'value="al@example.com"' in r.text


def test_recruiter_login_lands_on_the_recruiter_dashboard(client: TestClient, db: Session) -> None:
    """A recruiter is sent to /recruiter and sees their organization."""
    recruiter = make_user(db, Role.recruiter, email="rec@example.com")
    db.commit()
    r = _login(client, "rec@example.com")
    assert r.status_code == 303
    assert r.headers["location"] == "/recruiter"
    page = client.get("/recruiter")
    assert recruiter.organization is not None
    assert recruiter.organization.name in page.text


def test_session_cookie_is_http_only_and_same_site(client: TestClient, db: Session) -> None:
    """The session cookie cannot be read by scripts and is not sent cross-site on posts."""
    make_user(db, email="c@example.com")
    db.commit()
    cookie = _login(client, "c@example.com").headers["set-cookie"].lower()
    assert "hs_session=" in cookie
    assert "httponly" in cookie
    assert "samesite=lax" in cookie


def test_wrong_password_shows_an_error(client: TestClient, db: Session) -> None:
    """A failed login re-renders the form with a message and no session."""
    make_user(db, email="c@example.com")
    db.commit()
    r = _login(client, "c@example.com", password="wrong")
    assert r.status_code == 401
    assert "wrong" in r.text
    assert "hs_session" not in client.cookies


def test_login_form_without_csrf_is_refused(client: TestClient, db: Session) -> None:
    """A login post without the form's CSRF token answers 403."""
    make_user(db, email="c@example.com")
    db.commit()
    r = client.post("/login", data={"email": "c@example.com", "password": PASSWORD})
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("text/html")
    assert 'data-error-code="csrf_failed"' in r.text


def test_dashboard_needs_login(client: TestClient) -> None:
    """An anonymous visit to a dashboard redirects to the login page with `next`."""
    r = client.get("/candidate", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/candidate"


def test_login_never_redirects_off_site(client: TestClient, db: Session) -> None:
    """A `next` pointing to another site is ignored (no open redirect)."""
    make_user(db, email="c@example.com")
    db.commit()
    r = _login(client, "c@example.com", next="//evil.example/phish")
    assert r.headers["location"] == "/candidate"


def test_logout_ends_the_session(client: TestClient, db: Session) -> None:
    """After logout the old session no longer opens the dashboard."""
    make_user(db, email="c@example.com")
    db.commit()
    _login(client, "c@example.com")
    old = client.cookies.get("hs_session")
    assert client.get("/candidate", follow_redirects=False).status_code == 200
    client.post("/logout", data={"csrf_token": client.cookies.get("hs_csrf")})
    client.cookies.set("hs_session", old or "")
    assert client.get("/candidate", follow_redirects=False).status_code == 303


def test_candidate_is_kept_out_of_the_recruiter_dashboard(client: TestClient, db: Session) -> None:
    """A candidate visiting /recruiter is sent to their own dashboard."""
    make_user(db, email="c@example.com")
    db.commit()
    _login(client, "c@example.com")
    r = client.get("/recruiter", follow_redirects=False)
    assert r.headers["location"] == "/candidate"


def test_signup_page_refuses_a_common_password(client: TestClient) -> None:
    """A common password re-renders the sign-up form with the reason (422) and no account."""
    r = client.post(
        "/signup",
        data={
            "full_name": "Al",
            "email": "al@example.com",
            "password": "password123",
            "csrf_token": _csrf(client, "/signup"),
        },
    )
    assert r.status_code == 422
    assert "most common" in r.text
    assert "hs_session" not in client.cookies


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("al@example.com", "password123"),
        ("al@example.com", "Password2026!"),
        ("al@example.com", "abcdefghij"),
        ("alfred@example.com", "alfred1984"),
        ("taken@example.com", "longenough"),
    ],
)
def test_signup_page_and_api_refuse_alike(
    client: TestClient, db: Session, email: str, password: str
) -> None:
    """The page and the API sign up through one function: the same input is refused with the
    same status and message (the page shows it on its form, the API as a JSON error)."""
    make_user(db, email="taken@example.com")
    db.commit()
    body = {"full_name": "Al", "email": email, "password": password}
    api = client.post("/api/v1/auth/signup", json=body)
    page = client.post("/signup", data={**body, "csrf_token": _csrf(client, "/signup")})
    assert api.status_code in (409, 422)
    assert page.status_code == api.status_code
    assert page.headers["content-type"].startswith("text/html")
    assert str(escape(api.json()["error"]["message"])) in page.text
    assert 'value="Al"' in page.text
    assert "hs_session" not in client.cookies


@pytest.mark.parametrize(
    ("full_name", "email", "message"),
    [
        ("   ", "al@example.com", "Enter your full name."),
        ("Al", "al@example", "is not a usable e-mail address"),
        ("Al", "al@y.test", "is not a usable e-mail address"),
    ],
)
def test_signup_page_shows_the_service_reason(
    client: TestClient, full_name: str, email: str, message: str
) -> None:
    """A blank name or an unusable address re-renders the form (422) with the reason."""
    r = client.post(
        "/signup",
        data={
            "full_name": full_name,
            "email": email,
            "password": "longenough",
            "csrf_token": _csrf(client, "/signup"),
        },
    )
    assert r.status_code == 422
    assert message in r.text
    assert "hs_session" not in client.cookies


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
