"""Starting and stopping a process's background machinery: clean-up, warm-up, reconciler.

The web process (inline backend) and each `hiresight worker` run the same start-up: remove
what a killed predecessor left behind, start the reconciler, and warm the scoring models up
in the background so that readiness can report it. What to clean and what to warm are passed
in, so this package stays below the domains it serves.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import structlog
from sqlalchemy.engine import Engine

from hiresight.tasks import outbox
from hiresight.tasks.reconciler import Periodic, Reconciler

log = structlog.get_logger(__name__)


@dataclass
class Runtime:
    """One process's background machinery; `warm_state` is `off`, `warming`, `warm` or `failed`."""

    engine: Engine
    reconcile_seconds: float
    slots: int = 2
    run_work: bool = True
    warm_up: Callable[[], None] | None = None
    # Freeze the long-lived objects when the warm-up is done; off where the process has other
    # warm-ups and freezes after the last of them (the web app, see `freeze_after`).
    freeze_when_warm: bool = True
    cleanups: dict[str, Callable[[], int]] = field(default_factory=dict)
    # Work whose durable record is its own row rather than the outbox (take-home versions
    # still `pending`), woken again after the clean-ups; each returns how many it woke.
    resumes: dict[str, Callable[[], int]] = field(default_factory=dict)
    # Work that claims its own rows on a schedule (webhook deliveries), each on a thread of its
    # own every `reconcile_seconds`; each returns how much it handled.
    pollers: dict[str, Callable[[], int]] = field(default_factory=dict)
    warm_state: str = "off"
    warm_seconds: float | None = None
    reconciler: Reconciler | None = None
    periodic: list[Periodic] = field(default_factory=list)
    _warmed: threading.Event = field(default_factory=threading.Event)

    def start(self) -> Runtime:
        """Clean left-overs, wake unfinished work, start the warm-up and the reconciler."""
        for name, clean in self.cleanups.items():
            try:
                removed = clean()
            except Exception as exc:  # a failed clean-up must not stop the process
                log.warning("startup_cleanup_failed", what=name, error=repr(exc))
                continue
            if removed:
                log.info("startup_cleanup", what=name, removed=removed)
        for name, resume in self.resumes.items() if self.run_work else ():
            try:
                woken = resume()
            except Exception as exc:  # the rows stay pending; the next start tries again
                log.warning("startup_resume_failed", what=name, error=repr(exc))
                continue
            if woken:
                log.info("startup_resume", what=name, woken=woken)
        if self.warm_up is not None:
            self.warm_state = "warming"
            threading.Thread(target=self._warm, name="warm-up", daemon=True).start()
        else:
            self._warmed.set()
        if self.run_work:
            self.reconciler = Reconciler(
                self.engine, interval=self.reconcile_seconds, slots=self.slots
            ).start()
            self.periodic = [
                Periodic(name, poll, interval=self.reconcile_seconds).start()
                for name, poll in self.pollers.items()
            ]
        return self

    def _warm(self) -> None:
        assert self.warm_up is not None
        started = time.monotonic()
        try:
            self.warm_up()
        except Exception as exc:  # scoring still works, only the first job pays the start
            self.warm_state = "failed"
            log.warning("warm_up_failed", error=repr(exc))
        else:
            if self.freeze_when_warm:
                freeze_long_lived_objects()
            self.warm_state = "warm"
            self.warm_seconds = round(time.monotonic() - started, 2)
            log.info("warm_up_done", seconds=self.warm_seconds)
        finally:
            self._warmed.set()

    def wait_warm(self, timeout: float | None = None) -> bool:
        """Block until the warm-up ended (done or failed)."""
        return self._warmed.wait(timeout)

    def stop(self) -> None:
        """Stop the reconciler and the pollers, and let the work they started finish."""
        for periodic in self.periodic:
            periodic.stop()
        if self.reconciler is not None:
            self.reconciler.stop(wait=True)


_frozen = threading.Lock()
_froze = False


def freeze_long_lived_objects() -> bool:
    """Move every object alive now out of the garbage collector's sight, once per process.

    The scoring models are millions of long-lived objects (the spelling dictionary alone), and
    every full collection walked them all: a pause of tens of milliseconds in whichever request
    it landed on (autosave p99 111 ms before, 32-45 ms after, docs/benchmarks.md). Garbage is
    collected first, so only live objects are frozen; once per process, because what later
    warm-ups would freeze is whatever happens to be alive then. Returns whether it froze now.
    """
    global _froze
    with _frozen:
        if _froze:
            return False
        gc.collect()
        gc.freeze()
        _froze = True
        return True


def freeze_after(*warm_ups: Callable[[], object]) -> threading.Thread:
    """Freeze the long-lived objects, on a thread of its own, once every warm-up has returned.

    A web process walks more than the scoring models at each full collection: its imports and
    the recommender's index are about 240,000 objects, 60-90 ms of CPU with the GIL held, and
    so a stall of every request in that process (a burst of slow autosaves every few seconds
    under load, and 503s when the stalled requests then pile past the in-flight cap). Each
    warm-up is a callable that returns when it has ended (a thread's `join`, `wait_warm`).
    """

    def run() -> None:
        for wait in warm_ups:
            wait()
        freeze_long_lived_objects()

    thread = threading.Thread(target=run, name="gc-freeze", daemon=True)
    thread.start()
    return thread


def configure_work(*, lease_seconds: float, max_failures: int) -> None:
    """Apply the work settings (lease, failure limit) to this process."""
    outbox.configure(outbox.WorkConfig(lease_seconds=lease_seconds, max_failures=max_failures))
