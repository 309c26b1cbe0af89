"""CSRF tokens: bound to the login session, signed before login, refused when copied."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import PASSWORD, make_user


def _sign_in(client: TestClient, email: str) -> str:
    """Sign in through the login form; the CSRF token the next page carries."""
    client.get("/login")
    r = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": client.cookies["hs_csrf"]},
    )
    assert r.status_code == 200
    token = client.cookies["hs_csrf"]
    assert f'<meta name="csrf-token" content="{token}">' in r.text
    return token


def _logout(client: TestClient, token: str) -> int:
    return client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code


def _two_users(app: FastAPI, db: Session) -> tuple[TestClient, str, TestClient, str]:
    make_user(db, email="ann@example.com")
    make_user(db, email="bob@example.com")
    db.commit()
    ann, bob = TestClient(app), TestClient(app)
    return ann, _sign_in(ann, "ann@example.com"), bob, _sign_in(bob, "bob@example.com")


def test_each_session_has_its_own_token(app: FastAPI, client: TestClient, db: Session) -> None:
    """Two users' pages carry different tokens, and each works for its own session."""
    ann, ann_token, _, bob_token = _two_users(app, db)
    assert ann_token != bob_token
    assert _logout(ann, ann_token) == 303


def test_another_users_pair_is_refused(app: FastAPI, client: TestClient, db: Session) -> None:
    """Bob's cookie and form token, copied into Ann's session, answer 403 csrf_failed (a page
    on the form, JSON on the API)."""
    ann, _, _, bob_token = _two_users(app, db)
    ann.cookies.set("hs_csrf", bob_token)
    r = ann.post("/logout", data={"csrf_token": bob_token}, follow_redirects=False)
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("text/html")
    assert 'data-error-code="csrf_failed"' in r.text
    api = ann.delete("/api/v1/me/tokens/1", headers={"X-CSRF-Token": bob_token})
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "csrf_failed"


def test_an_anonymous_pair_is_refused_once_signed_in(
    app: FastAPI, client: TestClient, db: Session
) -> None:
    """The token of a page seen before signing in is no good for the signed-in session."""
    make_user(db, email="ann@example.com")
    db.commit()
    client.get("/login")
    anonymous = client.cookies["hs_csrf"]
    _sign_in(client, "ann@example.com")
    client.cookies.set("hs_csrf", anonymous)
    assert _logout(client, anonymous) == 403
    r = client.delete("/api/v1/me/tokens/1", headers={"X-CSRF-Token": anonymous})
    assert r.json()["error"]["code"] == "csrf_failed"


def test_the_api_accepts_the_sessions_own_token(
    app: FastAPI, client: TestClient, db: Session
) -> None:
    """A cookie-authenticated API change with the page's token passes the CSRF check."""
    make_user(db, email="ann@example.com")
    db.commit()
    token = _sign_in(client, "ann@example.com")
    r = client.delete("/api/v1/me/tokens/999", headers={"X-CSRF-Token": token})
    assert r.status_code == 404  # past the CSRF check: there is no such token


def test_an_unsigned_anonymous_pair_is_refused(client: TestClient, db: Session) -> None:
    """Before login, a cookie and field that merely match are refused: the token is signed."""
    make_user(db, email="ann@example.com")
    db.commit()
    client.cookies.set("hs_csrf", "forged")
    r = client.post(
        "/login", data={"email": "ann@example.com", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert r.status_code == 403
    assert 'data-error-code="csrf_failed"' in r.text


def test_the_login_form_keeps_its_signed_token(client: TestClient) -> None:
    """Reloading the login page keeps the same anonymous token (open tabs stay valid)."""
    client.get("/login")
    first = client.cookies["hs_csrf"]
    client.get("/signup")
    assert client.cookies["hs_csrf"] == first
