"""API shapes: a candidate's self-identification and the fairness audit report."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from hiresight.fairness.models import RaceEthnicity, Sex

Dimension = Literal["sex", "race_ethnicity", "intersectional"]
Measure = Literal["selection", "scoring", "apply"]


class SelfIdentificationWrite(BaseModel):
    """The candidate's answers; null (or leaving a question out) means not answered."""

    model_config = ConfigDict(extra="forbid")

    sex: Sex | None = None
    race_ethnicity: RaceEthnicity | None = None


class SelfIdentificationPublic(SelfIdentificationWrite):
    """What the candidate gave, and when they last changed it (null: nothing given)."""

    updated_at: dt.datetime | None = None


class UnknownCounts(BaseModel):
    """Units left out of a table's ratios: no answer given, or "prefer not to say"."""

    not_provided: int = 0
    prefer_not_to_say: int = 0


class CategoryRate(BaseModel):
    """One category's line: how many units, how many positive, the rate and impact ratio.

    A unit is a completed application (selection), a scored one (scoring) or a candidate-job
    pair the recommender showed (apply).
    """

    category: str
    label: str
    count: int
    positives: int
    rate: float | None
    share: float | None
    excludable: bool
    impact_ratio: float | None
    reference: bool
    impressions: int | None = None


class RateTable(BaseModel):
    """One measure over one dimension's categories, with the units of unknown category."""

    dimension: Dimension
    measure: Measure
    rows: list[CategoryRate]
    known: int
    unknown: UnknownCounts
    reference_rate: float | None


class FairnessReport(BaseModel):
    """The bias audit figures of one job or one organization over an optional period."""

    scope: Literal["job", "organization"]
    organization_id: int
    organization_name: str
    job_id: int | None
    job_title: str | None
    date_from: dt.date | None
    date_to: dt.date | None
    generated_at: dt.datetime
    applications: int
    completed: int
    advanced: int
    scored: int
    median_score: float | None
    impressions: int
    selection: list[RateTable]
    scoring: list[RateTable]
    recommender: list[RateTable]
