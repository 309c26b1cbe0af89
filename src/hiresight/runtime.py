"""The composition root: every process builds its services here, from one `Settings`.

The web app (`create_app`), each `hiresight worker` and the CLI commands all start by building a
`Root`. It holds the settings and builds from them, at most once each: the database engine, the
embeddings default (`HIRESIGHT_EMBEDDINGS_*`, what `get_embedder()` without arguments uses), the
AI provider and the task backend; building it also registers the hooks run when an answer
becomes final (grading, then scoring), idempotently. Before, each entry point wired these by
hand, and the worker and `hiresight embeddings check` ignored the embeddings settings.

The engine, provider and task backend are built on first use: `hiresight embeddings check`
needs neither a database nor a queue, and must not create the data directory either.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from hiresight import models
from hiresight.db import create_db_engine, make_session_factory
from hiresight.embeddings import EmbeddingSettings
from hiresight.embeddings.factory import set_default_settings
from hiresight.interviews import grading as interview_grading
from hiresight.interviews import scoring
from hiresight.interviews import sessions as interviews
from hiresight.interviews.sessions import FinalHook
from hiresight.interviews.voice import transcription as voice_transcription
from hiresight.privacy import maintenance
from hiresight.sandbox import cgroups, workdir
from hiresight.scoring.providers import AISettings, build_provider
from hiresight.scoring.providers.base import AIProvider
from hiresight.settings import Settings, get_settings
from hiresight.takehome import work as takehome_work
from hiresight.tasks import service as tasks
from hiresight.tasks.runtime import Runtime, configure_work
from hiresight.webhooks import delivery as webhook_delivery

# Imported for its `transcribe` work handler: every process that runs work must know it.
WORK_MODULES = (voice_transcription,)


def final_hooks() -> tuple[FinalHook, ...]:
    """What runs when an answer becomes final, in order: grading, then scoring."""
    # Looked up at call time, so a test that replaces a module's hook gets its replacement.
    return (interview_grading.after_final, scoring.after_final)


def register_final_hooks() -> None:
    """Register the final hooks; registering again changes nothing (each is kept once)."""
    for hook in final_hooks():
        interviews.register_final_hook(hook)


class Root:
    """One process's services, built from `settings`; each part at most once, on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.embeddings = EmbeddingSettings(**settings.embedding_options())
        self.ai_settings = AISettings(**settings.ai_options())
        # Reentrant: building the task backend builds the engine it runs inline tasks on.
        self._lock = threading.RLock()
        self._engine: Engine | None = None
        self._session_factory: sessionmaker[Session] | None = None
        self._ai: AIProvider | None = None
        self._tasks: tasks.TaskBackend | None = None

    @property
    def engine(self) -> Engine:
        """The process's database engine, pooled as HIRESIGHT_DB_POOL_* say."""
        with self._lock:
            if self._engine is None:
                self._engine = create_db_engine(
                    self.settings.effective_database_url,
                    pool_size=self.settings.db_pool_size,
                    pool_timeout=self.settings.db_pool_timeout,
                )
            return self._engine

    @property
    def session_factory(self) -> sessionmaker[Session]:
        """Sessions on `engine`."""
        with self._lock:
            if self._session_factory is None:
                self._session_factory = make_session_factory(self.engine)
            return self._session_factory

    @property
    def ai(self) -> AIProvider:
        """The AI provider the settings name (the offline rubric engine unless an LLM is set)."""
        with self._lock:
            if self._ai is None:
                self._ai = build_provider(self.ai_settings)
            return self._ai

    def tasks(self) -> tasks.TaskBackend:
        """The task backend HIRESIGHT_TASK_BACKEND names, made the process's on first call.

        Only processes that run or wake background work ask for it (the web app, the worker):
        a short CLI command must not run recorded work itself, nor connect to Redis for nothing.
        """
        with self._lock:
            if self._tasks is None:
                self._tasks = tasks.configure(
                    tasks.backend_for(
                        self.settings.task_backend,
                        redis_url=self.settings.redis_url,
                        engine=self.engine,
                        namespace=self.settings.task_namespace,
                    )
                )
            return self._tasks

    def background(self, *, runs_work: bool | None = None) -> Runtime:
        """This process's background machinery on `engine` (see `background_runtime`)."""
        return background_runtime(self.settings, self.engine, runs_work=runs_work)


def background_runtime(
    settings: Settings, engine: Engine, *, runs_work: bool | None = None
) -> Runtime:
    """A process's background machinery (started and stopped by the lifespan, or the worker).

    A web process runs work (the reconciler, the scoring warm-up) only with the inline backend;
    with Dramatiq each `hiresight worker` does (`runs_work=True`). Sandbox left-overs of a
    killed predecessor are removed either way, since example tests run in the web process too.
    """
    configure_work(
        lease_seconds=settings.work_lease_seconds, max_failures=settings.work_max_failures
    )
    webhook_delivery.configure(
        webhook_delivery.DeliveryConfig(
            timeout_seconds=settings.webhook_timeout_seconds,
            retry_seconds=settings.webhook_retry_hours * 3600,
        )
    )
    if runs_work is None:
        runs_work = settings.task_backend == "inline"
    pollers: dict[str, Callable[[], int]] = {
        "webhooks": lambda: webhook_delivery.deliver_due(engine)
    }
    if settings.scheduled_maintenance:
        pollers["maintenance"] = maintenance.daily(
            engine, metadata=models.Base.metadata, files_root=settings.data_dir,
            audit_retention_days=settings.audit_retention_days, hour=settings.maintenance_hour,
        ).poll  # fmt: skip
    return Runtime(
        engine,
        reconcile_seconds=settings.work_reconcile_seconds,
        slots=settings.worker_threads,
        run_work=runs_work,
        warm_up=scoring.warm_up if runs_work and settings.scoring_warm_up else None,
        cleanups={"cgroups": cgroups.remove_orphans, "job_dirs": workdir.remove_orphan_job_dirs},
        resumes={"takehome_versions": lambda: len(takehome_work.resume_pending(engine))},
        pollers=pollers,
    )


_current: Root | None = None
_current_lock = threading.RLock()


def build_root(settings: Settings) -> Root:
    """Build a root from `settings` and make it this process's.

    Sets the embeddings default and registers the final hooks, so that everything built
    afterwards in this process sees the same settings. An entry point calls this once.
    """
    global _current
    root = Root(settings)
    with _current_lock:
        set_default_settings(root.embeddings)
        register_final_hooks()
        _current = root
    return root


def root_for(settings: Settings) -> Root:
    """This process's root if it was built from equal settings, else a new one built now."""
    with _current_lock:
        if _current is not None and _current.settings == settings:
            return _current
        return build_root(settings)


def current_root() -> Root:
    """This process's root; built from the environment's settings when no entry point has."""
    with _current_lock:
        if _current is not None:
            return _current
        return build_root(get_settings())
