"""A candidate's expectation in their own currency against bands in other currencies: the
salary fit, the least-pay filter and the explanation convert with the static table.

The known answers use the table's rates (units per euro): USD 1.08, GBP 0.847. A EUR
candidate wants 90,000 EUR; job A pays up to 95,000 USD = 87,962.96 EUR (short), job B up to
80,000 GBP = 94,451.00 EUR (enough). Compared raw, both answers would be the other way round.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from hiresight.matching.catalog import JobCatalog
from hiresight.matching.currency import factor
from hiresight.matching.entities import CandidateProfile
from hiresight.matching.explain import explain
from hiresight.matching.features import (
    FEATURE_INDEX,
    candidate_job_features,
    job_candidate_features,
)
from hiresight.matching.recommend import Filters, Recommender
from tests.matching.conftest import DIM, make_candidate, make_job

SALARY = FEATURE_INDEX["salary_fit"]
USD_JOB, GBP_JOB, NO_PAY_JOB, XYZ_JOB = 1, 2, 3, 4
USD_TOP_IN_EUR = 95_000 / 1.08  # 87,962.96
GBP_TOP_IN_EUR = 80_000 / 0.847  # 94,451.00


def _recommender() -> Recommender:
    """Four jobs alike but for pay: USD, GBP, none stated, and a currency the table lacks."""
    rec = Recommender(DIM)
    rec.add_jobs([
        make_job(id=USD_JOB, company_id=1, salary_max=95_000.0, salary_currency="USD"),
        make_job(id=GBP_JOB, company_id=2, salary_max=80_000.0, salary_currency="GBP"),
        make_job(id=NO_PAY_JOB, company_id=3, salary_min=None, salary_max=None,
                 salary_currency=None),
        make_job(id=XYZ_JOB, company_id=4, salary_max=10.0, salary_currency="XYZ"),
    ])  # fmt: skip
    return rec


def _eur_candidate(**overrides: object) -> CandidateProfile:
    fields: dict[str, object] = {"salary_expectation": 90_000.0, "salary_currency": "EUR"}
    return make_candidate(**{**fields, **overrides})


def _kept(candidate: CandidateProfile, filters: Filters) -> set[int]:
    result = _recommender().recommend(candidate, 10, now=0.0, filters=filters)
    return {item.id for item in result.items}


def test_the_catalog_rate_vector_equals_the_rate_of_each_job() -> None:
    """One lookup per distinct currency gives, per row, exactly `currency.factor`: 1.0 where
    a side is unstated, NaN for a code the table lacks."""
    catalog = _recommender().catalog
    rows = catalog.rows([USD_JOB, GBP_JOB, NO_PAY_JOB, XYZ_JOB, USD_JOB])
    eur = catalog.salary_rates(rows, "EUR")
    assert eur[:3] == pytest.approx([1 / 1.08, 1 / 0.847, 1.0])
    assert math.isnan(eur[3])
    assert eur[4] == eur[0]
    for target in ("GBP", "USD", None):
        expected = [factor(catalog.salary_currency[int(r)], target) for r in rows]
        np.testing.assert_allclose(catalog.salary_rates(rows, target), expected, rtol=1e-6)


def test_the_rate_vector_follows_an_edited_job() -> None:
    """A job re-posted in another currency reads the new currency's rate."""
    catalog = JobCatalog(DIM)
    catalog.upsert(make_job(id=7, salary_currency="USD"))
    catalog.upsert(make_job(id=7, salary_currency="GBP"))
    assert catalog.salary_rates(catalog.rows([7]), "EUR") == pytest.approx([1 / 0.847])


def test_salary_fit_of_a_eur_candidate_for_usd_and_gbp_bands() -> None:
    """Relative headroom after conversion: -2.263 % for the USD band, +4.946 % for the GBP
    band."""
    rec = _recommender()
    rows = rec.catalog.rows([USD_JOB, GBP_JOB])
    x = candidate_job_features(_eur_candidate(), rows, rec.catalog, None, now=0.0)
    assert x[0, SALARY] == pytest.approx((USD_TOP_IN_EUR - 90_000) / 90_000, abs=1e-6)
    assert x[0, SALARY] == pytest.approx(-0.0226337, abs=1e-6)
    assert x[1, SALARY] == pytest.approx((GBP_TOP_IN_EUR - 90_000) / 90_000, abs=1e-6)
    assert x[1, SALARY] == pytest.approx(0.0494556, abs=1e-6)


def test_applicants_in_different_currencies_each_get_their_own_conversion() -> None:
    """One GBP job against a EUR, a GBP and a currency-less applicant: each expectation is
    compared with the band in its own currency (the unstated one as the number stands)."""
    rec = _recommender()
    applicants = [
        _eur_candidate(),
        make_candidate(salary_expectation=76_000.0, salary_currency="GBP"),
        make_candidate(salary_expectation=100_000.0, salary_currency=None),
    ]
    x = job_candidate_features(rec.catalog.row(GBP_JOB), applicants, rec.catalog, None, 0.0)
    assert x[:, SALARY] == pytest.approx(
        [(GBP_TOP_IN_EUR - 90_000) / 90_000, 4_000 / 76_000, -20_000 / 100_000], abs=1e-6
    )


def test_the_least_pay_filter_reads_the_minimum_in_the_candidates_currency() -> None:
    """90,000 EUR: the USD band (87,963 EUR) goes, the GBP band (94,451 EUR) stays, and so do
    the job stating no pay and the one in a currency the table lacks (unknown, not a no)."""
    kept = _kept(_eur_candidate(), Filters(min_salary=90_000))
    assert kept == {GBP_JOB, NO_PAY_JOB, XYZ_JOB}


def test_a_currency_named_by_the_filter_wins_over_the_profiles() -> None:
    """90,000 USD: the USD band (95,000) and the GBP band (102,007 USD) both stay."""
    kept = _kept(_eur_candidate(), Filters(min_salary=90_000, salary_currency="USD"))
    assert kept == {USD_JOB, GBP_JOB, NO_PAY_JOB, XYZ_JOB}
    kept = _kept(_eur_candidate(), Filters(min_salary=102_100, salary_currency="USD"))
    assert kept == {NO_PAY_JOB, XYZ_JOB}


def test_without_any_currency_the_minimum_is_compared_as_the_number_stands() -> None:
    """No currency chosen anywhere: as before, 95,000 USD >= 90,000 stays while 80,000 GBP and
    10 XYZ < 90,000 go."""
    kept = _kept(_eur_candidate(salary_currency=None), Filters(min_salary=90_000))
    assert kept == {USD_JOB, NO_PAY_JOB}


def test_the_explanation_names_the_converted_band_and_the_original() -> None:
    """The notes speak the candidate's currency and keep the job's own figure beside it."""
    rec = _recommender()
    candidate = _eur_candidate()
    usd = explain(candidate, rec.catalog.get(USD_JOB))
    gbp = explain(candidate, rec.catalog.get(GBP_JOB))
    assert "salary up to 87,963 EUR (95,000 USD) is below your expectation of 90,000 EUR" in (
        usd.notes
    )
    assert "salary up to 94,451 EUR (80,000 GBP) meets your expectation of 90,000 EUR" in (
        gbp.notes
    )
