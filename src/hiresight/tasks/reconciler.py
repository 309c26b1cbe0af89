"""Running recorded work: the wake-up task, the lease heartbeat, and the reconciler thread.

Two paths lead to the same `execute`:
- the wake-up (`run_work`, sent through the task backend after the recording transaction
  commits) claims its one row by id: the fast path;
- the reconciler, a daemon thread in each process that runs background work (the web process
  with the inline backend, each `hiresight worker`), claims due rows at start and every few
  seconds: pending work whose wake-up was lost (a crash, an unreachable Redis), work backing
  off after a failure, and work whose claimant died (its lease expired).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import structlog
from sqlalchemy.engine import Engine

from hiresight.tasks import outbox
from hiresight.tasks import service as tasks
from hiresight.tasks.outbox import Claim, LeaseLostError

log = structlog.get_logger(__name__)
WorkHandler = Callable[[Engine, Claim], None]
_handlers: dict[str, WorkHandler] = {}


def handler(kind: str) -> Callable[[WorkHandler], WorkHandler]:
    """Register the function that does `kind` work.

    A handler must be idempotent, and must call `outbox.complete` in the transaction that
    stores its result, so that the result and the acknowledgement commit together.
    """

    def decorator(fn: WorkHandler) -> WorkHandler:
        _handlers[kind] = fn
        return fn

    return decorator


class _Heartbeat:
    """Renews a claim's lease every third of the lease while the handler runs."""

    def __init__(self, engine: Engine, work: Claim) -> None:
        self._engine, self._work = engine, work
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="work-lease", daemon=True)

    def _run(self) -> None:
        interval = outbox.config().lease_seconds / 3
        while not self._stop.wait(interval):
            try:
                if not outbox.renew(self._engine, self._work):
                    return
            except Exception as exc:  # a missed renewal is retried; the lease has slack
                log.warning("work_lease_renewal_failed", work_id=self._work.id, error=repr(exc))

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def execute(engine: Engine, work: Claim) -> None:
    """Run claimed work; a failure is recorded on the row (retry or `failed`), never raised."""
    fn = _handlers.get(work.kind)
    max_failures = outbox.config().max_failures
    if fn is None:
        error = f"no handler for work kind {work.kind!r} in this process"
    elif work.token > max_failures:
        # Claimed again after its claimant died mid-run, more often than any failure allows:
        # a job that kills its process must not loop forever.
        error = f"gave up after {work.token - 1} tries whose process did not survive"
    else:
        try:
            with _Heartbeat(engine, work):
                fn(engine, work)
            return
        except LeaseLostError:
            log.warning("work_lease_lost", work_id=work.id, kind=work.kind)
            return
        except Exception:
            error = traceback.format_exc()
    state = outbox.fail(engine, work, error)
    log.warning(
        "work_failed", work_id=work.id, kind=work.kind, attempt_id=work.attempt_id,
        tries=work.token, state=state, error=error.strip().splitlines()[-1],
    )  # fmt: skip


@tasks.task(outbox.WAKE_TASK, max_retries=0)
def run_work(engine: Engine, *, work_id: int) -> None:
    """The wake-up task: claim the recorded work by id and run it (nothing if already taken)."""
    work = outbox.claim(engine, work_id)
    if work is not None:
        execute(engine, work)


class Reconciler:
    """A daemon thread that claims due work every `interval` seconds and runs it on `slots`."""

    def __init__(self, engine: Engine, *, interval: float, slots: int = 2) -> None:
        self.engine = engine
        self.interval = interval
        self.slots = slots
        self._stop = threading.Event()
        self._busy = 0
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=slots, thread_name_prefix="reconcile")
        self._thread = threading.Thread(target=self._loop, name="reconciler", daemon=True)

    def start(self) -> Reconciler:
        """Run one pass now and then on the schedule."""
        self._thread.start()
        return self

    def run_once(self) -> int:
        """Claim as much due work as there are free slots and start it; the number started."""
        with self._lock:
            free = self.slots - self._busy
        claims = outbox.claim_due(self.engine, free)
        for work in claims:
            with self._lock:
                self._busy += 1
            future: Future[None] = self._executor.submit(execute, self.engine, work)
            future.add_done_callback(self._done)
            tasks.track(future)
        if claims:
            log.info("work_reconciled", claimed=[(w.kind, w.attempt_id) for w in claims])
        return len(claims)

    def _done(self, _future: Future[None]) -> None:
        with self._lock:
            self._busy -= 1

    def _loop(self) -> None:
        while True:
            try:
                self.run_once()
            except Exception as exc:  # the database may be away for a moment; try next time
                log.warning("work_reconcile_failed", error=repr(exc))
            if self._stop.wait(self.interval):
                return

    def stop(self, wait: bool = True) -> None:
        """Stop claiming; with `wait`, let started work finish."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self._executor.shutdown(wait=wait)


class Periodic:
    """A daemon thread that calls `fn` every `interval` seconds until stopped.

    For background work whose durable record is its own table (webhook deliveries): `fn`
    claims what is due itself and returns how much it handled, so a pass never overlaps the
    next one and a slow receiver only delays that kind of work, not the reconciler's.
    """

    def __init__(self, name: str, fn: Callable[[], int], *, interval: float) -> None:
        self.name, self.fn, self.interval = name, fn, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"periodic-{name}", daemon=True)

    def start(self) -> Periodic:
        """Run one pass now and then on the schedule."""
        self._thread.start()
        return self

    def _loop(self) -> None:
        while True:
            try:
                self.fn()
            except Exception as exc:  # the database may be away for a moment; try next time
                log.warning("periodic_work_failed", what=self.name, error=repr(exc))
            if self._stop.wait(self.interval):
                return

    def stop(self) -> None:
        """Stop after the pass under way."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
