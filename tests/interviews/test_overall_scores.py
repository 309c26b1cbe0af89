"""`overall_scores`: the overall score of many candidates at once, equal to `overall_score` each,
in a number of SQL statements that does not grow with the number of candidates."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from hiresight.accounts.models import Organization, Role, User
from hiresight.db import make_session_factory
from hiresight.interviews.config import StageKind
from hiresight.interviews.models import (
    AttemptState,
    InterviewSession,
    InterviewTemplate,
    SessionState,
    StageAttempt,
)
from hiresight.interviews.scores import AttemptScore, overall_score, overall_scores
from hiresight.jobs.models import Job, JobStatus

T0 = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
_emails = itertools.count(1)


@pytest.fixture
def db(db_url: str) -> Iterator[Session]:
    """A session on the migrated test database, without the app (nothing here needs it)."""
    engine = create_engine(db_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


def _org(db: Session, name: str) -> Organization:
    org = Organization(name=name, slug=f"{name.lower()}-{next(_emails)}")
    db.add(org)
    db.flush()
    return org


def _candidates(db: Session, n: int) -> list[User]:
    """Candidate rows written directly: hashing a password each would dominate the test."""
    users = [
        User(email=f"batch{next(_emails)}@example.com", full_name="Batch Candidate",
             password_hash="-", role=Role.candidate)
        for _ in range(n)
    ]  # fmt: skip
    db.add_all(users)
    db.flush()
    return users


def _sittings(db: Session) -> dict[str, Any]:
    """Where an interview can be sat: two organizations' jobs and templates, or shared."""
    a, b = _org(db, "Alpha"), _org(db, "Beta")
    jobs = {}
    for org in (a, b):
        job = Job(organization_id=org.id, title="Engineer", description="APIs.",
                  requirements=["Python"], status=JobStatus.open)  # fmt: skip
        template = InterviewTemplate(organization_id=org.id, name="Screen", config={})
        db.add_all([job, template])
        db.flush()
        jobs[org.id] = (job.id, template.id)
    return {
        "a": a.id,
        "b": b.id,
        # (job_id, template_id) of a sitting: the shared screening, each organization's job,
        # each organization's template.
        "places": [(None, None), (jobs[a.id][0], None), (None, jobs[a.id][1]),
                   (jobs[b.id][0], None), (None, jobs[b.id][1])],
    }  # fmt: skip


def _varied(db: Session, candidates: list[User], places: list[Any], seed: int) -> None:
    """Sittings of every kind the overall score must tell apart, drawn with a fixed seed:
    shared, per job and per template of two organizations; practice; finished, expired,
    abandoned and active attempts; unnumbered ones; retakes with a selected earlier attempt;
    a score without its score rows; a score row beside a null score."""
    rng = random.Random(seed)
    states = [AttemptState.submitted] * 4 + [
        AttemptState.expired, AttemptState.abandoned, AttemptState.active,
    ]  # fmt: skip
    for candidate in candidates:
        taken: dict[StageKind, int] = {}
        # One attempt per stage and sitting: a retake is a stage sat again in a later sitting.
        for _ in range(rng.randint(0, 4)):
            job_id, template_id = rng.choice(places)
            sitting = InterviewSession(
                candidate_id=candidate.id, job_id=job_id, template_id=template_id, config={},
                practice=rng.random() < 0.15, state=SessionState.completed, created_at=T0,
            )  # fmt: skip
            db.add(sitting)
            db.flush()
            for kind in rng.sample(list(StageKind), rng.randint(1, 3)):
                taken[kind] = taken.get(kind, 0) + 1
                score = None if rng.random() < 0.1 else round(rng.uniform(0, 100), 1)
                attempt = StageAttempt(
                    session_id=sitting.id, candidate_id=candidate.id, stage=kind,
                    attempt_no=None if rng.random() < 0.1 else taken[kind],
                    state=rng.choice(states), deadline_at=T0, submitted_at=T0, score=score,
                    selected=rng.random() < 0.2,
                )  # fmt: skip
                db.add(attempt)
                db.flush()
                if rng.random() < 0.85:
                    for component in rng.sample(["stage", "clarity", "depth"], 2):
                        db.add(AttemptScore(
                            attempt_id=attempt.id, component=component, value=score or 0.0,
                            rubric_version="t", provider="t",
                        ))  # fmt: skip
    db.flush()


def test_batched_scores_equal_one_by_one(db: Session) -> None:
    """On a varied data set, for every candidate, for no organization and for each of two,
    `overall_scores` gives exactly what `overall_score` gives for each candidate."""
    where = _sittings(db)
    candidates = _candidates(db, 60)
    _varied(db, candidates, where["places"], seed=7)
    ids = [c.id for c in candidates]
    by_org = {}
    for org in (None, where["a"], where["b"]):
        one_by_one = {i: overall_score(db, i, org) for i in ids}
        assert overall_scores(db, ids, org) == one_by_one
        by_org[org] = one_by_one
    # The data set tells the cases apart: most candidates have a score, scores vary, some
    # have none, and what an organization may read changes some candidates' numbers.
    everyone = by_org[None]
    assert 20 < sum(v is not None for v in everyone.values()) < len(ids)
    assert len(set(everyone.values())) > 20
    assert by_org[where["a"]] != everyone != by_org[where["b"]]


def test_every_candidate_asked_about_is_answered(db: Session) -> None:
    """Candidates without any attempt (and a repeated id) come back once, with None."""
    bare = _candidates(db, 2)
    assert overall_scores(db, [bare[0].id, bare[1].id, bare[0].id]) == {
        bare[0].id: None,
        bare[1].id: None,
    }
    assert overall_scores(db, []) == {}


@contextmanager
def _counted(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_statement_count_does_not_grow_with_candidates(db: Session) -> None:
    """Ten candidates or two hundred: the same number of SQL statements (one per organization
    filter), where `overall_score` took two per candidate."""
    where = _sittings(db)
    few, many = _candidates(db, 10), _candidates(db, 200)
    _varied(db, few + many, where["places"], seed=11)
    db.commit()
    engine = db.get_bind()
    assert isinstance(engine, Engine)
    few_ids, many_ids = [c.id for c in few], [c.id for c in many]
    counts = []
    for ids in (few_ids, many_ids):
        with _counted(engine) as statements:
            overall_scores(db, ids, where["a"])
        counts.append(len(statements))
    with _counted(engine) as one_by_one:
        for i in few_ids:
            overall_score(db, i, where["a"])
    assert counts == [1, 1]
    assert len(one_by_one) > len(few)
