"""Parse untrusted uploads in worker processes with CPU-time, memory and wall-clock limits.

Résumés (pdfminer, python-docx) and portfolio archives are parsed from files anyone can upload,
and one crafted PDF once held the web server's event loop for minutes and grew it to 18 GB.
So the parsing runs in a small pool of `python -m hiresight.profiles.parse_worker` processes,
started on first use and kept warm (a new process per parse would cost its ~1 s of imports):

- CPU time: before each job a worker starts a profiling timer of `cpu_seconds` of CPU (SIGPROF
  ends it), backed by RLIMIT_CPU a second later (SIGXCPU, which nothing can catch).
- Memory: RLIMIT_AS is the worker's idle address space plus `memory_mb`; an allocation past it
  fails, and the worker answers and exits.
- Wall clock: the caller kills the worker's process group after `timeout_seconds`.

A job past a limit answers `resume_too_complex` (or `portfolio_too_complex`), and its worker
is replaced. Requests go to the worker as JSON plus raw bytes and answers come back as JSON
only: the web process never unpickles anything a parsed file could influence.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import datetime as dt
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

import anyio
import structlog

from hiresight.errors import AppError
from hiresight.portfolio.errors import PortfolioError, PortfolioTooComplexError
from hiresight.portfolio.schemas import PortfolioReport
from hiresight.profiles import parse_worker
from hiresight.profiles.errors import ResumeError, ResumeTooComplexError
from hiresight.profiles.parse_worker import ANSWER_PREFIX, REQUEST_PREFIX
from hiresight.profiles.parsed import ParsedResume
from hiresight.settings import Settings

log = structlog.get_logger(__name__)
T = TypeVar("T")

# A worker imports pdfminer, python-docx and the skills taxonomy before it is ready: about a
# second on an idle machine, several on a busy one.
STARTUP_TIMEOUT_SECONDS = 60.0
# Answers are a parsed profile or a review report; far below this unless something is wrong.
MAX_REPLY_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class ParseLimits:
    """What one parse may use, and how many worker processes parse at once."""

    cpu_seconds: int = 10
    memory_mb: int = 1024
    timeout_seconds: float = 30.0
    workers: int = 2


def limits_from(settings: Settings) -> ParseLimits:
    """The limits the `HIRESIGHT_PARSE_*` settings ask for."""
    return ParseLimits(
        cpu_seconds=settings.parse_cpu_seconds,
        memory_mb=settings.parse_memory_mb,
        timeout_seconds=settings.parse_timeout_seconds,
        workers=settings.parse_workers,
    )


class WorkerLostError(Exception):
    """The worker process died, or stopped answering, in the middle of a job."""


class IsolationUnavailableError(RuntimeError):
    """A worker process could not be started: a server problem, never the upload's fault."""


def _frame(header: dict[str, Any], payload: bytes = b"") -> bytes:
    head = json.dumps(header).encode()
    return REQUEST_PREFIX.pack(len(head), len(payload)) + head + payload


class _Worker:
    """One worker process and the pipes to it."""

    def __init__(self) -> None:
        src_root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (src_root, os.environ.get("PYTHONPATH", "")) if p
        )}  # fmt: skip
        self.process = subprocess.Popen(
            [sys.executable, "-m", parse_worker.__name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            bufsize=0,
            env=env,
            start_new_session=True,  # its own process group, killed as one with any children
        )
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self._in: IO[bytes] = self.process.stdin
        self._out = self.process.stdout.fileno()
        try:
            ready = self._read(time.monotonic() + STARTUP_TIMEOUT_SECONDS)
        except (WorkerLostError, TimeoutError) as exc:
            self.kill()
            raise IsolationUnavailableError("the parse worker did not start") from exc
        if not ready.get("ready"):
            self.kill()
            raise IsolationUnavailableError(f"the parse worker did not start: {ready}")

    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.process.poll() is None

    def send(self, header: dict[str, Any], payload: bytes) -> None:
        """Hand the worker a job; WorkerLostError when it is already gone."""
        try:
            self._in.write(_frame(header, payload))
            self._in.flush()
        except (BrokenPipeError, ValueError) as exc:
            raise WorkerLostError("the worker was gone before the job") from exc

    def _read_exact(self, size: int, deadline: float) -> bytes:
        data = bytearray()
        poller = select.poll()  # not select(): a busy server's descriptors go past 1024
        poller.register(self._out, select.POLLIN)
        while len(data) < size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            if not poller.poll(remaining * 1000):
                continue
            chunk = os.read(self._out, size - len(data))
            if not chunk:
                raise WorkerLostError(f"the worker ended (exit {self.process.wait()})")
            data += chunk
        return bytes(data)

    def _read(self, deadline: float) -> dict[str, Any]:
        (size,) = ANSWER_PREFIX.unpack(self._read_exact(ANSWER_PREFIX.size, deadline))
        if size > MAX_REPLY_BYTES:
            raise WorkerLostError(f"the worker sent an answer of {size} bytes")
        reply: dict[str, Any] = json.loads(self._read_exact(size, deadline))
        return reply

    def receive(self, deadline: float) -> dict[str, Any]:
        """The job's answer; TimeoutError past `deadline`, WorkerLostError if the worker died."""
        return self._read(deadline)

    def kill(self) -> None:
        """End the worker and anything it started, at once."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._in.close()
        if self.process.stdout is not None:
            self.process.stdout.close()

    def close(self) -> None:
        """Let an idle worker end on its own (it exits when its input closes)."""
        try:
            self._in.close()
            self.process.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            self.kill()


class ParsePool:
    """Up to `size` warm workers; a job waits for a free one."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._slots = threading.BoundedSemaphore(self.size)
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()

    def _checkout(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                worker.kill()
        return _Worker()

    def run(self, header: dict[str, Any], payload: bytes, limits: ParseLimits) -> dict[str, Any]:
        """Run one job within `limits`; WorkerLostError/TimeoutError when a limit ended it."""
        header = {**header, "cpu_seconds": limits.cpu_seconds, "memory_mb": limits.memory_mb}
        with self._slots:
            worker = self._checkout()
            try:
                try:
                    worker.send(header, payload)
                except WorkerLostError:
                    worker.kill()  # it died while idle: the job never started, so retry once
                    worker = _Worker()
                    worker.send(header, payload)
                reply = worker.receive(time.monotonic() + limits.timeout_seconds)
            except BaseException:
                worker.kill()
                raise
            if reply.get("exit"):
                worker.close()
            else:
                with self._lock:
                    self._idle.append(worker)
            return reply

    def pids(self) -> list[int]:
        """The process ids of the idle workers (benchmarks read their CPU time)."""
        with self._lock:
            return [worker.process.pid for worker in self._idle]

    def close(self) -> None:
        """End the idle workers (busy ones end when their job does and nobody takes them)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.close()


_pool: ParsePool | None = None
_pool_lock = threading.Lock()


def get_pool(workers: int) -> ParsePool:
    """The process's pool, made on first use with `workers` processes at most."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ParsePool(workers)
            atexit.register(_pool.close)
        return _pool


def _error_classes() -> dict[str, type[AppError]]:
    """Every résumé and portfolio error by its code, to raise again what the worker raised."""
    found: dict[str, type[AppError]] = {}
    stack: list[type[AppError]] = [ResumeError, PortfolioError]
    while stack:
        cls = stack.pop()
        found[cls.code] = cls
        stack += cls.__subclasses__()
    return found


def _run(
    op: str, header: dict[str, Any], payload: bytes, limits: ParseLimits, too_complex: AppError
) -> dict[str, Any]:
    """Run a job and return its result, raising the error it answered or `too_complex`."""
    try:
        reply = get_pool(limits.workers).run({"op": op, **header}, payload, limits)
    except (WorkerLostError, TimeoutError) as exc:
        log.warning("parse_limit_exceeded", op=op, reason=type(exc).__name__, detail=str(exc))
        raise too_complex from exc
    if reply.get("ok"):
        result: dict[str, Any] = reply["result"]
        return result
    if reply.get("exceeded"):
        log.warning("parse_limit_exceeded", op=op, reason=reply["exceeded"])
        raise too_complex
    error = reply.get("error")
    if not isinstance(error, dict):
        raise RuntimeError(f"the parse worker failed: {reply.get('crash', reply)}")
    cls = _error_classes().get(str(error.get("code")))
    if cls is not None:
        raise cls(str(error.get("message")))
    raise AppError(str(error.get("message")), code=str(error.get("code")), status_code=422)


def parse_resume(
    data: bytes,
    filename: str | None = None,
    *,
    today: dt.date | None = None,
    limits: ParseLimits | None = None,
) -> ParsedResume:
    """`parser.parse_resume` in a worker process; `resume_too_complex` past a limit."""
    header = {"filename": filename, "today": today.isoformat() if today else None}
    result = _run("resume", header, data, limits or ParseLimits(), ResumeTooComplexError())
    return ParsedResume.model_validate(result)


def review_archive(
    data: bytes, *, max_archive_bytes: int, limits: ParseLimits | None = None
) -> PortfolioReport:
    """Review an uploaded repository archive in a worker; `portfolio_too_complex` past a limit."""
    too_complex = PortfolioTooComplexError(
        "Reviewing this archive took more time or memory than allowed; upload a smaller one."
    )
    header = {"max_archive_bytes": max_archive_bytes}
    result = _run("portfolio", header, data, limits or ParseLimits(), too_complex)
    return PortfolioReport.model_validate(result)


_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)


async def off_loop(fn: Callable[[], T], *, workers: int) -> T:
    """Run a blocking parse call in a thread, at most `workers` at once per event loop.

    The calls wait their turn here, on the loop, rather than in threads of the shared pool:
    a burst of uploads cannot take the threads every other request needs.
    """
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = anyio.CapacityLimiter(max(1, workers))
    return await anyio.to_thread.run_sync(fn, limiter=limiter)
