"""Spoken answers on the recruiter's scorecard: audio, timed sentences, the corrected text."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role, User
from hiresight.review import scorecard
from tests.factories import bearer, make_application, make_job, make_user
from tests.interviews.voice.conftest import (
    API,
    FakeTranscriber,
    consent,
    new_recording,
    start_stage,
    upload,
)
from tests.review.conftest import signed_in


def test_the_scorecard_plays_the_answer_beside_its_transcript(
    app: FastAPI,
    client: TestClient,
    headers: dict[str, str],
    db: Session,
    candidate: User,
    fake_transcriber: FakeTranscriber,
) -> None:
    """The behavioural stage's card lists the recording with its audio address, the sentences
    with their start times and the corrected text; a recruiter the candidate applied to may
    listen to it."""
    attempt = start_stage(client, headers)
    consent(client, headers)
    rec = upload(client, headers, new_recording(client, headers, attempt["id"], "b1"), [b"a"])
    corrected = "I led the database migration. It went well."
    r = client.post(
        f"{API}/attempts/{attempt['id']}/submit",
        headers=headers,
        json={"draft": {"answers": {"b1": corrected}}},
    )
    assert r.status_code == 202, r.text
    recruiter = make_user(db, email="rec@example.com", role=Role.recruiter)
    assert recruiter.organization_id is not None
    org = recruiter.organization
    make_application(db, candidate, make_job(db, org))
    staff = bearer(db, recruiter)
    db.commit()
    card = scorecard.build(db, candidate, organization_id=recruiter.organization_id)
    (stage,) = [s for s in card.stages if s.stage.value == "behavioral"]
    (view,) = stage.recordings
    assert view.audio_url == rec["audio_url"]
    assert [(s.text, s.start) for s in view.sentences] == [
        ("I led the migration.", 0.0),
        ("It went well.", 2.0),
    ]
    assert view.transcript == "I led the migration. It went well."
    assert view.answer == corrected
    assert client.get(rec["audio_url"], headers=staff).status_code == 200
    page = (
        signed_in(app, "rec@example.com")
        .get(f"/recruiter/candidates/{candidate.id}/scorecard")
        .text
    )
    assert f'<audio controls preload="metadata" class="answer-audio" id="audio-{rec["id"]}"' in page
    assert f'data-seek="2.0" data-recording="{rec["id"]}"' in page
    assert "Submitted after the candidate's corrections" in page
