"""The stored profile currency reaches "Jobs for you" (API and page): a EUR candidate's
least pay against a USD and a GBP band, with the hand-computed answers of
tests/matching/test_salary_currency.py (95,000 USD = 87,963 EUR; 80,000 GBP = 94,451 EUR)."""

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

USD, GBP = "New York Python Developer", "London Python Developer"


@pytest.fixture
def market(db: Session) -> dict:
    """A Python developer wanting 90,000 EUR; two remote Python jobs paying up to 95,000 USD
    and up to 80,000 GBP."""
    recruiter = make_user(db, Role.recruiter)
    for title, top, code in ((USD, 95_000, "USD"), (GBP, 80_000, "GBP")):
        job = make_job(
            db, recruiter.organization, title=title, requirements=["Python", "Django"],
            description="Build APIs with Python and Django.", location="Anywhere", remote=True,
            salary_min=top - 10_000, salary_max=top, salary_currency=code,
        )  # fmt: skip
        jobs.reparse(job)
    candidate, headers = python_developer(
        db, location="Berlin, Germany", email="eur-cand@example.com"
    )
    profiles.set_job_preferences(
        db, candidate=candidate,
        preferences=JobPreferences(salary_min=90_000, salary_currency="EUR"),
    )  # fmt: skip
    db.commit()
    return {"candidate": candidate, "headers": headers}


def _items(client: TestClient, market: dict, **params: object) -> dict[str, dict]:
    return {i["title"]: i for i in recommended(client, market["headers"], **params)}


def test_the_fit_and_the_explanation_read_the_profiles_currency(
    client: TestClient, market: dict
) -> None:
    """The notes convert each band into EUR and keep the job's own figure beside it."""
    items = _items(client, market)
    assert (
        "salary up to 87,963 EUR (95,000 USD) is below your expectation of 90,000 EUR"
        in items[USD]["notes"]
    )
    assert (
        "salary up to 94,451 EUR (80,000 GBP) meets your expectation of 90,000 EUR"
        in items[GBP]["notes"]
    )


def test_the_api_filter_reads_the_minimum_in_the_profiles_currency(
    client: TestClient, market: dict
) -> None:
    """min_salary=90,000 is EUR: the USD band goes, the GBP band stays (raw numbers would say
    the opposite); a `currency` parameter reads it in that currency instead."""
    assert set(_items(client, market, min_salary=90_000)) == {GBP}
    assert set(_items(client, market, min_salary=90_000, currency="USD")) == {USD, GBP}
    assert set(_items(client, market, min_salary=75_000, currency="GBP")) == {GBP}


@pytest.mark.parametrize("code", ["XYZ", "eur"])
def test_an_unknown_filter_currency_is_a_validation_error(
    client: TestClient, market: dict, code: str
) -> None:
    """422 `validation_error` on the `currency` parameter, with the reason; never a 500."""
    r = client.get(URL, headers=market["headers"], params={"min_salary": 1, "currency": code})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"][0]["loc"] == ["query", "currency"]
    assert "Unknown currency" in error["details"][0]["msg"]


def test_the_page_filters_in_the_profiles_currency_and_says_so(
    client: TestClient, market: dict
) -> None:
    """The first visit starts from the saved 90,000 EUR: only the GBP job is listed, and the
    field is labelled with the currency."""
    client.get("/login")
    csrf = client.cookies.get("hs_csrf") or ""
    client.post(
        "/login", data={"email": "eur-cand@example.com", "password": PASSWORD, "csrf_token": csrf}
    )
    page = client.get("/candidate/jobs-for-you").text
    assert "Pay at least (EUR)" in page
    assert GBP in page
    assert USD not in page
