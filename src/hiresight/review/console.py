"""The recruiter console's data: a job's candidates ranked by any competency, the funnel, the
score distributions, and the CSV export. Pure reads; decisions go through jobs.service."""

from __future__ import annotations

import csv
import io
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from hiresight.interviews.config import StageKind
from hiresight.jobs import service as jobs
from hiresight.jobs.models import ApplicationStatus, Job
from hiresight.review import scorecard
from hiresight.review.scorecard import Scorecard

CEFR_ORDER = ("A1", "A2", "B1", "B2", "C1", "C2")
COMPETENCIES = ("bug_identification", "patch_design", "explanation", "communication")
SortKey = Literal[
    "overall", "name", "english", "resume", "code_review", "system_design", "behavioral",
    "bug_identification", "patch_design", "explanation", "communication", "integrity",
]  # fmt: skip


class CandidateRow(BaseModel):
    """One applicant of a job, with the numbers a recruiter sorts and filters by."""

    candidate_id: int
    name: str
    application_id: int
    status: ApplicationStatus
    overall: float | None
    cefr: str | None
    recommendation: str | None
    stages: dict[str, float | None] = Field(default_factory=dict)
    competencies: dict[str, float | None] = Field(default_factory=dict)
    integrity_flags: int = 0


def _row(application_id: int, status: ApplicationStatus, card: Scorecard) -> CandidateRow:
    stages = {s.stage.value: s.score for s in card.stages}
    competencies: dict[str, float | None] = dict.fromkeys(COMPETENCIES)
    comm = [s.components["communication"].value for s in card.stages
            if "communication" in s.components]  # fmt: skip
    competencies["communication"] = round(sum(comm) / len(comm), 1) if comm else None
    for stage in card.stages:
        if stage.stage is StageKind.code_review:
            for name in ("bug_identification", "patch_design", "explanation"):
                if name in stage.components:
                    competencies[name] = stage.components[name].value
    return CandidateRow(
        candidate_id=card.candidate_id, name=card.candidate_name, application_id=application_id,
        status=status, overall=card.overall, cefr=card.cefr, recommendation=card.recommendation,
        stages=stages, competencies=competencies, integrity_flags=len(card.integrity),
    )  # fmt: skip


def job_candidates(session: Session, job: Job) -> list[CandidateRow]:
    """Every applicant of the job with their scorecard numbers."""
    return [
        _row(
            app.id,
            app.status,
            scorecard.build(session, app.candidate, organization_id=job.organization_id),
        )
        for app in jobs.get_for_job(session, job=job)
    ]


def _sort_value(row: CandidateRow, key: SortKey) -> tuple[int, float | str]:
    if key == "name":
        return (0, row.name.lower())
    if key == "integrity":
        return (0, float(row.integrity_flags))
    value = row.overall if key == "overall" else row.stages.get(key, row.competencies.get(key))
    # Candidates without a value sort last whichever the direction.
    return (0, value) if value is not None else (1, 0.0)


def filter_and_sort(
    rows: list[CandidateRow],
    *,
    sort: SortKey = "overall",
    descending: bool = True,
    min_score: float | None = None,
    min_cefr: str | None = None,
    status: ApplicationStatus | None = None,
) -> list[CandidateRow]:
    """Filter by overall score, CEFR level and status; sort by any column."""
    kept = [
        r for r in rows
        if (min_score is None or (r.overall is not None and r.overall >= min_score))
        and (min_cefr is None or (r.cefr in CEFR_ORDER
                                  and CEFR_ORDER.index(r.cefr) >= CEFR_ORDER.index(min_cefr)))
        and (status is None or r.status is status)
    ]  # fmt: skip
    present = [r for r in kept if _sort_value(r, sort)[0] == 0]
    absent = [r for r in kept if _sort_value(r, sort)[0] == 1]
    present.sort(key=lambda r: _sort_value(r, sort)[1], reverse=descending)
    return present + absent


def funnel(rows: list[CandidateRow]) -> dict[str, int]:
    """Applicants invited (applied), started, completed every stage, and advanced."""
    return {
        "invited": len(rows),
        "started": sum(1 for r in rows if r.stages),
        "completed": sum(1 for r in rows if len(r.stages) == len(StageKind)),
        "advanced": sum(1 for r in rows if r.status in (ApplicationStatus.advanced,
                                                        ApplicationStatus.hired)),
    }  # fmt: skip


def distribution(rows: list[CandidateRow], bins: int = 10) -> dict[str, list[int]]:
    """Per stage, how many candidates scored in each tenth of 0–100."""
    out: dict[str, list[int]] = {}
    for kind in StageKind:
        counts = [0] * bins
        for row in rows:
            value = row.stages.get(kind.value)
            if value is not None:
                counts[min(bins - 1, int(value // (100 / bins)))] += 1
        out[kind.value] = counts
    return out


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV Injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A text cell a spreadsheet shows as text: one that could start a formula gets a `'`."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: list[CandidateRow]) -> str:
    """The rows as CSV, one column per stage and competency."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    stage_names = [k.value for k in StageKind]
    writer.writerow(
        [
            "candidate_id",
            "name",
            "status",
            "overall",
            "cefr",
            "recommendation",
            *stage_names,
            *COMPETENCIES,
            "integrity_flags",
        ]
    )
    for r in rows:
        writer.writerow([csv_cell(cell) for cell in (
            r.candidate_id, r.name, r.status.value, r.overall, r.cefr, r.recommendation,
            *[r.stages.get(s) for s in stage_names], *[r.competencies.get(c) for c in COMPETENCIES],
            r.integrity_flags,
        )])  # fmt: skip
    return buffer.getvalue()
