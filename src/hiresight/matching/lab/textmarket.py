"""Simulated evaluation logs as a user would bring them: a job-view log and text-only jobs.

The simulator's jobs become text (a title, a company name, a city and a description that
names the skills, level and remote policy), its hidden vectors are dropped, and the log
keeps only what a job board's view log holds: who engaged with which job when (clicks,
saves and applications; no impressions). Two shapes of log, both seeded:

- `dense`: a few hundred long-lived users, jobs open for the whole window;
- `sparse`: many users who each stay a few days and jobs that close after three weeks, so
  most test users are cold and many relevant jobs were posted after the cutoff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from hiresight.matching.entities import POSITIVE_EVENTS, JobPosting
from hiresight.matching.lab.evaluate import LogRow, events_to_log, write_log_csv
from hiresight.matching.lab.simulator import Marketplace, simulate

Shape = Literal["dense", "sparse"]
_LEVEL = ("Junior", "", "Senior", "Staff")
_FIRST = ("North", "Blue", "Bright", "Iron", "Silver", "Green", "Red", "Deep", "Swift", "Open")
_SECOND = ("wind", "peak", "field", "stone", "wave", "bridge", "forge", "leaf", "rock", "gate")
_KIND = ("Labs", "Systems", "Health", "Bank", "Logistics", "Media")


def company_name(company_id: int) -> str:
    """A made-up, stable company name per id."""
    c = company_id - 1
    first, second = _FIRST[c % len(_FIRST)], _SECOND[(c // len(_FIRST)) % len(_SECOND)]
    return f"{first}{second} {_KIND[c % len(_KIND)]}"


def job_record(job: JobPosting) -> dict[str, object]:
    """A simulated job as text only, in the jobs.jsonl format of lab.records."""
    skills = sorted(job.required_skills)
    lead = skills[0] if skills else "Software"
    level = _LEVEL[job.seniority]
    title = f"{level} {lead} Engineer".strip()
    where = "remote or in " + job.location if job.remote else "on-site in " + job.location
    nice = sorted(job.preferred_skills)
    years = int(job.min_years)
    description = (
        f"{company_name(job.company_id)} is hiring a {title.lower()} ({where}). "
        f"You will build and run services with {', '.join(skills)}. "
        f"{years}+ years of experience. "
        + (f"Nice to have: {', '.join(nice)}. " if nice else "")
        + (f"Salary €{int(job.salary_min or 0) // 1000}k–{int(job.salary_max or 0) // 1000}k.")
    )
    return {
        "id": job.id,
        "title": title,
        "company": company_name(job.company_id),
        "location": job.location,
        "description": description,
    }


def view_log(market: Marketplace) -> list[LogRow]:
    """The market's positive events only, as a job board's view log would hold them."""
    return [r for r in events_to_log(market.events) if r.event in POSITIVE_EVENTS]


def simulate_shape(shape: Shape, random_state: int = 0) -> Marketplace:
    """A seeded market of one of the two shapes (see the module docstring)."""
    if shape == "dense":
        return simulate(n_candidates=400, n_jobs=600, n_sessions=12000, random_state=random_state)
    return simulate(
        n_candidates=6000,
        n_jobs=1500,
        n_companies=150,
        n_sessions=15000,
        days=90.0,
        job_days=21.0,
        user_days=12.0,
        random_state=random_state,
    )


def write_text_log(market: Marketplace, directory: Path) -> tuple[Path, Path]:
    """Write log.csv (views) and jobs.jsonl (text only) of the jobs the log mentions."""
    directory.mkdir(parents=True, exist_ok=True)
    rows = view_log(market)
    write_log_csv(rows, directory / "log.csv")
    used = {r.item for r in rows}
    with open(directory / "jobs.jsonl", "w", encoding="utf-8") as f:
        for job in market.jobs:
            if job.id in used:
                f.write(json.dumps(job_record(job)) + "\n")
    return directory / "log.csv", directory / "jobs.jsonl"
