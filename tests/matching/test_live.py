"""The live recommender takes its settings from the composition root, never the environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from hiresight import runtime
from hiresight.embeddings import EmbeddingSettings, factory
from hiresight.embeddings.base import Vectors
from hiresight.matching import live
from hiresight.settings import Settings, get_settings


class RecordingEmbedder:
    """An embedder that remembers the settings it was built with; no model is loaded."""

    name = "recording-embedder"
    dim = 8

    def __init__(self, settings: EmbeddingSettings) -> None:
        self.settings = settings

    def embed(self, texts: list[str]) -> Vectors:
        """Zero rows (nothing here needs meaning)."""
        return np.zeros((len(texts), self.dim), dtype=np.float32)

    def clip(self, text: str, max_tokens: int) -> str:
        """The text unchanged."""
        return text


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[EmbeddingSettings]]:
    """The settings of every embedder built during the test; no root or embedder leaks out."""
    seen: list[EmbeddingSettings] = []

    def build(settings: EmbeddingSettings) -> RecordingEmbedder:
        seen.append(settings)
        return RecordingEmbedder(settings)

    monkeypatch.setattr(runtime, "_current", None)
    monkeypatch.setattr(factory, "_default", factory.default_settings())
    monkeypatch.setattr(factory, "_embedders", {})
    monkeypatch.setattr(factory, "build_embedder", build)
    monkeypatch.setattr(live, "_live", {})
    monkeypatch.setattr(live, "_settings", {})
    yield seen
    get_settings.cache_clear()


def test_an_unconfigured_database_uses_the_roots_settings(
    built: list[EmbeddingSettings], tmp_path: Path
) -> None:
    """Without an app's settings for the database, the root's recs and embeddings settings
    build the live recommender (the environment's defaults would serve no experiment)."""
    runtime.build_root(
        Settings(
            data_dir=tmp_path / "data",
            recs_experiment="solo:live=1",
            recs_latency_budget_ms=123.0,
            embeddings_precision="fp32",
            embeddings_threads=1,
        )
    )
    state = live.for_database(f"sqlite:///{tmp_path / 'unconfigured.db'}")
    assert state.models_dir == tmp_path / "data" / "models"
    assert state.experiment is not None
    assert state.experiment.name == "solo"
    assert state.recommender.latency_budget_ms == 123.0
    assert state.recommender.dim == RecordingEmbedder.dim
    assert [(s.precision, s.threads) for s in built] == [("fp32", 1)]


def test_the_environment_reaches_it_through_the_root(
    built: list[EmbeddingSettings], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no entry point's root, HIRESIGHT_* (HIRESIGHT_EMBEDDINGS_* among them) build the
    process's root, and the live recommender follows it."""
    monkeypatch.setenv("HIRESIGHT_DATA_DIR", str(tmp_path / "env-data"))
    monkeypatch.setenv("HIRESIGHT_RECS_EXPERIMENT", "fromenv:live=1")
    monkeypatch.setenv("HIRESIGHT_EMBEDDINGS_PRECISION", "fp32")
    monkeypatch.setenv("HIRESIGHT_EMBEDDINGS_THREADS", "2")
    get_settings.cache_clear()
    state = live.for_database(f"sqlite:///{tmp_path / 'unconfigured.db'}")
    assert runtime.current_root().settings.recs_experiment == "fromenv:live=1"
    assert state.models_dir == tmp_path / "env-data" / "models"
    assert state.experiment is not None
    assert state.experiment.name == "fromenv"
    assert [(s.precision, s.threads) for s in built] == [("fp32", 2)]


def test_an_apps_settings_win_for_its_database(
    built: list[EmbeddingSettings], tmp_path: Path
) -> None:
    """A database an app configured keeps that app's settings, whatever the root says."""
    runtime.build_root(Settings(data_dir=tmp_path / "root", recs_experiment="root:live=1"))
    url = f"sqlite:///{tmp_path / 'app.db'}"
    live.configure(url, Settings(data_dir=tmp_path / "app", recs_experiment="app:live=1"))
    state = live.for_database(url)
    assert state.models_dir == tmp_path / "app" / "models"
    assert state.experiment is not None
    assert state.experiment.name == "app"
