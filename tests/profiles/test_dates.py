"""Date formats résumés use, inclusive month counting and overlap-free totals."""

from __future__ import annotations

import datetime as dt

import pytest

from hiresight.profiles.dates import YearMonth, find_date_ranges, find_single_date, union_months

TODAY = dt.date(2026, 11, 15)


@pytest.mark.parametrize(
    ("text", "start", "end", "months", "current"),
    [
        ("Jan 2020 – Present", (2020, 1), (2026, 11), 83, True),
        ("2019-03 - 2021-06", (2019, 3), (2021, 6), 28, False),
        ("03/2019 – 11/2020", (2019, 3), (2020, 11), 21, False),
        ("2018 — 2020", (2018, 1), (2020, 1), 25, False),
        ("2019 – 2019", (2019, 1), (2019, 12), 12, False),
        ("Summer 2017 – Fall 2017", (2017, 6), (2017, 9), 4, False),
        ("Mar – Jun 2021", (2021, 3), (2021, 6), 4, False),
        ("Sept. 2018 to Dec 2019", (2018, 9), (2019, 12), 16, False),
        ("January 2020 until March 2022", (2020, 1), (2022, 3), 27, False),
        ("Q3 2019 - Q1 2020", (2019, 7), (2020, 1), 7, False),
        ("Acme | Senior Engineer | 2019.03 – now", (2019, 3), (2026, 11), 93, True),
        ("since 2021", (2021, 1), (2026, 11), 71, True),
    ],
)
def test_known_date_ranges(
    text: str, start: tuple[int, int], end: tuple[int, int], months: int, current: bool
) -> None:
    """Each written form parses to the known start, end, inclusive length and current flag."""
    (found,) = find_date_ranges(text, TODAY)
    assert (found.start, found.end) == (YearMonth(*start), YearMonth(*end))
    assert (found.months, found.current) == (months, current)


def test_single_season_is_three_months() -> None:
    """ "Summer 2017" alone is a three-month internship starting in June."""
    found = find_single_date("Intern, Initech — Summer 2017")
    assert found is not None
    assert (found.start, found.months) == (YearMonth(2017, 6), 3)


def test_numbers_that_are_not_dates_are_ignored() -> None:
    """Percentages, counts and postcodes do not make ranges."""
    assert find_date_ranges("Cut latency by 30% for 2,000 users in 10115 Berlin", TODAY) == []


def test_union_does_not_double_count_overlaps() -> None:
    """Two overlapping roles count their shared months once."""
    ranges = find_date_ranges("Jan 2020 – Dec 2020 and Jul 2020 – Jun 2021", TODAY)
    assert [r.months for r in ranges] == [12, 12]
    assert union_months(ranges) == 18
