"""The audit's data from the database: completed, advanced, scores and impressions, on
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from hiresight.fairness import service
from hiresight.fairness.schemas import FairnessReport, RateTable
from hiresight.jobs import pipeline
from hiresight.jobs.pipeline import StageSpec, StageType
from tests.factories import make_application, make_job, make_user
from tests.fairness.conftest import World
from tests.fairness.factories import move, screening


def _row(tables: list[RateTable], dimension: str, category: str) -> tuple[object, ...]:
    table = next(t for t in tables if t.dimension == dimension)
    row = next(r for r in table.rows if r.category == category)
    return row.count, row.positives, row.rate, row.impact_ratio


def _report(db: Session, world: World, **period: dt.date) -> FairnessReport:
    scope = service.make_scope(world.org, world.job, period.get("start"), period.get("end"))
    return service.build_report(db, scope=scope)


def test_completed_advanced_and_scores_follow_the_definitions(db: Session, world: World) -> None:
    """Completed: c1, c3, c4 (this job's screening) and c2 (the shared one); not c5 (in
    progress), c6 (practice) or c7 (another job's). Advanced among them: c1 (moved to the
    panel) and c3 (decided advanced), not c2 (rejected) or c4 (on hold).
    Sex: male c2, c3 -> 1/2 = 0.5, ratio 0.5/1.0 = 0.5; female c1 -> 1/1, the reference; c4 is
    unknown (not provided). Median of 80, 60, 90, 70 = 75: above it c1 (80) and c3 (90), so
    male 1/2 and female 1/1 again."""
    report = _report(db, world)
    assert (report.applications, report.completed, report.advanced, report.scored) == (7, 4, 2, 4)
    assert report.median_score == 75
    assert _row(report.selection, "sex", "male") == (2, 1, 0.5, 0.5)
    assert _row(report.selection, "sex", "female") == (1, 1, 1.0, 1.0)
    assert report.selection[0].unknown.not_provided == 1
    assert _row(report.selection, "intersectional", "male|white") == (2, 1, 0.5, 0.5)
    assert _row(report.scoring, "sex", "male") == (2, 1, 0.5, 0.5)
    assert _row(report.scoring, "race_ethnicity", "asian") == (1, 1, 1.0, 1.0)


def test_recommender_pairs_and_apply_after_exposure(db: Session, world: World) -> None:
    """Pairs shown for this job: c1 (2 impressions, applied after: positive), c2 (applied
    before the impression: not positive), c8 (never applied). The other organization's job
    is not in scope. Female: c1, c8 -> 1/2 with 3 impressions; male: c2 -> 0/1, ratio 0."""
    report = _report(db, world)
    assert report.impressions == 4
    sex = report.recommender[0]
    female = next(r for r in sex.rows if r.category == "female")
    male = next(r for r in sex.rows if r.category == "male")
    assert (female.count, female.positives, female.impressions, female.rate) == (2, 1, 3, 0.5)
    assert (male.count, male.positives, male.impressions, male.impact_ratio) == (1, 0, 1, 0.0)


def test_the_period_bounds_applications_by_day(db: Session, world: World) -> None:
    """Applications were made on June 1 (c1) to June 7 (c7): June 2-4 keeps c2, c3, c4."""
    report = _report(db, world, start=dt.date(2026, 6, 2), end=dt.date(2026, 6, 4))
    assert (report.applications, report.completed) == (3, 3)


def test_the_organization_scope_counts_every_job(db: Session, world: World) -> None:
    """Across the organization c7's application is still not completed: the screening they
    finished was for a job they did not apply to."""
    report = service.build_report(db, scope=service.make_scope(world.org))
    assert report.scope == "organization"
    assert (report.applications, report.completed) == (7, 4)


def test_withdrawn_answers_count_as_unknown(db: Session, world: World) -> None:
    """After c1 withdraws, the female category is empty and c1 is unknown."""
    service.withdraw_self_identification(db, candidate=world.candidates["c1"])
    report = _report(db, world)
    assert _row(report.selection, "sex", "female") == (0, 0, None, None)
    assert report.selection[0].unknown.not_provided == 2


def test_moving_onto_the_screening_is_not_advancing(db: Session, world: World) -> None:
    """In a pipeline with a portfolio review before the AI screening, moving an application
    forward onto the screening (status "advanced") does not count; moving it past does."""
    specs = [StageSpec(kind=k) for k in (StageType.portfolio_review, StageType.ai_screening,
                                         StageType.offer)]  # fmt: skip
    job = make_job(db, world.org, pipeline=pipeline.to_json(pipeline.build(specs)))
    onto, past = make_user(db), make_user(db)
    for candidate, steps in ((onto, 1), (past, 2)):
        application = make_application(db, candidate, job)
        application.stage = "portfolio_review"
        screening(db, candidate, job, 50)
        for _ in range(steps):
            move(db, world.recruiter, application, "advance")
    db.commit()
    report = service.build_report(db, scope=service.make_scope(world.org, job))
    assert (report.completed, report.advanced) == (2, 1)
