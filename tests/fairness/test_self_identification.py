"""A candidate gives, changes and withdraws their voluntary answers (API and page)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.fairness.models import SelfIdentification
from tests.factories import bearer, make_user
from tests.review.conftest import signed_in

ME = "/api/v1/candidates/me/self-identification"


def _rows(db: Session) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(SelfIdentification)) or 0


def test_give_change_and_withdraw_through_the_api(client: TestClient, db: Session) -> None:
    """Nothing at first; answers are stored, changed to "prefer not to say", then withdrawn,
    which erases the row."""
    headers = bearer(db, make_user(db))
    db.commit()
    assert client.get(ME, headers=headers).json() == {
        "sex": None, "race_ethnicity": None, "updated_at": None,
    }  # fmt: skip
    r = client.put(ME, headers=headers, json={"sex": "female", "race_ethnicity": "asian"})
    assert (r.status_code, r.json()["sex"], r.json()["race_ethnicity"]) == (200, "female", "asian")
    changed = client.put(ME, headers=headers, json={"sex": "prefer_not_to_say"}).json()
    assert (changed["sex"], changed["race_ethnicity"]) == ("prefer_not_to_say", None)
    assert _rows(db) == 1
    assert client.delete(ME, headers=headers).json()["sex"] is None
    assert client.get(ME, headers=headers).json()["updated_at"] is None
    assert _rows(db) == 0


def test_answers_outside_the_lists_are_refused(client: TestClient, db: Session) -> None:
    """A value outside the categories, or a question that is not asked, answers 422."""
    headers = bearer(db, make_user(db))
    db.commit()
    assert client.put(ME, headers=headers, json={"sex": "other"}).status_code == 422
    assert client.put(ME, headers=headers, json={"age": 40}).status_code == 422
    assert _rows(db) == 0


def test_staff_have_no_self_identification(client: TestClient, db: Session) -> None:
    """The endpoints are the candidate's own: staff get 403."""
    headers = bearer(db, make_user(db, Role.recruiter))
    db.commit()
    assert client.get(ME, headers=headers).status_code == 403
    assert client.put(ME, headers=headers, json={"sex": "male"}).status_code == 403


def test_the_page_saves_and_withdraws(app: FastAPI, db: Session) -> None:
    """The form stores the choices (shown checked on return), "Not answered" stores null,
    withdrawing erases them, and a forged value answers the 422 page."""
    candidate = make_user(db)
    db.commit()
    browser = signed_in(app, candidate.email)
    page = browser.get("/candidate/self-identification")
    assert "Native Hawaiian or Other Pacific Islander" in page.text
    token = browser.cookies["hs_csrf"]
    form = {"csrf_token": token, "sex": "", "race_ethnicity": "two_or_more_races"}
    saved = browser.post("/candidate/self-identification", data=form, follow_redirects=False)
    assert saved.status_code == 303
    shown = browser.get(saved.headers["location"]).text
    assert 'value="two_or_more_races" checked' in shown
    row = db.scalar(select(SelfIdentification))
    assert row is not None
    assert (row.sex, row.race_ethnicity) == (None, "two_or_more_races")
    forged = browser.post("/candidate/self-identification", data={**form, "sex": "x"})
    assert forged.status_code == 422
    gone = browser.post("/candidate/self-identification/withdraw", data={"csrf_token": token})
    assert gone.status_code == 200
    assert "withdrawn" in gone.text
    assert _rows(db) == 0
