"""The currency table's codes and the currency a location's country suggests."""

from __future__ import annotations

import pytest

from hiresight import currencies


def test_known_codes_are_the_tables_in_capitals() -> None:
    """EUR, USD and GBP are known; lower case, unlisted or made-up codes are not."""
    assert tuple(sorted(currencies.UNITS_PER_EUR)) == currencies.KNOWN
    assert all(currencies.is_known(code) for code in ("EUR", "USD", "GBP"))
    assert not any(currencies.is_known(code) for code in ("eur", "XYZ", "EURO", "", "ARS"))


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("Berlin, Germany", "EUR"),
        ("London, UK", "GBP"),
        ("Manchester, United Kingdom", "GBP"),
        ("New York, NY, USA", "USD"),
        ("Zürich, Switzerland", "CHF"),
        ("Toronto, canada", "CAD"),
        ("Berlin", "EUR"),  # no country: the default
        ("Buenos Aires, Argentina", "EUR"),  # a country outside the table: the default
        ("", "EUR"),
    ],
)
def test_a_locations_country_suggests_its_currency(location: str, expected: str) -> None:
    """The last comma-separated part names the country; anything else falls back to EUR."""
    assert currencies.for_location(location) == expected
