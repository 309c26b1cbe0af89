"""The words the report's page and PDF share: table titles, definitions and limits."""

from __future__ import annotations

import datetime as dt

TABLE_TITLES = {
    (measure, dimension): f"{measure_title} by {dimension_title}"
    for measure, measure_title in (
        ("selection", "Selection rate"),
        ("scoring", "Scoring rate"),
        ("apply", "Recommender: exposure and apply rate"),
    )
    for dimension, dimension_title in (
        ("sex", "sex"),
        ("race_ethnicity", "race/ethnicity"),
        ("intersectional", "sex and race/ethnicity (intersectional)"),
    )
}
DEFINITIONS = (
    "Completed: the candidate finished an AI screening interview the organization may read, "
    "for this job or not tied to a job. Advanced: a person moved the application past the AI "
    "screening stage, or set it to advanced or hired.",
    "Selection rate = advanced ÷ completed. Scoring rate = the share of a category's scored "
    "applications above the median overall score of all scored applications in scope.",
    "Impact ratio = a category's rate ÷ the highest rate among categories with at least 2% of "
    "the known data. Categories under 2% are flagged and shown, never the reference.",
    "Recommender: pairs of a candidate and a job in scope that the recommender showed; apply "
    "rate = pairs where the candidate applied at or after the first impression ÷ pairs shown.",
    "Units are applications (or candidate-job pairs), counted by the candidate's voluntary "
    "self-identification; unknown answers are counted apart and are in no ratio.",
)
LIMITS = (
    "Self-identification is voluntary and incomplete: the figures describe only those who "
    "answered. NYC Local Law 144 requires the bias audit to be done by an independent auditor; "
    "these figures are the data for it, not the audit.",
)


def period(date_from: dt.date | None, date_to: dt.date | None) -> str:
    """The period in words: both days included."""
    if date_from is None and date_to is None:
        return "all dates"
    return f"{date_from or 'the start'} to {date_to or 'today'}"
