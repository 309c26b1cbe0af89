"""Correcting a job's parsed requirements: refused values answer 422 and never break the job."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.jobs.models import Job
from tests.factories import bearer, make_job, make_user


@pytest.fixture
def job_and_headers(db: Session) -> tuple[int, dict[str, str]]:
    """A recruiter's parsed job and the recruiter's headers."""
    recruiter = make_user(db, Role.recruiter)
    job = make_job(db, recruiter.organization, parsed_requirements={"required_skills": ["Python"]})
    headers = bearer(db, recruiter)
    db.commit()
    return job.id, headers


@pytest.mark.parametrize(
    "body",
    [
        {"preferred_skills": None},
        {"required_skills": None},
        {"remote_policy": None},
        {"remote_policy": "on the moon"},
        {"seniority": "overlord"},
        {"required_skills": [None]},
    ],
)
def test_invalid_correction_is_refused(
    client: TestClient, job_and_headers: tuple[int, dict[str, str]], body: dict[str, object]
) -> None:
    """A null list or policy, or a value outside an enum, answers 422 and the job still reads."""
    job_id, headers = job_and_headers
    r = client.patch(f"/api/v1/jobs/{job_id}/requirements", headers=headers, json=body)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "validation_error"
    after = client.get(f"/api/v1/jobs/{job_id}", headers=headers)
    assert after.status_code == 200
    assert after.json()["structured"]["required_skills"] == ["Python"]


def test_nullable_fields_may_be_cleared(
    client: TestClient, job_and_headers: tuple[int, dict[str, str]]
) -> None:
    """Level, years and salary may be corrected to "none"; unsent fields keep the parse."""
    job_id, headers = job_and_headers
    r = client.patch(
        f"/api/v1/jobs/{job_id}/requirements",
        headers=headers,
        json={"seniority": None, "years_min": None, "preferred_skills": ["Redis"]},
    )
    assert r.status_code == 200, r.text
    structured = r.json()["structured"]
    assert structured["seniority"] is None
    assert structured["preferred_skills"] == ["Redis"]
    assert structured["required_skills"] == ["Python"]
    assert structured["remote_policy"] == "unspecified"


def test_job_with_a_stored_bad_correction_stays_readable(
    client: TestClient, db: Session, job_and_headers: tuple[int, dict[str, str]]
) -> None:
    """A correction stored before validation (a null list) is skipped when the job is read."""
    job_id, headers = job_and_headers
    job = db.get(Job, job_id)
    assert job is not None
    job.requirement_overrides = {"preferred_skills": None, "seniority": "senior"}
    db.commit()
    r = client.get(f"/api/v1/jobs/{job_id}", headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["structured"]["preferred_skills"] == []
    assert r.json()["structured"]["seniority"] == "senior"


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/jobs", {"title": "Engineer", "requirements": ["x" * 501]}),
        ("/api/v1/jobs/{id}", {"requirements": ["x" * 501]}),
        ("/api/v1/jobs/{id}/requirements", {"required_skills": ["x" * 101]}),
        ("/api/v1/jobs/{id}/requirements", {"preferred_skills": [""]}),
    ],
)
def test_requirement_lines_and_skill_names_are_bounded(
    client: TestClient,
    job_and_headers: tuple[int, dict[str, str]],
    url: str,
    body: dict[str, object],
) -> None:
    """A requirement line over 500 characters or a skill name over 100 (or blank) answers 422."""
    job_id, headers = job_and_headers
    method = client.post if url == "/api/v1/jobs" else client.patch
    r = method(url.format(id=job_id), headers=headers, json=body)
    assert r.status_code == 422, r.text


def test_long_requirement_lines_stored_earlier_still_read(
    client: TestClient, db: Session, job_and_headers: tuple[int, dict[str, str]]
) -> None:
    """The cap applies to what is sent, not to what a job already holds."""
    job_id, headers = job_and_headers
    job = db.get(Job, job_id)
    assert job is not None
    job.requirements = ["x" * 2000]
    db.commit()
    r = client.get(f"/api/v1/jobs/{job_id}", headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["requirements"] == ["x" * 2000]
