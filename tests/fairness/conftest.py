"""A job with applicants whose screenings, moves, answers and impressions are known."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from hiresight.accounts.models import Organization, Role, User
from hiresight.fairness.models import RaceEthnicity as R
from hiresight.fairness.models import Sex as S
from hiresight.interviews.models import SessionState
from hiresight.jobs import service as jobs
from hiresight.jobs.models import Job
from hiresight.jobs.schemas import ApplicationDecision
from tests.factories import make_application, make_job, make_org, make_user
from tests.fairness.factories import T0, identify, impression, move, screening


@dataclass
class World:
    """Organization A's job, its admin and recruiter, another organization's admin."""

    org: Organization
    job: Job
    other_job: Job
    admin: User
    recruiter: User
    outsider: User
    candidates: dict[str, User]


@pytest.fixture
def world(db: Session) -> World:
    """Applicants of one job (default pipeline: AI screening, panel, offer):

    - c1 female · Asian: finished this job's screening, scored 80, advanced to the panel;
    - c2 male · White: finished the shared screening, scored 60, rejected;
    - c3 male · White: finished this job's screening, scored 90, decided "advanced" in place;
    - c4 no answers: finished this job's screening, scored 70, on hold;
    - c5 female · White: screening still in progress, advanced anyway (not completed);
    - c6 female · White: only a practice screening (not completed);
    - c7 male · Asian: finished the screening of another job of the organization only.

    The recommender showed the job to c1 twice before they applied, to c2 once after they had
    applied, and to c8 (female · Black) once, who never applied; c1 was also shown another
    organization's job.
    """
    org, elsewhere = make_org(db), make_org(db)
    admin = make_user(db, Role.admin, org)
    recruiter = make_user(db, Role.recruiter, org)
    outsider = make_user(db, Role.admin, elsewhere)
    job, other_job = make_job(db, org), make_job(db, org)
    foreign_job = make_job(db, elsewhere)
    c = {f"c{i}": make_user(db) for i in range(1, 9)}
    answers = {
        "c1": (S.female, R.asian), "c2": (S.male, R.white), "c3": (S.male, R.white),
        "c5": (S.female, R.white), "c6": (S.female, R.white), "c7": (S.male, R.asian),
        "c8": (S.female, R.black_or_african_american),
    }  # fmt: skip
    for name, (sex, race) in answers.items():
        identify(db, c[name], sex, race)
    apps = {}
    for i, name in enumerate(("c1", "c2", "c3", "c4", "c5", "c6", "c7")):
        apps[name] = make_application(db, c[name], job)
        apps[name].created_at = T0 + dt.timedelta(days=i)
    screening(db, c["c1"], job, 80)
    screening(db, c["c2"], None, 60)
    screening(db, c["c3"], job, 90)
    screening(db, c["c4"], job, 70)
    screening(db, c["c5"], job, 95, state=SessionState.in_progress)
    screening(db, c["c6"], job, 99, practice=True)
    screening(db, c["c7"], other_job, 85)
    move(db, recruiter, apps["c1"], "advance")
    move(db, recruiter, apps["c2"], "reject")
    jobs.decide(db, actor=recruiter, application=apps["c3"],
                decision=ApplicationDecision(status="advanced"))  # fmt: skip
    move(db, recruiter, apps["c4"], "hold")
    move(db, recruiter, apps["c5"], "advance")
    impression(db, c["c1"], job, apps["c1"].created_at - dt.timedelta(hours=2))
    impression(db, c["c1"], job, apps["c1"].created_at - dt.timedelta(hours=1))
    impression(db, c["c2"], job, apps["c2"].created_at + dt.timedelta(hours=1))
    impression(db, c["c8"], job, T0)
    impression(db, c["c1"], foreign_job, T0)
    db.commit()
    return World(org, job, other_job, admin, recruiter, outsider, c)
