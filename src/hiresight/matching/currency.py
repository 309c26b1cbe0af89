"""Salaries in different currencies compared after conversion with the static table of
`hiresight.currencies` (ECB reference rates, 2024 annual average).

Rules (`factor`): the same currency, or a side whose currency is not stated, compares the
numbers as they are (a candidate who has not chosen a currency has the expectation read in
the job's currency); a currency missing from the table makes the comparison unknown (NaN),
never a guess.
"""

from __future__ import annotations

import math

from hiresight.currencies import UNITS_PER_EUR

__all__ = ["UNITS_PER_EUR", "convert", "factor"]


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
