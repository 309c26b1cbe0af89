"""A candidate reading "Jobs for you" through the API, shared by the feed, preference and
currency tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import User
from hiresight.profiles import service as profiles
from hiresight.profiles.schemas import ProfileUpdate
from tests.factories import bearer, make_user

URL = "/api/v1/candidates/me/recommendations"


def python_developer(
    db: Session, *, location: str = "Berlin", email: str | None = None
) -> tuple[User, dict[str, str]]:
    """A candidate with three years of Python and Django in `location`, and their bearer headers
    (not yet committed)."""
    candidate = make_user(db, email=email) if email else make_user(db)
    profiles.update(db, candidate=candidate, data=ProfileUpdate(
        headline="Python developer", location=location, skills=["Python", "Django"],
        years_experience=3,
    ))  # fmt: skip
    return candidate, bearer(db, candidate)


def recommended(client: TestClient, headers: dict[str, str], **params: object) -> list[Any]:
    """The items of the candidate's recommendations (asserting a 200)."""
    response = client.get(URL, headers=headers, params=params)
    assert response.status_code == 200, response.text
    items: list[Any] = response.json()["items"]
    return items
