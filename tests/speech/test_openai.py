"""The OpenAI-compatible /audio/transcriptions engine, against a mock endpoint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from hiresight.speech.errors import AudioFileError, SpeechProviderError
from hiresight.speech.openai import OpenAITranscriber

REPLY: dict[str, Any] = {
    "task": "transcribe",
    "language": "english",
    "duration": 4.5,
    "text": "Hello there. I led the team.",
    "words": [
        {"word": "Hello", "start": 0.1, "end": 0.5},
        {"word": "there.", "start": 0.5, "end": 0.9},
        {"word": "I", "start": 2.0, "end": 2.1},
        {"word": "led", "start": 2.1, "end": 2.4},
        {"word": "the", "start": 2.4, "end": 2.5},
        {"word": "team.", "start": 2.5, "end": 3.0, "probability": 0.8},
    ],
    "segments": [
        {"id": 0, "start": 0.0, "end": 1.0, "text": " Hello there."},
        {"id": 1, "start": 2.0, "end": 3.0, "text": " I led the team."},
    ],
}


def _transcriber(handler: Any) -> OpenAITranscriber:
    return OpenAITranscriber(
        base_url="http://speech.test/v1/",
        model="whisper-1",
        api_key="sk-test",
        transport=httpx.MockTransport(handler),
    )


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    path = tmp_path / "answer.wav"
    path.write_bytes(b"RIFF....WAVE")  # the endpoint decodes, not us
    return path


def test_posts_verbose_json_with_word_timestamps_and_reads_the_reply(clip: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=REPLY)

    transcript = _transcriber(handler).transcribe(clip)
    request = seen[0]
    assert str(request.url) == "http://speech.test/v1/audio/transcriptions"
    assert request.headers["authorization"] == "Bearer sk-test"
    body = request.read().decode("latin-1")
    for field, value in [
        ("model", "whisper-1"),
        ("response_format", "verbose_json"),
        ("timestamp_granularities[]", "word"),
        ("timestamp_granularities[]", "segment"),
    ]:
        assert f'name="{field}"\r\n\r\n{value}\r\n' in body
    assert 'name="file"; filename="answer.wav"' in body
    assert [w.text for w in transcript.words] == ["Hello", "there.", "I", "led", "the", "team."]
    assert transcript.words[2].start == 2.0
    assert transcript.words[0].probability is None
    assert transcript.words[5].probability == 0.8
    assert transcript.text == "Hello there. I led the team."
    assert transcript.language == "en"
    assert transcript.duration == 4.5
    assert transcript.engine == "openai:whisper-1"


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (500, {"error": "boom"}, "HTTP 500"),
        (200, {"text": "hi"}, "no word timestamps"),
        (200, {"words": "nope"}, "unusable JSON"),
    ],
)
def test_bad_replies_are_provider_errors(
    clip: Path, status: int, body: dict[str, Any], message: str
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=json.dumps(body).encode())

    with pytest.raises(SpeechProviderError, match=message) as info:
        _transcriber(handler).transcribe(clip)
    assert info.value.code == "speech_provider_error"


def test_unreachable_endpoint_is_a_provider_error(clip: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(SpeechProviderError, match="unreachable"):
        _transcriber(handler).transcribe(clip)


def test_missing_file_is_refused_before_any_call(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:  # pragma: no cover - must not run
        raise AssertionError("no request expected")

    with pytest.raises(AudioFileError):
        _transcriber(handler).transcribe(tmp_path / "none.wav")
