"""Only the organization's admins read its fairness audit: recruiters get 403 (the role
policy), another organization's admin 404 for the job, candidates 403, anonymous 401."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import bearer, make_user
from tests.fairness.conftest import World
from tests.review.conftest import signed_in

API = ("/api/v1/fairness/report", "/api/v1/fairness/report.csv", "/api/v1/fairness/report.pdf")
PAGES = ("/admin/fairness", "/admin/fairness.csv", "/admin/fairness.pdf")


@pytest.mark.parametrize("path", API)
def test_the_api_admits_the_organizations_admin_alone(
    client: TestClient, db: Session, world: World, path: str
) -> None:
    """The admin gets the job's report; a recruiter of the organization 403; a candidate 403;
    another organization's admin 404 on the job, as for a job that does not exist."""
    headers = {
        "admin": bearer(db, world.admin), "recruiter": bearer(db, world.recruiter),
        "candidate": bearer(db, make_user(db)), "outsider": bearer(db, world.outsider),
    }  # fmt: skip
    db.commit()
    params = {"job_id": world.job.id}
    assert client.get(path, params=params, headers=headers["admin"]).status_code == 200
    assert client.get(path, params=params, headers=headers["recruiter"]).status_code == 403
    assert client.get(path, params=params, headers=headers["candidate"]).status_code == 403
    outsider = client.get(path, params=params, headers=headers["outsider"])
    missing = client.get(path, params={"job_id": 999999}, headers=headers["admin"])
    assert outsider.status_code == missing.status_code == 404
    assert outsider.json() == missing.json()
    assert client.get(path, params=params).status_code == 401


def test_the_outsiders_own_organization_report_shows_none_of_it(
    client: TestClient, db: Session, world: World
) -> None:
    """Without a job the report is the caller's own organization: the other admin sees zero
    applications, not organization A's."""
    headers = bearer(db, world.outsider)
    db.commit()
    report = client.get("/api/v1/fairness/report", headers=headers).json()
    assert report["organization_id"] != world.org.id
    assert report["applications"] == 0


def test_bad_filters_answer_422(client: TestClient, db: Session, world: World) -> None:
    """A period that ends before it starts, or a date that is not one, is refused with 422."""
    headers = bearer(db, world.admin)
    db.commit()
    path = "/api/v1/fairness/report"
    backwards = client.get(path, params={"from": "2026-06-05", "to": "2026-06-01"}, headers=headers)
    assert (backwards.status_code, backwards.json()["error"]["code"]) == (422, "invalid_period")
    assert client.get(path, params={"from": "2026-13-40"}, headers=headers).status_code == 422


@pytest.mark.parametrize("path", PAGES)
def test_the_pages_admit_the_organizations_admin_alone(
    app: FastAPI, db: Session, world: World, path: str
) -> None:
    """The page and its downloads: the admin 200, the recruiter 403, the other admin 404 on
    organization A's job, each as a page."""
    params = {"job_id": str(world.job.id)}
    admin, recruiter, outsider = (
        signed_in(app, u.email) for u in (world.admin, world.recruiter, world.outsider)
    )
    assert admin.get(path, params=params).status_code == 200
    refused = recruiter.get(path, params=params)
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("text/html")
    assert outsider.get(path, params=params).status_code == 404


def test_the_page_shows_the_tables_and_links_the_downloads(
    app: FastAPI, db: Session, world: World
) -> None:
    """The filter form's empty fields mean "all"; the page names the tables and links the CSV
    and PDF with the same filters."""
    admin = signed_in(app, world.admin.email)
    r = admin.get("/admin/fairness", params={"job_id": "", "from": "", "to": ""})
    assert r.status_code == 200
    assert "Selection rate by sex and race/ethnicity (intersectional)" in r.text
    assert "Recommender: exposure and apply rate by sex" in r.text
    assert "/admin/fairness.csv?job_id=&amp;from=&amp;to=" in r.text
    assert admin.get("/admin/fairness", params={"from": "June"}).status_code == 422
