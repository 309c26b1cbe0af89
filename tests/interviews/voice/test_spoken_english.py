"""The English check's spoken item and real offline transcription through the background work."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.interviews import sessions
from hiresight.interviews.config import DEFAULT_TEMPLATE, StageConfig, StageKind, TemplateConfig
from hiresight.interviews.scores import AttemptScore
from hiresight.interviews.voice.models import AnswerRecording
from hiresight.interviews.voice.notice import SPEAKING_ID
from hiresight.speech.wer import word_error_rate
from tests.interviews.voice.conftest import (
    API,
    FakeTranscriber,
    consent,
    new_recording,
    split,
    start_stage,
    upload,
)
from tests.speech.conftest import Speak


@pytest.fixture
def spoken_english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default template with the English check answerable by voice."""
    stages = [
        StageConfig(kind=s.kind, minutes=s.minutes, questions=2, voice=True)
        if s.kind is StageKind.english
        else s
        for s in DEFAULT_TEMPLATE.stages
    ]
    monkeypatch.setattr(sessions, "DEFAULT_TEMPLATE", TemplateConfig(stages=stages))


def _scores(db: Session, attempt_id: int) -> AttemptScore:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        db.expire_all()
        row = db.scalar(select(AttemptScore).where(AttemptScore.attempt_id == attempt_id))
        if row is not None:
            return row
        time.sleep(0.2)
    raise AssertionError("the attempt was never scored")


@pytest.mark.usefixtures("spoken_english")
def test_the_spoken_item_is_scored_for_fluency_with_timed_evidence(
    client: TestClient, headers: dict[str, str], db: Session, fake_transcriber: FakeTranscriber
) -> None:
    """A voice English check asks a spoken item; its raw transcript is kept apart from the
    corrected answer, and the stage score has a `spoken` sub-score whose evidence has times."""
    attempt = start_stage(client, headers, "english")
    assert attempt["content"]["speaking"]["id"] == SPEAKING_ID
    consent(client, headers)
    rec = upload(
        client, headers, new_recording(client, headers, attempt["id"], SPEAKING_ID), [b"a"]
    )
    corrected = "I led the migration. It went very well."
    submitted = client.post(
        f"{API}/attempts/{attempt['id']}/submit",
        headers=headers,
        json={"draft": {"answers": {SPEAKING_ID: corrected}}},
    )
    assert submitted.status_code == 202, submitted.text
    score = _scores(db, attempt["id"])
    assert score.rubric_version.endswith("+spoken.v1")
    assert score.sub_scores["spoken_words_per_minute"] == pytest.approx(7 * 60 / 3.5, abs=0.01)
    assert any("accent is never scored" in n for n in score.notes)
    timed = [e for e in score.evidence if "time" in e]
    assert [e["point"] for e in timed] == ["longest sentence"]
    assert timed[0]["time"] == 0.0
    stored = db.get(AnswerRecording, rec["id"])
    assert stored is not None
    assert stored.transcript_text == "I led the migration. It went well."
    assert stored.transcript is not None
    assert stored.transcript["engine"] == "fake"


@pytest.mark.slow
def test_speech_is_transcribed_offline_in_the_background_within_fifteen_percent_wer(
    client: TestClient, headers: dict[str, str], speak: Speak, tmp_path: Path
) -> None:
    """A clip spoken by espeak-ng, uploaded in chunks, is transcribed by Whisper tiny.en by the
    background work: word error rate <= 15%, words with times and confidence."""
    sentences = [
        "I moved our largest service to a new database without any downtime.",
        "First we copied the data, then we switched the reads, and finally the writes.",
    ]
    clip = speak(sentences, 0.3).read_bytes()
    attempt = start_stage(client, headers)
    consent(client, headers)
    rec = new_recording(client, headers, attempt["id"], "b1")
    settled = upload(client, headers, rec, split(clip, 5))
    assert settled["state"] == "transcribed", settled
    assert settled["engine"] == "faster-whisper:tiny.en"
    wer = word_error_rate(" ".join(sentences), settled["transcript"])
    assert wer <= 0.15, (wer, settled["transcript"])
    assert settled["sentences"][0]["start"] < 1.0
