"""The recruiter console's data: a job's candidates ranked by any competency, the funnel, the
score distributions, and the CSV export. Pure reads; decisions go through jobs.service."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.models import User
from hiresight.audit.models import AuditLog
from hiresight.interviews.config import StageKind
from hiresight.jobs import panels
from hiresight.jobs import service as jobs
from hiresight.jobs.models import Application, ApplicationStatus, Job, JobStatus
from hiresight.jobs.pipeline import StageType
from hiresight.jobs.schemas import CompetencyRating, PipelineColumn
from hiresight.matching import service as matching
from hiresight.review import scorecard
from hiresight.review.scorecard import Scorecard

CEFR_ORDER = ("A1", "A2", "B1", "B2", "C1", "C2")
COMPETENCIES = ("bug_identification", "patch_design", "explanation", "communication")
SortKey = Literal[
    "overall", "match", "name", "english", "resume", "code_review", "system_design", "behavioral",
    "bug_identification", "patch_design", "explanation", "communication", "integrity",
]  # fmt: skip
# What a recruiter reads for each status, instead of the stored value (`on_hold`).
STATUS_LABELS = {
    ApplicationStatus.applied: "Applied", ApplicationStatus.interviewing: "Interviewing",
    ApplicationStatus.advanced: "Advanced", ApplicationStatus.on_hold: "On hold",
    ApplicationStatus.rejected: "Rejected", ApplicationStatus.hired: "Hired",
    ApplicationStatus.withdrawn: "Withdrawn",
}  # fmt: skip
DECISION_ACTION = "application.decide"


def status_label(status: ApplicationStatus) -> str:
    """The human label of an application status ("On hold", not `on_hold`)."""
    return STATUS_LABELS[status]


class CandidateRow(BaseModel):
    """One applicant of a job, with the numbers a recruiter sorts and filters by."""

    candidate_id: int
    name: str
    email: str = ""
    application_id: int
    status: ApplicationStatus
    applied_at: dt.datetime | None = None
    decided_at: dt.datetime | None = None
    decision_note: str = ""
    # Not every stage is taken yet: the advice is shown as "incomplete", not as a verdict.
    incomplete: bool = False
    overall: float | None
    cefr: str | None
    recommendation: str | None
    stages: dict[str, float | None] = Field(default_factory=dict)
    competencies: dict[str, float | None] = Field(default_factory=dict)
    integrity_flags: int = 0
    # How well the profile fits the job on paper, 0-100 (matching.fit), beside the interview
    # score and never instead of it: it sorts, it rejects no one. None when the job is closed.
    match: int | None = None
    match_explanation: str = ""


def _row(app: Application, card: Scorecard, decision: AuditLog | None = None) -> CandidateRow:
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
        candidate_id=card.candidate_id, name=card.candidate_name, email=app.candidate.email,
        application_id=app.id, status=app.status, applied_at=app.created_at,
        decided_at=decision.created_at if decision else None,
        decision_note=str(decision.details.get("note") or "") if decision else "",
        incomplete=bool(card.missing_stages), overall=card.overall, cefr=card.cefr,
        recommendation=card.recommendation, stages=stages, competencies=competencies,
        integrity_flags=len(card.integrity),
    )  # fmt: skip


def latest_decisions(session: Session, application_ids: list[int]) -> dict[int, AuditLog]:
    """Per application, its newest audited decision (when and with what note)."""
    if not application_ids:
        return {}
    stmt = (
        select(AuditLog)
        .where(
            AuditLog.action == DECISION_ACTION,
            AuditLog.entity_type == "application",
            AuditLog.entity_id.in_([str(i) for i in application_ids]),
        )
        .order_by(AuditLog.id)
    )
    return {int(entry.entity_id): entry for entry in session.scalars(stmt)}


def job_candidates(session: Session, job: Job) -> list[CandidateRow]:
    """Every applicant of the job with their scorecard numbers, match and latest decision.

    The match comes from the recommender's ranking of the applicants, which covers open jobs.
    """
    apps = jobs.get_for_job(session, job=job)
    decisions = latest_decisions(session, [app.id for app in apps])
    ranked = (
        {i.candidate_id: i for i in matching.rank_applicants(session, job=job).items}
        if apps and job.status is JobStatus.open
        else {}
    )
    rows = []
    for app in apps:
        card = scorecard.build(session, app.candidate, organization_id=job.organization_id)
        row = _row(app, card, decisions.get(app.id))
        if (fit := ranked.get(app.candidate_id)) is not None:
            row.match, row.match_explanation = fit.match, fit.explanation
        rows.append(row)
    return rows


def parse_min_score(text: str) -> float | None:
    """The console form's "Minimum overall": empty or unreadable means no filter; kept in 0–100."""
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return min(100.0, max(0.0, value)) if value == value else None  # NaN is no filter


def applied_job_titles(session: Session, candidate: User, organization_id: int | None) -> list[str]:
    """The titles of the organization's jobs the candidate applied to, newest first."""
    return [
        app.job.title
        for app in jobs.get_for_candidate(session, candidate=candidate)
        if app.job.organization_id == organization_id
    ]


def _sort_value(row: CandidateRow, key: SortKey) -> tuple[int, float | str]:
    if key == "name":
        return (0, row.name.lower())
    if key == "integrity":
        return (0, float(row.integrity_flags))
    if key == "match":
        return (0, float(row.match)) if row.match is not None else (1, 0.0)
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
    """Filter by overall score, CEFR level and status; sort by any column.

    `descending` puts the best first: the highest score, or for names the alphabet's start
    (A→Z), so one "Highest first" switch reads naturally for every column.
    """
    kept = [
        r for r in rows
        if (min_score is None or (r.overall is not None and r.overall >= min_score))
        and (min_cefr is None or (r.cefr in CEFR_ORDER
                                  and CEFR_ORDER.index(r.cefr) >= CEFR_ORDER.index(min_cefr)))
        and (status is None or r.status is status)
    ]  # fmt: skip
    present = [r for r in kept if _sort_value(r, sort)[0] == 0]
    absent = [r for r in kept if _sort_value(r, sort)[0] == 1]
    reverse = descending if sort != "name" else not descending
    present.sort(key=lambda r: _sort_value(r, sort)[1], reverse=reverse)
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


def _date(value: dt.datetime | None) -> str:
    return value.date().isoformat() if value else ""


def to_csv(rows: list[CandidateRow]) -> str:
    """The rows as CSV: contact, dates, one column per stage and competency, the decision note.

    Every text cell goes through `csv_cell`, so a name, e-mail or note cannot run as a formula.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    stage_names = [k.value for k in StageKind]
    writer.writerow(
        [
            "candidate_id", "name", "email", "status", "applied_at", "decided_at", "overall",
            "cefr", "recommendation", *stage_names, *COMPETENCIES, "integrity_flags",
            "decision_note",
        ]
    )  # fmt: skip
    for r in rows:
        advice = "incomplete" if r.incomplete else r.recommendation
        writer.writerow([csv_cell(cell) for cell in (
            r.candidate_id, r.name, r.email, r.status.value, _date(r.applied_at),
            _date(r.decided_at), r.overall, r.cefr, advice,
            *[r.stages.get(s) for s in stage_names], *[r.competencies.get(c) for c in COMPETENCIES],
            r.integrity_flags, r.decision_note,
        )])  # fmt: skip
    return buffer.getvalue()


class BoardCard(BaseModel):
    """One applicant on the pipeline board, with what Hiresight advises (a person decides)."""

    application_id: int
    candidate_id: int
    name: str
    status: ApplicationStatus
    decision_note: str = ""
    advice: str = ""


class BoardColumn(BaseModel):
    """One stage of the board: its funnel line and its cards."""

    stage: PipelineColumn
    cards: list[BoardCard]


class Board(BaseModel):
    """The job's pipeline as columns, and the applicants out of the process."""

    columns: list[BoardColumn]
    out: list[BoardCard]


def stage_advice(kind: StageType, row: CandidateRow) -> str:
    """What Hiresight suggests at a stage, from the scorecard; never a decision.

    Only the AI screening has scores to read: finished, in progress, or not started.
    """
    if kind is not StageType.ai_screening:
        return ""
    if row.overall is not None and not row.incomplete:
        return f"Interview finished, scored {round(row.overall)}: ready for review"
    if row.stages:
        return "Interview in progress"
    return "Interview not started"


def pipeline_board(session: Session, job: Job, rows: list[CandidateRow]) -> Board:
    """The board of the job's pipeline: `jobs.service.board` with names, notes and advice."""
    board = jobs.board(session, job=job)
    by_app = {r.application_id: r for r in rows}

    def card(app_id: int, kind: StageType | None) -> BoardCard:
        row = by_app[app_id]
        return BoardCard(
            application_id=app_id, candidate_id=row.candidate_id, name=row.name,
            status=row.status, decision_note=row.decision_note,
            advice=stage_advice(kind, row) if kind is not None else "",
        )  # fmt: skip

    columns = [
        BoardColumn(stage=col, cards=[card(i, col.kind) for i in col.application_ids])
        for col in board.stages
    ]
    out = [
        card(r.application_id, None)
        for r in rows
        if r.status in (ApplicationStatus.rejected, ApplicationStatus.withdrawn)
    ]
    return Board(columns=columns, out=out)


class PanelCard(BaseModel):
    """One interviewer's scorecard at a panel stage, as the candidate's scorecard shows it."""

    interviewer_id: int
    interviewer: str
    ratings: dict[str, CompetencyRating]
    summary: str
    updated_at: dt.datetime


class PanelSection(BaseModel):
    """A panel stage of the application's pipeline: its competencies and every scorecard."""

    stage: str
    title: str
    competencies: dict[str, str]
    # What to ask for each competency (STAR prompts for culture and leadership).
    prompts: dict[str, str] = Field(default_factory=dict)
    cards: list[PanelCard]
    # The signed-in interviewer's own scorecard, to fill the form again.
    mine: PanelCard | None = None
    # Per competency, the interviewers' mean rating (1-4), None before anyone rated.
    means: dict[str, float | None] = Field(default_factory=dict)


def panel_sections(
    session: Session, application: Application, viewer_id: int
) -> list[PanelSection]:
    """The panel interviews of the application's pipeline with the people's scorecards: kept
    apart from the AI interview's scores, and never folded into the overall."""
    stored = jobs.get_panel_scorecards(session, application=application)
    sections = []
    for stage in jobs.stages(application.job):
        if stage.panel_kind is None:
            continue
        cards = [
            PanelCard(
                interviewer_id=c.interviewer_id, interviewer=c.interviewer.full_name,
                ratings={k: CompetencyRating.model_validate(v) for k, v in c.ratings.items()},
                summary=c.summary, updated_at=c.updated_at,
            )
            for c in stored
            if c.stage == stage.key
        ]  # fmt: skip
        competencies = panels.COMPETENCIES[stage.panel_kind]
        means: dict[str, float | None] = {}
        for name in competencies:
            values = [c.ratings[name].rating for c in cards if name in c.ratings]
            means[name] = round(sum(values) / len(values), 2) if values else None
        sections.append(PanelSection(
            stage=stage.key, title=stage.title, competencies=competencies,
            prompts=panels.PROMPTS[stage.panel_kind], cards=cards,
            mine=next((c for c in cards if c.interviewer_id == viewer_id), None), means=means,
        ))  # fmt: skip
    return sections
