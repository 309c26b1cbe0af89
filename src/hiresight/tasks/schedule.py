"""A job run once per day by whichever process polls first, however many processes poll.

Every process that runs background work polls (see `Runtime.pollers`); none is "the scheduler",
so there is nothing extra to deploy and no single process whose death stops the job. Each day
has one `scheduled_runs` row: a poll inserts it if missing and then claims it with the lease
helper (SKIP LOCKED on PostgreSQL, a conditional UPDATE on SQLite), so exactly one process runs
it. A claimant that dies leaves a lease that expires; a run that fails is tried again later the
same day. Each process remembers the day it saw done, so later polls that day read nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import structlog
from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement

from hiresight.db import utcnow
from hiresight.tasks import lease
from hiresight.tasks.models import ScheduledRun, WorkState

log = structlog.get_logger(__name__)

# A claim holds this long: a run longer than that could be started a second time by another
# process, so it is far above what a day's erasures and deletions take.
LEASE = dt.timedelta(hours=1)
# After a failure, the next try that day (the error is in the row and in the log).
RETRY = dt.timedelta(hours=1)


def _claimable(now: dt.datetime) -> ColumnElement[bool]:
    """Not yet started, or started by a process whose lease ran out, or failed long enough ago."""
    return or_(
        ScheduledRun.state == WorkState.pending,
        and_(
            ScheduledRun.state.in_([WorkState.running, WorkState.failed]),
            ScheduledRun.lease_until < now,
        ),
    )


@dataclass
class Daily:
    """`job` run once per UTC day, from `hour` o'clock (UTC) on; `poll` is a `Runtime` poller.

    `job` gets the day and returns the counts it records; `now` is the clock (injected by tests).
    """

    engine: Engine
    name: str
    job: Callable[[dt.date], dict[str, int]]
    hour: int = 0
    now: Callable[[], dt.datetime] = utcnow
    _done: str | None = field(default=None, init=False)

    def poll(self) -> int:
        """Run today's job if it is due and no process has run it: 1 if this call ran it."""
        now = self.now()
        if now.hour < self.hour:
            return 0
        day = now.date()
        period = day.isoformat()
        if self._done == period:
            return 0
        state = self._record(period)
        if state is WorkState.done:
            self._done = period
            return 0
        claimed = lease.claim_due(
            self.engine,
            key=ScheduledRun.id,
            due=select(ScheduledRun.id).where(
                ScheduledRun.name == self.name, ScheduledRun.period == period, _claimable(now)
            ),
            claimable=_claimable(now),
            values={
                "state": WorkState.running,
                "attempts": ScheduledRun.attempts + 1,
                "lease_until": now + LEASE,
                "updated_at": now,
            },
            returning=(ScheduledRun.id, ScheduledRun.attempts),
        )
        if not claimed:
            return 0
        run_id, token = claimed[0].id, claimed[0].attempts
        try:
            counts = self.job(day)
        except Exception as exc:  # recorded and retried; the poller thread must live on
            log.exception("scheduled_run_failed", name=self.name, period=period)
            self._finish(run_id, token, state=WorkState.failed, values={
                "last_error": repr(exc)[:2000], "lease_until": self.now() + RETRY,
            })  # fmt: skip
            return 0
        self._finish(run_id, token, state=WorkState.done, values={
            "counts": counts, "finished_at": self.now(), "lease_until": None, "last_error": None,
        })  # fmt: skip
        self._done = period
        log.info("scheduled_run_done", name=self.name, period=period, **counts)
        return 1

    def _record(self, period: str) -> WorkState:
        """Insert the period's row unless a process already did; its state."""
        insert = (postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert)(
            ScheduledRun
        )
        with self.engine.begin() as conn:
            conn.execute(
                insert.values(
                    name=self.name, period=period, state=WorkState.pending, attempts=0, counts={},
                    created_at=self.now(), updated_at=self.now(),
                ).on_conflict_do_nothing(index_elements=["name", "period"])
            )  # fmt: skip
            state = conn.scalar(
                select(ScheduledRun.state).where(
                    ScheduledRun.name == self.name, ScheduledRun.period == period
                )
            )
        assert state is not None
        return state

    def _finish(
        self, run_id: int, token: int, *, state: WorkState, values: dict[str, object]
    ) -> None:
        """End this claim, unless a later claim (after this one's lease ran out) took the row."""
        with self.engine.begin() as conn:
            conn.execute(
                update(ScheduledRun)
                .where(ScheduledRun.id == run_id, ScheduledRun.attempts == token)
                .values(state=state, updated_at=self.now(), **values)
            )
