"""Salaries in different currencies: converted with the static table, or unknown, never mixed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hiresight.matching.catalog import JobCatalog
from hiresight.matching.currency import UNITS_PER_EUR, convert, factor
from hiresight.matching.explain import salary_note
from hiresight.matching.features import FEATURE_INDEX, candidate_job_features
from tests.matching.conftest import DIM, make_candidate, make_job

SALARY = FEATURE_INDEX["salary_fit"]


def _salary_fit(job_currency: str | None, candidate_currency: str | None) -> float:
    """The salary_fit feature of a job paying up to 100,000 for an expectation of 95,000."""
    job = make_job(salary_max=100_000.0, salary_currency=job_currency)
    cand = make_candidate(salary_expectation=95_000.0, salary_currency=candidate_currency)
    catalog = JobCatalog(DIM)
    catalog.upsert(job)
    x = candidate_job_features(cand, catalog.rows([job.id]), catalog, None, now=0.0)
    return float(x[0, SALARY])


def test_the_table_converts_through_the_euro() -> None:
    """1 USD = 1 / 1.08 EUR; 1 GBP = 1.08 / 0.847 USD; the table's EUR is 1."""
    assert UNITS_PER_EUR["EUR"] == 1.0
    assert factor("USD", "EUR") == pytest.approx(1 / 1.08)
    assert factor("gbp", "usd") == pytest.approx(1.08 / 0.847)
    assert convert(100_000.0, "USD", "EUR") == pytest.approx(92_592.59, abs=0.01)


def test_unstated_or_unknown_currencies() -> None:
    """An unstated side compares as is; a code the table lacks gives no answer, not a guess."""
    assert factor(None, "EUR") == factor("USD", None) == factor("EUR", "EUR") == 1.0
    assert math.isnan(factor("XYZ", "EUR"))
    assert convert(50_000.0, "EUR", "XYZ") is None


def test_salary_fit_converts_the_band_before_comparing() -> None:
    """100,000 USD is 92,593 EUR: below a 95,000 EUR expectation by 2.53 %, not above by 5.3 %."""
    assert _salary_fit("USD", "EUR") == pytest.approx((100_000 / 1.08 - 95_000) / 95_000, abs=1e-5)
    assert _salary_fit("EUR", "EUR") == pytest.approx(5_000 / 95_000)
    assert _salary_fit("EUR", None) == pytest.approx(5_000 / 95_000)  # unstated: as is
    assert np.isnan(_salary_fit("XYZ", "EUR"))  # unknown currency: unknown fit


def test_the_salary_note_speaks_the_candidates_currency() -> None:
    """The note converts the band and names both currencies; an unknown currency says nothing."""
    cand = make_candidate(salary_expectation=95_000.0, salary_currency="EUR")
    job = make_job(salary_max=100_000.0, salary_currency="USD")
    assert salary_note(cand, job) == (
        "salary up to 92,593 EUR (100,000 USD) is below your expectation of 95,000 EUR"
    )
    assert salary_note(cand, make_job(salary_max=100_000.0, salary_currency="XYZ")) is None
