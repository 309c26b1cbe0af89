"""Every attempt at a stage on the recruiter's scorecard: score, time, integrity flags, the
candidate's note, and which attempt counts (chosen, else the latest finished one)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.tasks import service as tasks
from tests.factories import bearer, make_application, make_job, make_user
from tests.interviews.test_scoring import STAR
from tests.review.conftest import signed_in


def _retake_with_a_paste(client: TestClient, world: dict) -> dict:
    """Retake the behavioural stage (confirmed), paste 900 characters, submit, and score it."""
    r = client.post(
        f"/api/v1/attempts/{world['story_id']}/retake",
        headers=world["cand"],
        json={"confirm": True},
    )
    assert r.status_code == 201, r.text
    retake = r.json()
    events = {"events": [{"kind": "paste", "data": {"chars": 900}}]}
    client.post(f"/api/v1/attempts/{retake['id']}/events", headers=world["cand"], json=events)
    client.post(
        f"/api/v1/attempts/{retake['id']}/submit",
        headers=world["cand"],
        json={"draft": {"answers": {"b1": "I did some things and it went fine."}}},
    )
    assert tasks.wait(180)
    return retake


def _behavioural(card: dict) -> dict:
    return next(s for s in card["stages"] if s["stage"] == "behavioral")


def test_the_scorecard_lists_every_attempt_and_marks_the_one_that_counts(
    client: TestClient, world: dict
) -> None:
    """Two behavioural attempts: both listed with score, time, flags and note; the latest
    counts until the candidate chooses the first, which then counts on the card."""
    client.put(
        f"/api/v1/attempts/{world['story_id']}/note",
        headers=world["cand"],
        json={"note": "Ran out of time on the result."},
    )
    retake = _retake_with_a_paste(client, world)
    url = f"/api/v1/candidates/{world['candidate'].id}/scorecard"
    stage = _behavioural(client.get(url, headers=world["staff"]).json())
    rows = {row["attempt_id"]: row for row in stage["attempts"]}
    assert list(rows) == [world["story_id"], retake["id"]]
    first, second = rows[world["story_id"]], rows[retake["id"]]
    assert (first["attempt_no"], second["attempt_no"]) == (1, 2)
    assert first["note"] == "Ran out of time on the result."
    assert first["score"] is not None
    assert second["score"] is not None
    assert first["score"] > second["score"]  # the STAR story beats the vague retake
    assert first["seconds"] is not None
    assert first["seconds"] >= 0
    assert [f["code"] for f in second["integrity"]] == ["large_paste"]
    assert "large_paste" not in [f["code"] for f in first["integrity"]]
    assert (first["counts"], second["counts"]) == (False, True)
    assert stage["attempt_id"] == retake["id"]
    client.post(f"/api/v1/attempts/{world['story_id']}/select", headers=world["cand"])
    stage = _behavioural(client.get(url, headers=world["staff"]).json())
    rows = {row["attempt_id"]: row for row in stage["attempts"]}
    assert rows[world["story_id"]]["counts"] is True
    assert rows[world["story_id"]]["chosen"] is True
    assert rows[retake["id"]]["counts"] is False
    assert stage["attempt_id"] == world["story_id"]
    assert stage["score"] == rows[world["story_id"]]["score"]


def test_the_scorecard_page_shows_one_row_per_attempt(
    client: TestClient, app: FastAPI, world: dict
) -> None:
    """The recruiter's page has a row per behavioural attempt with its flag, note and marker."""
    client.put(
        f"/api/v1/attempts/{world['story_id']}/note",
        headers=world["cand"],
        json={"note": "Ran out of time on the result."},
    )
    retake = _retake_with_a_paste(client, world)
    browser = signed_in(app, "rec@example.com")
    page = browser.get(f"/recruiter/candidates/{world['candidate'].id}/scorecard")
    assert page.status_code == 200
    html = page.text
    assert 'aria-label="Behavioral attempts"' in html
    assert f'<tr data-attempt-id="{world["story_id"]}">' in html
    assert f'<tr data-attempt-id="{retake["id"]}" class="counts">' in html
    assert "Ran out of time on the result." in html
    retake_row = html.split(f'data-attempt-id="{retake["id"]}"')[1].split("</tr>")[0]
    assert "paste(s) of" in retake_row
    assert "counts-marker" in retake_row


def test_attempts_not_shared_with_an_organization_stay_off_its_scorecard(
    client: TestClient, db: Session, world: dict
) -> None:
    """An attempt taken for another organization's job is neither listed nor counted."""
    other = make_user(db, Role.recruiter, email="other@example.com")
    other_job = make_job(db, other.organization)
    make_application(db, world["candidate"], other_job)
    other_headers = bearer(db, other)
    db.commit()
    session = client.post(
        "/api/v1/interviews",
        headers=world["cand"],
        json={"job_id": other_job.id, "stages": ["behavioral"]},
    )
    assert session.status_code == 201, session.text
    attempt = client.post(
        f"/api/v1/interviews/{session.json()['id']}/stages/behavioral/start",
        headers=world["cand"],
    ).json()
    client.post(
        f"/api/v1/attempts/{attempt['id']}/submit",
        headers=world["cand"],
        json={"draft": {"answers": {"b1": STAR}}},
    )
    assert tasks.wait(180)
    url = f"/api/v1/candidates/{world['candidate'].id}/scorecard"
    ours = _behavioural(client.get(url, headers=world["staff"]).json())
    assert [r["attempt_id"] for r in ours["attempts"]] == [world["story_id"]]
    theirs = _behavioural(client.get(url, headers=other_headers).json())
    assert [r["attempt_id"] for r in theirs["attempts"]] == [world["story_id"], attempt["id"]]
    assert [r["counts"] for r in theirs["attempts"]] == [False, True]
