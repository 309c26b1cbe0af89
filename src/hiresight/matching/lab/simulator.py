"""A seeded job-marketplace simulator whose right answer is known.

Candidates have a hidden taste vector; their profile embedding is only a noisy view of it.
Jobs belong to role families (clusters in embedding space), carry skills, seniority,
location, salary and a hidden "attractiveness" (employer brand) that only shows through
engagement. The ground-truth utility combines all of these. Impression lists are shown in
random order and examined with a probability that decays with the position (the position
bias of Joachims et al. 2017, "Unbiased Learning-to-Rank with Biased Feedback"), so a model
that only reads content cannot recover the hidden parts, and one that reads engagement can.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hiresight.matching.entities import (
    CandidateProfile,
    Event,
    EventKind,
    FloatArray,
    Impression,
    JobPosting,
)

SKILLS: tuple[str, ...] = (
    "Python",
    "Django",
    "FastAPI",
    "PostgreSQL",
    "Redis",
    "Kafka",
    "Docker",
    "Kubernetes",
    "Go",
    "gRPC",
    "AWS",
    "Terraform",
    "Java",
    "Spring",
    "Kotlin",
    "MySQL",
    "TypeScript",
    "React",
    "Node.js",
    "GraphQL",
    "CSS",
    "Next.js",
    "Rust",
    "C++",
    "Linux",
    "Ansible",
    "Prometheus",
    "Elasticsearch",
    "Spark",
    "Airflow",
    "SQL",
    "dbt",
    "PyTorch",
    "scikit-learn",
    "Pandas",
    "MLflow",
    "Swift",
    "iOS",
    "Android",
    "Flutter",
)
CITIES: tuple[str, ...] = ("Berlin", "London", "Lisbon", "Warsaw", "Amsterdam", "Madrid")
DAY = 86_400.0

# Ground-truth utility weights; the features see most of these terms only through noise.
W_TASTE, W_REQUIRED, W_PREFERRED, W_SENIORITY = 3.0, 1.5, 0.5, 0.6
W_LOCATION, W_SALARY, W_BRAND, W_AGE = 1.0, 0.8, 2.0, 0.3
PROFILE_NOISE = 2.0  # how blurred the profile embedding is relative to the hidden taste
CLICK_BIAS, APPLY_BIAS, DISMISS_BIAS = 1.5, 2.5, 2.5


@dataclass
class Marketplace:
    """A simulated market: entities, logs and the hidden quantities behind them."""

    candidates: list[CandidateProfile]
    jobs: list[JobPosting]
    impressions: list[Impression]
    events: list[Event]  # impressions and actions, sorted by time
    taste: FloatArray  # (n_candidates, dim) hidden preference vectors
    brand: FloatArray  # (n_jobs,) hidden attractiveness
    utility: FloatArray  # (n_candidates, n_jobs) ground truth at the end of the log
    examination: FloatArray  # examination probability per position
    start: float
    end: float
    # Days a job stays open after it is posted (None: to the end), as `simulate` was given.
    job_days: float | None = None


def _unit(x: FloatArray) -> FloatArray:
    unit: FloatArray = (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)
    return unit


def _skill_matrix(skill_sets: list[frozenset[str]]) -> FloatArray:
    index = {s: i for i, s in enumerate(SKILLS)}
    m = np.zeros((len(skill_sets), len(SKILLS)), dtype=np.float32)
    for r, skills in enumerate(skill_sets):
        m[r, [index[s] for s in skills]] = 1.0
    return m


def _coverage(cand: FloatArray, wanted: FloatArray) -> FloatArray:
    totals = wanted.sum(axis=1)
    cov = (cand @ wanted.T) / np.maximum(totals, 1.0)
    return np.where(totals > 0, cov, 1.0).astype(np.float32)


def simulate(
    n_candidates: int = 300,
    n_jobs: int = 600,
    n_companies: int = 60,
    n_sessions: int = 6000,
    list_length: int = 10,
    dim: int = 32,
    n_families: int = 8,
    days: float = 60.0,
    random_state: int = 0,
    job_days: float | None = None,
    user_days: float | None = None,
) -> Marketplace:
    """Simulate a marketplace and its engagement log; same seed, same market.

    By default every job stays open and every candidate stays active to the end. `job_days`
    closes each job that many days after it is posted, and `user_days` makes each candidate
    arrive at a random time and leave that many days later: with both short, most users of
    the last days are new and most jobs they see are new (a sparse, cold-heavy log).
    """
    rng = np.random.default_rng(random_state)
    centres = _unit(rng.normal(size=(n_families, dim)))
    family_skills = [rng.choice(len(SKILLS), size=8, replace=False) for _ in range(n_families)]
    noise = 1.0 / np.sqrt(dim)  # a unit-length random direction per vector, before scaling

    # Jobs: a family, a brand, skills mostly from the family, posted over the window.
    start, end = 0.0, days * DAY
    job_family = rng.integers(n_families, size=n_jobs)
    job_vecs = _unit(centres[job_family] + 0.7 * noise * rng.normal(size=(n_jobs, dim)))
    company_of = rng.integers(n_companies, size=n_jobs)
    brand = (rng.normal(size=n_companies)[company_of] * 0.7 + 0.3 * rng.normal(size=n_jobs)).astype(
        np.float32
    )
    jobs: list[JobPosting] = []
    for j in range(n_jobs):
        fam = family_skills[job_family[j]]
        req = rng.choice(fam, size=rng.integers(2, 5), replace=False)
        pref = rng.choice(len(SKILLS), size=2, replace=False)
        seniority = int(rng.integers(0, 4))
        salary_mid = 45_000 + 22_000 * seniority + 8_000 * rng.normal()
        jobs.append(
            JobPosting(
                id=j + 1,
                company_id=int(company_of[j]) + 1,
                vector=job_vecs[j],
                title=f"{SKILLS[req[0]]} engineer",
                required_skills=frozenset(SKILLS[s] for s in req),
                preferred_skills=frozenset(SKILLS[s] for s in pref if s not in req),
                seniority=seniority,
                min_years=float(max(0, 2 * seniority + int(rng.integers(-1, 2)))),
                location=CITIES[int(rng.integers(len(CITIES)))],
                remote=bool(rng.random() < 0.3),
                salary_min=float(salary_mid * 0.9),
                salary_max=float(salary_mid * 1.1),
                posted_at=float(rng.uniform(start - 20 * DAY, end - 5 * DAY)),
            )
        )

    # Candidates: a hidden taste near a family; the profile vector is a noisy view of it.
    cand_family = rng.integers(n_families, size=n_candidates)
    taste = _unit(centres[cand_family] + 0.6 * noise * rng.normal(size=(n_candidates, dim)))
    profile_vecs = _unit(taste + PROFILE_NOISE * noise * rng.normal(size=(n_candidates, dim)))
    candidates: list[CandidateProfile] = []
    for c in range(n_candidates):
        fam = family_skills[cand_family[c]]
        own = rng.choice(fam, size=rng.integers(2, 7), replace=False)
        extra = rng.choice(len(SKILLS), size=2, replace=False)
        seniority = int(rng.integers(0, 4))
        candidates.append(
            CandidateProfile(
                id=c + 1,
                vector=profile_vecs[c],
                skills=frozenset(SKILLS[s] for s in (*own, *extra)),
                location=CITIES[int(rng.integers(len(CITIES)))],
                remote_ok=bool(rng.random() < 0.6),
                salary_expectation=float(45_000 + 22_000 * seniority + 10_000 * rng.normal()),
                seniority=seniority,
                years=float(max(0.0, 2 * seniority + rng.normal())),
                interview_score=None if rng.random() < 0.4 else float(rng.uniform(0.3, 1.0)),
            )
        )

    static = _static_utility(candidates, jobs, taste, brand)
    posted = np.array([j.posted_at for j in jobs])
    examination = (1.0 / (1.0 + np.arange(list_length)) ** 0.7).astype(np.float32)

    times = np.sort(rng.uniform(start, end, size=n_sessions))
    # Some candidates are far more active than others (a heavy tail, as on real job boards).
    activity = rng.pareto(1.5, size=n_candidates) + 1.0
    who = rng.choice(n_candidates, size=n_sessions, p=activity / activity.sum())
    if user_days is not None:
        arrival = rng.uniform(start - user_days * DAY / 2, end - user_days * DAY / 2, n_candidates)
        who = np.array([_active(rng, arrival, t, user_days * DAY, activity) for t in times])
    impressions: list[Impression] = []
    events: list[Event] = []
    hidden: set[tuple[int, int]] = set()
    for t, c in zip(times, who, strict=True):
        open_jobs = np.flatnonzero(
            (posted <= t) & (True if job_days is None else posted + job_days * DAY >= t)
        )
        shown = rng.choice(open_jobs, size=min(list_length, open_jobs.size), replace=False)
        shown = np.array([j for j in shown if (c, j) not in hidden], dtype=np.int64)
        if shown.size == 0:
            continue
        u = static[c, shown] - W_AGE * (t - posted[shown]) / (30 * DAY)
        examined = rng.random(shown.size) < examination[: shown.size]
        clicked = examined & (rng.random(shown.size) < _sigmoid(u - CLICK_BIAS))
        applied = clicked & (rng.random(shown.size) < _sigmoid(u - APPLY_BIAS))
        saved = clicked & ~applied & (rng.random(shown.size) < 0.25)
        dismissed = examined & ~clicked & (rng.random(shown.size) < _sigmoid(-u - DISMISS_BIAS))
        outcomes: list[EventKind] = []
        for pos, j in enumerate(shown):
            cid, jid = c + 1, int(j) + 1
            events.append(Event(cid, jid, EventKind.IMPRESSION, float(t), pos))
            kind = EventKind.IMPRESSION
            if clicked[pos]:
                events.append(Event(cid, jid, EventKind.CLICK, float(t) + 1 + pos, pos))
                kind = EventKind.CLICK
            if saved[pos]:
                kind = EventKind.SAVE
            if applied[pos]:
                kind = EventKind.APPLY
            if dismissed[pos]:
                kind = EventKind.DISMISS
            if kind in (EventKind.SAVE, EventKind.APPLY, EventKind.DISMISS):
                events.append(Event(cid, jid, kind, float(t) + 2 + pos, pos))
            if kind in (EventKind.APPLY, EventKind.DISMISS):
                hidden.add((c, int(j)))
            outcomes.append(kind)
        impressions.append(
            Impression(c + 1, float(t), tuple(int(j) + 1 for j in shown), tuple(outcomes))
        )
    utility = (static - W_AGE * np.maximum(0.0, end - posted) / (30 * DAY)).astype(np.float32)
    return Marketplace(
        candidates,
        jobs,
        impressions,
        events,
        taste,
        brand,
        utility,
        examination,
        start,
        end,
        job_days,
    )


def _active(
    rng: np.random.Generator, arrival: FloatArray, t: float, span: float, activity: FloatArray
) -> int:
    """A candidate active at `t` (arrived, not yet left), drawn by activity."""
    active = np.flatnonzero((arrival <= t) & (t <= arrival + span))
    if active.size == 0:
        active = np.array([int(np.argmin(np.abs(arrival - t)))])
    weights = activity[active]
    return int(rng.choice(active, p=weights / weights.sum()))


def _sigmoid(x: FloatArray) -> FloatArray:
    return (1.0 / (1.0 + np.exp(-x))).astype(np.float32)


def _static_utility(
    candidates: list[CandidateProfile],
    jobs: list[JobPosting],
    taste: FloatArray,
    brand: FloatArray,
) -> FloatArray:
    """Time-independent part of the ground-truth utility, (n_candidates, n_jobs)."""
    job_vecs = np.stack([j.vector for j in jobs])
    cand_skills = _skill_matrix([c.skills for c in candidates])
    required = _coverage(cand_skills, _skill_matrix([j.required_skills for j in jobs]))
    preferred = _coverage(cand_skills, _skill_matrix([j.preferred_skills for j in jobs]))
    gap = np.abs(
        np.array([j.seniority for j in jobs])[None, :]
        - np.array([c.seniority for c in candidates])[:, None]
    )
    same_city = (
        np.array([c.location for c in candidates])[:, None]
        == np.array([j.location for j in jobs])[None, :]
    )
    remote_fit = (
        np.array([c.remote_ok for c in candidates])[:, None]
        & np.array([j.remote for j in jobs])[None, :]
    )
    expect = np.array([c.salary_expectation or np.nan for c in candidates])[:, None]
    top = np.array([j.salary_max or np.nan for j in jobs])[None, :]
    salary = np.clip((top - expect) / expect, -1.0, 1.0)
    utility: FloatArray = (
        W_TASTE * (taste @ job_vecs.T)
        + W_REQUIRED * required
        + W_PREFERRED * preferred
        - W_SENIORITY * gap
        - W_LOCATION * ~(same_city | remote_fit)
        + W_SALARY * salary
        + W_BRAND * brand[None, :]
    ).astype(np.float32)
    return utility
