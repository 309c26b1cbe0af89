"""Profiles API: the candidate reads and edits their own profile."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import bearer, make_user


def test_candidate_edits_their_profile(client: TestClient, db: Session) -> None:
    """A profile edit is saved; duplicate skills collapse, order kept."""
    headers = bearer(db, make_user(db))
    db.commit()
    r = client.put(
        "/api/v1/candidates/me/profile",
        headers=headers,
        json={
            "headline": "Backend dev",
            "skills": ["Python", "SQL", "Python", " "],
            "years_experience": 4,
        },
    )
    assert r.status_code == 200
    assert r.json()["skills"] == ["Python", "SQL"]
    assert (
        client.get("/api/v1/candidates/me/profile", headers=headers).json()["headline"]
        == "Backend dev"
    )


def test_profile_rejects_impossible_years(client: TestClient, db: Session) -> None:
    """Negative years of experience are a validation error."""
    headers = bearer(db, make_user(db))
    db.commit()
    r = client.put("/api/v1/candidates/me/profile", headers=headers, json={"years_experience": -1})
    assert r.status_code == 422
