"""Candidate and job JSON Lines for `recs evaluate` and `recs train`: text first, vectors optional.

jobs.jsonl, one object per line; only `id` and `title` are required (`title` may be left out
only when the line gives a `vector`):

    {"id": 7, "title": "Senior Python engineer", "description": "...", "company": "Acme",
     "location": "Berlin", "skills": ["Python", "PostgreSQL"]}

Hiresight embeds `title. description Skills: ...` with the offline embedder and parses skills,
seniority, years, remote policy and salary from the text as for posted jobs
(hiresight.jobs.requirements); listed `skills` count as required. Structured fields override
what the text says when given: `company_id` (else one id per distinct `company` name, in order
of first appearance), `vector`, `required_skills`, `preferred_skills`, `seniority` (0 junior,
1 mid, 2 senior, 3 staff), `min_years`, `remote`, `salary_min`, `salary_max`, `posted_at`.

candidates.jsonl (optional as a whole; only `id` is required):

    {"id": 1, "headline": "Backend engineer, 6 years", "resume": "...",
     "positions": ["Backend engineer", "Data engineer"], "location": "Berlin"}

The text (headline, positions of interest, résumé) is embedded and parsed for skills and
seniority the same way; `vector`, `skills`, `seniority`, `years`, `remote_ok`,
`salary_expectation` and `interview_score` override it when given.

Vectors come all from the file or all from the embedder: a file where some jobs carry a
`vector` and others do not is refused, since the two would not share one space. Every error
names the file and the line.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hiresight.embeddings import Embedder
from hiresight.jobs.requirements import parse_requirements
from hiresight.matching.entities import CandidateProfile, FloatArray, JobPosting
from hiresight.matching.errors import InvalidLogError
from hiresight.profiles.skills import find_skills

# The recommender's levels: 0 junior, 1 mid, 2 senior, 3 staff and above (as matching.live).
LEVEL = {"intern": 0, "junior": 0, "mid": 1, "senior": 2, "staff": 3, "principal": 3}
# Tokens of text the local model reads per record: as for live profiles (matching.service).
TEXT_TOKENS = 128
EmbedderFactory = Callable[[], Embedder]


@dataclass
class JobFile:
    """Job postings read from JSONL, and the text each was (or would be) embedded from."""

    postings: list[JobPosting]
    texts: dict[int, str]


@dataclass
class CandidateFile:
    """Candidate profiles read from JSONL, and the text of each."""

    profiles: dict[int, CandidateProfile]
    texts: dict[int, str]


class _Record:
    """One JSON object with its file and line, so every complaint says where it is."""

    def __init__(self, path: Path, line: int, data: dict[str, Any]) -> None:
        self.path, self.line, self.data = path, line, data

    def fail(self, message: str) -> InvalidLogError:
        return InvalidLogError(f"{self.path}:{self.line}: {message}")

    def has(self, name: str) -> bool:
        return self.data.get(name) is not None

    def integer(self, name: str, default: int | None = None) -> int:
        value = self.data.get(name)
        if value is None:
            if default is None:
                raise self.fail(f"field '{name}' is missing")
            return default
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise self.fail(f"field '{name}' must be an integer, got {value!r}")
        try:
            return int(value)
        except ValueError:
            raise self.fail(f"field '{name}' must be an integer, got {value!r}") from None

    def number(self, name: str) -> float | None:
        value = self.data.get(name)
        if value is None:
            return None
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if not numeric or not math.isfinite(value):
            raise self.fail(f"field '{name}' must be a number, got {value!r}")
        return float(value)

    def text(self, name: str, *, required: bool = False) -> str:
        value = self.data.get(name)
        if value is None:
            if required:
                raise self.fail(f"field '{name}' is missing")
            return ""
        if required and isinstance(value, str) and not value.strip():
            raise self.fail(f"field '{name}' is empty")
        if not isinstance(value, str):
            raise self.fail(f"field '{name}' must be a string, got {type(value).__name__}")
        return value.strip()

    def flag(self, name: str, default: bool) -> bool:
        value = self.data.get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(f"field '{name}' must be true or false, got {value!r}")
        return value

    def strings(self, name: str) -> list[str]:
        value = self.data.get(name)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"field '{name}' must be a list of strings")
        return [v.strip() for v in value if v.strip()]

    def vector(self) -> FloatArray | None:
        value = self.data.get("vector")
        if value is None:
            return None
        if not isinstance(value, list) or not value:
            raise self.fail("field 'vector' must be a non-empty list of numbers")
        try:
            v = np.asarray(value, dtype=np.float32)
        except (TypeError, ValueError):
            raise self.fail("field 'vector' must be a non-empty list of numbers") from None
        if v.ndim != 1 or not np.isfinite(v).all():
            raise self.fail("field 'vector' must be a non-empty list of numbers")
        norm = float(np.linalg.norm(v))
        unit: FloatArray = v / norm if norm > 0 else v
        return unit


def read_records(path: Path) -> list[_Record]:
    """The JSON objects of a JSONL file with their line numbers (blank lines skipped)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InvalidLogError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InvalidLogError(f"{path}: not UTF-8 text") from None
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError as exc:
            raise InvalidLogError(f"{path}:{number}: not JSON ({exc})") from None
        if not isinstance(data, dict):
            raise InvalidLogError(f"{path}:{number}: expected a JSON object")
        records.append(_Record(path, number, data))
    return records


def _unique_ids(records: Sequence[_Record], kind: str) -> list[int]:
    ids: list[int] = []
    first: dict[int, int] = {}
    for r in records:
        i = r.integer("id")
        if i in first:
            raise r.fail(f"duplicate {kind} id {i} (first on line {first[i]})")
        first[i] = r.line
        ids.append(i)
    return ids


def _vectors(
    records: Sequence[_Record], texts: Sequence[str], embedder: EmbedderFactory, path: Path
) -> list[FloatArray]:
    """The file's vectors if every record has one, else every text embedded."""
    given = [r.vector() for r in records]
    present = [v is not None for v in given]
    if all(present):
        dims = {v.shape[0] for v in given if v is not None}
        if len(dims) > 1:
            raise InvalidLogError(f"{path}: vectors have different lengths {sorted(dims)}")
        return [v for v in given if v is not None]
    if any(present):
        r = records[present.index(False)]
        raise r.fail("no 'vector' while other lines have one: give every line a vector or none")
    model = embedder()
    rows = model.embed([model.clip(t, TEXT_TOKENS) for t in texts])
    return [rows[i] for i in range(len(texts))]


def job_text(title: str, description: str, skills: Sequence[str]) -> str:
    """The text a job is embedded from, as the live recommender builds it (matching.live)."""
    return f"{title}. {description} Skills: {', '.join(skills)}"


def read_job_file(path: Path, embedder: EmbedderFactory) -> JobFile:
    """Job postings from text-first JSONL (see the module docstring); InvalidLogError if bad."""
    records = read_records(path)
    if not records:
        raise InvalidLogError(f"{path}: no job records")
    ids = _unique_ids(records, "job")
    companies: dict[str, int] = {}
    parsed, texts = [], []
    for r in records:
        # A job with a precomputed vector may go without text (the older, vector-first format).
        title = r.text("title", required=not r.has("vector"))
        description, listed = r.text("description"), r.strings("skills")
        company = r.text("company")
        company_id = r.integer("company_id", default=-1)
        if company_id < 0:
            company_id = companies.setdefault(company.casefold(), len(companies) + 1)
        remote = r.flag("remote", False)
        req = parse_requirements(title, description, listed, remote=remote)
        parsed.append((r, title, company_id, req))
        texts.append(job_text(title, description, listed or req.required_skills))
    vectors = _vectors(records, texts, embedder, path)
    postings = []
    for (r, title, company_id, req), vector in zip(parsed, vectors, strict=True):
        required = r.strings("required_skills") or req.required_skills
        postings.append(
            JobPosting(
                id=r.integer("id"),
                company_id=company_id,
                vector=vector,
                title=title,
                required_skills=frozenset(required),
                preferred_skills=frozenset(r.strings("preferred_skills") or req.preferred_skills),
                seniority=r.integer("seniority", default=LEVEL.get(req.seniority or "", 1)),
                min_years=r.number("min_years") or float(req.years_min or 0),
                location=r.text("location"),
                remote=r.flag("remote", req.remote_policy == "remote"),
                salary_min=r.number("salary_min") or _maybe(req.salary_min),
                salary_max=r.number("salary_max") or _maybe(req.salary_max),
                posted_at=r.number("posted_at") or 0.0,
            )
        )
    full = [
        f"{t} {r.text('company')} {r.text('location')}" for r, t in zip(records, texts, strict=True)
    ]
    return JobFile(postings, dict(zip(ids, full, strict=True)))


def _maybe(value: int | None) -> float | None:
    return None if value is None else float(value)


def candidate_text(headline: str, positions: Sequence[str], resume: str) -> str:
    """The text a candidate is embedded from, most telling part first (as matching.service)."""
    wanted = f" Looking for: {', '.join(positions)}." if positions else ""
    return f"{headline}.{wanted} {resume}".strip(" .")


def read_candidate_file(path: Path, embedder: EmbedderFactory) -> CandidateFile:
    """Candidate profiles from text-first JSONL (see the module docstring)."""
    records = read_records(path)
    ids = _unique_ids(records, "candidate")
    texts = []
    for r in records:
        text = candidate_text(r.text("headline"), r.strings("positions"), r.text("resume"))
        if not text and not r.has("vector"):
            raise r.fail("a candidate needs a 'headline', 'resume', 'positions' or 'vector'")
        texts.append(text)
    vectors = _vectors(records, texts, embedder, path) if records else []
    profiles = {}
    for r, text, vector in zip(records, texts, vectors, strict=True):
        parsed = parse_requirements(r.text("headline"), text)
        score = r.number("interview_score")
        if score is not None and not 0.0 <= score <= 1.0:
            raise r.fail(f"field 'interview_score' must be between 0 and 1, got {score}")
        profiles[r.integer("id")] = CandidateProfile(
            id=r.integer("id"),
            vector=vector,
            skills=frozenset(r.strings("skills") or find_skills(text, "skills")),
            location=r.text("location"),
            remote_ok=r.flag("remote_ok", True),
            salary_expectation=r.number("salary_expectation"),
            seniority=r.integer("seniority", default=LEVEL.get(parsed.seniority or "", 1)),
            years=r.number("years") or float(parsed.years_min or 0),
            interview_score=score,
        )
    return CandidateFile(profiles, dict(zip(ids, texts, strict=True)))
