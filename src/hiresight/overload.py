"""Shedding load: a fast 503 `server_busy` with Retry-After instead of a queue that never drains.

Past its capacity a server that keeps accepting work answers nothing in time: every request
waits behind the others until the client gives up, and the work of abandoned requests still
runs. Two guards turn overload into an immediate, retryable answer instead:

- a cap on the requests one process works on at once (`InFlightLimit`), checked before the
  request reaches the app; past it a request waits in a short, bounded queue for a slot (a
  burst becomes a little latency), and is answered 503 when the queue is full or its wait is
  over (sustained overload still sheds at once);
- a short wait for a database connection (`db_pool_timeout`), and SQLite's "database is
  locked", answered 503 by `install_busy_handlers` rather than 500.

The interview room's autosave honours Retry-After and keeps the draft until a save succeeds.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import deque

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.types import ASGIApp, Receive, Scope, Send

from hiresight.errors import error_body

BUSY_CODE = "server_busy"
BUSY_MESSAGE = "The server is busy. Your work is kept; please retry shortly."
# Liveness probes and static files touch no database and must answer while the app is saturated.
EXEMPT_PREFIXES = ("/healthz", "/static/")


class InFlightLimit:
    """ASGI middleware: at most `limit` HTTP requests in the app at once; up to `queue` more
    wait at most `queue_wait` seconds for a slot, in arrival order; the rest 503 at once.

    A waiting request holds no thread and no database connection (it has not reached the app),
    so the queue cannot bring back the pool deadlock the cap prevents. It absorbs bursts: a
    process that stalled for a few hundred milliseconds (a full garbage collection, a core
    taken by other work) reads the requests that arrived meanwhile all at once, and without
    the queue those past the cap were refused although the burst drains within milliseconds.

    One event loop runs a process's requests, so plain counters are exact without a lock.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: int,
        retry_after: int,
        queue: int = 0,
        queue_wait: float = 0.0,
    ) -> None:
        self.app = app
        self.limit = limit
        self.queue = queue if queue_wait > 0 else 0
        self.queue_wait = queue_wait
        self.in_flight = 0
        # Each waiter's future gets a result when a finishing request hands it its slot.
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._headers = [
            (b"content-type", b"application/json"),
            (b"retry-after", str(retry_after).encode()),
        ]
        self._body = json.dumps(error_body(BUSY_CODE, BUSY_MESSAGE)).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        if not await self._acquire():
            headers = [*self._headers, (b"content-length", str(len(self._body)).encode())]
            await send({"type": "http.response.start", "status": 503, "headers": headers})
            await send({"type": "http.response.body", "body": self._body})
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._release()

    @property
    def queued(self) -> int:
        """Requests waiting for a slot now."""
        return len(self._waiters)

    async def _acquire(self) -> bool:
        """Take a slot, waiting in the queue if there is room; False: answer 503."""
        if self.in_flight < self.limit and not self._waiters:
            self.in_flight += 1
            return True
        if len(self._waiters) >= self.queue:
            return False
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(self.queue_wait):
                await waiter
        except BaseException as exc:
            # A slot handed over in the same loop turn as the timeout or a cancellation is ours.
            granted = waiter.done() and not waiter.cancelled()
            waiter.cancel()
            with contextlib.suppress(ValueError):
                self._waiters.remove(waiter)
            if isinstance(exc, TimeoutError):
                return granted
            if granted:  # the client went away: the slot goes to the next waiter
                self._release()
            raise
        return True

    def _release(self) -> None:
        """Hand the slot to the longest waiter still waiting, else free it."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self.in_flight -= 1


def _is_sqlite_locked(exc: OperationalError) -> bool:
    return "database is locked" in str(exc.orig)


def install_busy_handlers(app: FastAPI, *, retry_after: int) -> None:
    """Answer a pool timeout or a locked SQLite database with 503 `server_busy`, not 500."""
    headers = {"Retry-After": str(retry_after)}

    async def busy(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(error_body(BUSY_CODE, BUSY_MESSAGE), status_code=503, headers=headers)

    async def operational(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, OperationalError) and _is_sqlite_locked(exc):
            return await busy(request, exc)
        raise exc

    app.add_exception_handler(PoolTimeoutError, busy)
    app.add_exception_handler(OperationalError, operational)


def install_load_shedding(
    app: FastAPI, *, limit: int, retry_after: int, queue: int = 0, queue_wait: float = 0.0
) -> None:
    """The in-flight cap with its queue and the 503 handlers, in one call from the app factory."""
    install_busy_handlers(app, retry_after=retry_after)
    app.add_middleware(
        InFlightLimit, limit=limit, retry_after=retry_after, queue=queue, queue_wait=queue_wait
    )
