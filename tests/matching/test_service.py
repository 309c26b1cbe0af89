"""The service layer: training from the engagement log, experiments, monitoring, outcomes."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role, User
from hiresight.engagement.models import EngagementEvent
from hiresight.engagement.schemas import EventIn
from hiresight.jobs import service as jobs
from hiresight.jobs.models import ApplicationStatus, Job
from hiresight.jobs.schemas import ApplicationDecision
from hiresight.matching import live, operations, service
from hiresight.matching.entities import EventKind
from hiresight.matching.models import RecsExposure
from hiresight.matching.registry import ModelRegistry
from hiresight.profiles import service as profiles
from hiresight.profiles.schemas import ProfileUpdate
from hiresight.settings import Settings
from tests.factories import PASSWORD, make_application, make_job, make_org, make_user

SKILL_SETS = (
    ["Python", "PostgreSQL", "Redis"],
    ["Go", "Kafka", "Kubernetes"],
    ["TypeScript", "React", "Node.js"],
    ["Java", "Spring", "MySQL"],
)


def _market(db: Session, n_candidates: int = 4) -> tuple[list[User], list[Job]]:
    """Candidates with distinct stacks, and two jobs per stack in two organizations."""
    orgs = [make_org(db), make_org(db)]
    job_list = []
    for skills in SKILL_SETS:
        for org in orgs:
            job = make_job(
                db, org, title=f"{skills[0]} engineer", requirements=skills,
                description=f"Build services with {', '.join(skills)}.",
            )  # fmt: skip
            jobs.reparse(job)
            job_list.append(job)
    candidates = []
    for i in range(n_candidates):
        user = make_user(db)
        profiles.update(db, candidate=user, data=ProfileUpdate(
            headline=f"{SKILL_SETS[i % 4][0]} developer", summary="Backend work.",
            skills=SKILL_SETS[i % 4], location="Berlin", years_experience=4,
        ))  # fmt: skip
        candidates.append(user)
    db.commit()
    return candidates, job_list


def _act(db: Session, user: User, job_id: int, kind: str, request_id: str | None) -> None:
    job = db.get(Job, job_id)
    assert job is not None
    service.record_event(db, candidate=user, job=job, data=EventIn(
        event_id=uuid.uuid4().hex, kind=kind, job_id=job_id, request_id=request_id,  # type: ignore[arg-type]
    ))  # fmt: skip


def _engage(db: Session, candidates: list[User], favoured_org: int, rounds: int) -> int:
    """Candidates click only the favoured employer's jobs, whatever the stack: a taste the
    job text does not show, so only a model that learns from engagement can rank by it.
    Returns the number of clicks."""
    clicks = 0
    for _ in range(rounds):
        for user in candidates:
            recs = service.recommend(db, candidate=user, n=8)
            for item in recs.items:
                job = db.get(Job, item.job_id)
                assert job is not None
                if job.organization_id == favoured_org:
                    _act(db, user, item.job_id, "click", recs.request_id)
                    clicks += 1
            db.commit()
    return clicks


def test_training_inputs_credit_actions_to_the_list_they_came_from(db: Session) -> None:
    """A click with the request id and an apply without one both land on the shown list."""
    (user,), _ = _market(db, 1)
    recs = service.recommend(db, candidate=user, n=4)
    first, second = recs.items[0].job_id, recs.items[1].job_id
    _act(db, user, first, "click", recs.request_id)
    _act(db, user, second, "apply", None)  # e.g. applied from the dashboard later
    db.commit()
    inputs = operations.training_inputs(db)
    (imp,) = inputs.impressions
    outcome = dict(zip(imp.job_ids, imp.outcomes, strict=True))
    assert outcome[first] is EventKind.CLICK
    assert outcome[second] is EventKind.APPLY
    assert sum(o is EventKind.IMPRESSION for o in imp.outcomes) == len(imp.job_ids) - 2
    assert set(inputs.candidates) == {user.id}
    assert {j.id for j in inputs.jobs} == set(imp.job_ids)


def test_training_from_the_database_cold_starts_then_promotes(
    db: Session, settings: Settings
) -> None:
    """Too little engagement keeps the content ranker; enough trains, promotes and serves."""
    candidates, job_list = _market(db)
    registry = ModelRegistry(settings.data_dir / "models")
    assert operations.train_from_database(db, registry, min_engaged=10).reason.startswith(
        "cold_start"
    )
    clicks = _engage(db, candidates, job_list[0].organization_id, rounds=6)
    too_many = clicks + 1
    cold = operations.train_from_database(db, registry, min_engaged=too_many)
    assert cold.version is None
    assert "cold_start" in cold.reason
    report = operations.train_from_database(db, registry, min_engaged=10)
    assert report.version == "v0001"
    assert report.promoted, report.reason
    # The live process picks the promoted model up on its next request, without a restart.
    recs = service.recommend(db, candidate=candidates[0], n=5)
    assert recs.ranker == "lightgbm:v0001"
    assert not recs.fallback


def test_a_broken_live_model_falls_back_and_is_counted(
    db: Session, settings: Settings, client: TestClient
) -> None:
    """A LIVE pointer to a missing version serves the fit score, marked and counted."""
    (user,), _ = _market(db, 1)
    models = settings.data_dir / "models"
    models.mkdir(parents=True)
    (models / "LIVE").write_text("v0042\n")
    recs = service.recommend(db, candidate=user, n=3)
    assert recs.fallback
    assert recs.ranker == "fit"
    assert recs.fallback_reason is not None
    assert recs.fallback_reason.startswith("model_error")
    text = client.get("/metrics").text
    assert 'hiresight_recs_fallbacks_total{reason="model_error"} 1.0' in text
    assert 'hiresight_recs_requests_total{fallback="true",ranker="fit",variant="live"}' in text


def test_an_experiment_assigns_stable_arms_and_reports_their_outcomes(
    db: Session, settings: Settings, db_url: str
) -> None:
    """Arms are fixed per candidate, exposures are logged, clicks and applies are credited."""
    live.configure(db_url, settings.model_copy(update={"recs_experiment": "feed:live=1,content=1"}))
    candidates, _ = _market(db, 8)
    arms: dict[int, str | None] = {}
    for user in candidates:
        for _ in range(2):
            recs = service.recommend(db, candidate=user, n=3)
            assert recs.experiment == "feed"
            assert arms.setdefault(user.id, recs.variant) == recs.variant
        _act(db, user, recs.items[0].job_id, "click", recs.request_id)
        if user is candidates[0]:
            _act(db, user, recs.items[0].job_id, "apply", None)
    db.commit()
    assert set(arms.values()) == {"live", "content"}  # 8 candidates: both arms drawn
    assert db.scalar(select(RecsExposure.id).limit(1)) is not None
    rows = operations.experiment_report(db, "feed", live.for_database(db_url).experiment)
    assert [r.variant for r in rows] == ["live", "content"]  # the configured control first
    assert sum(r.exposures for r in rows) == 8  # candidates, not requests
    assert all(r.ctr.value == 1.0 for r in rows)  # every candidate clicked a shown job
    assert sum(r.apply_rate.successes for r in rows) == 1
    assert operations.experiment_names(db) == ["feed"]


def test_a_click_on_a_job_never_shown_is_not_credited(
    db: Session, settings: Settings, db_url: str
) -> None:
    """Outcomes count only jobs of the exposed list, so arms are compared on what they showed."""
    live.configure(db_url, settings.model_copy(update={"recs_experiment": "solo:live=1"}))
    (user,), job_list = _market(db, 1)
    recs = service.recommend(db, candidate=user, n=2)
    shown = {i.job_id for i in recs.items}
    other = next(j.id for j in job_list if j.id not in shown)
    _act(db, user, other, "click", None)
    db.commit()
    (row,) = operations.experiment_report(db, "solo")
    assert row.exposures == 1
    assert row.ctr.successes == 0


def test_decisions_and_completed_interviews_become_outcome_events(db: Session) -> None:
    """advanced, hired and rejected decisions are logged for the recommender."""
    recruiter = make_user(db, Role.recruiter)
    job = make_job(db, recruiter.organization)
    application = make_application(db, make_user(db), job)
    db.commit()
    for status in (ApplicationStatus.advanced, ApplicationStatus.on_hold, ApplicationStatus.hired):
        jobs.decide(
            db, actor=recruiter, application=application,
            decision=ApplicationDecision(status=status, note="ok"),
        )  # fmt: skip
    db.commit()
    kinds = db.scalars(select(EngagementEvent.kind).order_by(EngagementEvent.id)).all()
    assert kinds == ["advanced", "hired"]


@pytest.mark.parametrize(
    "text", ["feed", "feed:live", "feed:live=1,live=2", "feed:live=0", ":live=1"]
)
def test_a_malformed_experiment_setting_is_refused(text: str) -> None:
    """HIRESIGHT_RECS_EXPERIMENT is checked when settings load, not at the first request."""
    with pytest.raises(ValueError, match="HIRESIGHT_RECS_EXPERIMENT"):
        Settings(recs_experiment=text)


def test_an_arm_naming_a_missing_version_falls_back_visibly(
    db: Session, settings: Settings, db_url: str
) -> None:
    """A typo in an arm's version serves content as a counted fallback, never another model."""
    live.configure(db_url, settings.model_copy(update={"recs_experiment": "typo:v0009=1"}))
    (user,), _ = _market(db, 1)
    recs = service.recommend(db, candidate=user, n=2)
    assert recs.variant == "v0009"
    assert recs.fallback
    assert recs.fallback_reason is not None
    assert "v0009" in recs.fallback_reason


def _login(client: TestClient, email: str) -> None:
    client.get("/login")
    client.post("/login", data={
        "email": email, "password": PASSWORD, "csrf_token": client.cookies.get("hs_csrf"),
    })  # fmt: skip


def test_the_console_page_is_for_admins(client: TestClient, db: Session) -> None:
    """Admins see models, serving, drift and experiments; recruiters are refused."""
    admin = make_user(db, Role.admin)
    recruiter = make_user(db, Role.recruiter)
    db.commit()
    _login(client, recruiter.email)
    assert client.get("/console/recommendations").status_code == 403
    client.post("/logout", data={"csrf_token": client.cookies.get("hs_csrf")})
    client.cookies.clear()
    _login(client, admin.email)
    page = client.get("/console/recommendations")
    assert page.status_code == 200
    for heading in ("Models", "Serving", "Drift", "Experiments"):
        assert f">{heading}</h2>" in page.text
    assert "No trained model yet" in page.text


def _statements(db: Session, user: User) -> tuple[int, service.Recommendations]:
    """The SQL statements one "Jobs for you" request runs, and its list."""
    count = [0]

    def counted(*args: object) -> None:
        count[0] += 1

    engine = db.get_bind().engine
    event.listen(engine, "before_cursor_execute", counted)
    try:
        recs = service.recommend(db, candidate=user, n=20)
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return count[0], recs


def test_a_request_runs_as_many_statements_for_eight_employers_as_for_two(db: Session) -> None:
    """Employers load with their jobs and impressions go in one executemany: no N+1.

    Each statement per employer or per shown job would add at least six here."""
    (user,), _ = _market(db, 1)
    service.recommend(db, candidate=user, n=20)  # the recommender's first sync and load
    db.commit()
    few, few_recs = _statements(db, user)
    db.commit()
    for i, skills in enumerate(SKILL_SETS * 2):
        job = make_job(db, make_org(db), title=f"{skills[0]} engineer {i}", requirements=skills)
        jobs.reparse(job)
    db.commit()
    service.recommend(db, candidate=user, n=20)  # sync the new jobs in
    db.commit()
    many, many_recs = _statements(db, user)
    assert (
        len({i.organization for i in many_recs.items})
        >= len({i.organization for i in few_recs.items}) + 6
    )
    assert many == few
    logged = db.scalars(
        select(EngagementEvent).where(EngagementEvent.request_id == many_recs.request_id)
    ).all()
    assert sorted((e.position, e.job_id, e.kind) for e in logged) == [
        (i.position, i.job_id, "impression") for i in many_recs.items
    ]
    assert {e.event_id for e in logged} == {
        f"{many_recs.request_id}:{i.position}" for i in many_recs.items
    }
