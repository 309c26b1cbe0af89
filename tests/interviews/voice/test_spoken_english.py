"""The English check's spoken item and real offline transcription through the background work."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.interviews import sessions
from hiresight.interviews.config import DEFAULT_TEMPLATE, StageConfig, StageKind, TemplateConfig
from hiresight.interviews.scores import AttemptScore
from hiresight.interviews.scoring import SCORE
from hiresight.interviews.voice import transcription
from hiresight.interviews.voice.models import AnswerRecording
from hiresight.interviews.voice.notice import SPEAKING_ID
from hiresight.scoring.spoken import SPOKEN_VERSION
from hiresight.speech.types import Transcript
from hiresight.speech.wer import word_error_rate
from hiresight.tasks.models import PendingWork, WorkState
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


class _HeldTranscriber(FakeTranscriber):
    """Hears the same words, but only once the test lets it: a transcription that is late."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def transcribe(self, path: Any) -> Transcript:
        assert self.release.wait(120), "the test never released the transcriber"
        return super().transcribe(path)


def _stage_scores(db: Session, attempt_id: int, count: int) -> list[AttemptScore]:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        db.expire_all()
        rows = list(
            db.scalars(
                select(AttemptScore)
                .where(AttemptScore.attempt_id == attempt_id, AttemptScore.component == "stage")
                .order_by(AttemptScore.id)
            )
        )
        if len(rows) >= count:
            return rows
        time.sleep(0.2)
    raise AssertionError(f"the attempt never had {count} stage scores")


@pytest.mark.usefixtures("spoken_english")
def test_a_transcript_that_arrives_after_scoring_scores_the_english_check_again(
    client: TestClient, headers: dict[str, str], db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check is scored at submit without the spoken part while its recording waits for
    the transcriber; the transcript, once stored, re-arms the scoring, which adds the spoken
    scores beside the first ones, once."""
    held = _HeldTranscriber()
    monkeypatch.setattr(transcription, "transcriber", lambda: held)
    attempt = start_stage(client, headers, "english")
    consent(client, headers)
    rec = new_recording(client, headers, attempt["id"], SPEAKING_ID)
    assert client.put(chunk_url(rec, 0), headers=headers, content=b"a").status_code == 200
    base = f"{API}/attempts/{attempt['id']}/recordings/{rec['id']}"
    assert client.post(f"{base}/finish", headers=headers, json={"chunks": 1}).status_code == 202
    submitted = client.post(
        f"{API}/attempts/{attempt['id']}/submit",
        headers=headers,
        json={"draft": {"answers": {SPEAKING_ID: "I led the migration."}}},
    )
    assert submitted.status_code == 202, submitted.text
    [first] = _stage_scores(db, attempt["id"], 1)
    assert SPOKEN_VERSION not in first.rubric_version
    held.release.set()
    first_again, second = _stage_scores(db, attempt["id"], 2)
    assert first_again.id == first.id
    assert second.rubric_version == first.rubric_version + f"+{SPOKEN_VERSION}"
    assert "spoken_words_per_minute" in second.sub_scores
    assert wait_transcribed(client, headers, rec)["state"] == "transcribed"
    # The work is done; nothing scores the attempt a third time.
    db.expire_all()
    done = select(PendingWork).where(
        PendingWork.kind == SCORE, PendingWork.attempt_id == attempt["id"]
    )
    work = db.scalar(done)
    assert work is not None
    assert work.state is WorkState.done
    assert len(_stage_scores(db, attempt["id"], 2)) == 2
