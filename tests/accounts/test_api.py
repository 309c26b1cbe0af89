"""Accounts API: sign-up, tokens, rate limiting, the current user and organization users."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from tests.factories import PASSWORD, bearer, make_org, make_user


def test_signup_creates_a_candidate_with_a_profile(client: TestClient) -> None:
    """A sign-up makes a candidate (never staff) and their empty profile."""
    r = client.post(
        "/api/v1/auth/signup",
        json={"email": "New@Example.com", "full_name": "New Person", "password": "longenough"},
    )
    assert r.status_code == 201
    assert r.json()["role"] == "candidate"
    assert r.json()["email"] == "new@example.com"
    token = client.post(
        "/api/v1/auth/tokens", json={"email": "new@example.com", "password": "longenough"}
    ).json()["token"]
    profile = client.get(
        "/api/v1/candidates/me/profile", headers={"Authorization": f"Bearer {token}"}
    )
    assert profile.status_code == 200


def test_signup_with_a_taken_email_is_a_conflict(client: TestClient, db: Session) -> None:
    """A second account with the same e-mail answers 409 email_taken."""
    make_user(db, email="dup@example.com")
    db.commit()
    r = client.post(
        "/api/v1/auth/signup",
        json={"email": "dup@example.com", "full_name": "Dup", "password": "longenough"},
    )
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "email_taken"


def test_token_with_wrong_password_is_refused(client: TestClient, db: Session) -> None:
    """Wrong credentials answer 401 invalid_credentials without saying which part is wrong."""
    make_user(db, email="a@example.com")
    db.commit()
    r = client.post("/api/v1/auth/tokens", json={"email": "a@example.com", "password": "nope"})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "invalid_credentials"
    unknown = client.post(
        "/api/v1/auth/tokens", json={"email": "ghost@example.com", "password": "nope"}
    )
    assert unknown.json()["error"] == r.json()["error"]


def test_login_is_rate_limited_per_email(client: TestClient, db: Session) -> None:
    """After 5 failures the address is locked for the window, even with the right password."""
    make_user(db, email="victim@example.com")
    db.commit()
    for _ in range(5):
        bad = client.post(
            "/api/v1/auth/tokens", json={"email": "victim@example.com", "password": "guess"}
        )
        assert bad.status_code == 401
    r = client.post(
        "/api/v1/auth/tokens", json={"email": "victim@example.com", "password": PASSWORD}
    )
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "rate_limited"
    assert int(r.headers["retry-after"]) > 0


def test_me_with_a_token(client: TestClient, db: Session) -> None:
    """A bearer token identifies the caller."""
    user = make_user(db, Role.recruiter)
    headers = bearer(db, user)
    db.commit()
    r = client.get("/api/v1/me", headers=headers)
    assert r.status_code == 200
    assert r.json()["id"] == user.id


def test_anonymous_gets_401(client: TestClient) -> None:
    """Without credentials the API answers 401 with the error body."""
    r = client.get("/api/v1/me")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthorized"
    assert r.headers["www-authenticate"] == "Bearer"


def test_invalid_token_gets_401(client: TestClient) -> None:
    """An unknown bearer token answers 401."""
    r = client.get("/api/v1/me", headers={"Authorization": "Bearer hs_forged"})
    assert r.status_code == 401


def test_revoked_token_stops_working(client: TestClient, db: Session) -> None:
    """Revoking a token makes it answer 401 from then on."""
    user = make_user(db)
    headers = bearer(db, user)
    db.commit()
    token_id = client.get("/api/v1/me/tokens", headers=headers).json()[0]["id"]
    assert client.delete(f"/api/v1/me/tokens/{token_id}", headers=headers).status_code == 200
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_token_list_never_shows_secrets(client: TestClient, db: Session) -> None:
    """Listing tokens shows their prefix, never the secret."""
    user = make_user(db)
    headers = bearer(db, user)
    db.commit()
    secret = headers["Authorization"].split()[1]
    listing = client.get("/api/v1/me/tokens", headers=headers).text
    assert secret not in listing


def test_admin_adds_a_recruiter_to_their_org(client: TestClient, db: Session) -> None:
    """An admin's new user joins the admin's organization, and the change is audited."""
    admin = make_user(db, Role.admin)
    headers = bearer(db, admin)
    db.commit()
    r = client.post(
        "/api/v1/organizations/me/users",
        headers=headers,
        json={"email": "r@acme.example", "full_name": "R", "password": "longenough"},
    )
    assert r.status_code == 201
    assert r.json()["organization_id"] == admin.organization_id
    audit = client.get("/api/v1/organizations/me/audit", headers=headers).json()
    assert any(
        e["action"] == "user.create" and e["entity_id"] == str(r.json()["id"]) for e in audit
    )


def test_recruiter_cannot_add_users(client: TestClient, db: Session) -> None:
    """Only admins add users: a recruiter gets 403."""
    recruiter = make_user(db, Role.recruiter)
    headers = bearer(db, recruiter)
    db.commit()
    r = client.post(
        "/api/v1/organizations/me/users",
        headers=headers,
        json={"email": "x@acme.example", "full_name": "X", "password": "longenough"},
    )
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden"


def test_org_users_are_scoped_to_the_org(client: TestClient, db: Session) -> None:
    """A recruiter lists only their own organization's staff."""
    org_a, org_b = make_org(db), make_org(db)
    a = make_user(db, Role.recruiter, org_a)
    make_user(db, Role.recruiter, org_b)
    headers = bearer(db, a)
    db.commit()
    ids = {
        u["organization_id"]
        for u in client.get("/api/v1/organizations/me/users", headers=headers).json()
    }
    assert ids == {org_a.id}
