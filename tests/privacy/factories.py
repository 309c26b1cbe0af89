"""A candidate with something in every kind of table: the known data export, erasure and
retention are checked against."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.orm import Session

from hiresight.accounts import service as accounts
from hiresight.accounts.models import LoginAttempt, Organization, Role, User
from hiresight.audit import service as audit
from hiresight.db import utcnow
from hiresight.engagement.models import EngagementEvent
from hiresight.fairness.models import SelfIdentification
from hiresight.interviews.config import StageKind
from hiresight.interviews.models import (
    AttemptState,
    IntegrityEvent,
    InterviewSession,
    SessionState,
    StageAttempt,
)
from hiresight.interviews.scores import AttemptScore
from hiresight.jobs.models import ApplicationMove, Job, PanelScorecard
from hiresight.matching.models import RecsExposure
from hiresight.models import Base
from hiresight.partners.models import PartnerInvitation
from hiresight.profiles.models import PortfolioReview, ResumeVersion
from hiresight.takehome.models import (
    TakehomeAssignment,
    TakehomeInvitation,
    TakehomeSubmission,
    TakehomeVersion,
    VersionState,
)
from hiresight.tasks.models import PendingWork
from tests.factories import make_application, make_job, make_user

# Markers that must (or must never) show up in an export.
RESUME_BYTES = b"%PDF-1.4 resume of the candidate"
TAKEHOME_BYTES = b"PK takehome upload"
AUDIO_BYTES = b"OggS audio of an answer"
ANSWER_KEY = "ANSWER-KEY: the off-by-one in paginate()"
HIDDEN_TEST = "HIDDEN-TEST: assert paginate(0) == []"
RECRUITER_NOTE = "RECRUITER-NOTE: strong on APIs, ask about tests"
PANEL_NOTE = "PANEL-NOTE: interviewer's private summary"
TAKEHOME_REPORT = "TAKEHOME-REPORT: rmse against hidden answers"


@dataclass
class Candidate:
    """The candidate's user and the records the tests look for."""

    user: User
    job: Job
    application_id: int
    code_review_id: int
    behavioral_id: int
    interview_id: int
    submission_id: int


def make_candidate(
    session: Session, org: Organization, recruiter: User, *, job: Job | None = None
) -> Candidate:
    """A candidate with a résumé, a portfolio review, an interview (a code review and a
    behavioural stage, scored, with integrity events and pending work), an application moved by
    a recruiter with a note and a panel scorecard, engagement, an experiment exposure, a
    take-home, a failed login, a partner invitation by address, self-identification, audit
    entries, a login session and an API token (and a voice recording when that table exists)."""
    user = make_user(session)
    now = utcnow()
    session.add(
        ResumeVersion(
            candidate_id=user.id, version=1, filename="cv.pdf", file_type="pdf",
            size_bytes=len(RESUME_BYTES), sha256="0" * 64, content=RESUME_BYTES,
            parsed={"skills": ["Python", "SQL"]}, parser_version="test",
        )
    )  # fmt: skip
    session.add(
        PortfolioReview(candidate_id=user.id, filename="repo.zip", score=71, report={"ok": 1})
    )
    job = job or make_job(session, org)
    application = make_application(session, user, job)
    session.add(
        ApplicationMove(
            application_id=application.id, actor_id=recruiter.id, action="advance",
            from_stage="screening", to_stage="panel", from_status="applied",
            to_status="advanced", note=RECRUITER_NOTE,
        )
    )  # fmt: skip
    session.add(
        PanelScorecard(
            application_id=application.id, stage="panel", interviewer_id=recruiter.id,
            ratings={}, summary=PANEL_NOTE,
        )
    )  # fmt: skip
    interview = InterviewSession(
        candidate_id=user.id, job_id=job.id, config={}, state=SessionState.completed
    )
    session.add(interview)
    session.flush()
    attempts = {}
    for number, stage in enumerate((StageKind.code_review, StageKind.behavioral), start=1):
        attempt = StageAttempt(
            session_id=interview.id, candidate_id=user.id, stage=stage, attempt_no=number,
            state=AttemptState.submitted, deadline_at=now, content={"question": stage.value},
            private={"hidden": HIDDEN_TEST}, answer={"text": f"my {stage.value} answer"},
            score=80.0,
        )  # fmt: skip
        session.add(attempt)
        session.flush()
        attempts[stage] = attempt
        session.add(
            AttemptScore(
                attempt_id=attempt.id, component="stage", value=80.0, rubric_version="rubric-7",
                provider="rubric", evidence=[{"quote": f"my {stage.value} answer"}],
                points_missed=[ANSWER_KEY if stage is StageKind.code_review else "Say the result"],
            )
        )  # fmt: skip
        session.add(IntegrityEvent(attempt_id=attempt.id, kind="paste", data={"chars": 12}))
    session.add(PendingWork(kind="score", attempt_id=attempts[StageKind.behavioral].id))
    session.add(
        EngagementEvent(event_id=uuid.uuid4().hex, candidate_id=user.id, job_id=job.id, kind="view")
    )
    session.add(
        RecsExposure(
            experiment="exp", variant="a", candidate_id=user.id, request_id=uuid.uuid4().hex,
            ranker="live",
        )
    )  # fmt: skip
    assignment = TakehomeAssignment(
        organization_id=org.id, created_by_id=recruiter.id, title="Forecast", duration_days=3.0,
        spec={}, archive=b"assignment", sha256="1" * 64,
    )  # fmt: skip
    session.add(assignment)
    session.flush()
    session.add(
        TakehomeInvitation(
            assignment_id=assignment.id, candidate_id=user.id, application_id=application.id,
            assigned_by_id=recruiter.id,
        )
    )  # fmt: skip
    submission = TakehomeSubmission(
        assignment_id=assignment.id, candidate_id=user.id, deadline_at=now + dt.timedelta(days=3)
    )
    session.add(submission)
    session.flush()
    session.add(
        TakehomeVersion(
            submission_id=submission.id, number=1, filename="work.zip", kind="zip",
            size_bytes=len(TAKEHOME_BYTES), sha256="2" * 64, content=TAKEHOME_BYTES,
            state=VersionState.evaluated, report={"summary": TAKEHOME_REPORT},
        )
    )  # fmt: skip
    session.add(LoginAttempt(email=user.email, client_ip="192.0.2.7"))
    session.add(
        PartnerInvitation(
            organization_id=org.id, assessment_id="template-1", candidate_email=user.email,
            candidate_name="Test Candidate", external_application_id=f"ats-{user.id}",
            nonce=uuid.uuid4().hex, expires_at=now + dt.timedelta(days=7),
        )
    )  # fmt: skip
    session.add(SelfIdentification(candidate_id=user.id))
    audit.record(
        session, actor_id=user.id, organization_id=None, action="application.create",
        entity_type="application", entity_id=application.id, details={"said": "hello"},
    )  # fmt: skip
    audit.record(
        session, actor_id=recruiter.id, organization_id=org.id, action="application.move",
        entity_type="application", entity_id=application.id, details={"note": RECRUITER_NOTE},
    )  # fmt: skip
    accounts.start_web_session(session, user=user, ttl=dt.timedelta(hours=1))
    accounts.create_api_token(session, user=user, name="mine")
    _voice_recording(session, user.id, attempts[StageKind.behavioral].id)
    session.flush()
    return Candidate(
        user=user, job=job, application_id=application.id,
        code_review_id=attempts[StageKind.code_review].id,
        behavioral_id=attempts[StageKind.behavioral].id, interview_id=interview.id,
        submission_id=submission.id,
    )  # fmt: skip


def _voice_recording(session: Session, user_id: int, attempt_id: int) -> None:
    """A spoken answer's audio, where the build stores recordings."""
    tables = Base.metadata.tables
    if "answer_recordings" not in tables or "voice_consents" not in tables:
        return
    consent_id = session.execute(
        insert(tables["voice_consents"])
        .values(candidate_id=user_id, notice_version="v1", consented_at=utcnow())
        .returning(tables["voice_consents"].c.id)
    ).scalar_one()
    session.execute(
        insert(tables["answer_recordings"]).values(
            attempt_id=attempt_id, question_id="q1", consent_id=consent_id,
            mime_type="audio/ogg", state="transcribed", size_bytes=len(AUDIO_BYTES),
            audio=AUDIO_BYTES, created_at=utcnow(),
        )
    )  # fmt: skip


def make_cast(session: Session) -> tuple[Organization, User, User]:
    """An organization with an admin and a recruiter."""
    admin = make_user(session, Role.admin)
    assert admin.organization is not None
    recruiter = make_user(session, Role.recruiter, org=admin.organization)
    return admin.organization, admin, recruiter
