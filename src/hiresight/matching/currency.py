"""Salaries in different currencies compared after conversion with a static table.

The table is the European Central Bank's euro foreign exchange reference rates, annual
averages of 2024, rounded to three significant figures (units of each currency per euro).
It is static on purpose: Hiresight runs offline, and a salary fit needs the rough size of a
pay band, not today's rate. Update the table and RATES_AS_OF together when rates drift.

Rules (`factor`): the same currency, or a side whose currency is not stated, compares the
numbers as they are (a candidate's expectation has no currency field yet, so it is read in
the job's currency); a currency missing from the table makes the comparison unknown (NaN),
never a guess.
"""

from __future__ import annotations

import math

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


def _code(currency: str | None) -> str | None:
    code = (currency or "").strip().upper()
    return code or None


def factor(source: str | None, target: str | None) -> float:
    """What one unit of `source` is worth in `target`: 1.0 if either is unstated, NaN if unknown."""
    src, dst = _code(source), _code(target)
    if src is None or dst is None or src == dst:
        return 1.0
    if src not in UNITS_PER_EUR or dst not in UNITS_PER_EUR:
        return math.nan
    return UNITS_PER_EUR[dst] / UNITS_PER_EUR[src]


def convert(amount: float, source: str | None, target: str | None) -> float | None:
    """`amount` of `source` in `target` (see `factor`); None when a currency is not in the table."""
    rate = factor(source, target)
    return None if math.isnan(rate) else amount * rate
