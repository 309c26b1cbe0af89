"""Speech settings; the lead maps HIRESIGHT_SPEECH_* onto them (`Settings.speech_options`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator

from hiresight.speech.errors import SpeechConfigError


class SpeechSettings(BaseModel):
    """Which engine transcribes speech, and how to reach it."""

    provider: Literal["whisper", "openai"] = Field(
        "whisper",
        description="whisper: the bundled offline tiny.en; openai: an /audio/transcriptions "
        "endpoint.",
    )
    base_url: str | None = Field(None, description="OpenAI-compatible base URL, e.g. .../v1")
    model: str | None = Field(None, description="Model name sent to the endpoint.")
    api_key: SecretStr | None = Field(None, description="Bearer token, if the endpoint wants one.")
    timeout: float = Field(120.0, gt=0, le=3600, description="Seconds before a call fails.")
    threads: int | None = Field(
        None, ge=1, le=64, description="CPU threads of the offline engine; unset: min(2, CPUs)."
    )

    @model_validator(mode="after")
    def _openai_needs_endpoint(self) -> SpeechSettings:
        if self.provider == "openai" and (not self.base_url or not self.model):
            raise SpeechConfigError(
                "speech provider 'openai' needs base_url and model (HIRESIGHT_SPEECH_BASE_URL, "
                "HIRESIGHT_SPEECH_MODEL)"
            )
        return self
