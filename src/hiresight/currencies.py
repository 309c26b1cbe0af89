"""The currencies Hiresight can compare pay in: a static rate table, and a place's currency.

The table is the European Central Bank's euro foreign exchange reference rates, annual
averages of 2024, rounded to three significant figures (units of each currency per euro).
It is static on purpose: Hiresight runs offline, and a salary fit needs the rough size of a
pay band, not today's rate. Update the table and RATES_AS_OF together when rates drift.

It sits at the bottom of the package graph because both the profile (which validates a
candidate's currency) and matching (which converts with it) need it.
"""

from __future__ import annotations

RATES_AS_OF = "2024 annual average, ECB euro reference rates"
UNITS_PER_EUR: dict[str, float] = {
    "EUR": 1.0,
    "USD": 1.08,
    "GBP": 0.847,
    "CHF": 0.953,
    "JPY": 164.0,
    "CAD": 1.48,
    "AUD": 1.64,
    "NZD": 1.79,
    "SEK": 11.4,
    "NOK": 11.6,
    "DKK": 7.46,
    "PLN": 4.31,
    "CZK": 25.1,
    "HUF": 395.0,
    "RON": 4.97,
    "INR": 90.6,
    "SGD": 1.45,
    "CNY": 7.79,
    "BRL": 5.83,
    "MXN": 19.8,
    "ZAR": 19.8,
}
KNOWN: tuple[str, ...] = tuple(sorted(UNITS_PER_EUR))
DEFAULT = "EUR"

# The country part of a location ("Berlin, Germany", "London, UK") to the currency paid
# there, for the table's currencies only. A location naming no country, or one not listed
# here, gets DEFAULT: the guess only preselects a form field, it never converts a number.
_COUNTRY_CURRENCY: dict[str, str] = {
    **dict.fromkeys(
        ("austria", "belgium", "croatia", "cyprus", "estonia", "finland", "france", "germany",
         "greece", "ireland", "italy", "latvia", "lithuania", "luxembourg", "malta",
         "netherlands", "the netherlands", "portugal", "slovakia", "slovenia", "spain",
         "deutschland", "österreich", "españa", "italia", "nederland"),
        "EUR",
    ),
    **dict.fromkeys(("usa", "us", "u.s.", "u.s.a.", "united states",
                     "united states of america"), "USD"),
    **dict.fromkeys(("uk", "u.k.", "gb", "united kingdom", "great britain", "england",
                     "scotland", "wales", "northern ireland"), "GBP"),
    **dict.fromkeys(("switzerland", "schweiz", "suisse"), "CHF"),
    "japan": "JPY",
    "canada": "CAD",
    "australia": "AUD",
    "new zealand": "NZD",
    "sweden": "SEK",
    "norway": "NOK",
    "denmark": "DKK",
    "poland": "PLN",
    **dict.fromkeys(("czechia", "czech republic"), "CZK"),
    "hungary": "HUF",
    "romania": "RON",
    "india": "INR",
    "singapore": "SGD",
    "china": "CNY",
    "brazil": "BRL",
    "mexico": "MXN",
    "south africa": "ZAR",
}  # fmt: skip


def is_known(code: str) -> bool:
    """Whether `code` is an ISO 4217 code of the table, written as three capital letters."""
    return code in UNITS_PER_EUR


def for_location(location: str) -> str:
    """The currency of a location's country (its last comma-separated part), else DEFAULT."""
    country = location.rsplit(",", 1)[-1].strip().casefold()
    return _COUNTRY_CURRENCY.get(country, DEFAULT)
