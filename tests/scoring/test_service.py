"""Scoring stored attempts: components with rubric versions and evidence, practice feedback."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hiresight.challenges.loader import load_bank
from hiresight.interviews.models import StageAttempt
from hiresight.scoring import service
from hiresight.scoring.models import AttemptScore
from hiresight.tasks import service as tasks
from tests.factories import bearer, make_user
from tests.profiles.factories import SAMPLE_TXT

STAR = (
    "Situation: our checkout service timed out every Friday evening. Task: as the on-call "
    "engineer I had to stop the outages before the holiday sale. Action: I profiled the "
    "database, found an N+1 query in the basket endpoint, added an index and batched the "
    "lookups, and I wrote a load test that ran in CI. Result: p99 latency fell from 2.1 s to "
    "300 ms and we had zero checkout incidents during the sale, which brought 40% more orders."
)


def _candidate(db: Session) -> dict[str, str]:
    from hiresight.profiles import service as profiles

    user = make_user(db)
    profiles.upload_resume(db, candidate=user, data=SAMPLE_TXT.encode(), filename="cv.txt")
    headers = bearer(db, user)
    db.commit()
    return headers


def _take(client: TestClient, headers: dict[str, str], stage: str, draft: dict, practice: bool):
    session = client.post(
        "/api/v1/interviews", headers=headers, json={"practice": practice, "stages": [stage]}
    ).json()
    attempt = client.post(
        f"/api/v1/interviews/{session['id']}/stages/{stage}/start", headers=headers
    ).json()
    client.post(f"/api/v1/attempts/{attempt['id']}/submit", headers=headers, json={"draft": draft})
    assert tasks.wait(120)
    return client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).json()


def test_practice_answer_gets_immediate_feedback(client: TestClient, db: Session) -> None:
    """A practice STAR story is scored; feedback lists STAR parts, missed points and an outline."""
    headers = _candidate(db)
    attempt = _take(client, headers, "behavioral", {"answers": {"b1": STAR}}, practice=True)
    feedback = attempt["practice_feedback"]
    assert feedback["structure"] == {
        "situation": True,
        "task": True,
        "action": True,
        "result": True,
    }
    assert feedback["model_outline"]
    assert isinstance(feedback["points_missed"], list)
    assert attempt["score"] > 40


def test_real_attempt_scores_are_stored_with_versions(client: TestClient, db: Session) -> None:
    """A real attempt's scores carry rubric version, provider and quoted evidence; no practice
    feedback reaches the candidate during the interview."""
    headers = _candidate(db)
    attempt = _take(client, headers, "behavioral", {"answers": {"b1": STAR}}, practice=False)
    assert attempt["practice_feedback"] is None
    rows = service.current_scores(db, attempt["id"])
    stage = rows["stage"]
    assert stage.rubric_version == "behavioural-star-rubric.v1"
    assert stage.provider == "rubric"
    assert all(e["quote"] in STAR for e in stage.evidence)
    assert "communication" in rows


def test_empty_answer_scores_near_zero(client: TestClient, db: Session) -> None:
    """Submitting nothing scores under 10."""
    headers = _candidate(db)
    attempt = _take(client, headers, "system_design", {"answers": {"sd1": ""}}, practice=False)
    assert attempt["score"] < 10


def test_code_review_is_graded_then_scored(client: TestClient, db: Session) -> None:
    """The reference patch, right flags and the reference explanation score highly on every
    code-review competency."""
    headers = _candidate(db)
    session = client.post(
        "/api/v1/interviews", headers=headers, json={"stages": ["code_review"]}
    ).json()
    attempt = client.post(
        f"/api/v1/interviews/{session['id']}/stages/code_review/start", headers=headers
    ).json()
    challenge = next(c for c in load_bank() if c.id == attempt["content"]["challenge"]["id"])
    flags = [
        {"file": b.file, "start_line": b.lines[0], "end_line": b.lines[1], "class": b.bug_class}
        for b in challenge.manifest.bugs
    ]
    explanation = " ".join(
        f"Problem: {b.explanation.problem} Fix: {b.explanation.fix} Impact: {b.explanation.impact}"
        for b in challenge.manifest.bugs
    )
    client.post(
        f"/api/v1/attempts/{attempt['id']}/submit",
        headers=headers,
        json={
            "draft": {"files": dict(challenge.solution), "flags": flags, "explanation": explanation}
        },
    )
    assert tasks.wait(180)
    rows = service.current_scores(db, attempt["id"])
    assert set(rows) == {"stage", "bug_identification", "patch_design", "explanation"}
    assert rows["bug_identification"].sub_scores["recall"] == 1.0
    assert rows["patch_design"].value >= 90
    assert rows["stage"].value >= 70


def test_rescoring_keeps_the_old_scores(client: TestClient, db: Session) -> None:
    """Scoring again adds rows; the newest is current and the first one is still there."""
    headers = _candidate(db)
    done = _take(client, headers, "behavioral", {"answers": {"b1": STAR}}, practice=False)
    attempt = db.get(StageAttempt, done["id"])
    assert attempt is not None
    before = db.scalar(select(func.count()).select_from(AttemptScore)) or 0
    service.store_scores(db, attempt, service.compute_scores(attempt))
    db.commit()
    assert (db.scalar(select(func.count()).select_from(AttemptScore)) or 0) == 2 * before
    assert service.current_scores(db, attempt.id)["stage"].id > min(
        r.id for r in db.scalars(select(AttemptScore).where(AttemptScore.attempt_id == attempt.id))
    )


def test_english_stage_gets_a_cefr_level(client: TestClient, db: Session) -> None:
    """Multiple-choice answers plus a writing sample give a stage score and a CEFR note."""
    headers = _candidate(db)
    session = client.post(
        "/api/v1/interviews", headers=headers, json={"stages": ["english"]}
    ).json()
    attempt = client.post(
        f"/api/v1/interviews/{session['id']}/stages/english/start", headers=headers
    ).json()
    for _ in range(4):
        current = client.get(f"/api/v1/attempts/{attempt['id']}", headers=headers).json()
        item = current["content"]["questions"][-1]
        client.post(
            f"/api/v1/attempts/{attempt['id']}/questions/{item['id']}/answer",
            headers=headers,
            json={"choice": 0},
        )
    client.post(
        f"/api/v1/attempts/{attempt['id']}/submit",
        headers=headers,
        json={
            "draft": {
                "writing": "Dear team, the release is delayed by two days because the payment "
                "tests "
                "failed on Friday. We found the cause and we are fixing it now."
            }
        },
    )
    assert tasks.wait(120)
    stage = service.current_scores(db, attempt["id"])["stage"]
    assert any(note.startswith("CEFR ") for note in stage.notes)
    assert "writing" in stage.sub_scores
