"""The recommender is warmed at start, and recommendations read stored scores, never scorecards."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.jobs import service as jobs
from hiresight.matching import live, service
from hiresight.review import scorecard
from tests.factories import make_application, make_job, make_user


def test_the_recommender_is_warm_before_the_first_request(app: FastAPI, db: Session) -> None:
    """At start the open jobs are indexed and the embedder loaded, with no request made."""
    recruiter = make_user(db, Role.recruiter)
    job = make_job(db, recruiter.organization, title="Go engineer", requirements=["Go"])
    jobs.reparse(job)
    db.commit()
    url = str(app.state.engine.url)
    with TestClient(app):
        app.state.recs_warm_up.join(120)
        assert live.warm_state(url) == "warm"
        warmed = live.for_database(url)
        assert job.id in warmed.recommender.catalog.id_to_row
        assert job.id in warmed.recommender.ann
        assert warmed.jobs_synced_at is not None
        # The scoring warm-up runs beside it; a process must not exit while it is loading.
        assert app.state.runtime.wait_warm(300)


def test_recommendations_never_build_a_scorecard(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both directions read `interviews.scores.overall_score`; building a scorecard would fail."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a recommendation built a scorecard")

    monkeypatch.setattr(scorecard, "build", refuse)
    recruiter = make_user(db, Role.recruiter)
    job = make_job(db, recruiter.organization, title="Go engineer", requirements=["Go"])
    jobs.reparse(job)
    candidate = make_user(db)
    make_application(db, candidate, job)
    db.commit()
    assert service.recommend(db, candidate=make_user(db), n=5).items
    assert service.rank_applicants(db, job=job).items
