"""Users without a candidate record, represented by the jobs they engaged with.

A job-view log rarely comes with résumés. A user's profile is then read off the jobs they
clicked, saved or applied to before the cutoff: the mean of those jobs' vectors (weighted by
the event grade), the skills most of them require, their most common city and their median
level. A user with no such history and no record has no profile: the models fall back to
what needs none (popularity).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from hiresight.matching.entities import (
    EVENT_GRADE,
    POSITIVE_EVENTS,
    CandidateProfile,
    Event,
    JobPosting,
)


def history_profile(
    user: int, jobs: Sequence[JobPosting], weights: Sequence[float] | None = None
) -> CandidateProfile:
    """A candidate profile summarising the jobs a user engaged with (see the module doc)."""
    if not jobs:
        raise ValueError("a history profile needs at least one job")
    w = np.ones(len(jobs)) if weights is None else np.asarray(weights, dtype=np.float64)
    mean = (np.stack([j.vector for j in jobs]).astype(np.float64) * w[:, None]).sum(axis=0)
    norm = float(np.linalg.norm(mean))
    vector = (mean / norm if norm > 0 else mean).astype(np.float32)
    counts = Counter(s for j in jobs for s in j.required_skills | j.preferred_skills)
    # Skills at least a third of the jobs ask for: what the user keeps looking at, not noise.
    skills = frozenset(s for s, n in counts.items() if n * 3 >= len(jobs))
    places = Counter(j.location for j in jobs if j.location)
    level = round(float(np.median([j.seniority for j in jobs])))
    return CandidateProfile(
        id=user,
        vector=vector,
        skills=skills,
        location=places.most_common(1)[0][0] if places else "",
        remote_ok=any(j.remote for j in jobs),
        seniority=level,
        years=float(np.median([j.min_years for j in jobs])),
    )


def engaged_jobs(events: Iterable[Event], until: float) -> dict[int, dict[int, float]]:
    """Per user, the strongest grade on each job engaged with at or before `until`."""
    out: dict[int, dict[int, float]] = {}
    for e in events:
        if e.timestamp <= until and e.kind in POSITIVE_EVENTS:
            grades = out.setdefault(e.candidate_id, {})
            grades[e.job_id] = max(grades.get(e.job_id, 0.0), float(EVENT_GRADE[e.kind]))
    return out


def complete_profiles(
    given: Mapping[int, CandidateProfile],
    history: Mapping[int, Mapping[int, float]],
    jobs: Sequence[JobPosting],
) -> dict[int, CandidateProfile]:
    """The given profiles, plus a history profile for every other user with known jobs."""
    by_id = {j.id: j for j in jobs}
    out = dict(given)
    for user, grades in history.items():
        if user in out:
            continue
        known = [(by_id[i], g) for i, g in grades.items() if i in by_id]
        if known:
            out[user] = history_profile(user, [j for j, _ in known], [g for _, g in known])
    return out
