"""Seeded job-view logs shaped like a public job board's: who viewed which job when.

The marketplace simulator (lab.simulator) shows lists and records clicks; a public view log
has no lists, and its jobs carry only a title, a company and a city. This generator draws
such a log directly, with the regularities published job-view data show:

- **city locality**: each user looks in a home city (a few in a second one), cities differ
  in size (Zipf weights);
- **title clusters**: jobs belong to occupations whose titles share words ("Python
  Developer", "Backend Engineer (Python)", "Senior Django Developer"); users keep to one
  occupation, some to two;
- **sessions**: a user views several jobs minutes apart, and the next job is often at the
  same company or with a similar title as the last one (co-visitation);
- **re-views**: a user opens a job they viewed before with probability `p_review`;
- **recency of posting**: a job draws most views in its first days and closes after a
  lifetime;
- **cold users**: users arrive all the time and stay a few days, so most test users have
  no view before the cutoff.

`SETTINGS` holds three shapes (dense, sparse, very sparse). The right answer is not known
per user (no utility): the logs judge models by the views held out after the cutoff.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from hiresight.matching.entities import EventKind
from hiresight.matching.lab.evaluate import LogRow, write_log_csv

ViewShape = Literal["dense", "sparse", "very_sparse"]
DAY = 86_400.0
CITIES = (
    "Berlin", "Hamburg", "Munich", "Cologne", "Frankfurt", "Stuttgart", "Dusseldorf",
    "Leipzig", "Dortmund", "Essen", "Bremen", "Dresden", "Hanover", "Nuremberg", "Duisburg",
    "Bochum", "Wuppertal", "Bielefeld", "Bonn", "Munster",
)  # fmt: skip
OCCUPATIONS: tuple[tuple[str, ...], ...] = (
    ("Python Developer", "Backend Engineer (Python)", "Django Developer", "Python Engineer"),
    ("Java Developer", "Backend Engineer (Java)", "Spring Boot Developer", "Java Engineer"),
    ("Frontend Developer", "React Developer", "JavaScript Engineer", "Angular Developer"),
    ("Data Engineer", "Big Data Engineer", "ETL Developer", "Data Platform Engineer"),
    ("Data Scientist", "Machine Learning Engineer", "Data Analyst", "ML Scientist"),
    ("DevOps Engineer", "Site Reliability Engineer", "Cloud Engineer", "Platform Engineer"),
    ("iOS Developer", "Android Developer", "Mobile Developer", "Flutter Developer"),
    ("QA Engineer", "Test Automation Engineer", "Software Tester", "QA Analyst"),
    ("Sales Manager", "Account Executive", "Sales Representative", "Key Account Manager"),
    ("Marketing Manager", "Online Marketing Specialist", "SEO Manager", "Content Marketer"),
    ("Accountant", "Bookkeeper", "Financial Accountant", "Payroll Accountant"),
    ("Nurse", "Registered Nurse", "Care Assistant", "Geriatric Nurse"),
    ("Warehouse Worker", "Logistics Clerk", "Forklift Driver", "Picker Packer"),
    ("Truck Driver", "Delivery Driver", "Courier Driver", "Bus Driver"),
    ("Customer Service Agent", "Call Center Agent", "Customer Support Specialist",
     "Service Desk Agent"),
    ("Project Manager", "IT Project Manager", "Scrum Master", "Product Owner"),
    ("Electrician", "Electronics Technician", "Industrial Electrician", "Mechatronics Technician"),
    ("Office Assistant", "Administrative Assistant", "Receptionist", "Office Manager"),
)  # fmt: skip
LEVELS = ("", "", "", "Junior ", "Senior ", "Lead ")
_NAME_A = ("Nord", "Sued", "Blau", "Rhein", "Alpen", "Stern", "Hansa", "Elb", "Main", "Isar")
_NAME_B = ("tech", "werk", "data", "soft", "logistik", "pflege", "bau", "handel", "media", "plan")
_FORM = ("GmbH", "AG", "SE", "GmbH & Co. KG")


@dataclass(frozen=True)
class ViewSettings:
    """How many users, jobs and views, and how long each stays."""

    n_users: int
    n_jobs: int
    n_companies: int
    days: float
    user_days: float  # mean stay of a user
    job_days: float  # mean lifetime of a posting
    sessions_per_user: float  # mean, on top of the first session
    views_per_session: float  # mean
    p_review: float = 0.15
    p_second_city: float = 0.15
    p_second_occupation: float = 0.25


SETTINGS: dict[ViewShape, ViewSettings] = {
    "dense": ViewSettings(1500, 1500, 150, 60.0, 40.0, 30.0, 6.0, 4.0),
    "sparse": ViewSettings(8000, 3000, 300, 60.0, 15.0, 21.0, 1.5, 3.0),
    "very_sparse": ViewSettings(20000, 4000, 400, 60.0, 4.0, 14.0, 0.5, 2.0),
}
# How strongly the next view follows the last one (co-visitation) and the user's place/role.
SAME_COMPANY, SAME_OCCUPATION, SAME_TITLE = 6.0, 3.0, 2.0
HOME_CITY, OTHER_CITY = 1.0, 0.02
OWN_OCCUPATION, OTHER_OCCUPATION = 1.0, 0.03
FRESHNESS_DAYS = 5.0  # a posting's pull halves about every 3.5 days


@dataclass
class ViewLog:
    """The log rows (clicks, in time order) and the jobs as text records."""

    rows: list[LogRow]
    jobs: list[dict[str, object]]


def company_name(c: int) -> str:
    """A made-up, stable company name per index."""
    a, b = _NAME_A[c % len(_NAME_A)], _NAME_B[(c // len(_NAME_A)) % len(_NAME_B)]
    return f"{a}{b} {_FORM[c % len(_FORM)]}" + (f" {c // 100}" if c >= 100 else "")


def simulate_views(shape: ViewShape, random_state: int = 0) -> ViewLog:
    """A seeded job-view log of one shape (see the module docstring)."""
    return generate(SETTINGS[shape], random_state)


def generate(s: ViewSettings, random_state: int = 0) -> ViewLog:
    """A seeded job-view log for any settings."""
    rng = np.random.default_rng(random_state)
    city_w = 1.0 / np.arange(1, len(CITIES) + 1) ** 0.9
    city_p = city_w / city_w.sum()
    n_occ = len(OCCUPATIONS)
    occ_p = rng.dirichlet(np.full(n_occ, 3.0))
    # Companies: a home city and one or two occupations they hire for.
    co_city = rng.choice(len(CITIES), size=s.n_companies, p=city_p)
    co_occ = rng.choice(n_occ, size=(s.n_companies, 2), p=occ_p)
    co_size = rng.pareto(1.2, size=s.n_companies) + 1.0
    # Jobs: posted over the window (some before it), open for a random lifetime.
    job_co = rng.choice(s.n_companies, size=s.n_jobs, p=co_size / co_size.sum())
    job_city = np.where(
        rng.random(s.n_jobs) < 0.8, co_city[job_co], rng.choice(len(CITIES), s.n_jobs, p=city_p)
    )
    job_occ = np.where(
        rng.random(s.n_jobs) < 0.85,
        co_occ[job_co, rng.integers(0, 2, size=s.n_jobs)],
        rng.choice(n_occ, size=s.n_jobs, p=occ_p),
    )
    job_variant = rng.integers(0, 4, size=s.n_jobs)
    job_level = rng.integers(0, len(LEVELS), size=s.n_jobs)
    posted = rng.uniform(-0.3 * s.days * DAY, s.days * DAY, size=s.n_jobs)
    closes = posted + rng.exponential(s.job_days * DAY, size=s.n_jobs) + DAY
    appeal = rng.lognormal(0.0, 0.8, size=s.n_jobs)
    jobs = [
        {
            "id": j + 1,
            "title": LEVELS[job_level[j]] + OCCUPATIONS[job_occ[j]][job_variant[j]],
            "company": company_name(int(job_co[j])),
            "location": CITIES[job_city[j]],
        }
        for j in range(s.n_jobs)
    ]
    title_key = job_occ * 4 + job_variant

    rows: list[LogRow] = []
    for u in range(s.n_users):
        home = int(rng.choice(len(CITIES), p=city_p))
        cities = {home} | ({int(rng.choice(len(CITIES), p=city_p))}
                           if rng.random() < s.p_second_city else set())  # fmt: skip
        occs = {int(rng.choice(n_occ, p=occ_p))}
        if rng.random() < s.p_second_occupation:
            occs.add(int(rng.choice(n_occ, p=occ_p)))
        city_f = np.where(np.isin(job_city, list(cities)), HOME_CITY, OTHER_CITY)
        occ_f = np.where(np.isin(job_occ, list(occs)), OWN_OCCUPATION, OTHER_OCCUPATION)
        taste = appeal * city_f * occ_f
        arrive = rng.uniform(-0.2 * s.days * DAY, s.days * DAY)
        stay = rng.exponential(s.user_days * DAY)
        n_sessions = 1 + rng.poisson(s.sessions_per_user)
        starts = np.sort(arrive + rng.uniform(0.0, stay, size=n_sessions))
        viewed: list[int] = []
        for start in starts:
            if not 0.0 <= start <= s.days * DAY:
                continue
            t, last = float(start), -1
            for _ in range(1 + rng.poisson(s.views_per_session - 1.0)):
                open_ = (posted <= t) & (t <= closes)
                if viewed and rng.random() < s.p_review:
                    recent = [j for j in viewed[-5:] if open_[j]]
                    if recent:
                        last = int(recent[int(rng.integers(len(recent)))])
                        rows.append(LogRow(u + 1, last + 1, round(t), EventKind.CLICK))
                        t += rng.exponential(120.0) + 10.0
                        continue
                age = np.maximum(t - posted, 0.0) / DAY
                w = taste * np.exp(-age / FRESHNESS_DAYS) * open_
                if last >= 0:
                    w = w * (
                        1.0
                        + SAME_COMPANY * (job_co == job_co[last])
                        + SAME_OCCUPATION * (job_occ == job_occ[last])
                        + SAME_TITLE * (title_key == title_key[last])
                    )
                total = float(w.sum())
                if total <= 0:
                    break
                last = int(rng.choice(s.n_jobs, p=w / total))
                viewed.append(last)
                rows.append(LogRow(u + 1, last + 1, round(t), EventKind.CLICK))
                t += rng.exponential(120.0) + 10.0
    rows.sort(key=lambda r: r.timestamp)
    used = {r.item for r in rows}
    return ViewLog(rows, [j for j in jobs if j["id"] in used])


def write_view_log(log: ViewLog, directory: Path) -> tuple[Path, Path]:
    """Write log.csv and jobs.jsonl (title, company, location only) into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    write_log_csv(log.rows, directory / "log.csv")
    with open(directory / "jobs.jsonl", "w", encoding="utf-8") as f:
        for job in log.jobs:
            f.write(json.dumps(job) + "\n")
    return directory / "log.csv", directory / "jobs.jsonl"
