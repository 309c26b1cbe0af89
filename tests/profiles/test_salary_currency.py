"""The currency of the candidate's least pay: saved from the preferences form and the API,
refused with a reason when unknown, and preselected from the location without converting."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.profiles import service
from hiresight.profiles.schemas import JobPreferences
from tests.factories import PASSWORD, bearer, make_user

FORM = "/candidate/profile/preferences"
API = "/api/v1/candidates/me/profile"


def _sign_in(client: TestClient, email: str) -> str:
    client.get("/login")
    csrf = client.cookies.get("hs_csrf") or ""
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf})
    return client.cookies.get("hs_csrf") or ""


def _stored(db: Session, user: object) -> tuple[int | None, str | None]:
    db.expire_all()
    profile = service.get_or_create(db, candidate=user)  # type: ignore[arg-type]
    return profile.salary_min, profile.salary_currency


def test_the_form_saves_the_currency_and_shows_it_selected(client: TestClient, db: Session) -> None:
    """75,000 GBP is stored as given and comes back selected after the redirect."""
    user = make_user(db, email="cur-form@example.com")
    db.commit()
    csrf = _sign_in(client, "cur-form@example.com")
    r = client.post(
        FORM, data={"csrf_token": csrf, "salary_min": "75000", "salary_currency": "GBP"},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert '<option value="GBP" selected>GBP</option>' in page
    assert '<option value="EUR" selected>' not in page
    assert _stored(db, user) == (75_000, "GBP")


@pytest.mark.parametrize("code", ["XYZ", "eur", "EURO", "€"])
def test_the_form_refuses_an_unknown_currency_with_the_reason(
    client: TestClient, db: Session, code: str
) -> None:
    """422 with the form error naming the problem; nothing is stored."""
    user = make_user(db, email="cur-bad@example.com")
    db.commit()
    csrf = _sign_in(client, "cur-bad@example.com")
    r = client.post(FORM, data={"csrf_token": csrf, "salary_min": "75000", "salary_currency": code})
    assert r.status_code == 422
    assert 'id="form-error"' in r.text
    assert "Unknown currency" in r.text
    assert _stored(db, user) == (None, None)


def test_the_form_preselects_the_locations_currency_without_converting(
    client: TestClient, db: Session
) -> None:
    """A London candidate with a minimum saved before currencies existed sees GBP preselected,
    the number unchanged, and a note that no currency is saved yet; nothing is written."""
    user = make_user(db, email="cur-guess@example.com")
    profile = service.get_or_create(db, candidate=user)
    profile.location, profile.salary_min = "London, UK", 60_000
    db.commit()
    _sign_in(client, "cur-guess@example.com")
    page = client.get("/candidate/profile").text
    assert '<option value="GBP" selected>GBP</option>' in page
    assert 'step="1000" value="60000"' in page
    assert "No currency saved yet" in page
    assert _stored(db, user) == (60_000, None)


def test_a_location_without_a_known_country_preselects_eur(client: TestClient, db: Session) -> None:
    """No country in the location: EUR is preselected."""
    user = make_user(db, email="cur-eur@example.com")
    service.get_or_create(db, candidate=user).location = "Berlin"
    db.commit()
    _sign_in(client, "cur-eur@example.com")
    page = client.get("/candidate/profile").text
    assert '<option value="EUR" selected>EUR</option>' in page
    assert "No currency saved yet" not in page


def test_the_api_round_trips_the_currency(client: TestClient, db: Session) -> None:
    """PUT stores the currency beside the minimum; GET returns both; null clears it."""
    user = make_user(db)
    headers = bearer(db, user)
    db.commit()
    body = {"salary_min": 90_000, "salary_currency": "USD"}
    r = client.put(API, headers=headers, json=body)
    assert r.status_code == 200, r.text
    assert (r.json()["salary_min"], r.json()["salary_currency"]) == (90_000, "USD")
    got = client.get(API, headers=headers).json()
    assert (got["salary_min"], got["salary_currency"]) == (90_000, "USD")
    assert _stored(db, user) == (90_000, "USD")
    r = client.put(API, headers=headers, json={"salary_min": 90_000, "salary_currency": None})
    assert r.json()["salary_currency"] is None
    assert _stored(db, user) == (90_000, None)


@pytest.mark.parametrize("code", ["XYZ", "usd", "US", 840])
def test_the_api_refuses_an_unknown_currency_as_a_validation_error(
    client: TestClient, db: Session, code: object
) -> None:
    """422 `validation_error` pointing at `salary_currency`, never a 500; nothing stored."""
    user = make_user(db)
    headers = bearer(db, user)
    db.commit()
    r = client.put(API, headers=headers, json={"salary_min": 1_000, "salary_currency": code})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "validation_error"
    assert [d["loc"][-1] for d in error["details"]] == ["salary_currency"]
    assert _stored(db, user) == (None, None)


def test_the_preferences_schema_names_the_known_currencies() -> None:
    """The message lists the codes the rate table has, so the fix is in the error."""
    with pytest.raises(ValueError, match=r"Unknown currency 'XYZ'.*EUR.*GBP.*USD"):
        JobPreferences(salary_min=1, salary_currency="XYZ")
