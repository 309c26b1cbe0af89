"""The job column store: growth, upsert in place, removal and unknown ids."""

from __future__ import annotations

import numpy as np
import pytest

from hiresight.matching.catalog import JobCatalog
from hiresight.matching.errors import DimensionMismatchError, UnknownJobError
from tests.matching.conftest import DIM, make_job, unit


def test_grows_past_capacity_and_keeps_rows() -> None:
    """Adding more jobs than the initial capacity keeps earlier rows intact."""
    catalog = JobCatalog(DIM, capacity=2)
    jobs = [make_job(vector=unit(float(i + 1), 1.0)) for i in range(5)]
    catalog.extend(jobs)
    assert len(catalog) == 5
    np.testing.assert_allclose(catalog.vectors[catalog.row(jobs[0].id)], jobs[0].vector)
    assert np.isnan(catalog.salary_min[5:]).all()  # new capacity starts "unknown"


def test_upsert_overwrites_in_place() -> None:
    """Editing a job keeps its row and replaces its fields."""
    catalog = JobCatalog(DIM)
    job = make_job(salary_max=80_000.0)
    row = catalog.upsert(job)
    edited = make_job(id=job.id, salary_max=95_000.0)
    assert catalog.upsert(edited) == row
    assert catalog.salary_max[row] == 95_000.0
    assert catalog.get(job.id) is edited


def test_remove_and_unknown_ids() -> None:
    """Removed jobs leave the active rows; unknown ids raise a coded error."""
    catalog = JobCatalog(DIM)
    a, b = make_job(), make_job()
    catalog.extend([a, b])
    catalog.remove(a.id)
    assert catalog.ids(catalog.active_rows()) == [b.id]
    with pytest.raises(UnknownJobError) as err:
        catalog.row(123_456)
    assert err.value.code == "matching_unknown_job"


def test_vector_dimension_is_checked() -> None:
    """A vector of the wrong size is refused before anything is written."""
    catalog = JobCatalog(DIM)
    with pytest.raises(DimensionMismatchError):
        catalog.upsert(make_job(vector=np.ones(DIM + 1, dtype=np.float32)))
    assert catalog.size == 0
