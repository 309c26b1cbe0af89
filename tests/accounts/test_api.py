"""Accounts API: sign-up, tokens, rate limiting, the current user and organization users."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import update
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role, User
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
    """After 5 failures for an account, the failing address waits, even with the right password
    (other addresses do not: see test_throttle.py)."""
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


def _add_user_as(client: TestClient, db: Session, role: Role, password: str) -> Response:
    """A user of `role` asks to add a recruiter to their organization with `password`."""
    headers = bearer(db, make_user(db, role))
    db.commit()
    return client.post(
        "/api/v1/organizations/me/users",
        headers=headers,
        json={"email": "r@acme.example", "full_name": "R", "password": password},
    )


def test_recruiter_cannot_add_users(client: TestClient, db: Session) -> None:
    """Only admins add users: a recruiter gets 403."""
    r = _add_user_as(client, db, Role.recruiter, "longenough")
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


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_signup_with_a_blank_name_is_a_validation_error(client: TestClient, name: str) -> None:
    """A blank full name answers 422 validation_error, and no account is made (it was a 500)."""
    r = client.post(
        "/api/v1/auth/signup",
        json={"email": "blank@example.com", "full_name": name, "password": "longenough"},
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation_error"
    login = client.post(
        "/api/v1/auth/tokens", json={"email": "blank@example.com", "password": "longenough"}
    )
    assert login.status_code == 401


def test_signup_trims_the_name(client: TestClient) -> None:
    """Spaces around a name are dropped before it is stored."""
    r = client.post(
        "/api/v1/auth/signup",
        json={"email": "trim@example.com", "full_name": "  Ada L.  ", "password": "longenough"},
    )
    assert r.status_code == 201
    assert r.json()["full_name"] == "Ada L."


def test_me_shows_a_stored_user_the_input_rules_would_refuse(
    client: TestClient, db: Session
) -> None:
    """/me answers 200 for a row with a reserved-domain address and an empty name (old rows)."""
    user = make_user(db, email="cli@example.com")
    headers = bearer(db, user)
    db.execute(update(User).where(User.id == user.id).values(email="x@y.test", full_name=""))
    db.commit()
    r = client.get("/api/v1/me", headers=headers)
    assert r.status_code == 200
    assert r.json()["email"] == "x@y.test"


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("password123", "common"),
        ("Password2026!", "common"),
        ("qwertyuiop", "common"),
        ("aaaaaaaaaa", "easy to guess"),
        ("12345678", "common"),
        ("abcdefghij", "easy to guess"),
        ("newperson", "e-mail"),
        ("newperson1984", "e-mail"),
    ],
)
def test_signup_refuses_common_and_trivial_passwords(
    client: TestClient, password: str, why: str
) -> None:
    """A common or trivial password answers 422 weak_password with the reason."""
    r = client.post(
        "/api/v1/auth/signup",
        json={"email": "newperson@example.com", "full_name": "New", "password": password},
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "weak_password"
    assert why in r.json()["error"]["message"]


def test_admin_cannot_add_a_user_with_a_common_password(client: TestClient, db: Session) -> None:
    """The password rules hold for users an admin adds too."""
    r = _add_user_as(client, db, Role.admin, "iloveyou")
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "weak_password"
