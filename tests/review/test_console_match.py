"""The job console's match column: the 0-100 fit beside the interview score, sortable, and
never a reason to drop or reject anyone."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role, User
from hiresight.jobs import service as jobs
from hiresight.jobs.models import Job, JobStatus
from hiresight.profiles import service as profiles
from hiresight.profiles.schemas import ProfileUpdate
from tests.factories import bearer, make_application, make_job, make_user


def _applicant(db: Session, job: Job, skills: list[str], location: str) -> User:
    user = make_user(db)
    profiles.update(db, candidate=user, data=ProfileUpdate(
        headline=f"{skills[0]} developer", summary="Backend work.", skills=skills,
        location=location, years_experience=4,
    ))  # fmt: skip
    make_application(db, user, job)
    return user


def _job(db: Session, status: JobStatus = JobStatus.open) -> tuple[Job, dict[str, str], User, User]:
    """A Berlin Python/Django job, a fitting applicant and one who fits on nothing."""
    recruiter = make_user(db, Role.recruiter)
    job = make_job(
        db, recruiter.organization, title="Python Developer", requirements=["Python", "Django"],
        description="Build APIs with Python and Django.", location="Berlin", status=status,
    )  # fmt: skip
    jobs.reparse(job)
    fits = _applicant(db, job, ["Python", "Django"], "Berlin")
    misses = _applicant(db, job, ["Java", "Spring"], "Madrid")
    headers = bearer(db, recruiter)
    db.commit()
    return job, headers, fits, misses


def test_applicants_carry_the_match_and_sort_by_it(client: TestClient, db: Session) -> None:
    """Sorted by match both ways; the numbers are the ranking's; everyone stays, as applied."""
    job, headers, fits, misses = _job(db)
    url = f"/api/v1/jobs/{job.id}/candidates"
    best = client.get(url, headers=headers, params={"sort": "match"}).json()
    worst = client.get(url, headers=headers, params={"sort": "match", "descending": False}).json()
    assert [r["candidate_id"] for r in best] == [fits.id, misses.id]
    assert [r["candidate_id"] for r in worst] == [misses.id, fits.id]
    match = {r["candidate_id"]: r["match"] for r in best}
    # All required skills, right city and level: a full fit. No skill, another city: the
    # level alone (0.25 of the weights) with a little similarity.
    assert match[fits.id] >= 90
    assert match[misses.id] <= 35
    ranked = client.get(f"/api/v1/jobs/{job.id}/ranked-candidates", headers=headers).json()
    assert {i["candidate_id"]: i["match"] for i in ranked["items"]} == match
    assert best[0]["match_explanation"].startswith("Matches 2 of 2 required skills")
    assert {r["status"] for r in best} == {"applied"}


def test_a_closed_jobs_applicants_have_no_match_and_still_list(
    client: TestClient, db: Session
) -> None:
    """A closed job is not in the recommender: the match is empty, the list is whole."""
    job, headers, fits, misses = _job(db, JobStatus.closed)
    rows = client.get(
        f"/api/v1/jobs/{job.id}/candidates", headers=headers, params={"sort": "match"}
    ).json()
    assert {r["candidate_id"] for r in rows} == {fits.id, misses.id}
    assert [r["match"] for r in rows] == [None, None]
