"""Spoken answers on the recruiter's scorecard: audio, timed sentences, the corrected text."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role, User
from hiresight.interviews.config import StageKind
from hiresight.interviews.models import AttemptState
from hiresight.review import scorecard
from hiresight.review.scorecard import ComponentResult, StageResult
from hiresight.web.pages import templates
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


def test_timed_evidence_links_to_its_second_in_the_recording() -> None:
    """An evidence quote with a `time` renders a link that seeks the stage's player there;
    one without keeps no link."""
    timed = {"point": "silent pause", "quote": "the index … (1.2 s) … and then", "start": 0,
             "end": 0, "similarity": 1.0, "time": 75.5}  # fmt: skip
    plain = {"point": "grammar", "quote": "It work.", "start": 0, "end": 8, "similarity": 1.0}
    stage = StageResult(
        stage=StageKind.english, attempt_id=1, attempt_no=1, state=AttemptState.submitted,
        submitted_at=None, score=60.0, components={"stage": ComponentResult(
            value=60.0, rubric_version="v", provider="rubric", evidence=[timed, plain])},
    )  # fmt: skip
    html = templates.get_template("_scorecard_stage.html").render(stage=stage)
    assert '<a href="#" class="seek" data-seek="75.5">at 1:15</a>' in html
    assert html.count("data-seek=") == 1
