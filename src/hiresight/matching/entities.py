"""Plain-data inputs of the matching library: candidates, jobs and engagement events.

The library never sees ORM rows: the service layer converts its tables into these frozen
dataclasses, so the ranking code can be tested and benchmarked without a database.
Ids are integers because the ANN index (hnswlib) labels items with unsigned integers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.floating[Any]]


class EventKind(StrEnum):
    """Engagement events, as logged by the job feed."""

    IMPRESSION = "impression"
    CLICK = "click"
    SAVE = "save"
    APPLY = "apply"
    DISMISS = "dismiss"


# Graded relevance used for training labels and next-item evaluation: an application says
# more than a save, a save more than a click (a common choice in job-recommendation work,
# e.g. the RecSys Challenge 2016/2017 XING data set weighted applies above clicks).
EVENT_GRADE: dict[EventKind, int] = {
    EventKind.IMPRESSION: 0,
    EventKind.DISMISS: 0,
    EventKind.CLICK: 1,
    EventKind.SAVE: 2,
    EventKind.APPLY: 3,
}

POSITIVE_EVENTS = frozenset({EventKind.CLICK, EventKind.SAVE, EventKind.APPLY})


@dataclass(frozen=True)
class CandidateProfile:
    """What the ranker knows about a candidate; `vector` is an L2-normalised embedding."""

    id: int
    vector: FloatArray
    skills: frozenset[str] = frozenset()
    location: str = ""
    remote_ok: bool = True
    onsite_ok: bool = True  # False: on-site jobs do not fit, even in the candidate's city
    salary_expectation: float | None = None
    salary_currency: str | None = None  # ISO 4217; None: unstated (see matching.currency)
    seniority: int = 1  # 0 junior, 1 mid, 2 senior, 3 staff
    years: float = 0.0
    interview_score: float | None = None  # 0..1 overall scorecard; None when not interviewed


@dataclass(frozen=True)
class JobPosting:
    """An open job; `vector` is the L2-normalised embedding of its description."""

    id: int
    company_id: int
    vector: FloatArray
    title: str = ""
    required_skills: frozenset[str] = frozenset()
    preferred_skills: frozenset[str] = frozenset()
    seniority: int = 1
    min_years: float = 0.0
    location: str = ""
    remote: bool = False
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None  # ISO 4217; None: unstated (see matching.currency)
    posted_at: float = 0.0  # seconds since the epoch (or simulator time)


@dataclass(frozen=True)
class Event:
    """One engagement event; `position` is the 0-based rank the job was shown at, if known."""

    candidate_id: int
    job_id: int
    kind: EventKind
    timestamp: float
    position: int | None = None


@dataclass(frozen=True)
class Impression:
    """One shown list of jobs and what the candidate did with each (grade per job)."""

    candidate_id: int
    timestamp: float
    job_ids: tuple[int, ...]
    outcomes: tuple[EventKind, ...] = field(default=())

    def grades(self) -> list[int]:
        """Graded relevance per shown job (0 for no action or dismiss)."""
        return [EVENT_GRADE[o] for o in self.outcomes]
