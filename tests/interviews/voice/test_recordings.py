"""Recording a spoken answer: consent, chunked upload with resume, limits, who may touch it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.models import Role
from hiresight.interviews.voice import transcription
from hiresight.interviews.voice.models import AnswerRecording, VoiceConsent
from hiresight.interviews.voice.notice import NOTICE_VERSION
from hiresight.interviews.voice.service import MAX_CHUNK_BYTES, byte_range
from tests.factories import bearer, make_user
from tests.interviews.conftest import Clock
from tests.interviews.voice.conftest import (
    API,
    FakeTranscriber,
    chunk_url,
    consent,
    new_recording,
    split,
    start_stage,
    upload,
    wait_transcribed,
)

AUDIO = b"RIFF" + bytes(range(256)) * 40  # bytes whose order matters; never decoded here


def test_recording_needs_consent_to_the_versioned_notice(
    client: TestClient, headers: dict[str, str], db: Session
) -> None:
    """Before consent: 403 voice_consent_required; the notice says what is never measured;
    consent is stored with the notice's version and then recording starts."""
    attempt = start_stage(client, headers)
    body = {"question_id": "b1", "mime_type": "audio/webm;codecs=opus"}
    refused = client.post(f"{API}/attempts/{attempt['id']}/recordings", headers=headers, json=body)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "voice_consent_required"
    notice = client.get(f"{API}/voice/notice", headers=headers).json()
    assert notice["consented"] is False
    assert notice["version"] == NOTICE_VERSION
    for never in ("emotions", "face", "tone of voice", "accent", "retention period"):
        assert never in notice["text"]
    stale = client.post(f"{API}/voice/consent", headers=headers, json={"version": "old"})
    assert stale.status_code == 409
    consent(client, headers)
    assert db.scalar(select(VoiceConsent.notice_version)) == NOTICE_VERSION
    created = client.post(f"{API}/attempts/{attempt['id']}/recordings", headers=headers, json=body)
    assert created.status_code == 201, created.text
    assert created.json()["state"] == "recording"


def test_a_dropped_chunk_is_reported_missing_resent_and_stitched_in_order(
    client: TestClient, headers: dict[str, str], db: Session, fake_transcriber: FakeTranscriber
) -> None:
    """Chunks 0, 1, 3 arrive (2 is lost): the status names 2 missing and finishing is refused
    with it; once 2 is sent again the file is the chunks in order, and transcribed."""
    attempt = start_stage(client, headers)
    consent(client, headers)
    rec = new_recording(client, headers, attempt["id"], "b1")
    chunks = split(AUDIO, 4)
    for seq in (0, 1, 3):
        assert (
            client.put(chunk_url(rec, seq), headers=headers, content=chunks[seq]).status_code == 200
        )
    url = f"{API}/attempts/{attempt['id']}/recordings/{rec['id']}"
    status = client.get(url, headers=headers).json()
    assert status["received"] == [0, 1, 3]
    assert status["missing"] == [2]
    assert client.get(f"{url}?upto=5", headers=headers).json()["missing"] == [2, 4]
    early = client.post(f"{url}/finish", headers=headers, json={"chunks": 4})
    assert early.status_code == 409
    assert early.json()["error"]["details"] == {"missing": [2]}
    # A retry of a chunk already stored is harmless; other bytes under its number are not.
    assert client.put(chunk_url(rec, 1), headers=headers, content=chunks[1]).status_code == 200
    clash = client.put(chunk_url(rec, 1), headers=headers, content=b"other")
    assert clash.json()["error"]["code"] == "chunk_conflict"
    assert client.put(chunk_url(rec, 2), headers=headers, content=chunks[2]).status_code == 200
    done = client.post(f"{url}/finish", headers=headers, json={"chunks": 4})
    assert done.status_code == 202, done.text
    settled = wait_transcribed(client, headers, rec)
    assert settled["state"] == "transcribed"
    assert settled["transcript"] == "I led the migration. It went well."
    assert [(s["text"], s["start"]) for s in settled["sentences"]] == [
        ("I led the migration.", 0.0), ("It went well.", 2.0)
    ]  # fmt: skip
    assert fake_transcriber.heard == [AUDIO]
    db.expire_all()
    stored = db.get(AnswerRecording, rec["id"])
    assert stored is not None
    assert stored.audio == AUDIO
    assert stored.transcript is not None
    assert len(stored.transcript["words"]) == 7
    audio = client.get(settled["audio_url"], headers=headers)
    assert audio.status_code == 200
    assert audio.content == AUDIO
    part = client.get(settled["audio_url"], headers={**headers, "Range": "bytes=4-9"})
    assert part.status_code == 206
    assert part.content == AUDIO[4:10]
    assert part.headers["content-range"] == f"bytes 4-9/{len(AUDIO)}"
    # A finish replayed after a lost reply answers the same recording.
    assert client.post(f"{url}/finish", headers=headers, json={"chunks": 4}).status_code == 202


def test_a_second_recording_of_the_attempt_is_transcribed_too(
    client: TestClient, headers: dict[str, str], fake_transcriber: FakeTranscriber
) -> None:
    """The attempt's transcription work, done after the first answer, runs again for the next."""
    attempt = start_stage(client, headers)
    consent(client, headers)
    first = upload(client, headers, new_recording(client, headers, attempt["id"], "b1"), [b"a"])
    second = upload(client, headers, new_recording(client, headers, attempt["id"], "b1"), [b"b"])
    assert (first["state"], second["state"]) == ("transcribed", "transcribed")
    assert fake_transcriber.heard == [b"a", b"b"]


def test_no_engine_says_so_and_keeps_the_audio(
    client: TestClient, headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without an engine the state is `unavailable` with a message to type instead."""

    def missing() -> None:
        raise transcription.TranscriberUnavailableError("speech model not installed")

    monkeypatch.setattr(transcription, "transcriber", missing)
    attempt = start_stage(client, headers)
    consent(client, headers)
    settled = upload(client, headers, new_recording(client, headers, attempt["id"], "b1"), [b"a"])
    assert settled["state"] == "unavailable"
    assert "type your answer" in settled["message"]
    assert settled["audio_url"] is not None


def test_others_get_404_and_staff_of_another_organization_cannot_listen(
    client: TestClient, headers: dict[str, str], db: Session, fake_transcriber: FakeTranscriber
) -> None:
    """Another candidate cannot upload to, read or finish the recording, nor hear it; neither
    can a recruiter whose organization the candidate never applied to."""
    attempt = start_stage(client, headers)
    consent(client, headers)
    rec = upload(client, headers, new_recording(client, headers, attempt["id"], "b1"), [b"x"])
    other = bearer(db, make_user(db, email="other@example.com"))
    recruiter = bearer(db, make_user(db, email="rec@example.com", role=Role.recruiter))
    db.commit()
    url = f"{API}/attempts/{attempt['id']}/recordings/{rec['id']}"
    assert client.get(url, headers=other).status_code == 404
    assert client.put(chunk_url(rec, 1), headers=other, content=b"y").status_code == 404
    assert client.post(f"{url}/finish", headers=other, json={"chunks": 1}).status_code == 404
    created = client.post(
        f"{API}/attempts/{attempt['id']}/recordings", headers=other, json={"question_id": "b1"}
    )
    assert created.status_code == 404
    for who in (other, recruiter):
        assert client.get(rec["audio_url"], headers=who).status_code == 404
    assert client.get(rec["audio_url"], headers=headers).status_code == 200


def test_chunks_stop_at_the_deadline(
    client: TestClient, headers: dict[str, str], clock: Clock
) -> None:
    """A chunk after the stage's time (and grace) is refused with deadline_passed."""
    attempt = start_stage(client, headers)
    consent(client, headers)
    rec = new_recording(client, headers, attempt["id"], "b1")
    assert client.put(chunk_url(rec, 0), headers=headers, content=b"a").status_code == 200
    clock.advance(seconds=attempt["remaining_seconds"] + 120)
    late = client.put(chunk_url(rec, 1), headers=headers, content=b"b")
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "deadline_passed"


def test_limits_and_questions_not_answerable_by_voice(
    client: TestClient, headers: dict[str, str]
) -> None:
    """An oversized chunk is 413; a question the stage does not offer by voice is 422."""
    attempt = start_stage(client, headers)
    consent(client, headers)
    rec = new_recording(client, headers, attempt["id"], "b1")
    big = client.put(chunk_url(rec, 0), headers=headers, content=b"x" * (MAX_CHUNK_BYTES + 1))
    assert big.status_code == 413
    assert big.json()["error"]["code"] == "chunk_too_large"
    wrong = client.post(
        f"{API}/attempts/{attempt['id']}/recordings", headers=headers, json={"question_id": "zz"}
    )
    assert wrong.status_code == 422
    assert wrong.json()["error"]["code"] == "not_answerable_by_voice"
    not_audio = client.post(
        f"{API}/attempts/{attempt['id']}/recordings",
        headers=headers,
        json={"question_id": "b1", "mime_type": "text/html"},
    )
    assert not_audio.status_code == 422


def test_byte_ranges_a_player_asks_for() -> None:
    """Known answers: a span, an open end, a suffix, and what is served whole instead."""
    assert byte_range("bytes=0-99", 1000) == (0, 99)
    assert byte_range("bytes=900-", 1000) == (900, 999)
    assert byte_range("bytes=-100", 1000) == (900, 999)
    assert byte_range("bytes=990-2000", 1000) == (990, 999)
    for whole in (None, "bytes=5-1", "bytes=0-1,5-9", "items=0-1", "bytes=-", "bytes=2000-"):
        assert byte_range(whole, 1000) is None
