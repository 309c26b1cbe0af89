"""Voluntary self-identification, kept in its own table apart from the candidate's profile.

Only the fairness audit reads it: no recruiter view, scorer or ranker imports this package
(tests/test_architecture.py keeps it above them).
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Enum, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from hiresight.db import Base, UTCDateTime, utcnow


class Sex(enum.StrEnum):
    """The sex categories of NYC Local Law 144 bias audits (EEO-1), or a refusal to say."""

    male = "male"
    female = "female"
    prefer_not_to_say = "prefer_not_to_say"


class RaceEthnicity(enum.StrEnum):
    """The race/ethnicity categories of NYC Local Law 144 bias audits (EEO-1), or a refusal."""

    hispanic_or_latino = "hispanic_or_latino"
    white = "white"
    black_or_african_american = "black_or_african_american"
    native_hawaiian_or_other_pacific_islander = "native_hawaiian_or_other_pacific_islander"
    asian = "asian"
    american_indian_or_alaska_native = "american_indian_or_alaska_native"
    two_or_more_races = "two_or_more_races"
    prefer_not_to_say = "prefer_not_to_say"


SEX_LABELS = {
    Sex.male: "Male",
    Sex.female: "Female",
    Sex.prefer_not_to_say: "Prefer not to say",
}
RACE_LABELS = {
    RaceEthnicity.hispanic_or_latino: "Hispanic or Latino",
    RaceEthnicity.white: "White",
    RaceEthnicity.black_or_african_american: "Black or African American",
    RaceEthnicity.native_hawaiian_or_other_pacific_islander: (
        "Native Hawaiian or Other Pacific Islander"
    ),
    RaceEthnicity.asian: "Asian",
    RaceEthnicity.american_indian_or_alaska_native: "American Indian or Alaska Native",
    RaceEthnicity.two_or_more_races: "Two or More Races",
    RaceEthnicity.prefer_not_to_say: "Prefer not to say",
}


class SelfIdentification(Base):
    """A candidate's voluntary answers; a missing row or a null answer means not given.

    Withdrawing deletes the row; deleting the account deletes it with the user (CASCADE).
    """

    __tablename__ = "self_identifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    sex: Mapped[Sex | None] = mapped_column(Enum(Sex, native_enum=False, length=20))
    race_ethnicity: Mapped[RaceEthnicity | None] = mapped_column(
        Enum(RaceEthnicity, native_enum=False, length=60)
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
