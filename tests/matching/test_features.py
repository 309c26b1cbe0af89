"""Feature values for hand-built pairs, and the online engagement features."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hiresight.matching.catalog import JobCatalog
from hiresight.matching.entities import Event, EventKind
from hiresight.matching.features import (
    DAY,
    FEATURE_INDEX,
    FEATURE_NAMES,
    OnlineState,
    candidate_job_features,
    job_candidate_features,
)
from tests.matching.conftest import DIM, make_candidate, make_job, unit


def _catalog(*jobs):  # type: ignore[no-untyped-def]
    catalog = JobCatalog(DIM)
    catalog.extend(jobs)
    return catalog


def test_feature_names_are_stable() -> None:
    """The column order is part of every stored model: first and last names are pinned."""
    assert FEATURE_NAMES[0] == "embedding_similarity"
    assert FEATURE_NAMES[-1] == "candidate_event_count"
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES) == 20


def test_content_features_known_answer() -> None:
    """Similarity 0.6, 2 of 3 required skills, 1 of 1 preferred, salary 80k vs 70k = +1/7."""
    job = make_job(vector=unit(0.6, 0.8), posted_at=0.0)
    cand = make_candidate(vector=unit(1.0), years=1.0, interview_score=0.8)
    catalog = _catalog(job)
    x = candidate_job_features(cand, catalog.rows([job.id]), catalog, None, now=3 * DAY)[0]
    f = {name: float(x[i]) for name, i in FEATURE_INDEX.items()}
    assert f["embedding_similarity"] == pytest.approx(0.6)
    assert f["required_skill_coverage"] == pytest.approx(2 / 3)
    assert f["preferred_skill_coverage"] == pytest.approx(1.0)
    assert f["seniority_gap"] == 0.0
    assert f["years_shortfall"] == pytest.approx(1.0)
    assert f["location_fit"] == 1.0
    assert f["salary_fit"] == pytest.approx(10_000 / 70_000)
    assert f["interview_score"] == pytest.approx(0.8)
    assert f["job_age_days"] == pytest.approx(3.0)
    assert f["job_ctr"] == pytest.approx(1 / 20)


def test_missing_values_are_nan() -> None:
    """No interview, no salary expectation and no history give NaN, not a made-up value."""
    job = make_job()
    cand = make_candidate(salary_expectation=None, interview_score=None)
    catalog = _catalog(job)
    x = candidate_job_features(cand, catalog.rows([job.id]), catalog, None, now=0.0)[0]
    for name in ("salary_fit", "interview_score", "click_max_similarity", "days_since_last_event"):
        assert math.isnan(x[FEATURE_INDEX[name]]), name


def test_skill_coverage_ignores_case() -> None:
    """'python' and 'postgresql' on a profile cover 'Python' and 'PostgreSQL' on a job."""
    job = make_job()
    cand = make_candidate(skills=frozenset({"python", "postgresql"}))
    catalog = _catalog(job)
    x = candidate_job_features(cand, catalog.rows([job.id]), catalog, None, now=0.0)
    assert x[0, FEATURE_INDEX["required_skill_coverage"]] == pytest.approx(2 / 3)


def test_remote_job_fits_remote_candidate_elsewhere() -> None:
    """A remote job fits a remote-ok candidate in another city; an on-site one does not."""
    remote, onsite = make_job(remote=True, location="Lisbon"), make_job(location="Lisbon")
    catalog = _catalog(remote, onsite)
    cand = make_candidate(location="Berlin", remote_ok=True)
    x = candidate_job_features(cand, catalog.rows([remote.id, onsite.id]), catalog, None, 0.0)
    assert x[:, FEATURE_INDEX["location_fit"]].tolist() == [1.0, 0.0]


def test_click_updates_similar_job_features() -> None:
    """After a click on job A, a job similar to A shows one similar click; a distant one none."""
    a, near, far = (
        make_job(vector=unit(1.0)),
        make_job(vector=unit(0.9, 0.1)),
        make_job(vector=unit(0.0, 1.0)),
    )
    catalog = _catalog(a, near, far)
    state = OnlineState(catalog)
    cand = make_candidate()
    state.record(Event(cand.id, a.id, EventKind.CLICK, timestamp=0.0))
    x = candidate_job_features(cand, catalog.rows([near.id, far.id]), catalog, state, DAY)
    assert x[:, FEATURE_INDEX["click_similar_count"]].tolist() == [1.0, 0.0]
    assert x[0, FEATURE_INDEX["click_max_similarity"]] > 0.9
    assert x[0, FEATURE_INDEX["days_since_last_event"]] == pytest.approx(1.0)
    assert x[0, FEATURE_INDEX["job_popularity"]] == 0.0
    x_a = candidate_job_features(cand, catalog.rows([a.id]), catalog, state, DAY)
    assert x_a[0, FEATURE_INDEX["job_popularity"]] == pytest.approx(np.log1p(1.0))


def test_apply_and_dismiss_hide_the_job() -> None:
    """Applied and dismissed jobs join the candidate's hidden set; a click does not."""
    jobs = [make_job() for _ in range(3)]
    state = OnlineState(_catalog(*jobs))
    for job, kind in zip(jobs, [EventKind.CLICK, EventKind.APPLY, EventKind.DISMISS], strict=True):
        state.record(Event(1, job.id, kind, 0.0))
    assert state.candidate(1).hidden_jobs == {jobs[1].id, jobs[2].id}


def test_recruiter_direction_matches_candidate_direction() -> None:
    """Features of a pair are the same whichever side is the query."""
    job = make_job(vector=unit(0.6, 0.8))
    cands = [
        make_candidate(vector=unit(1.0)),
        make_candidate(vector=unit(0.0, 1.0), skills=frozenset()),
    ]
    catalog = _catalog(job)
    state = OnlineState(catalog)
    state.record(Event(cands[0].id, job.id, EventKind.CLICK, 0.0))
    by_job = job_candidate_features(catalog.row(job.id), cands, catalog, state, DAY)
    for i, cand in enumerate(cands):
        by_cand = candidate_job_features(cand, catalog.rows([job.id]), catalog, state, DAY)
        np.testing.assert_array_equal(by_job[i], by_cand[0])
