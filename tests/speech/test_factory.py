"""Settings pick the engine; an endpoint without its URL or model is refused."""

from __future__ import annotations

import pytest

from hiresight.settings import Settings
from hiresight.speech import SpeechSettings, Transcriber, get_transcriber
from hiresight.speech.errors import SpeechConfigError
from hiresight.speech.openai import OpenAITranscriber
from hiresight.speech.whisper import WhisperTranscriber


def test_default_is_the_offline_whisper() -> None:
    transcriber = get_transcriber(SpeechSettings(**Settings(_env_file=None).speech_options()))  # type: ignore[call-arg]
    assert isinstance(transcriber, WhisperTranscriber)
    assert isinstance(transcriber, Transcriber)
    assert 1 <= transcriber.threads <= 2


def test_settings_select_the_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HIRESIGHT_SPEECH_PROVIDER", "openai")
    monkeypatch.setenv("HIRESIGHT_SPEECH_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("HIRESIGHT_SPEECH_MODEL", "whisper-1")
    monkeypatch.setenv("HIRESIGHT_SPEECH_THREADS", "3")
    options = Settings(_env_file=None).speech_options()  # type: ignore[call-arg]
    transcriber = get_transcriber(SpeechSettings(**options))
    assert isinstance(transcriber, OpenAITranscriber)
    assert transcriber.url == "http://127.0.0.1:9/v1/audio/transcriptions"
    assert options["threads"] == 3


def test_endpoint_needs_url_and_model() -> None:
    with pytest.raises(SpeechConfigError, match="HIRESIGHT_SPEECH_BASE_URL"):
        SpeechSettings(provider="openai", model="whisper-1")
