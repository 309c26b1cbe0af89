"""Building the configured `Transcriber`."""

from __future__ import annotations

from hiresight.speech.base import Transcriber
from hiresight.speech.openai import OpenAITranscriber
from hiresight.speech.settings import SpeechSettings
from hiresight.speech.whisper import WhisperTranscriber


def get_transcriber(settings: SpeechSettings) -> Transcriber:
    """The engine the settings name; the offline model itself loads on first use."""
    if settings.provider == "openai":
        assert settings.base_url is not None  # validated with the model
        assert settings.model is not None
        return OpenAITranscriber(
            base_url=settings.base_url,
            model=settings.model,
            api_key=settings.api_key.get_secret_value() if settings.api_key else None,
            timeout=settings.timeout,
        )
    return WhisperTranscriber(threads=settings.threads)
