"""Where an invitation stands and what it scored, read from the interview or take-home records
it opened (never stored twice)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.db import utcnow
from hiresight.interviews import sessions
from hiresight.interviews.models import AttemptState, InterviewSession, SessionState
from hiresight.interviews.scores import current_scores, scored_ids, weighted_overall
from hiresight.jobs.models import Application, Job
from hiresight.partners.models import PartnerInvitation
from hiresight.partners.schemas import InvitationState, Results, StageScore
from hiresight.takehome import service as takehome
from hiresight.takehome.models import TakehomeAssignment, TakehomeVersion, VersionState
from hiresight.takehome.schemas import EvaluationReport


def _interview(session: Session, invitation: PartnerInvitation) -> InterviewSession | None:
    if invitation.interview_id is None:
        return None
    interview = session.get(InterviewSession, invitation.interview_id)
    if interview is not None:
        # The server's clock, applied lazily as on every read of an interview.
        sessions.settle_session(session, interview)
    return interview


def _versions(session: Session, invitation: PartnerInvitation) -> list[TakehomeVersion] | None:
    """The take-home's versions, or None before the candidate started it."""
    if invitation.assignment_id is None or invitation.candidate_id is None:
        return None
    submission = takehome.submission_of(
        session, assignment_id=invitation.assignment_id, candidate_id=invitation.candidate_id
    )
    return (
        None if submission is None else takehome.versions_of(session, submission_id=submission.id)
    )


def _interview_state(session: Session, interview: InterviewSession) -> InvitationState:
    if interview.state is SessionState.abandoned:
        return InvitationState.abandoned
    if interview.state is not SessionState.completed:
        return InvitationState.started
    final = [a.id for a in interview.attempts if a.state in sessions.FINAL_STATES]
    if final and scored_ids(session, final) == set(final):
        return InvitationState.scored
    return InvitationState.completed


def state(session: Session, invitation: PartnerInvitation) -> InvitationState:
    """invited, started, completed, scored, abandoned (an interview left unanswered) or
    expired (a link never opened in time)."""
    if invitation.candidate_id is None:
        if utcnow() > invitation.expires_at:
            return InvitationState.expired
        return InvitationState.invited
    interview = _interview(session, invitation)
    if interview is not None:
        return _interview_state(session, interview)
    versions = _versions(session, invitation)
    if versions is None:
        return InvitationState.invited
    if not versions:
        return InvitationState.started
    # A failed evaluation stays `completed`: a person has to look at it.
    if versions[-1].state is VersionState.evaluated:
        return InvitationState.scored
    return InvitationState.completed


def _report_urls(
    session: Session, invitation: PartnerInvitation, base_url: str
) -> tuple[str | None, str | None]:
    """The recruiter's scorecard page and PDF: staff see them once the candidate is an
    applicant to one of the organization's jobs."""
    applicant = session.scalar(
        select(Application.id)
        .join(Job, Job.id == Application.job_id)
        .where(
            Application.candidate_id == invitation.candidate_id,
            Job.organization_id == invitation.organization_id,
        )
        .limit(1)
    )
    if applicant is None:
        return None, None
    base = base_url.rstrip("/")
    cid = invitation.candidate_id
    return (
        f"{base}/recruiter/candidates/{cid}/scorecard",
        f"{base}/api/v1/candidates/{cid}/scorecard.pdf",
    )


def _interview_results(
    session: Session, invitation: PartnerInvitation, interview: InterviewSession, base_url: str
) -> Results:
    finished = [
        a for a in interview.attempts if a.state in (AttemptState.submitted, AttemptState.expired)
    ]
    with_rows = scored_ids(session, [a.id for a in finished])
    stages = []
    for attempt in finished:
        rows = current_scores(session, attempt.id)
        # The stage's own component carries the rubric; a stage scored in parts names its first.
        row = rows.get("stage") or next(iter(rows.values()), None)
        stages.append(
            StageScore(
                stage=attempt.stage.value,
                score=attempt.score if attempt.id in with_rows else None,
                rubric_version=row.rubric_version if row else None,
            )
        )
    overall = weighted_overall({a.stage: s.score for a, s in zip(finished, stages, strict=True)})
    page, pdf = _report_urls(session, invitation, base_url)
    return Results(overall=overall, stages=stages, report_url=page, report_pdf_url=pdf)


def _takehome_results(
    session: Session, invitation: PartnerInvitation, versions: list[TakehomeVersion], base_url: str
) -> Results:
    assignment = session.get_one(TakehomeAssignment, invitation.assignment_id)
    evaluated = [v for v in versions if v.state is VersionState.evaluated and v.report]
    metrics: dict[str, float] = {}
    if evaluated:
        report = EvaluationReport.model_validate(evaluated[-1].report)
        if report.run.scores is not None:
            metrics = report.run.scores.all.values
    stage = StageScore(
        stage="takehome",
        score=None,
        rubric_version=f"takehome-{assignment.sha256[:12]}",
        metrics=metrics,
    )
    latest = versions[-1]
    return Results(
        overall=None,
        stages=[stage],
        report_url=f"{base_url.rstrip('/')}/recruiter/takehome-versions/{latest.id}",
    )


def results(session: Session, invitation: PartnerInvitation, base_url: str) -> Results | None:
    """The scorecard summary once anything was answered, else None."""
    interview = _interview(session, invitation)
    if interview is not None:
        if not any(a.state in sessions.FINAL_STATES for a in interview.attempts):
            return None
        return _interview_results(session, invitation, interview, base_url)
    versions = _versions(session, invitation)
    if not versions:
        return None
    return _takehome_results(session, invitation, versions, base_url)
