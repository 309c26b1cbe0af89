"""`Daily`: a job run once per day however many processes poll, on an injected clock."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.engine import Engine

from hiresight.db import create_db_engine
from hiresight.tasks import schedule
from hiresight.tasks.models import ScheduledRun, WorkState
from hiresight.tasks.schedule import Daily

DAY1 = dt.datetime(2026, 12, 5, 2, 0, tzinfo=dt.UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


class Job:
    """Counts its runs per day; fails while `failing`."""

    def __init__(self) -> None:
        self.days: list[dt.date] = []
        self.failing = False
        self._lock = threading.Lock()

    def __call__(self, day: dt.date) -> dict[str, int]:
        with self._lock:
            self.days.append(day)
        if self.failing:
            raise RuntimeError("disk full")
        return {"things": 3}


@pytest.fixture
def engines(db_url: str) -> Iterator[list[Engine]]:
    """Two engines on the test database, as two processes have."""
    made = [create_db_engine(db_url), create_db_engine(db_url)]
    yield made
    for engine in made:
        engine.dispose()


def _row(engine: Engine, period: str) -> ScheduledRun:
    with engine.connect() as conn:
        row = conn.execute(select(ScheduledRun).where(ScheduledRun.period == period)).one()
    return row  # type: ignore[return-value]


def test_two_processes_run_the_job_once_a_day(engines: list[Engine]) -> None:
    """Before the hour nobody runs it; from the hour on, of two pollers polling again and again
    the job runs once that day, and once again the next day; the counts are recorded."""
    clock, job = Clock(DAY1), Job()
    pollers = [Daily(e, "maintenance", job, hour=3, now=clock) for e in engines]
    assert [p.poll() for p in pollers] == [0, 0]
    clock.now = DAY1.replace(hour=3)
    ran = [p.poll() for _ in range(3) for p in pollers]
    assert sum(ran) == 1
    assert job.days == [dt.date(2026, 12, 5)]
    row = _row(engines[0], "2026-12-05")
    assert (row.state, row.attempts, row.counts) == (WorkState.done, 1, {"things": 3})
    clock.now = DAY1 + dt.timedelta(days=1, hours=5)
    ran = [p.poll() for p in reversed(pollers) for _ in range(2)]
    assert sum(ran) == 1
    assert job.days == [dt.date(2026, 12, 5), dt.date(2026, 12, 6)]


def test_pollers_racing_on_threads_run_it_once(engines: list[Engine]) -> None:
    """Eight pollers (four per engine) polling at the same moment: exactly one run."""
    clock, job = Clock(DAY1.replace(hour=4)), Job()
    pollers = [Daily(engines[i % 2], "maintenance", job, hour=3, now=clock) for i in range(8)]
    start = threading.Barrier(len(pollers))
    results: list[int] = []

    def poll(poller: Daily) -> None:
        start.wait()
        results.append(poller.poll())

    threads = [threading.Thread(target=poll, args=(p,)) for p in pollers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == [0] * 7 + [1]
    assert len(job.days) == 1


def test_a_failed_run_is_tried_again_later_that_day(engines: list[Engine]) -> None:
    """A failure is recorded; polls within the retry delay leave it; after it, one retries."""
    clock, job = Clock(DAY1.replace(hour=4)), Job()
    first, second = (Daily(e, "maintenance", job, hour=3, now=clock) for e in engines)
    job.failing = True
    assert first.poll() == 0
    row = _row(engines[0], "2026-12-05")
    assert row.state is WorkState.failed
    assert "disk full" in (row.last_error or "")
    clock.now += schedule.RETRY / 2
    assert (first.poll(), second.poll()) == (0, 0)
    assert len(job.days) == 1
    job.failing = False
    clock.now += schedule.RETRY
    assert second.poll() == 1
    assert first.poll() == 0
    assert len(job.days) == 2
    assert _row(engines[0], "2026-12-05").state is WorkState.done


def test_a_dead_claimants_run_is_taken_over_when_its_lease_ends(engines: list[Engine]) -> None:
    """A process that claimed the run and died (the row stays `running`) blocks the others
    until its lease ends; then one of them runs it, and the dead one's late finish is ignored."""
    clock, job = Clock(DAY1.replace(hour=4)), Job()
    survivor = Daily(engines[1], "maintenance", job, hour=3, now=clock)
    assert survivor._record("2026-12-05") is WorkState.pending
    with engines[0].begin() as conn:  # the dead process's claim: token 1
        conn.execute(
            update(ScheduledRun).values(
                state=WorkState.running, attempts=1, lease_until=clock.now + schedule.LEASE
            )
        )
    assert survivor.poll() == 0
    clock.now += schedule.LEASE + dt.timedelta(seconds=1)
    assert survivor.poll() == 1
    assert _row(engines[0], "2026-12-05").attempts == 2
    dead = Daily(engines[0], "maintenance", job, hour=3, now=clock)
    dead._finish(_row(engines[0], "2026-12-05").id, 1, state=WorkState.failed, values={})
    assert _row(engines[0], "2026-12-05").state is WorkState.done


def test_a_process_that_saw_the_day_done_reads_nothing_more(engines: list[Engine]) -> None:
    """Once a poller knows today's run is done, its later polls that day query nothing."""
    clock, job = Clock(DAY1.replace(hour=4)), Job()
    poller = Daily(engines[0], "maintenance", job, hour=3, now=clock)
    assert poller.poll() == 1
    statements: list[str] = []
    event.listen(engines[0], "before_cursor_execute", lambda *a: statements.append(a[2]))
    assert poller.poll() == 0
    assert statements == []
