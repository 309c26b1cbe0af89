"""Shedding load: a fast 503 `server_busy` with Retry-After instead of a queue that never drains.

Past its capacity a server that keeps accepting work answers nothing in time: every request
waits behind the others until the client gives up, and the work of abandoned requests still
runs. Two guards turn overload into an immediate, retryable answer instead:

- a cap on the requests one process works on at once (`InFlightLimit`), answered before the
  request reaches the app;
- a short wait for a database connection (`db_pool_timeout`), and SQLite's "database is
  locked", answered 503 by `install_busy_handlers` rather than 500.

The interview room's autosave honours Retry-After and keeps the draft until a save succeeds.
"""

from __future__ import annotations

import json

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
    """ASGI middleware: at most `limit` HTTP requests in the app at once, the rest 503 at once.

    One event loop runs a process's requests, so a plain counter is exact without a lock.
    """

    def __init__(self, app: ASGIApp, *, limit: int, retry_after: int) -> None:
        self.app = app
        self.limit = limit
        self.in_flight = 0
        self._headers = [
            (b"content-type", b"application/json"),
            (b"retry-after", str(retry_after).encode()),
        ]
        self._body = json.dumps(error_body(BUSY_CODE, BUSY_MESSAGE)).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            headers = [*self._headers, (b"content-length", str(len(self._body)).encode())]
            await send({"type": "http.response.start", "status": 503, "headers": headers})
            await send({"type": "http.response.body", "body": self._body})
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
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


def install_load_shedding(app: FastAPI, *, limit: int, retry_after: int) -> None:
    """The in-flight cap and the 503 handlers, in one call from the app factory."""
    install_busy_handlers(app, retry_after=retry_after)
    app.add_middleware(InFlightLimit, limit=limit, retry_after=retry_after)
