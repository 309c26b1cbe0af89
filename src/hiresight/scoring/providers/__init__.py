"""AI providers: the `AIProvider` interface, the offline rubric engine and OpenAI-compatible."""

from __future__ import annotations

from hiresight.embeddings import Embedder
from hiresight.scoring.providers.base import AIProvider
from hiresight.scoring.providers.openai import OpenAIProvider
from hiresight.scoring.providers.rubric import RubricProvider
from hiresight.scoring.providers.settings import AISettings


def build_provider(
    settings: AISettings | None = None, embedder: Embedder | None = None
) -> AIProvider:
    """The provider the settings ask for; the rubric engine when none are given."""
    settings = settings or AISettings()
    rubric = RubricProvider(embedder)
    if settings.provider == "openai":
        return OpenAIProvider(settings, fallback=rubric)
    return rubric


__all__ = ["AIProvider", "AISettings", "OpenAIProvider", "RubricProvider", "build_provider"]
