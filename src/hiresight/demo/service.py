"""Demo data: two organizations, their jobs, and one login per role, loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts import service as accounts
from hiresight.accounts.models import Organization, Role, User
from hiresight.jobs import service as jobs
from hiresight.jobs.models import Job, JobStatus, Seniority
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
    jobs.apply(session, candidate=candidate, job=acme_jobs[0])
    return True


def demo_users(session: Session) -> list[User]:
    """The users behind the printed demo logins."""
    emails = [d.email for d in DEMO_LOGINS]
    return list(session.scalars(select(User).where(User.email.in_(emails))))
