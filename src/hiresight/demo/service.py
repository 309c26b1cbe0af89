"""Demo data: two organizations, their jobs, one login per role, and a simulated job market."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts import service as accounts
from hiresight.accounts.models import Organization, Role, User
from hiresight.db import utcnow
from hiresight.demo.takehome import load_takehome
from hiresight.engagement.models import EngagementEvent
from hiresight.interviews import consent
from hiresight.jobs import pipeline
from hiresight.jobs import service as jobs
from hiresight.jobs.models import Job, JobStatus, Seniority
from hiresight.jobs.pipeline import PanelKind, StageSpec, StageType
from hiresight.matching.entities import EventKind
from hiresight.matching.lab.simulator import simulate
from hiresight.profiles import service as profiles
from hiresight.profiles.schemas import ProfileUpdate

DEMO_ORG_SLUG = "acme-demo"
DEMO_PASSWORD = "hiresight-demo"


@dataclass(frozen=True)
class DemoLogin:
    """One printed demo login."""

    role: str
    email: str
    password: str


DEMO_LOGINS = (
    DemoLogin("recruiter", "recruiter@acme.example", DEMO_PASSWORD),
    DemoLogin("admin", "admin@acme.example", DEMO_PASSWORD),
    DemoLogin("candidate", "candidate@example.com", DEMO_PASSWORD),
)

_JOBS = [
    {
        "title": "Backend Engineer (Python)",
        "description": "Build the APIs behind our fleet-management platform: FastAPI, PostgreSQL, "
        "Redis and asyncio workers. You will own services end to end, from design to on-call.",
        "requirements": ["Python", "FastAPI", "PostgreSQL", "Redis", "Docker"],
        "location": "Berlin",
        "remote": True,
        "seniority": Seniority.senior,
        "salary_min": 75_000,
        "salary_max": 95_000,
        "salary_currency": "EUR",
    },
    {
        "title": "Node.js API Developer",
        "description": "Grow our Node.js and TypeScript services: REST APIs, event-driven "
        "integrations with Kafka, and careful handling of async errors.",
        "requirements": ["Node.js", "TypeScript", "Express", "Kafka", "MongoDB"],
        "location": "Lisbon",
        "remote": False,
        "seniority": Seniority.mid,
        "salary_min": 50_000,
        "salary_max": 65_000,
        "salary_currency": "EUR",
    },
    {
        "title": "Platform Engineer",
        "description": "Kubernetes, Terraform and observability for a team of forty engineers.",
        "requirements": ["Kubernetes", "Terraform", "AWS", "Prometheus", "Go"],
        "location": "Remote (EU)",
        "remote": True,
        "seniority": Seniority.senior,
        "salary_min": 80_000,
        "salary_max": 105_000,
        "salary_currency": "EUR",
    },
]


DEMO_PIPELINE = [
    StageSpec(kind=StageType.ai_screening),
    StageSpec(kind=StageType.portfolio_review),
    StageSpec(kind=StageType.takehome),
    StageSpec(kind=StageType.panel, panel_kind=PanelKind.presentation),
    StageSpec(kind=StageType.offer),
]


def is_loaded(session: Session) -> bool:
    """Whether the demo organization exists already."""
    return (
        session.scalar(select(Organization.id).where(Organization.slug == DEMO_ORG_SLUG))
        is not None
    )


def load(session: Session) -> bool:
    """Create the demo data unless it is there; returns whether anything was created."""
    if is_loaded(session):
        return False
    org = accounts.create_organization(session, name="Acme Robotics", slug=DEMO_ORG_SLUG)
    other = accounts.create_organization(session, name="Globex Logistics", slug="globex-demo")
    recruiter = accounts.create_user(
        session,
        email=DEMO_LOGINS[0].email,
        full_name="Riley Recruiter",
        password=DEMO_PASSWORD,
        role=Role.recruiter,
        organization_id=org.id,
    )
    accounts.create_user(
        session,
        email=DEMO_LOGINS[1].email,
        full_name="Ada Admin",
        password=DEMO_PASSWORD,
        role=Role.admin,
        organization_id=org.id,
    )
    other_recruiter = accounts.create_user(
        session,
        email="recruiter@globex.example",
        full_name="Gus Globex",
        password=DEMO_PASSWORD,
        role=Role.recruiter,
        organization_id=other.id,
    )
    candidate = accounts.create_user(
        session,
        email=DEMO_LOGINS[2].email,
        full_name="Chidi Candidate",
        password=DEMO_PASSWORD,
        role=Role.candidate,
    )
    # The demo candidate has read the interview notice, so the tour reaches the room at once.
    consent.give(session, candidate=candidate, version=consent.NOTICE_VERSION)
    profiles.update(
        session,
        candidate=candidate,
        data=ProfileUpdate(
            headline="Backend engineer, 6 years of Python and PostgreSQL",
            summary="I build and run APIs for logistics companies.",
            location="Berlin",
            skills=["Python", "FastAPI", "PostgreSQL", "Redis", "Docker"],
            years_experience=6,
        ),
    )
    acme_jobs = [
        Job(organization_id=org.id, created_by_id=recruiter.id, status=JobStatus.open, **spec)
        for spec in _JOBS
    ]
    # The applicant's job has the whole hiring process, so the pipeline board shows five stages.
    acme_jobs[0].pipeline = pipeline.to_json(pipeline.build(DEMO_PIPELINE))
    session.add_all(acme_jobs)
    session.add(
        Job(
            organization_id=other.id,
            created_by_id=other_recruiter.id,
            status=JobStatus.open,
            title="Data Engineer",
            description="Pipelines in Python, Airflow and dbt on a Snowflake warehouse.",
            requirements=["Python", "Airflow", "dbt", "Snowflake", "SQL"],
            location="Amsterdam",
            remote=True,
            seniority=Seniority.mid,
            salary_min=60_000,
            salary_max=80_000,
            salary_currency="EUR",
        )
    )
    for job in session.new:
        if isinstance(job, Job):
            jobs.reparse(job)
    session.flush()
    resume = resources.files("hiresight.demo").joinpath("data/chidi_candidate.md").read_bytes()
    profiles.upload_resume(session, candidate=candidate, data=resume, filename="chidi.md")
    # The candidate has applied to Acme's first job, so the recruiter sees an applicant.
    application = jobs.apply(session, candidate=candidate, job=acme_jobs[0])
    # ... and has submitted the next-item take-home, evaluated now: a full report from the start.
    load_takehome(
        session,
        organization_id=org.id,
        recruiter_id=recruiter.id,
        candidate_id=candidate.id,
        application_id=application.id,
    )
    return True


def demo_users(session: Session) -> list[User]:
    """The users behind the printed demo logins."""
    emails = [d.email for d in DEMO_LOGINS]
    return list(session.scalars(select(User).where(User.email.in_(emails))))


# Employers of the simulated market (fictional), and the simulator's seniority levels.
MARKET_ORGS = (
    "Northwind Freight", "Bluefin Payments", "Kestrel Health", "Oakline Energy",
    "Tessellate Games", "Quayside Retail",
)  # fmt: skip
_SENIORITY = (Seniority.junior, Seniority.mid, Seniority.senior, Seniority.staff)
_FIRST = ("Amara", "Bruno", "Chen", "Dana", "Emil", "Farah", "Goran", "Hana", "Ivo", "Jun")
_LAST = ("Okafor", "Silva", "Novak", "Haddad", "Lindqvist", "Moreau", "Tanaka", "Kowalski")


@dataclass(frozen=True)
class MarketSummary:
    """What `load_market` created."""

    organizations: int
    jobs: int
    candidates: int
    lists: int
    events: int


def load_market(
    session: Session, *, random_state: int = 7, now: dt.datetime | None = None
) -> MarketSummary:
    """A simulated job market with two months of feed engagement, for the recommender.

    The marketplace simulator (hiresight.matching.lab.simulator) draws employers, jobs,
    candidates with hidden tastes, and what they did with the lists they were shown (with
    position bias). Its entities become rows and its log becomes engagement events with
    request ids, exactly as the live feed records them, so `hiresight recs train` learns from
    it and the demo's recommendations come from a trained model, not a cold start.
    """
    now = now or utcnow()
    market = simulate(
        n_candidates=40, n_jobs=60, n_companies=len(MARKET_ORGS), n_sessions=2500,
        random_state=random_state,
    )  # fmt: skip

    def at(t: float) -> dt.datetime:  # simulator seconds -> wall clock ending now
        return now - dt.timedelta(seconds=market.end - t)

    password_hash: str | None = None
    orgs: list[tuple[Organization, User]] = []
    for i, name in enumerate(MARKET_ORGS):
        org = accounts.create_organization(session, name=name, slug=f"market-{i + 1}")
        recruiter = User(
            email=f"recruiter{i + 1}@market.example", full_name=f"{name} Recruiting",
            password_hash="", role=Role.recruiter, organization_id=org.id,
        )  # fmt: skip
        if password_hash is None:  # hash once: 46 slow hashes would slow the demo down
            recruiter = accounts.create_user(
                session, email=recruiter.email, full_name=recruiter.full_name,
                password=DEMO_PASSWORD, role=Role.recruiter, organization_id=org.id,
            )  # fmt: skip
            password_hash = recruiter.password_hash
        else:
            recruiter.password_hash = password_hash
            session.add(recruiter)
        orgs.append((org, recruiter))
    session.flush()
    job_rows: dict[int, Job] = {}
    for posting in market.jobs:
        org, recruiter = orgs[posting.company_id - 1]
        required, preferred = sorted(posting.required_skills), sorted(posting.preferred_skills)
        job = Job(
            organization_id=org.id, created_by_id=recruiter.id, status=JobStatus.open,
            title=f"{_SENIORITY[posting.seniority].value.title()} {posting.title}",
            description=(
                # The employer's name stays out of the text: the requirement parser would read
                # a name like "Bluefin Payments" as a required skill.
                f"You will build and run services with "
                f"{', '.join(required)}, with at least {posting.min_years:.0f} years of "
                f"experience. Nice to have: {', '.join(preferred)}."
            ),
            requirements=required, location=posting.location, remote=posting.remote,
            seniority=_SENIORITY[posting.seniority],
            salary_min=round(posting.salary_min or 0, -3),
            salary_max=round(posting.salary_max or 0, -3), salary_currency="EUR",
            created_at=at(posting.posted_at),
        )  # fmt: skip
        jobs.reparse(job)
        session.add(job)
        job_rows[posting.id] = job
    candidate_rows: dict[int, User] = {}
    for cand in market.candidates:
        name = f"{_FIRST[cand.id % len(_FIRST)]} {_LAST[cand.id % len(_LAST)]}"
        user = User(
            email=f"candidate{cand.id}@market.example", full_name=name,
            password_hash=password_hash or "", role=Role.candidate,
        )  # fmt: skip
        session.add(user)
        candidate_rows[cand.id] = user
    session.flush()
    for cand in market.candidates:
        skills = sorted(cand.skills)
        profiles.update(session, candidate=candidate_rows[cand.id], data=ProfileUpdate(
            headline=f"{_SENIORITY[cand.seniority].value.title()} {skills[0]} developer",
            summary=f"I build backend services with {', '.join(skills[:3])}.",
            location=cand.location, skills=skills, years_experience=round(cand.years),
        ))  # fmt: skip
    events: list[EngagementEvent] = []
    for n, imp in enumerate(market.impressions):
        request_id = f"market-{random_state}-{n}"
        for pos, (job_id, outcome) in enumerate(zip(imp.job_ids, imp.outcomes, strict=True)):
            follow: list[tuple[str, float]] = [("impression", 0.0)]
            if outcome in (EventKind.CLICK, EventKind.SAVE, EventKind.APPLY):
                follow.append(("click", 1.0 + pos))
            if outcome in (EventKind.SAVE, EventKind.APPLY, EventKind.DISMISS):
                follow.append((outcome.value, 2.0 + pos))
            for kind, delay in follow:
                events.append(EngagementEvent(
                    event_id=f"{request_id}:{pos}:{kind}",
                    candidate_id=candidate_rows[imp.candidate_id].id,
                    job_id=job_rows[job_id].id, kind=kind, position=pos,
                    request_id=request_id, created_at=at(imp.timestamp + delay),
                ))  # fmt: skip
    session.add_all(events)
    session.flush()
    return MarketSummary(
        len(orgs), len(job_rows), len(candidate_rows), len(market.impressions), len(events)
    )
