"""Exports: the CSV carries contact, dates, scores, CEFR and the decision note, escaped; the PDF
scorecard names the job, the date and the rubric versions."""

from __future__ import annotations

import csv
import datetime as dt
import io

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.interviews.config import StageKind
from hiresight.interviews.models import AttemptState, InterviewSession, StageAttempt
from hiresight.interviews.scores import AttemptScore
from tests.factories import bearer, make_application, make_job, make_user


def _english(db: Session, candidate_id: int, value: float) -> None:
    """A finished English stage at B2 whose score is stored directly."""
    now = dt.datetime.now(dt.UTC)
    interview = InterviewSession(candidate_id=candidate_id, config={}, practice=False)
    db.add(interview)
    db.flush()
    attempt = StageAttempt(
        session_id=interview.id, candidate_id=candidate_id, stage=StageKind.english, attempt_no=1,
        state=AttemptState.submitted, deadline_at=now, submitted_at=now, content={}, private={},
        score=value,
    )  # fmt: skip
    db.add(attempt)
    db.flush()
    db.add(AttemptScore(
        attempt_id=attempt.id, component="stage", value=value, rubric_version="english-test-v7",
        provider="rubric", notes=["CEFR B2"],
    ))  # fmt: skip


def test_csv_has_contact_dates_scores_cefr_and_an_escaped_note(
    client: TestClient, db: Session
) -> None:
    """One row per applicant with e-mail, applied and decided dates, stage scores, CEFR and
    the decision note; a note or e-mail that could start a formula is quoted."""
    recruiter = make_user(db, Role.recruiter)
    job = make_job(db, recruiter.organization)
    applicant = make_user(db, email="-ada@example.com")
    application = make_application(db, applicant, job)
    _english(db, applicant.id, 71.0)
    headers = bearer(db, recruiter)
    db.commit()
    note = '=HYPERLINK("https://evil.example","x")'
    r = client.patch(
        f"/api/v1/applications/{application.id}",
        headers=headers,
        json={"status": "on_hold", "note": note},
    )
    assert r.status_code == 200
    r = client.get(f"/api/v1/jobs/{job.id}/candidates.csv", headers=headers)
    assert r.status_code == 200
    (row,) = csv.DictReader(io.StringIO(r.text, newline=""))
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert row["email"] == "'-ada@example.com"
    assert row["applied_at"] == today
    assert row["decided_at"] == today
    assert row["decision_note"] == "'" + note
    assert row["status"] == "on_hold"
    assert row["english"] == "71.0"
    assert row["cefr"] == "B2"
    assert row["recommendation"] == "incomplete"  # four stages are not taken yet


def test_pdf_names_the_job_the_date_and_the_rubric_versions(
    client: TestClient, db: Session
) -> None:
    """The scorecard PDF's text carries the job title, today's date and the rubric version."""
    recruiter = make_user(db, Role.recruiter)
    job = make_job(db, recruiter.organization, title="Staff Platform Engineer")
    applicant = make_user(db)
    make_application(db, applicant, job)
    _english(db, applicant.id, 64.0)
    headers = bearer(db, recruiter)
    db.commit()
    r = client.get(f"/api/v1/candidates/{applicant.id}/scorecard.pdf", headers=headers)
    assert r.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    assert "Job: Staff Platform Engineer" in text
    assert dt.datetime.now(dt.UTC).date().isoformat() in text
    assert "english-test-v7" in text.split("Rubric versions:")[1].split("\n")[0]
