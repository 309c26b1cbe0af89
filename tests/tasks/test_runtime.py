"""The web process's background machinery: readiness reports the warm-up, and submit never
fails for an unreachable queue."""

from __future__ import annotations

import gc
import threading

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.challenges.loader import load_bank
from hiresight.runtime import background_runtime
from hiresight.settings import Settings
from hiresight.tasks import runtime
from hiresight.tasks import service as tasks
from hiresight.tasks.models import PendingWork, WorkState
from tests.factories import bearer, make_user
from tests.tasks.conftest import RecordingBackend


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared test settings with the scoring warm-up on, as in production: it is what these
    tests check (the shared fixture turns it off to spare every other test its CPU)."""
    return settings.model_copy(update={"scoring_warm_up": True})


def test_readyz_reports_the_scoring_warm_up(app: FastAPI) -> None:
    """/readyz says whether this process has loaded its scoring models; it ends up warm."""
    with TestClient(app) as client:
        first = client.get("/readyz")
        # 503 while the recommender warms up too: the states are then in the error's details.
        state = first.json() if first.status_code == 200 else first.json()["error"]["details"]
        assert state["scoring"] in ("warming", "warm")
        assert app.state.runtime.wait_warm(300)
        app.state.recs_warm_up.join(120)  # readiness also waits for the recommender's
        ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready", "database": "ok", "scoring": "warm",
        "recommender": "warm", "recommender_ranker": "fit",
    }  # fmt: skip


def test_submit_answers_202_when_the_queue_is_unreachable(
    app: FastAPI, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Redis down at submit: 202 with the grade queued, never a 5xx; the work stays pending.

    Before, submit answered 500 with the attempt already stored, and a retry got 409."""
    candidate = make_user(db)
    headers = bearer(db, candidate)
    db.commit()
    with TestClient(app, raise_server_exceptions=False) as client:
        session = client.post(
            "/api/v1/interviews", headers=headers, json={"stages": ["code_review"]}
        ).json()
        attempt = client.post(
            f"/api/v1/interviews/{session['id']}/stages/code_review/start", headers=headers
        ).json()
        challenge = next(c for c in load_bank() if c.id == attempt["content"]["challenge"]["id"])
        app.state.runtime.stop()  # no reconciler: the work must wait for the queue
        monkeypatch.setattr(tasks, "_backend", RecordingBackend(fail=True))
        r = client.post(
            f"/api/v1/attempts/{attempt['id']}/submit",
            headers=headers,
            json={"draft": {"files": dict(challenge.solution)}},
        )
    assert r.status_code == 202, r.text
    assert r.json()["state"] == "submitted"
    assert r.json()["queued"] == ["grade"]
    db.expire_all()
    work = db.scalar(select(PendingWork).where(PendingWork.attempt_id == attempt["id"]))
    assert work is not None
    assert work.state is WorkState.pending


def test_a_warm_process_hides_its_long_lived_objects_from_the_collector(app: FastAPI) -> None:
    """After the warm-ups the models sit in the collector's permanent generation (full
    collections no longer walk them), frozen once per process, not at every warm-up."""
    with TestClient(app):
        assert app.state.runtime.wait_warm(300)
        app.state.gc_freeze.join(300)
    assert not app.state.gc_freeze.is_alive()
    assert app.state.runtime.warm_state == "warm"
    assert gc.get_freeze_count() > 0
    assert runtime.freeze_long_lived_objects() is False


def test_the_web_app_freezes_once_after_both_its_warm_ups(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scoring warm-up does not freeze a web process on its own: the recommender's index may
    still be loading. The app freezes once, when both have ended, with either task backend
    (with Dramatiq the web process has no scoring warm-up, and used to freeze nothing)."""
    froze: list[tuple[str, bool]] = []

    def freeze() -> bool:
        froze.append((app.state.runtime.warm_state, app.state.recs_warm_up.is_alive()))
        return True

    monkeypatch.setattr(runtime, "freeze_long_lived_objects", freeze)
    with TestClient(app):
        assert app.state.runtime.freeze_when_warm is False
        app.state.gc_freeze.join(300)
    assert froze == [("warm", False)]


def test_freeze_after_waits_for_every_warm_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing is frozen while one warm-up still runs, whichever ends first."""
    froze: list[bool] = []
    monkeypatch.setattr(runtime, "freeze_long_lived_objects", lambda: froze.append(True) or True)
    first, second = threading.Event(), threading.Event()
    thread = runtime.freeze_after(first.wait, second.wait)
    second.set()
    thread.join(0.2)
    assert froze == []
    first.set()
    thread.join(30)
    assert froze == [True]


def test_start_wakes_unfinished_work_only_where_work_runs(db: Session) -> None:
    """Resumes run after the clean-ups in a process that runs work; a failing one is logged and
    the next still runs; a web process that leaves work to workers wakes nothing."""
    engine = db.get_bind()
    calls: list[str] = []

    def broken() -> int:
        calls.append("broken")
        raise RuntimeError("database away")

    def woke_two() -> int:
        calls.append("woke_two")
        return 2

    resumes = {"broken": broken, "woke_two": woke_two}
    working = runtime.Runtime(engine, reconcile_seconds=3600, run_work=True, resumes=resumes)
    working.start().stop()
    assert calls == ["broken", "woke_two"]
    calls.clear()
    serving = runtime.Runtime(engine, reconcile_seconds=3600, run_work=False, resumes=resumes)
    serving.start().stop()
    assert calls == []


def test_the_composition_root_wakes_pending_take_home_versions(db: Session) -> None:
    """The background machinery every working process starts includes the take-home resume."""
    made = background_runtime(Settings(task_backend="inline"), db.get_bind())
    assert set(made.resumes) == {"takehome_versions"}
    assert made.resumes["takehome_versions"]() == 0  # none pending in an empty database
