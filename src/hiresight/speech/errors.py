"""Errors the speech engine raises, each with a stable `code`."""

from __future__ import annotations

from hiresight.errors import AppError


class SpeechError(AppError):
    """Base class: speech could not be transcribed."""

    status_code = 500
    code = "speech_error"


class AudioFileError(SpeechError):
    """The audio file is missing, empty or cannot be decoded."""

    status_code = 422
    code = "speech_audio_invalid"


class SpeechModelMissingError(SpeechError):
    """The bundled Whisper model package is not installed, or a file of it is missing."""

    code = "speech_model_missing"


class SpeechModelIntegrityError(SpeechError):
    """A bundled model file does not match its pinned SHA-256: refuse to run it."""

    code = "speech_model_integrity"


class SpeechConfigError(SpeechError):
    """The speech settings cannot be used as given."""

    code = "speech_config_invalid"


class SpeechProviderError(SpeechError):
    """A remote transcription endpoint failed or answered something unusable."""

    status_code = 502
    code = "speech_provider_error"
