"""Fixtures for the matching tests: a small simulated market and factories for entities."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from hiresight.matching.entities import CandidateProfile, JobPosting
from hiresight.matching.lab.simulator import Marketplace, simulate
from hiresight.matching.rankers import LightGBMRanker
from hiresight.matching.training import TrainingData, TrainingInputs, build_training_data

DIM = 8
_ids = itertools.count(1000)


def unit(*values: float) -> np.ndarray:
    """An L2-normalised float32 vector padded with zeros to DIM."""
    v = np.zeros(DIM, dtype=np.float32)
    v[: len(values)] = values
    return v / np.linalg.norm(v)


def make_job(**overrides: object) -> JobPosting:
    """A job with sensible defaults; override any field."""
    fields: dict[str, object] = {
        "id": next(_ids),
        "company_id": 1,
        "vector": unit(1.0),
        "title": "Backend engineer",
        "required_skills": frozenset({"Python", "PostgreSQL", "Kafka"}),
        "preferred_skills": frozenset({"Docker"}),
        "seniority": 1,
        "min_years": 2.0,
        "location": "Berlin",
        "remote": False,
        "salary_min": 60_000.0,
        "salary_max": 80_000.0,
        "posted_at": 0.0,
    }
    fields.update(overrides)
    return JobPosting(**fields)  # type: ignore[arg-type]


def make_candidate(**overrides: object) -> CandidateProfile:
    """A candidate with sensible defaults; override any field."""
    fields: dict[str, object] = {
        "id": next(_ids),
        "vector": unit(1.0),
        "skills": frozenset({"Python", "PostgreSQL", "Docker"}),
        "location": "Berlin",
        "remote_ok": True,
        "salary_expectation": 70_000.0,
        "seniority": 1,
        "years": 3.0,
        "interview_score": None,
    }
    fields.update(overrides)
    return CandidateProfile(**fields)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def small_market() -> Marketplace:
    """A small seeded market (fast enough for unit tests)."""
    return simulate(n_candidates=120, n_jobs=200, n_companies=25, n_sessions=2500, random_state=7)


@pytest.fixture(scope="session")
def small_inputs(small_market: Marketplace) -> TrainingInputs:
    """Training inputs of the small market."""
    m = small_market
    return TrainingInputs({c.id: c for c in m.candidates}, m.jobs, m.impressions, m.events)


@pytest.fixture(scope="session")
def small_data(small_inputs: TrainingInputs) -> TrainingData:
    """Feature rows of the small market."""
    return build_training_data(small_inputs)


@pytest.fixture(scope="session")
def small_ranker(small_data: TrainingData) -> LightGBMRanker:
    """A LightGBM ranker trained on the small market."""
    d = small_data
    return LightGBMRanker(n_estimators=100, random_state=0).fit(d.x, d.y, d.groups, d.weights)
