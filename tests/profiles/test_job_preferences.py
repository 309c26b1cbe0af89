"""The profile page's job preferences form: least pay and remote or on-site, stored on the
profile (matching reads them), refused with a reason when unreadable."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.profiles import service
from tests.factories import PASSWORD, make_user


def _sign_in(client: TestClient, email: str) -> str:
    client.get("/login")
    csrf = client.cookies.get("hs_csrf") or ""
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf})
    return client.cookies.get("hs_csrf") or ""


def test_the_form_saves_clears_and_shows_the_preferences(client: TestClient, db: Session) -> None:
    """Saved values come back in the form after the redirect; empty fields clear them."""
    user = make_user(db, email="pref@example.com")
    db.commit()
    csrf = _sign_in(client, "pref@example.com")
    url = "/candidate/profile/preferences"
    r = client.post(
        url, data={"csrf_token": csrf, "salary_min": "85000", "remote_preference": "remote"},
        follow_redirects=False,
    )  # fmt: skip
    assert (r.status_code, r.headers["location"]) == (303, "/candidate/profile?saved=preferences")
    page = client.get(r.headers["location"]).text
    assert "Job preferences saved." in page
    assert 'step="1000" value="85000"' in page
    assert '<option value="remote" selected>Remote only</option>' in page
    db.expire_all()
    profile = service.get_or_create(db, candidate=user)
    assert (profile.salary_min, profile.remote_preference) == (85_000, "remote")
    client.post(url, data={"csrf_token": csrf, "salary_min": "", "remote_preference": ""})
    db.expire_all()
    profile = service.get_or_create(db, candidate=user)
    assert (profile.salary_min, profile.remote_preference) == (None, None)


def test_unreadable_preferences_are_refused_with_the_reason(
    client: TestClient, db: Session
) -> None:
    """A negative or non-numeric pay, or an unknown remote choice: 422 and nothing stored."""
    user = make_user(db, email="pref2@example.com")
    db.commit()
    csrf = _sign_in(client, "pref2@example.com")
    for data in ({"salary_min": "-5"}, {"salary_min": "lots"}, {"remote_preference": "mars"}):
        r = client.post("/candidate/profile/preferences", data={"csrf_token": csrf, **data})
        assert r.status_code == 422, data
        assert 'id="form-error"' in r.text
    db.expire_all()
    profile = service.get_or_create(db, candidate=user)
    assert (profile.salary_min, profile.remote_preference) == (None, None)
