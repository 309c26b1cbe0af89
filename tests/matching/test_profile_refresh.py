"""A new résumé changes the very next recommendations: place, level, skills and vector."""

from __future__ import annotations

import numpy as np
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.jobs import service as jobs
from hiresight.jobs.models import Seniority
from hiresight.matching import service
from hiresight.profiles import service as profiles
from tests.factories import make_job, make_user
from tests.profiles.test_resume_refresh import BERLIN, MUNICH


def test_recommendations_follow_a_new_resume_at_once(db: Session) -> None:
    """After a Munich data engineer's résumé, the Munich data job leads and no note says Berlin."""
    recruiter = make_user(db, Role.recruiter)
    org = recruiter.organization
    backend = make_job(
        db, org, title="Backend Developer", description="Python and Django APIs.",
        requirements=["Python", "Django"], location="Berlin", seniority=Seniority.mid,
    )  # fmt: skip
    data = make_job(
        db, org, title="Staff Data Engineer", description="Airflow, dbt and Snowflake.",
        requirements=["Airflow", "dbt", "Snowflake"], location="Munich",
        seniority=Seniority.staff,
    )  # fmt: skip
    for job in (backend, data):
        jobs.reparse(job)
    user = make_user(db)
    profiles.upload_resume(db, candidate=user, data=BERLIN.encode(), filename="berlin.txt")
    db.commit()
    before = service.candidate_profile(db, user)
    first = service.recommend(db, candidate=user, n=5)
    assert first.items[0].job_id == backend.id
    assert any("(you are in Berlin" in i.explanation for i in first.items)

    profiles.upload_resume(db, candidate=user, data=MUNICH.encode(), filename="munich.txt")
    db.commit()
    after = service.candidate_profile(db, user)
    assert after.location == "Munich, Germany"
    assert after.seniority == 3 > before.seniority
    assert float(np.dot(after.vector, before.vector)) < 0.99  # embedded from the new text
    second = service.recommend(db, candidate=user, n=5)
    top = second.items[0]
    assert top.job_id == data.id
    assert "located in Munich" in top.explanation
    assert top.match >= 90
    assert all("Berlin)" not in i.explanation for i in second.items)
