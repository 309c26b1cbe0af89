"""`get_embedder`: one process-wide embedder per settings, since loading a model costs ~1 s."""

from __future__ import annotations

import threading
from typing import Literal

from hiresight.embeddings.base import Embedder
from hiresight.embeddings.minilm import OnnxMiniLMEmbedder
from hiresight.embeddings.openai_compat import OpenAIEmbedder
from hiresight.embeddings.settings import EmbeddingSettings

_embedders: dict[EmbeddingSettings, Embedder] = {}
_lock = threading.Lock()
# What `get_embedder()` without arguments uses; the composition root (hiresight.runtime) sets
# it from HIRESIGHT_EMBEDDINGS_* in every process: the web app, the worker and the CLI.
_default = EmbeddingSettings()


def set_default_settings(settings: EmbeddingSettings) -> None:
    """Make `settings` what callers get from `get_embedder()` without arguments."""
    global _default
    _default = settings


def default_settings() -> EmbeddingSettings:
    """What `get_embedder()` without arguments builds from."""
    return _default


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
        batch_size=settings.batch_size,
        cache_size=settings.cache_size,
        threads=settings.threads,
        precision=settings.precision,
        cache_dir=settings.cache_dir,
    )


# `search`: profiles and jobs, on every recommendation request, at the configured precision.
# `scoring`: interview answers, graded in the background, always at fp32 (see get_embedder).
Purpose = Literal["search", "scoring"]


def get_embedder(
    settings: EmbeddingSettings | None = None, *, purpose: Purpose = "search"
) -> Embedder:
    """The shared embedder for `settings` and `purpose`, built once per process.

    Scoring computes in fp32 whatever the configured precision: its similarity thresholds
    (`scoring/text.py`) are calibrated on fp32 vectors, and int8's ~0.01 shifts in cosine
    move borderline calibration answers (one strong behavioural answer fell below its
    average one). Grading is off the request path, so it does not need int8's speed.
    """
    key = settings or _default
    if purpose == "scoring" and key.precision != "fp32":
        key = key.model_copy(update={"precision": "fp32"})
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
