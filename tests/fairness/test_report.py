"""The bias audit's arithmetic on a known data set, every figure worked out by hand below.

Selection data: 55 applicants with both answers, 6 with at least one unknown, 2 that never
completed the screening (they count nowhere).

    category                   completed  advanced
    male   · White                    20        10
    female · White                    20         8
    male   · Asian                     5         3
    female · Asian                     5         3
    female · Black                     4         1
    male   · Native Hawaiian           1         1   (1/55 = 1.8% of the known: excludable)
    no answer at all                   3         1
    female · prefer not to say         2         1
    prefer not to say · White          1         0
    male · White, not completed        2         2   (not in any table)
"""

from __future__ import annotations

from hiresight.fairness import report
from hiresight.fairness.models import RaceEthnicity as R
from hiresight.fairness.models import Sex as S
from hiresight.fairness.report import Screened, Unit
from hiresight.fairness.schemas import RateTable

NH = R.native_hawaiian_or_other_pacific_islander


def _many(
    n: int, advanced: int, sex: S | None, race: R | None, completed: bool = True
) -> list[Screened]:
    return [Screened(sex, race, completed, i < advanced, None) for i in range(n)]


SELECTION = [
    *_many(20, 10, S.male, R.white),
    *_many(20, 8, S.female, R.white),
    *_many(5, 3, S.male, R.asian),
    *_many(5, 3, S.female, R.asian),
    *_many(4, 1, S.female, R.black_or_african_american),
    *_many(1, 1, S.male, NH),
    *_many(3, 1, None, None),
    *_many(2, 1, S.female, R.prefer_not_to_say),
    *_many(1, 0, S.prefer_not_to_say, R.white),
    *_many(2, 2, S.male, R.white, completed=False),
]


def _row(table: RateTable, category: str) -> tuple[object, ...]:
    row = next(r for r in table.rows if r.category == category)
    return (row.count, row.positives, row.rate, row.share, row.excludable, row.impact_ratio,
            row.reference)  # fmt: skip


def _selection() -> dict[str, RateTable]:
    units = report.selection_units(SELECTION)
    return {t.dimension: t for t in report.tables("selection", units)}


def test_selection_by_sex() -> None:
    """Sex (57 known: the unknown sex is 3 without answers and 1 prefer-not):
    male 26 completed, 10+3+1 = 14 advanced, rate 14/26 = 0.538461… -> 0.5385, share 26/57 =
    0.4561; female 20+5+4+2 = 31, 8+3+1+1 = 13 advanced, 13/31 = 0.419354… -> 0.4194, share
    31/57 = 0.5439. Male is the most selected: female's impact ratio (13/31)/(14/26) = 338/434
    = 0.778801… -> 0.7788."""
    table = _selection()["sex"]
    assert table.known == 57
    assert (table.unknown.not_provided, table.unknown.prefer_not_to_say) == (3, 1)
    assert _row(table, "male") == (26, 14, 0.5385, 0.4561, False, 1.0, True)
    assert _row(table, "female") == (31, 13, 0.4194, 0.5439, False, 0.7788, False)
    assert table.reference_rate == 0.5385


def test_selection_by_race_skips_an_excludable_reference() -> None:
    """Race/ethnicity (56 known; unknown: 3 without answers, 2 prefer-not):
    White 20+20+1 = 41, 10+8+0 = 18 advanced, 18/41 = 0.439024… -> 0.4390, share 41/56 =
    0.7321; Asian 10, 6, 0.6, share 0.1786; Black 4, 1, 0.25, share 0.0714; Native Hawaiian
    1, 1, rate 1.0, share 1/56 = 0.017857… -> 0.0179, under 2%: excludable, so the reference
    is Asian's 0.6, not 1.0. Ratios: White (18/41)/(3/5) = 90/123 = 0.731707… -> 0.7317,
    Black (1/4)/(3/5) = 5/12 -> 0.4167, Native Hawaiian 1/(3/5) = 5/3 -> 1.6667 (shown).
    The categories nobody is in have no rate and are excludable (0%)."""
    table = _selection()["race_ethnicity"]
    assert table.known == 56
    assert (table.unknown.not_provided, table.unknown.prefer_not_to_say) == (3, 2)
    assert _row(table, "white") == (41, 18, 0.439, 0.7321, False, 0.7317, False)
    assert _row(table, "asian") == (10, 6, 0.6, 0.1786, False, 1.0, True)
    assert _row(table, "black_or_african_american") == (4, 1, 0.25, 0.0714, False, 0.4167, False)
    assert _row(table, NH.value) == (1, 1, 1.0, 0.0179, True, 1.6667, False)
    assert _row(table, "hispanic_or_latino") == (0, 0, None, 0.0, True, None, False)
    assert table.reference_rate == 0.6


def test_selection_intersectional_with_a_tie() -> None:
    """Intersections (55 known; unknown: 3 without answers, 2 + 1 prefer-not): male · Asian and
    female · Asian tie at 3/5 = 0.6, both references with ratio 1; male · Native Hawaiian
    (1/55 = 0.0182, excludable) has rate 1.0 but is not the reference. male · White 10/20 =
    0.5, ratio 0.5/0.6 = 5/6 -> 0.8333, share 20/55 = 0.3636; female · White 0.4 -> 2/3 ->
    0.6667; female · Black 0.25 -> 5/12 -> 0.4167; male · Native Hawaiian 5/3 -> 1.6667.
    All 2 x 7 intersections are listed."""
    table = _selection()["intersectional"]
    assert len(table.rows) == 14
    assert table.known == 55
    assert (table.unknown.not_provided, table.unknown.prefer_not_to_say) == (3, 3)
    assert _row(table, "male|asian") == (5, 3, 0.6, 0.0909, False, 1.0, True)
    assert _row(table, "female|asian") == (5, 3, 0.6, 0.0909, False, 1.0, True)
    assert _row(table, "male|white") == (20, 10, 0.5, 0.3636, False, 0.8333, False)
    assert _row(table, "female|white") == (20, 8, 0.4, 0.3636, False, 0.6667, False)
    assert _row(table, "female|black_or_african_american") == (
        4, 1, 0.25, 0.0727, False, 0.4167, False,
    )  # fmt: skip
    assert _row(table, f"male|{NH.value}") == (1, 1, 1.0, 0.0182, True, 1.6667, False)


SCORING = [
    Screened(S.male, R.white, True, False, 70.0),
    Screened(S.male, R.white, True, False, 80.0),
    Screened(S.male, R.white, True, False, 90.0),
    Screened(S.female, R.white, True, False, 60.0),
    Screened(S.female, R.white, True, False, 85.0),
    Screened(S.female, R.asian, True, False, 75.0),
    Screened(None, None, True, False, 50.0),
    Screened(None, None, True, False, 95.0),
    Screened(S.male, R.white, False, False, 100.0),  # not completed: not in the sample
    Screened(S.female, R.white, True, False, None),  # completed, not scored yet
]


def test_scoring_rate_against_the_whole_samples_median() -> None:
    """Scored and completed: 50 60 70 75 80 85 90 95, unknowns included, so the median is
    (75 + 80) / 2 = 77.5. Above it: male 80, 90 of 70, 80, 90 -> 2/3 = 0.6667; female 85 of
    60, 85, 75 -> 1/3 = 0.3333; impact ratio (1/3)/(2/3) = 0.5. By race: White 80, 90, 85 of
    five -> 0.6 (reference); Asian 0 of 1 -> 0.0, ratio 0.0 (share 1/6: not excludable).
    The two unknowns are counted apart."""
    assert report.median_score(SCORING) == 77.5
    by = {t.dimension: t for t in report.tables("scoring", report.scoring_units(SCORING))}
    assert _row(by["sex"], "male") == (3, 2, 0.6667, 0.5, False, 1.0, True)
    assert _row(by["sex"], "female") == (3, 1, 0.3333, 0.5, False, 0.5, False)
    assert by["sex"].unknown.not_provided == 2
    assert _row(by["race_ethnicity"], "white") == (5, 3, 0.6, 0.8333, False, 1.0, True)
    assert _row(by["race_ethnicity"], "asian") == (1, 0, 0.0, 0.1667, False, 0.0, False)


def test_apply_rates_count_impressions_and_no_rate_against_zero() -> None:
    """Recommender pairs: female 2 pairs (3 + 1 impressions), none applied; male 1 pair (2
    impressions), none applied. Every rate is 0, so the reference rate is 0 and no impact
    ratio can be computed (None, never a division by zero)."""
    units = [Unit(S.female, R.white, False, 3), Unit(S.female, R.asian, False, 1),
             Unit(S.male, R.white, False, 2)]  # fmt: skip
    table = report.rate_table("sex", "apply", units)
    female = next(r for r in table.rows if r.category == "female")
    assert (female.count, female.impressions, female.rate, female.impact_ratio) == (2, 4, 0.0, None)
    assert table.reference_rate == 0.0


def test_nobody_known_gives_no_shares_or_ratios() -> None:
    """With only unknown answers every category is empty: no share, rate, ratio or flag."""
    table = report.rate_table("sex", "selection", [Unit(None, None, True)])
    assert table.known == 0
    assert all(r.share is None and r.rate is None and not r.excludable for r in table.rows)
