"""The composition root: every entry point builds its services from one `Settings`.

The web app, `hiresight worker` and the CLI commands (`embeddings check` among them) all go
through `hiresight.runtime`, so HIRESIGHT_EMBEDDINGS_* and the AI settings hold everywhere, and
the final hooks are registered once however often a root is built.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import dramatiq
import numpy as np
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from hiresight import cli, runtime
from hiresight.app import create_app
from hiresight.cli_support import load_root, session_scope
from hiresight.embeddings import EmbeddingSettings, factory
from hiresight.embeddings.base import Vectors
from hiresight.interviews import grading, scoring
from hiresight.interviews import sessions as interviews
from hiresight.scoring.providers import OpenAIProvider
from hiresight.settings import Settings, get_settings
from hiresight.tasks import runtime as tasks_runtime
from hiresight.tasks import service as tasks

runner = CliRunner()


class RecordingEmbedder:
    """An embedder that remembers the settings it was built with and returns zero vectors."""

    name = "recording-embedder"
    dim = 384

    def __init__(self, settings: EmbeddingSettings) -> None:
        self.settings = settings

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Zero rows of the model's width (nothing here needs meaning)."""
        return np.zeros((len(texts), self.dim), dtype=np.float32)

    def clip(self, text: str, max_tokens: int) -> str:
        """The text unchanged."""
        return text


class FakeDramatiq:
    """Stands in for the Redis backend: the worker's wiring is under test, not Redis."""

    name = "dramatiq"

    def __init__(self, redis_url: str, namespace: str = "hiresight") -> None:
        self.redis_url = redis_url
        self.namespace = namespace
        self.broker = object()
        self.closed = False

    def enqueue(self, task_name: str, **kwargs: Any) -> None:
        """Drop the wake-up."""

    def shutdown(self) -> None:
        """Remember that the worker closed it."""
        self.closed = True


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No root, embedder, hook or backend of other tests leaks in, and none of these leaks out."""
    monkeypatch.setattr(runtime, "_current", None)
    monkeypatch.setattr(factory, "_default", factory.default_settings())
    monkeypatch.setattr(factory, "_embedders", {})
    monkeypatch.setattr(interviews, "_final_hooks", [])
    monkeypatch.setattr(tasks, "_backend", None)
    monkeypatch.setattr(tasks, "_worker_engine", None)
    get_settings.cache_clear()
    yield
    backend = tasks.current()
    if backend is not None:
        backend.shutdown()
    get_settings.cache_clear()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """HIRESIGHT_* for a process of the test's own, with non-default embeddings settings."""
    monkeypatch.setenv("HIRESIGHT_ENV", "test")
    monkeypatch.setenv("HIRESIGHT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HIRESIGHT_LOG_LEVEL", "WARNING")
    monkeypatch.setenv("HIRESIGHT_LOG_JSON", "true")
    monkeypatch.setenv("HIRESIGHT_EMBEDDINGS_PRECISION", "fp32")
    monkeypatch.setenv("HIRESIGHT_EMBEDDINGS_THREADS", "1")
    monkeypatch.setenv("HIRESIGHT_EMBEDDINGS_CACHE_DIR", str(tmp_path / "models"))
    return monkeypatch


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[EmbeddingSettings]:
    """The settings of every embedder built during the test (no model is loaded)."""
    seen: list[EmbeddingSettings] = []

    def build(settings: EmbeddingSettings) -> RecordingEmbedder:
        seen.append(settings)
        return RecordingEmbedder(settings)

    monkeypatch.setattr(factory, "build_embedder", build)
    return seen


def configured(tmp_path: Path) -> EmbeddingSettings:
    """The embeddings settings the `env` fixture asks for."""
    return EmbeddingSettings(precision="fp32", threads=1, cache_dir=tmp_path / "models")


def test_building_the_root_twice_registers_the_final_hooks_once(tmp_path: Path) -> None:
    """Each final hook is registered once, grading before scoring, however many builds."""
    settings = Settings(data_dir=tmp_path)
    runtime.build_root(settings)
    second = runtime.build_root(settings)
    assert interviews._final_hooks == [grading.after_final, scoring.after_final]
    assert runtime.current_root() is second


def test_the_parts_are_built_once_and_only_when_used(tmp_path: Path) -> None:
    """Engine, provider and backend are built on first use, then the same object each time;
    a root nobody asked a database of creates no data directory."""
    root = runtime.build_root(Settings(data_dir=tmp_path / "data"))
    assert not (tmp_path / "data").exists()
    assert root.engine is root.engine
    assert root.session_factory is root.session_factory
    assert root.ai is root.ai
    assert root.tasks() is root.tasks() is tasks.current()
    assert isinstance(root.tasks(), tasks.InlineBackend)
    root.engine.dispose()


def test_root_for_reuses_a_root_of_equal_settings(tmp_path: Path) -> None:
    """Commands that load the same settings share one root; other settings get their own."""
    settings = Settings(data_dir=tmp_path)
    first = runtime.root_for(settings)
    assert runtime.root_for(settings.model_copy()) is first
    other = runtime.root_for(settings.model_copy(update={"worker_threads": 3}))
    assert other is not first
    assert runtime.current_root() is other


def test_the_scoring_provider_is_the_roots(tmp_path: Path) -> None:
    """`interviews.scoring.provider()` answers with the root's provider, built from its settings."""
    root = runtime.build_root(
        Settings(
            data_dir=tmp_path,
            ai_provider="openai",
            llm_base_url="http://127.0.0.1:9/v1",
            llm_model="judge",
        )
    )
    assert scoring.provider() is root.ai
    assert isinstance(root.ai, OpenAIProvider)
    assert root.ai.name == "openai:judge"


def test_with_no_entry_point_the_root_comes_from_the_environment(
    env: pytest.MonkeyPatch,
) -> None:
    """A module that asks for the provider first builds the root from HIRESIGHT_*."""
    env.setenv("HIRESIGHT_AI_PROVIDER", "openai")
    env.setenv("HIRESIGHT_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    env.setenv("HIRESIGHT_LLM_MODEL", "judge")
    assert scoring.provider().name == "openai:judge"
    assert runtime.current_root().settings is get_settings()


def test_create_app_uses_the_root(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The app's settings, engine, sessions, backend, embeddings default and hooks are the
    root's, built from the environment's settings."""
    app = create_app()
    try:
        root = app.state.root
        assert root is runtime.current_root()
        assert app.state.settings is root.settings is get_settings()
        assert app.state.engine is root.engine
        assert app.state.session_factory is root.session_factory
        assert tasks.current() is root.tasks()
        assert factory.default_settings() == root.embeddings == configured(tmp_path)
        assert interviews._final_hooks == [grading.after_final, scoring.after_final]
    finally:
        app.state.engine.dispose()


def test_cli_sessions_go_through_the_root(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`session_scope` runs on the root's engine; the root sets the embeddings default and
    registers the hooks, and no task backend is installed for a short command."""
    with session_scope() as session:
        assert session.execute(text("SELECT 1")).scalar_one() == 1
        assert session.get_bind() is load_root().engine
    assert load_root() is load_root() is runtime.current_root()
    assert factory.default_settings() == configured(tmp_path)
    assert interviews._final_hooks == [grading.after_final, scoring.after_final]
    assert tasks.current() is None


def test_embeddings_check_honours_the_embeddings_settings(
    env: pytest.MonkeyPatch, tmp_path: Path, built: list[EmbeddingSettings]
) -> None:
    """`hiresight embeddings check` builds its embedder from HIRESIGHT_EMBEDDINGS_*.

    Before, only the web app applied them: the command checked the int8 default instead."""
    result = runner.invoke(cli.app, ["embeddings", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK recording-embedder: 384 dimensions")
    assert built == [configured(tmp_path)]
    assert not (tmp_path / "data").exists()  # the check needs no database


def test_embeddings_similarity_honours_the_embeddings_settings(
    env: pytest.MonkeyPatch, tmp_path: Path, built: list[EmbeddingSettings]
) -> None:
    """`hiresight embeddings similarity` too."""
    result = runner.invoke(cli.app, ["embeddings", "similarity", "Go", "Rust"])
    assert result.exit_code == 0, result.output
    assert built == [configured(tmp_path)]


def test_the_worker_honours_the_embeddings_settings(
    env: pytest.MonkeyPatch, db_url: str, tmp_path: Path, built: list[EmbeddingSettings]
) -> None:
    """`hiresight worker` builds the root: its warm-up embeds with HIRESIGHT_EMBEDDINGS_*, its
    search default follows them, the final hooks are registered and the backend is Dramatiq.

    Redis and Dramatiq's consumer are stood in for; the worker stops as soon as it consumes."""
    env.setenv("HIRESIGHT_DATABASE_URL", db_url)
    env.setenv("HIRESIGHT_SCORING_WARM_UP", "true")
    handlers: dict[int, Callable[..., None]] = {}
    env.setattr(signal, "signal", lambda signum, handler: handlers.__setitem__(signum, handler))
    consumers: list[FakeWorker] = []

    class FakeWorker:
        """Dramatiq's consumer, stopped (as by SIGTERM) as soon as it starts."""

        def __init__(self, broker: object, **options: Any) -> None:
            self.options = options
            consumers.append(self)

        def start(self) -> None:
            handlers[signal.SIGTERM](signal.SIGTERM, None)

        def stop(self) -> None:
            self.options["stopped"] = True

    env.setattr(dramatiq, "Worker", FakeWorker)
    env.setattr(tasks, "DramatiqBackend", FakeDramatiq)
    env.setattr(scoring, "warm_up", lambda: factory.get_embedder(purpose="scoring"))
    # Freezing the test process's objects once would change what later tests measure.
    env.setattr(tasks_runtime, "freeze_long_lived_objects", lambda: False)
    ready = tmp_path / "ready.json"

    result = runner.invoke(cli.app, ["worker", "--threads", "3", "--ready-file", str(ready)])

    assert result.exit_code == 0, result.output
    assert json.loads(ready.read_text())["scoring"] == "warm"
    assert built == [configured(tmp_path)]  # scoring embeds at fp32, with the cache dir set
    assert factory.default_settings() == configured(tmp_path)
    assert interviews._final_hooks == [grading.after_final, scoring.after_final]
    backend = tasks.current()
    assert isinstance(backend, FakeDramatiq)
    assert backend.closed
    assert consumers[0].options["worker_threads"] == 3
    assert consumers[0].options["stopped"]
    assert runtime.current_root().settings.task_backend == "dramatiq"
