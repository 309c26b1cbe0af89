"""The audit as CSV: one line per category of each table, and the unknown counts."""

from __future__ import annotations

import csv
import io

from hiresight.fairness.schemas import FairnessReport, RateTable

COLUMNS = (
    "section", "dimension", "category", "label", "count", "positives", "rate", "share",
    "excludable", "impact_ratio", "reference", "impressions",
)  # fmt: skip
SECTIONS = {"selection": "selection_rate", "scoring": "scoring_rate", "apply": "apply_rate"}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _lines(table: RateTable) -> list[list[str]]:
    section = SECTIONS[table.measure]
    lines = []
    for row in table.rows:
        values = (row.count, row.positives, row.rate, row.share, row.excludable,
                  row.impact_ratio, row.reference, row.impressions)  # fmt: skip
        lines.append([section, table.dimension, row.category, row.label, *map(_cell, values)])
    unknown = table.unknown
    for reason, label, count in (
        ("not_provided", "Not provided", unknown.not_provided),
        ("prefer_not_to_say", "Prefer not to say", unknown.prefer_not_to_say),
    ):
        blank = [""] * (len(COLUMNS) - 5)
        lines.append([section, table.dimension, f"unknown:{reason}", f"Unknown: {label}",
                      str(count), *blank])  # fmt: skip
    return lines


def to_csv(report: FairnessReport) -> str:
    """Every table's rows; category and label texts are fixed, so nothing needs escaping
    against spreadsheet formulas."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for table in [*report.selection, *report.scoring, *report.recommender]:
        writer.writerows(_lines(table))
    return out.getvalue()


def filename(report: FairnessReport) -> str:
    """The download's name, without extension: `fairness-job-12` or `fairness-org-3`."""
    if report.job_id is not None:
        return f"fairness-job-{report.job_id}"
    return f"fairness-org-{report.organization_id}"
