"""Account pages: login, logout, the session cookie, CSRF on the login form, safe redirects."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from tests.factories import PASSWORD, make_user


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
