"""get_embedder and EmbeddingSettings: defaults, caching per settings, provider choice."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from hiresight.embeddings import (
    EmbeddingConfigError,
    EmbeddingSettings,
    OnnxMiniLMEmbedder,
    OpenAIEmbedder,
    build_embedder,
    clear_embedders,
    factory,
    get_embedder,
)
from hiresight.embeddings import settings as embedding_settings
from hiresight.settings import Settings


def test_default_is_cached_offline_minilm() -> None:
    """With no settings, get_embedder returns one shared offline MiniLM instance."""
    first = get_embedder()
    assert isinstance(first, OnnxMiniLMEmbedder)
    assert get_embedder() is first
    assert get_embedder(EmbeddingSettings()) is first
    assert first.dim == 384


def test_different_settings_get_different_embedders() -> None:
    """Settings that differ (here the thread count) key separate cached embedders."""
    one = get_embedder(EmbeddingSettings(threads=1))
    two = get_embedder(EmbeddingSettings(threads=2))
    assert one is not two
    assert isinstance(two, OnnxMiniLMEmbedder)
    assert two.threads == 2


def test_clear_embedders_builds_afresh() -> None:
    """After clear_embedders the next call builds a new instance."""
    before = get_embedder()
    clear_embedders()
    assert get_embedder() is not before


def test_openai_settings_build_remote_embedder() -> None:
    """Provider `openai` builds an OpenAIEmbedder with the configured model and batch size."""
    settings = EmbeddingSettings(
        provider="openai",
        base_url="http://127.0.0.1:9/v1",
        model="nomic-embed-text",
        api_key=SecretStr("k"),
        batch_size=7,
    )
    emb = build_embedder(settings)
    assert isinstance(emb, OpenAIEmbedder)
    assert emb.name == "openai:nomic-embed-text"
    assert emb.batch_size == 7
    emb.close()


def test_openai_without_endpoint_is_refused() -> None:
    """Provider `openai` without base_url/model raises EmbeddingConfigError naming the settings."""
    with pytest.raises(EmbeddingConfigError, match="BASE_URL") as info:
        EmbeddingSettings(provider="openai")
    assert info.value.code == "embedding_config_invalid"


@pytest.mark.parametrize("field", ["batch_size", "threads"])
def test_non_positive_sizes_are_refused(field: str) -> None:
    """Zero batch size or thread count fails validation."""
    with pytest.raises(ValidationError):
        EmbeddingSettings.model_validate({field: 0})


def test_unknown_provider_is_refused() -> None:
    """Only `onnx` and `openai` are valid providers."""
    with pytest.raises(ValidationError):
        EmbeddingSettings.model_validate({"provider": "torch"})


@pytest.mark.parametrize(("cpus", "threads"), [(1, 1), (2, 2), (16, 2), (None, 1)])
def test_default_threads_use_two_cpus_at_most(
    monkeypatch: pytest.MonkeyPatch, cpus: int | None, threads: int
) -> None:
    """Unconfigured, the offline embedder runs min(2, CPUs) threads (1 if the count is unknown)."""
    monkeypatch.setattr(embedding_settings.os, "cpu_count", lambda: cpus)
    assert OnnxMiniLMEmbedder().threads == threads
    assert OnnxMiniLMEmbedder(threads=1).threads == 1


def test_threads_setting_reaches_the_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    """HIRESIGHT_EMBEDDINGS_THREADS becomes the thread count of the embedder the app builds."""
    monkeypatch.setenv("HIRESIGHT_EMBEDDINGS_THREADS", "1")
    options = Settings().embedding_options()
    embedder = build_embedder(EmbeddingSettings(**options))
    assert isinstance(embedder, OnnxMiniLMEmbedder)
    assert embedder.threads == 1


def test_precision_and_cache_settings_reach_the_embedder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """HIRESIGHT_EMBEDDINGS_PRECISION and _CACHE_DIR configure the embedder; int8 by default."""
    assert OnnxMiniLMEmbedder().precision == "int8"
    monkeypatch.setenv("HIRESIGHT_EMBEDDINGS_PRECISION", "fp32")
    monkeypatch.setenv("HIRESIGHT_EMBEDDINGS_CACHE_DIR", str(tmp_path))
    embedder = build_embedder(EmbeddingSettings(**Settings().embedding_options()))
    assert isinstance(embedder, OnnxMiniLMEmbedder)
    assert (embedder.precision, embedder.cache_dir) == ("fp32", tmp_path)
    assert embedder.name == "minilm-l6-v2-int8@1.0.0"


def test_unknown_precision_is_refused() -> None:
    """Only `int8` and `fp32` are precisions."""
    with pytest.raises(ValidationError):
        EmbeddingSettings.model_validate({"precision": "fp16"})


def test_scoring_always_computes_in_fp32() -> None:
    """Answer scoring gets the fp32 embedder (its thresholds' calibration), search the default."""
    scoring = get_embedder(purpose="scoring")
    assert isinstance(scoring, OnnxMiniLMEmbedder)
    assert scoring.precision == "fp32"
    search = get_embedder()
    assert isinstance(search, OnnxMiniLMEmbedder)
    assert search.precision == "int8"
    fp32 = EmbeddingSettings(precision="fp32")
    assert get_embedder(fp32, purpose="scoring") is get_embedder(fp32)  # one model, not two


def test_get_embedder_builds_from_the_default_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """What `set_default_settings` sets (the composition root does, from
    HIRESIGHT_EMBEDDINGS_*) is what `get_embedder()` builds from and `default_settings` says."""
    monkeypatch.setattr(factory, "_default", factory.default_settings())
    monkeypatch.setattr(factory, "_embedders", {})
    chosen = EmbeddingSettings(threads=1, precision="fp32", cache_dir=tmp_path)
    factory.set_default_settings(chosen)
    assert factory.default_settings() == chosen
    embedder = get_embedder()
    assert isinstance(embedder, OnnxMiniLMEmbedder)
    assert (embedder.threads, embedder.precision, embedder.cache_dir) == (1, "fp32", tmp_path)
