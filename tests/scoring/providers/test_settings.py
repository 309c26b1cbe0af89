"""Tests for AISettings validation and build_provider."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from hiresight.scoring.providers import (
    AISettings,
    OpenAIProvider,
    RubricProvider,
    build_provider,
)


def test_default_is_offline_rubric() -> None:
    """With no settings the provider is the offline rubric engine."""
    assert isinstance(build_provider(), RubricProvider)


def test_openai_requires_endpoint_and_model() -> None:
    """provider=openai without base_url/model is refused with a clear message."""
    with pytest.raises(ValidationError, match="base_url and model"):
        AISettings(provider="openai")


def test_openai_settings_build_openai_provider() -> None:
    """A complete openai config builds an OpenAIProvider with a rubric fallback."""
    settings = AISettings(provider="openai", base_url="http://127.0.0.1:9/v1", model="m")
    provider = build_provider(settings)
    assert isinstance(provider, OpenAIProvider)
    assert isinstance(provider.fallback, RubricProvider)
    provider.close()
