"""`get_embedder`: one process-wide embedder per settings, since loading a model costs ~1 s."""

from __future__ import annotations

import threading

from hiresight.embeddings.base import Embedder
from hiresight.embeddings.minilm import OnnxMiniLMEmbedder
from hiresight.embeddings.openai_compat import OpenAIEmbedder
from hiresight.embeddings.settings import EmbeddingSettings

_embedders: dict[EmbeddingSettings, Embedder] = {}
_lock = threading.Lock()
# What `get_embedder()` without arguments uses; the app sets it from HIRESIGHT_EMBEDDINGS_*.
_default = EmbeddingSettings()


def set_default_settings(settings: EmbeddingSettings) -> None:
    """Make `settings` what callers get from `get_embedder()` without arguments."""
    global _default
    _default = settings


def build_embedder(settings: EmbeddingSettings) -> Embedder:
    """A new, uncached embedder for `settings` (prefer `get_embedder`)."""
    if settings.provider == "openai":
        # The settings validator guarantees both are set for this provider.
        assert settings.base_url is not None
        assert settings.model is not None
        return OpenAIEmbedder(
            base_url=settings.base_url,
            model=settings.model,
            api_key=settings.api_key.get_secret_value() if settings.api_key else None,
            timeout=settings.timeout,
            dimensions=settings.dimensions,
            batch_size=settings.batch_size,
            cache_size=settings.cache_size,
        )
    return OnnxMiniLMEmbedder(
        batch_size=settings.batch_size, cache_size=settings.cache_size, threads=settings.threads
    )


def get_embedder(settings: EmbeddingSettings | None = None) -> Embedder:
    """The shared embedder for `settings` (default: offline MiniLM int8), built once per process."""
    key = settings or _default
    with _lock:
        embedder = _embedders.get(key)
        if embedder is None:
            embedder = build_embedder(key)
            _embedders[key] = embedder
        return embedder


def clear_embedders() -> None:
    """Drop every cached embedder (tests, or after a settings reload)."""
    with _lock:
        _embedders.clear()
