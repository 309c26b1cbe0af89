"""AI provider settings; the lead maps HIRESIGHT_LLM_BASE_URL / _MODEL / _API_KEY onto them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator

from hiresight.scoring.errors import InvalidInputError


class AISettings(BaseModel):
    """Which provider grades answers and writes questions, and how to reach it."""

    provider: Literal["rubric", "openai"] = Field(
        "rubric", description="rubric: offline deterministic engine; openai: a chat endpoint."
    )
    base_url: str | None = Field(
        None, description="OpenAI-compatible base URL, e.g. http://127.0.0.1:8080/v1"
    )
    model: str | None = Field(None, description="Model name sent to the endpoint.")
    api_key: SecretStr | None = Field(None, description="Bearer token, if the endpoint wants one.")
    timeout: float = Field(30.0, gt=0, le=600, description="Seconds before falling back.")

    @model_validator(mode="after")
    def _openai_needs_endpoint(self) -> AISettings:
        if self.provider == "openai" and (not self.base_url or not self.model):
            raise InvalidInputError(
                "provider 'openai' needs base_url and model (HIRESIGHT_LLM_BASE_URL, "
                "HIRESIGHT_LLM_MODEL)",
                code="scoring_provider_config",
            )
        return self
