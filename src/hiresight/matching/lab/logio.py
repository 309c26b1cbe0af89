"""Training inputs from files: an interaction log CSV plus candidate and job JSONL profiles.

candidates.jsonl, one object per line (optional fields may be omitted):
    {"id": 1, "vector": [...], "skills": ["Python"], "location": "Berlin", "remote_ok": true,
     "salary_expectation": 70000, "seniority": 1, "years": 3, "interview_score": 0.8}
jobs.jsonl:
    {"id": 7, "company_id": 2, "vector": [...], "title": "...", "required_skills": [...],
     "preferred_skills": [...], "seniority": 1, "min_years": 2, "location": "Berlin",
     "remote": false, "salary_min": 60000, "salary_max": 80000, "posted_at": 1700000000}

Impression lists are rebuilt from the log (see hiresight.matching.lab.evaluate for its format):
impression rows of one user with the same timestamp form one list, in file order (= the
position shown); a job's outcome is the strongest action the user took on it within
`window` seconds after the list was shown.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from hiresight.matching.entities import (
    CandidateProfile,
    Event,
    EventKind,
    FloatArray,
    Impression,
    JobPosting,
)
from hiresight.matching.errors import InvalidLogError
from hiresight.matching.lab.evaluate import LogRow, read_log_csv
from hiresight.matching.training import TrainingInputs

# Which action describes a shown job best: any engagement beats a dismiss, which beats
# no action at all.
_STRENGTH = {
    EventKind.IMPRESSION: 0,
    EventKind.DISMISS: 1,
    EventKind.CLICK: 2,
    EventKind.SAVE: 3,
    EventKind.APPLY: 4,
}


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text().splitlines()
    except OSError as exc:
        raise InvalidLogError(f"cannot read {path}: {exc.strerror}") from None
    records = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except ValueError as exc:
                raise InvalidLogError(f"{path}:{number}: not JSON ({exc})") from None
    return records


def _vector(record: dict[str, Any]) -> FloatArray:
    v = np.asarray(record["vector"], dtype=np.float32)
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


def read_candidates(path: Path) -> dict[int, CandidateProfile]:
    """Candidate profiles by id from JSONL (InvalidLogError if malformed)."""
    out = {}
    for r in _read_jsonl(path):
        try:
            c = CandidateProfile(
                id=int(r["id"]),
                vector=_vector(r),
                skills=frozenset(r.get("skills", ())),
                location=str(r.get("location", "")),
                remote_ok=bool(r.get("remote_ok", True)),
                salary_expectation=r.get("salary_expectation"),
                seniority=int(r.get("seniority", 1)),
                years=float(r.get("years", 0.0)),
                interview_score=r.get("interview_score"),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise InvalidLogError(f"{path}: bad candidate record ({exc!r})") from None
        out[c.id] = c
    return out


def read_jobs(path: Path) -> list[JobPosting]:
    """Job postings from JSONL (InvalidLogError if malformed)."""
    out = []
    for r in _read_jsonl(path):
        try:
            out.append(
                JobPosting(
                    id=int(r["id"]),
                    company_id=int(r["company_id"]),
                    vector=_vector(r),
                    title=str(r.get("title", "")),
                    required_skills=frozenset(r.get("required_skills", ())),
                    preferred_skills=frozenset(r.get("preferred_skills", ())),
                    seniority=int(r.get("seniority", 1)),
                    min_years=float(r.get("min_years", 0.0)),
                    location=str(r.get("location", "")),
                    remote=bool(r.get("remote", False)),
                    salary_min=r.get("salary_min"),
                    salary_max=r.get("salary_max"),
                    posted_at=float(r.get("posted_at", 0.0)),
                )
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise InvalidLogError(f"{path}: bad job record ({exc!r})") from None
    dims = {j.vector.shape for j in out}
    if len(dims) > 1:
        raise InvalidLogError(f"{path}: job vectors have different lengths {sorted(dims)}")
    return out


def impressions_from_log(
    rows: Sequence[LogRow], window: float = 3600.0
) -> tuple[list[Impression], list[Event]]:
    """Rebuild impression lists and positioned events from a flat log (see module doc)."""
    lists: dict[tuple[int, float], list[int]] = {}
    for r in rows:
        if r.event is EventKind.IMPRESSION:
            lists.setdefault((r.user, r.timestamp), []).append(r.item)
    actions: dict[tuple[int, int], list[LogRow]] = {}
    for r in rows:
        if r.event is not EventKind.IMPRESSION:
            actions.setdefault((r.user, r.item), []).append(r)
    impressions, events = [], []
    for (user, shown_at), items in sorted(lists.items(), key=lambda kv: kv[0][1]):
        outcomes = []
        for pos, item in enumerate(items):
            events.append(Event(user, item, EventKind.IMPRESSION, shown_at, pos))
            best = EventKind.IMPRESSION
            for a in actions.get((user, item), ()):
                in_window = shown_at <= a.timestamp <= shown_at + window
                if in_window and _STRENGTH[a.event] > _STRENGTH[best]:
                    best = a.event
            outcomes.append(best)
        impressions.append(Impression(user, shown_at, tuple(items), tuple(outcomes)))
    # Every action feeds the online features, matched to a list or not.
    events += [
        Event(r.user, r.item, r.event, r.timestamp)
        for r in rows
        if r.event is not EventKind.IMPRESSION
    ]
    return impressions, sorted(events, key=lambda e: e.timestamp)


def load_training_inputs(log: Path, candidates: Path, jobs: Path) -> TrainingInputs:
    """TrainingInputs from the three files."""
    impressions, events = impressions_from_log(read_log_csv(log))
    if not impressions:
        raise InvalidLogError(f"{log}: no impression rows, so no lists to learn from")
    return TrainingInputs(read_candidates(candidates), read_jobs(jobs), impressions, events)
