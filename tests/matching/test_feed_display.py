"""What the candidate sees: one explanation and a match score per job, and the filters
(remote, city, level, minimum match) on the API and the "Jobs for you" page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.jobs import service as jobs
from hiresight.jobs.models import Seniority
from tests.factories import PASSWORD, make_job, make_user
from tests.matching.feed import URL, python_developer, recommended


@pytest.fixture
def feed(db: Session) -> dict:
    """A mid-level Berlin Python developer and four jobs that differ in place, level and fit."""
    recruiter = make_user(db, Role.recruiter)
    org = recruiter.organization
    specs = {
        "berlin": ("Python Developer", ["Python", "Django"], "Berlin", False, Seniority.mid),
        "remote": ("Remote Python Developer", ["Python", "Django"], "Lisbon", True, Seniority.mid),
        "senior": ("Senior Python Developer", ["Python", "Django"], "Berlin", False,
                   Seniority.senior),
        "madrid": ("Java Developer", ["Java", "Spring"], "Madrid", False, Seniority.mid),
    }  # fmt: skip
    made = {}
    for key, (title, skills, city, remote, level) in specs.items():
        job = make_job(
            db, org, title=title, description=f"{title} using {' and '.join(skills)}.",
            requirements=skills, location=city, remote=remote, seniority=level,
        )  # fmt: skip
        jobs.reparse(job)
        made[key] = job
    candidate, headers = python_developer(db)
    db.commit()
    return {"jobs": made, "headers": headers, "candidate": candidate}


def _titles(client: TestClient, feed: dict, **params: object) -> list[str]:
    return [i["title"] for i in recommended(client, feed["headers"], **params)]


def test_each_job_has_one_cased_explanation_and_a_match_score(
    client: TestClient, feed: dict
) -> None:
    """The full fit comes first at 100; scores fall with the fit; skill names keep their case."""
    items = client.get(URL, headers=feed["headers"]).json()["items"]
    assert [i["title"] for i in items[:2]] == ["Python Developer", "Remote Python Developer"]
    assert items[0]["match"] >= 95
    assert items[-1]["title"] == "Java Developer"
    assert items[-1]["match"] < 40
    assert [i["match"] for i in items] == sorted((i["match"] for i in items), reverse=True)
    assert items[0]["explanation"].startswith("Matches 2 of 2 required skills: Django, Python")
    assert items[0]["seniority"] == "mid"


def test_the_api_filters_by_remote_city_level_and_match(client: TestClient, feed: dict) -> None:
    """Each filter narrows the list; a city keeps remote jobs unless on-site is asked for."""
    assert _titles(client, feed, remote="true") == ["Remote Python Developer"]
    assert "Remote Python Developer" not in _titles(client, feed, remote="false")
    assert set(_titles(client, feed, location="madrid")) == {
        "Java Developer", "Remote Python Developer",
    }  # fmt: skip
    assert _titles(client, feed, location="Madrid", remote="false") == ["Java Developer"]
    assert _titles(client, feed, seniority="senior") == ["Senior Python Developer"]
    assert "Java Developer" not in _titles(client, feed, min_match=50)
    # Both full fits (a remote job is as reachable as one in town) score 100.
    assert set(_titles(client, feed, min_match=100)) == {
        "Python Developer", "Remote Python Developer",
    }  # fmt: skip


@pytest.mark.parametrize(
    "params",
    [{"remote": "maybe"}, {"seniority": "guru"}, {"min_match": 101}, {"min_match": -1},
     {"min_match": "high"}, {"location": "x" * 101}],
)  # fmt: skip
def test_the_api_refuses_bad_filters(client: TestClient, feed: dict, params: dict) -> None:
    """A bad filter value is a 422 with the JSON error body."""
    response = client.get(URL, headers=feed["headers"], params=params)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/json")


def _login(client: TestClient, email: str) -> None:
    client.get("/login")
    csrf = client.cookies.get("hs_csrf") or ""
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf})


def test_the_page_shows_one_explanation_a_match_and_the_filters(
    client: TestClient, feed: dict
) -> None:
    """The explanation appears once (no repeated tags), with "N% match"; filters narrow it."""
    _login(client, feed["candidate"].email)
    page = client.get("/candidate/jobs-for-you")
    assert page.status_code == 200
    # Three jobs match both skills: the sentence once per job, never again as lower-case tags.
    assert page.text.count("Matches 2 of 2 required skills: Django, Python") == 3
    assert page.text.count('class="why"') == 4
    assert "matches 2 of 2" not in page.text
    assert 'class="tags"' not in page.text
    assert "% match" in page.text
    assert 'name="min_match"' in page.text
    # The form sends every field; empty ones mean "any".
    empty = client.get("/candidate/jobs-for-you?remote=&location=&seniority=&min_match=0")
    assert empty.status_code == 200
    assert "Java Developer" in empty.text
    remote = client.get("/candidate/jobs-for-you", params={"remote": "true"})
    assert "Remote Python Developer" in remote.text
    assert "Java Developer" not in remote.text
    chosen = client.get("/candidate/jobs-for-you", params={"seniority": "senior"})
    assert '<option value="senior" selected>' in chosen.text
    none = client.get("/candidate/jobs-for-you", params={"location": "Oslo", "remote": "false"})
    assert "No open jobs match these filters." in none.text


@pytest.mark.parametrize(
    "query", ["remote=maybe", "seniority=guru", "min_match=101", "min_match=high"]
)
def test_the_page_answers_bad_filters_with_the_html_error_page(
    client: TestClient, feed: dict, query: str
) -> None:
    """A bad filter value is the 422 HTML error page, not JSON."""
    _login(client, feed["candidate"].email)
    response = client.get(f"/candidate/jobs-for-you?{query}")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "validation_error" in response.text
