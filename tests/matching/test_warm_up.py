"""The recommender is warmed at start, and recommendations read stored scores, never scorecards."""

from __future__ import annotations

import threading

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


def _blocking_taxonomy(
    monkeypatch: pytest.MonkeyPatch, *, fail: bool = False
) -> tuple[threading.Event, threading.Event]:
    """Stop the warm-up at its taxonomy step until released (or make that step fail once)."""
    reached, release = threading.Event(), threading.Event()
    real = live.load_taxonomy

    def load() -> object:
        if not reached.is_set():
            reached.set()
            if fail:
                raise RuntimeError("taxonomy file unreadable")
            assert release.wait(60)
        return real()

    monkeypatch.setattr(live, "load_taxonomy", load)
    return reached, release


def test_readyz_answers_503_while_the_recommender_warms_up(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No traffic while the first "Jobs for you" would still pay the start; ready once warm."""
    reached, release = _blocking_taxonomy(monkeypatch)
    with TestClient(app) as client:
        assert reached.wait(60)
        warming = client.get("/readyz")
        release.set()
        app.state.recs_warm_up.join(120)
        ready = client.get("/readyz")
    assert warming.status_code == 503
    error = warming.json()["error"]
    assert error["code"] == "not_ready"
    assert error["details"]["recommender"] == "warming"
    assert ready.status_code == 200
    assert ready.json()["recommender"] == "warm"
    assert ready.json()["recommender_ranker"] == "fit"  # no model trained on this database


def test_a_failed_warm_up_leaves_the_process_ready_on_the_fit_ranker(
    app: FastAPI, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed warm-up is reported, never holds readiness; the feed then loads by itself."""
    _blocking_taxonomy(monkeypatch, fail=True)
    recruiter = make_user(db, Role.recruiter)
    job = make_job(db, recruiter.organization, title="Go engineer", requirements=["Go"])
    jobs.reparse(job)
    candidate = make_user(db)
    db.commit()
    with TestClient(app) as client:
        app.state.recs_warm_up.join(120)
        r = client.get("/readyz")
        items = service.recommend(db, candidate=candidate, n=5).items
        db.rollback()  # its connection goes back before the app's shutdown disposes the pool
    assert r.status_code == 200
    assert r.json()["recommender"] == "failed"
    assert r.json()["recommender_ranker"] == "fit"
    assert [i.job_id for i in items] == [job.id]


def test_a_warm_up_past_its_hold_no_longer_keeps_the_process_unready(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Readiness is held for at most WARM_UP_HOLD_S; past it the state still says warming."""
    reached, release = _blocking_taxonomy(monkeypatch)
    monkeypatch.setattr(live, "WARM_UP_HOLD_S", 0.0)
    with TestClient(app) as client:
        assert reached.wait(60)
        r = client.get("/readyz")
        release.set()
        app.state.recs_warm_up.join(120)
    assert r.status_code == 200
    assert r.json()["recommender"] == "warming"
