"""Background tasks: a registry of named task functions and two backends that run them.

- `InlineBackend` (the default) runs tasks on a small thread pool inside the web process, so
  `make run` needs nothing but SQLite.
- `DramatiqBackend` sends them to Redis; `hiresight worker` processes consume them. Dramatiq
  acknowledges a message only after the task finished, retries failures with backoff, and
  enforces a time limit per task.

A task function takes the database engine first (each process owns its engine; connection
strings never travel through the queue) and JSON-serialisable keyword arguments.

Work that must happen (grading, scoring) is not a task of its own: it is recorded in the
`pending_work` table (`outbox`), and the one task `run_work` only wakes a process up to run it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

import structlog
from sqlalchemy.engine import Engine

log = structlog.get_logger(__name__)
TaskFunction = Callable[..., None]
_registry: dict[str, TaskFunction] = {}
_max_retries: dict[str, int] = {}
# Generous: a grade is a few seconds even on a busy machine; a stuck task must not live forever.
TIME_LIMIT_MS = 5 * 60 * 1000
MAX_RETRIES = 3


def task(name: str, *, max_retries: int = MAX_RETRIES) -> Callable[[TaskFunction], TaskFunction]:
    """Register a task function under a stable name (`max_retries`: Dramatiq's re-deliveries)."""

    def decorator(fn: TaskFunction) -> TaskFunction:
        _registry[name] = fn
        _max_retries[name] = max_retries
        return fn

    return decorator


def registered() -> dict[str, TaskFunction]:
    """Every registered task, by name."""
    return dict(_registry)


class TaskBackend(Protocol):
    """Where `enqueue` sends work."""

    name: str

    def enqueue(self, task_name: str, **kwargs: Any) -> None:
        """Schedule `task_name(engine, **kwargs)`."""

    def shutdown(self) -> None:
        """Stop accepting work and release resources."""


class InlineBackend:
    """Runs tasks on threads in this process, against this process's engine."""

    name = "inline"

    def __init__(self, engine: Engine, workers: int = 2) -> None:
        self.engine = engine
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="task")
        self._pending: set[Future[None]] = set()
        self._lock = threading.Lock()

    def enqueue(self, task_name: str, **kwargs: Any) -> None:
        """Run the task soon on a worker thread; failures are logged, not raised."""
        fn = _registry[task_name]

        def run() -> None:
            try:
                fn(self.engine, **kwargs)
            except Exception:
                log.exception("task_failed", task=task_name)

        future = self._executor.submit(run)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)

    def _done(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    def idle(self) -> bool:
        """Whether no task is queued or running."""
        with self._lock:
            return not self._pending

    def wait(self, timeout: float = 60.0) -> bool:
        """Block until no task is queued, including tasks queued by tasks (tests use this)."""
        while True:
            with self._lock:
                pending = list(self._pending)
            if not pending:
                return True
            for future in pending:
                try:
                    future.result(timeout=timeout)
                except TimeoutError:
                    return False

    def shutdown(self) -> None:
        """Finish queued tasks, then stop."""
        self._executor.shutdown(wait=True)


class DramatiqBackend:
    """Sends tasks to Redis through Dramatiq; `hiresight worker` runs them."""

    name = "dramatiq"

    def __init__(self, redis_url: str, namespace: str = "hiresight") -> None:
        # Imported here so the default (inline) install path never touches Redis.
        import dramatiq
        from dramatiq.brokers.redis import RedisBroker

        # A short connect timeout: an unreachable Redis must fail a wake-up fast (the work is
        # recorded and a reconciler runs it), not hold a request for the TCP timeout.
        self.broker = RedisBroker(  # type: ignore[no-untyped-call]
            url=redis_url, namespace=namespace, socket_connect_timeout=2
        )
        self._actors: dict[str, Any] = {}
        for name, fn in _registry.items():
            declare = dramatiq.actor(
                actor_name=name,
                broker=self.broker,
                max_retries=_max_retries.get(name, MAX_RETRIES),
                time_limit=TIME_LIMIT_MS,
            )
            self._actors[name] = declare(_bound(fn))

    def enqueue(self, task_name: str, **kwargs: Any) -> None:
        """Send the task to Redis (acknowledged by a worker only once it has run)."""
        self._actors[task_name].send(**kwargs)

    def shutdown(self) -> None:
        """Close the broker's connections."""
        self.broker.close()


_worker_engine: Engine | None = None


def set_worker_engine(engine: Engine) -> None:
    """The engine Dramatiq actors in this worker process use."""
    global _worker_engine
    _worker_engine = engine


def _bound(fn: TaskFunction) -> TaskFunction:
    def actor(**kwargs: Any) -> None:
        if _worker_engine is None:
            raise RuntimeError("worker engine not set: run tasks with `hiresight worker`")
        fn(_worker_engine, **kwargs)

    actor.__name__ = fn.__name__
    return actor


_backend: TaskBackend | None = None


def configure(backend: TaskBackend) -> TaskBackend:
    """Make `backend` the process's task backend (the app and `hiresight worker` call this)."""
    global _backend
    if _backend is not None and _backend is not backend:
        _backend.shutdown()
    _backend = backend
    return backend


def backend_for(
    kind: str, *, redis_url: str, engine: Engine, namespace: str = "hiresight"
) -> TaskBackend:
    """The backend a setting names: "inline" (threads in this process) or "dramatiq"."""
    if kind == "dramatiq":
        return DramatiqBackend(redis_url, namespace=namespace)
    return InlineBackend(engine)


def current() -> TaskBackend | None:
    """The configured backend, if any."""
    return _backend


def enqueue(engine: Engine, task_name: str, **kwargs: Any) -> None:
    """Schedule a task on the configured backend (inline on `engine` when none is configured)."""
    backend = _backend
    if backend is None:
        backend = configure(InlineBackend(engine))
    backend.enqueue(task_name, **kwargs)


_tracked: set[Future[None]] = set()
_tracked_lock = threading.Lock()


def track(future: Future[None]) -> None:
    """Let `wait` also cover work this process started outside the backend (the reconciler)."""
    with _tracked_lock:
        _tracked.add(future)

    def forget(done: Future[None]) -> None:
        with _tracked_lock:
            _tracked.discard(done)

    future.add_done_callback(forget)


def _wait_tracked(timeout: float) -> bool:
    with _tracked_lock:
        pending = list(_tracked)
    for future in pending:
        try:
            future.result(timeout=timeout)
        except TimeoutError:
            return False
        except Exception:
            continue  # its failure was logged where it ran
    return True


def wait(timeout: float = 60.0) -> bool:
    """Block until this process's background work is done (inline tasks and reconciled work).

    Work started by work (a grade records its score) is waited for too. With Dramatiq, the
    work queued to Redis runs elsewhere and is not waited for.
    """
    backend = _backend
    while True:
        if isinstance(backend, InlineBackend) and not backend.wait(timeout):
            return False
        if not _wait_tracked(timeout):
            return False
        with _tracked_lock:
            tracked = bool(_tracked)
        idle = not isinstance(backend, InlineBackend) or backend.idle()
        if idle and not tracked:
            return True
