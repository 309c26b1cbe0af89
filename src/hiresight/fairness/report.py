"""The bias audit's arithmetic, pure: rates, impact ratios and the 2% rule on plain records.

It follows the NYC Department of Consumer and Worker Protection's rules for Local Law 144
(6 RCNY 5-300, 5-301): the selection rate is the share of a category that is selected, the
scoring rate the share scoring above the median of the whole sample, and the impact ratio a
category's rate divided by the rate of the most selected (highest-scoring) category. Units of
unknown category are counted apart and never enter a ratio. A category with less than 2% of
the data may be left out of the impact ratio calculations (5-301(d)); here it is still shown,
with its ratio, and only kept from being the reference category the others are divided by.

Rates and ratios are computed as exact fractions and rounded once, to four decimals, so the
same data gives the same figures on every machine.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from hiresight.fairness.models import RACE_LABELS, SEX_LABELS, RaceEthnicity, Sex
from hiresight.fairness.schemas import (
    CategoryRate,
    Dimension,
    Measure,
    RateTable,
    UnknownCounts,
)

EXCLUDABLE_SHARE = Fraction(2, 100)
DIMENSIONS: tuple[Dimension, ...] = ("sex", "race_ethnicity", "intersectional")
SEXES = (Sex.male, Sex.female)
RACES = tuple(r for r in RaceEthnicity if r is not RaceEthnicity.prefer_not_to_say)
PLACES = 4


@dataclass(frozen=True)
class Unit:
    """One counted unit: its candidate's self-identification, whether it is positive
    (advanced, above the median, applied) and how many impressions it stands for."""

    sex: Sex | None
    race: RaceEthnicity | None
    positive: bool
    impressions: int = 0


def _rounded(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), PLACES)


def categories(dimension: Dimension) -> list[tuple[str, str]]:
    """The dimension's categories as (key, label), in the EEO-1 order; intersections are
    every sex with every race/ethnicity (`female|asian`)."""
    if dimension == "sex":
        return [(s.value, SEX_LABELS[s]) for s in SEXES]
    if dimension == "race_ethnicity":
        return [(r.value, RACE_LABELS[r]) for r in RACES]
    return [
        (f"{s.value}|{r.value}", f"{SEX_LABELS[s]} · {RACE_LABELS[r]}")
        for s in SEXES
        for r in RACES
    ]


def category_of(dimension: Dimension, unit: Unit) -> str | None:
    """The unit's category key in a dimension, None when it is unknown there."""
    sex = unit.sex if unit.sex in SEXES else None
    race = unit.race if unit.race in RACES else None
    if dimension == "sex":
        return sex.value if sex else None
    if dimension == "race_ethnicity":
        return race.value if race else None
    return f"{sex.value}|{race.value}" if sex and race else None


def _unknown_reason(dimension: Dimension, unit: Unit) -> str:
    """Why a unit is unknown in a dimension: a question not answered counts before a
    "prefer not to say" (an intersection needs both answers)."""
    missing = {
        "sex": unit.sex is None,
        "race_ethnicity": unit.race is None,
        "intersectional": unit.sex is None or unit.race is None,
    }[dimension]
    return "not_provided" if missing else "prefer_not_to_say"


def rate_table(dimension: Dimension, measure: Measure, units: Iterable[Unit]) -> RateTable:
    """Per category: units, positives, rate, share of the known units, the 2% flag and the
    impact ratio against the highest rate among the categories that are not excludable (every
    category tied at that rate is a reference, with ratio 1)."""
    keys = categories(dimension)
    count = dict.fromkeys((k for k, _ in keys), 0)
    positives = dict.fromkeys(count, 0)
    impressions = dict.fromkeys(count, 0)
    unknown: Counter[str] = Counter()
    for unit in units:
        key = category_of(dimension, unit)
        if key is None:
            unknown[_unknown_reason(dimension, unit)] += 1
            continue
        count[key] += 1
        positives[key] += unit.positive
        impressions[key] += unit.impressions
    known = sum(count.values())
    rate = {k: Fraction(positives[k], n) if n else None for k, n in count.items()}
    share = {k: Fraction(n, known) if known else None for k, n in count.items()}
    excludable = {k: s is not None and s < EXCLUDABLE_SHARE for k, s in share.items()}
    candidates = [r for k, r in rate.items() if r is not None and not excludable[k]]
    reference = max(candidates) if candidates else None
    rows = []
    for key, label in keys:
        this, ratio = rate[key], None
        if this is not None and reference:  # a zero reference rate divides nothing
            ratio = this / reference
        rows.append(CategoryRate(
            category=key, label=label, count=count[key], positives=positives[key],
            rate=_rounded(rate[key]), share=_rounded(share[key]), excludable=excludable[key],
            impact_ratio=_rounded(ratio),
            reference=reference is not None and rate[key] == reference and not excludable[key],
            impressions=impressions[key] if measure == "apply" else None,
        ))  # fmt: skip
    return RateTable(
        dimension=dimension, measure=measure, rows=rows, known=known,
        unknown=UnknownCounts.model_validate(unknown),
        reference_rate=_rounded(reference),
    )  # fmt: skip


def tables(measure: Measure, units: Sequence[Unit]) -> list[RateTable]:
    """The measure's table for sex, race/ethnicity and their intersections."""
    return [rate_table(dimension, measure, units) for dimension in DIMENSIONS]


@dataclass(frozen=True)
class Screened:
    """One application in scope as the selection and scoring rates see it."""

    sex: Sex | None
    race: RaceEthnicity | None
    completed: bool
    advanced: bool
    score: float | None


def selection_units(rows: Iterable[Screened]) -> list[Unit]:
    """Completed applications; positive when advanced."""
    return [Unit(r.sex, r.race, r.advanced) for r in rows if r.completed]


def median_score(rows: Iterable[Screened]) -> float | None:
    """The median overall score of every completed, scored application in scope (of every
    category, unknown included: LL144's median is the whole sample's)."""
    scores = [r.score for r in rows if r.completed and r.score is not None]
    return statistics.median(scores) if scores else None


def scoring_units(rows: Sequence[Screened]) -> list[Unit]:
    """Completed, scored applications; positive when strictly above the sample's median."""
    median = median_score(rows)
    return [
        Unit(r.sex, r.race, median is not None and r.score > median)
        for r in rows
        if r.completed and r.score is not None
    ]
