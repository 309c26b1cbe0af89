"""The profile's job preferences (least pay, remote or on-site) in the fit and in the
"Jobs for you" filters."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.jobs import service as jobs
from hiresight.profiles import service as profiles
from hiresight.profiles.schemas import JobPreferences
from tests.factories import PASSWORD, make_job, make_user
from tests.matching.feed import URL, python_developer, recommended


@pytest.fixture
def market(db: Session) -> dict:
    """A Berlin Python developer; Python jobs: Berlin on-site paying 60-70k, remote paying
    90-110k, and Berlin on-site with no pay stated."""
    recruiter = make_user(db, Role.recruiter)
    specs = {
        "Berlin Python Developer": ("Berlin", False, 60_000, 70_000),
        "Remote Python Developer": ("Lisbon", True, 90_000, 110_000),
        "Unpaid-band Python Developer": ("Berlin", False, None, None),
    }
    for title, (city, remote, low, high) in specs.items():
        job = make_job(
            db, recruiter.organization, title=title, requirements=["Python", "Django"],
            description="Build APIs with Python and Django.", location=city, remote=remote,
            salary_min=low, salary_max=high,
        )  # fmt: skip
        jobs.reparse(job)
    candidate, headers = python_developer(db)
    db.commit()
    return {"candidate": candidate, "headers": headers}


def _matches(client: TestClient, market: dict, **params: object) -> dict[str, int]:
    return {i["title"]: i["match"] for i in recommended(client, market["headers"], **params)}


def _prefer(db: Session, market: dict, **values: object) -> None:
    profiles.set_job_preferences(
        db, candidate=market["candidate"], preferences=JobPreferences.model_validate(values)
    )
    db.commit()


def test_remote_and_pay_preferences_change_the_match(
    client: TestClient, db: Session, market: dict
) -> None:
    """Without preferences the Berlin and remote jobs both fit fully; wanting remote work and
    80k puts the on-site job paying 70k at most well below the remote one."""
    before = _matches(client, market)
    # A full fit is 99-100: the text similarity (weight 0.02 of 1.1) is never quite 1.
    assert before["Berlin Python Developer"] >= 99
    assert before["Remote Python Developer"] >= 99
    _prefer(db, market, remote_preference="remote", salary_min=80_000)
    after = _matches(client, market)
    assert after["Remote Python Developer"] >= 99
    # Place 0 of its 0.25, salary 0.75 of its 0.1 (70k is 12.5 % under 80k), the rest full:
    # (0.45 + 0.25 + 0.075 + 0.03 + 0.02 * similarity) / 1.1 = 73.2 % + 1.8 % * similarity.
    assert 73 <= after["Berlin Python Developer"] <= 75
    # No pay stated: salary is left out (weights sum to 1.0), the place still misses:
    # 0.45 + 0.25 + 0.03 + 0.02 * similarity = 73 % + 2 % * similarity.
    assert 73 <= after["Unpaid-band Python Developer"] <= 75


def test_onsite_preference_takes_remote_jobs_out_of_the_fit(
    client: TestClient, db: Session, market: dict
) -> None:
    """On-site only: the remote job no longer fits on place; the Berlin ones still do."""
    _prefer(db, market, remote_preference="onsite")
    after = _matches(client, market)
    assert after["Berlin Python Developer"] >= 99
    assert after["Remote Python Developer"] <= 75


def test_the_api_filters_by_least_pay_keeping_jobs_without_a_band(
    client: TestClient, market: dict
) -> None:
    """min_salary drops a band that tops out below it; a job stating no pay stays."""
    assert set(_matches(client, market, min_salary=80_000)) == {
        "Remote Python Developer", "Unpaid-band Python Developer",
    }  # fmt: skip
    assert len(_matches(client, market, min_salary=0)) == 3
    bad = client.get(URL, headers=market["headers"], params={"min_salary": -1})
    assert bad.status_code == 422


def _login(client: TestClient, email: str) -> None:
    client.get("/login")
    csrf = client.cookies.get("hs_csrf") or ""
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf})


def test_the_page_starts_from_the_preferences_and_the_form_can_widen(
    client: TestClient, db: Session, market: dict
) -> None:
    """A first visit filters by the saved preferences, shown in the form; "Any" widens."""
    _prefer(db, market, remote_preference="remote", salary_min=80_000)
    _login(client, market["candidate"].email)
    page = client.get("/candidate/jobs-for-you").text
    assert "Remote Python Developer" in page
    assert "Berlin Python Developer" not in page
    assert '<option value="true" selected>Remote only</option>' in page
    assert 'step="1000" value="80000"' in page
    wide = client.get(
        "/candidate/jobs-for-you",
        params={"remote": "", "location": "", "seniority": "", "min_match": 0, "min_salary": ""},
    ).text
    assert "Berlin Python Developer" in wide
