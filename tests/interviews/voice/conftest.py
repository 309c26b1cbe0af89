"""Spoken-answer helpers: an interview at a voice stage, consent, chunked uploads, waiting."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hiresight.interviews.voice import transcription
from hiresight.interviews.voice.notice import NOTICE_VERSION
from hiresight.speech.types import Segment, Transcript, Word
from tests.speech.conftest import speak  # noqa: F401  (the espeak-ng fixture, shared)

API = "/api/v1"


def start_stage(client: TestClient, headers: dict[str, str], stage: str = "behavioral") -> dict:
    """A new interview on the default template, with `stage` started."""
    interview = client.post(f"{API}/interviews", headers=headers, json={})
    assert interview.status_code == 201, interview.text
    started = client.post(
        f"{API}/interviews/{interview.json()['id']}/stages/{stage}/start", headers=headers
    )
    assert started.status_code == 200, started.text
    return dict(started.json())


def consent(client: TestClient, headers: dict[str, str]) -> None:
    """Consent to the voice notice."""
    r = client.post(f"{API}/voice/consent", headers=headers, json={"version": NOTICE_VERSION})
    assert r.status_code == 201, r.text


def new_recording(
    client: TestClient, headers: dict[str, str], attempt_id: int, question_id: str
) -> dict[str, Any]:
    """A new recording of one question's answer (consent given before)."""
    r = client.post(
        f"{API}/attempts/{attempt_id}/recordings",
        headers=headers,
        json={"question_id": question_id, "mime_type": "audio/wav"},
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def chunk_url(recording: dict[str, Any], seq: int) -> str:
    """Where chunk `seq` of the recording goes."""
    return f"{API}/attempts/{recording['attempt_id']}/recordings/{recording['id']}/chunks/{seq}"


def split(data: bytes, parts: int) -> list[bytes]:
    """The bytes cut into `parts` pieces, as a recorder's timeslices cut a file."""
    size = -(-len(data) // parts)
    return [data[i : i + size] for i in range(0, len(data), size)]


def upload(
    client: TestClient, headers: dict[str, str], recording: dict[str, Any], chunks: list[bytes]
) -> dict[str, Any]:
    """Send every chunk, finish, and wait until the transcription has run."""
    for seq, chunk in enumerate(chunks):
        r = client.put(chunk_url(recording, seq), headers=headers, content=chunk)
        assert r.status_code == 200, r.text
    base = f"{API}/attempts/{recording['attempt_id']}/recordings/{recording['id']}"
    r = client.post(f"{base}/finish", headers=headers, json={"chunks": len(chunks)})
    assert r.status_code == 202, r.text
    return wait_transcribed(client, headers, recording)


def wait_transcribed(
    client: TestClient, headers: dict[str, str], recording: dict[str, Any]
) -> dict[str, Any]:
    """Poll the status, as the room does, until the background work has settled it."""
    url = f"{API}/attempts/{recording['attempt_id']}/recordings/{recording['id']}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        status = dict(client.get(url, headers=headers).json())
        if status["state"] not in ("recording", "queued"):
            return status
        time.sleep(0.2)
    raise AssertionError("the transcription never settled")


class FakeTranscriber:
    """Hears the same words in any audio: for tests about the flow, not the engine."""

    name = "fake"

    def __init__(self) -> None:
        self.heard: list[bytes] = []

    def transcribe(self, path: Any) -> Transcript:
        self.heard.append(path.read_bytes())
        spoken = ["I", "led", "the", "migration.", "It", "went", "well."]
        words = [
            Word(text=t, start=i * 0.5, end=i * 0.5 + 0.4, probability=0.9)
            for i, t in enumerate(spoken)
        ]
        return Transcript(
            words=words,
            segments=[
                Segment(text="I led the migration.", start=0.0, end=1.9),
                Segment(text="It went well.", start=2.0, end=3.4),
            ],
            language="en",
            duration=3.5,
            engine="fake",
        )


@pytest.fixture
def fake_transcriber(monkeypatch: pytest.MonkeyPatch) -> FakeTranscriber:
    """Replace the configured engine with `FakeTranscriber`."""
    fake = FakeTranscriber()
    monkeypatch.setattr(transcription, "transcriber", lambda: fake)
    return fake
