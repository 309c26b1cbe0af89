"""Results across organizations: what one organization's readers may see of a shared candidate."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.jobs.models import JobStatus
from hiresight.matching import service as matching
from tests.factories import bearer, make_application, make_job, make_user
from tests.review.conftest import signed_in, take_behavioural


def test_scorecard_page_refuses_another_orgs_job(
    app: FastAPI, client: TestClient, db: Session, world: dict
) -> None:
    """`?job=` naming another organization's job (or none) answers 404, so looping over job ids
    reveals nothing about where a shared candidate applied."""
    other_job = make_job(db, make_user(db, Role.recruiter).organization)
    make_application(db, world["candidate"], other_job)
    db.commit()
    recruiter = signed_in(app, "rec@example.com")
    base = f"/recruiter/candidates/{world['candidate'].id}/scorecard"
    assert recruiter.get(base, params={"job": world["job"].id}).status_code == 200
    for job_id in (other_job.id, 999_999):
        r = recruiter.get(base, params={"job": job_id})
        assert r.status_code == 404, job_id
        assert "/decision" not in r.text


def test_duplicate_flag_never_names_another_orgs_candidate(
    client: TestClient, db: Session, world: dict
) -> None:
    """Org B's reader learns the answer matches someone's, but not who: the match applied
    only to org A."""
    recruiter_b = make_user(db, Role.recruiter)
    job_b = make_job(db, recruiter_b.organization)
    copier = make_user(db)
    make_application(db, copier, job_b)
    copier_headers, staff_b = bearer(db, copier), bearer(db, recruiter_b)
    db.commit()
    take_behavioural(client, copier_headers)
    card = client.get(f"/api/v1/candidates/{copier.id}/scorecard", headers=staff_b).json()
    flags = [i["message"] for i in card["integrity"] if i["code"] == "near_duplicate"]
    assert flags
    assert f"candidate {world['candidate'].id}'s" not in flags[0]
    assert "another candidate" in flags[0]
    # Org A, where both applied once the copier applies there too, sees the name.
    make_application(db, copier, world["job"])
    db.commit()
    card_a = client.get(f"/api/v1/candidates/{copier.id}/scorecard", headers=world["staff"])
    names = [i["message"] for i in card_a.json()["integrity"] if i["code"] == "near_duplicate"]
    assert f"candidate {world['candidate'].id}'s" in names[0]


def test_results_are_shared_from_the_screening_but_not_from_another_orgs_job(
    client: TestClient, db: Session, world: dict
) -> None:
    """Org A's scorecard reuses the screening taken for no job, never an interview taken for
    org B's job; org B sees both."""
    recruiter_b = make_user(db, Role.recruiter)
    job_b = make_job(db, recruiter_b.organization, status=JobStatus.open)
    candidate = make_user(db)
    make_application(db, candidate, world["job"])
    make_application(db, candidate, job_b)
    headers, staff_b = bearer(db, candidate), bearer(db, recruiter_b)
    db.commit()
    take_behavioural(client, headers, job_id=job_b.id)
    url = f"/api/v1/candidates/{candidate.id}/scorecard"
    seen_by_a = client.get(url, headers=world["staff"]).json()
    seen_by_b = client.get(url, headers=staff_b).json()
    assert [s["stage"] for s in seen_by_a["stages"]] == []
    assert [s["stage"] for s in seen_by_b["stages"]] == ["behavioral"]
    rows = client.get(f"/api/v1/jobs/{world['job'].id}/candidates", headers=world["staff"])
    mine = next(r for r in rows.json() if r["candidate_id"] == candidate.id)
    assert mine["overall"] is None
    # The world's candidate took the screening for no job: every org they apply to reuses it.
    make_application(db, world["candidate"], job_b)
    db.commit()
    shared = client.get(f"/api/v1/candidates/{world['candidate'].id}/scorecard", headers=staff_b)
    assert {s["stage"] for s in shared.json()["stages"]} == {"code_review", "behavioral"}
    own = client.get("/api/v1/candidates/me/scorecard", headers=headers).json()
    assert [s["stage"] for s in own["stages"]] == ["behavioral"]


def test_applicant_ranking_counts_only_results_the_job_org_may_read(
    client: TestClient, db: Session, world: dict
) -> None:
    """Ranking org A's applicants feeds the model an interview score from org A's readable
    results only: an interview taken for org B's job does not count there."""
    recruiter_b = make_user(db, Role.recruiter)
    job_b = make_job(db, recruiter_b.organization, status=JobStatus.open)
    candidate = make_user(db)
    make_application(db, candidate, world["job"])
    make_application(db, candidate, job_b)
    headers = bearer(db, candidate)
    db.commit()
    take_behavioural(client, headers, job_id=job_b.id)
    db.expire_all()
    seen_by_a = matching.candidate_profile(
        db, candidate, organization_id=world["job"].organization_id
    )
    seen_by_b = matching.candidate_profile(db, candidate, organization_id=job_b.organization_id)
    assert seen_by_a.interview_score is None
    assert seen_by_b.interview_score is not None
