"""Real `hiresight serve` and `hiresight worker` processes for the crash tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(tmp: Path, database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a child: the test's database, a short lease, fast reconciling."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIRESIGHT_")}
    env.update(
        HIRESIGHT_ENV="test",
        HIRESIGHT_DATABASE_URL=database_url,
        HIRESIGHT_DATA_DIR=str(tmp / "data"),
        HIRESIGHT_LOG_LEVEL="INFO",
        HIRESIGHT_WORK_LEASE_SECONDS="5",
        HIRESIGHT_WORK_RECONCILE_SECONDS="1",
    )
    env.update({f"HIRESIGHT_{k.upper()}": v for k, v in settings.items()})
    return env


class Child:
    """A started `hiresight` process whose output goes to a log file."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self.started = time.monotonic()
        self._out = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "hiresight", *args],
            env=env,
            cwd=log.parent,  # no stray .env from the repository
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )

    @property
    def pid(self) -> int:
        """The process id."""
        return self.proc.pid

    def kill(self) -> None:
        """SIGKILL, then reap (a zombie would still look alive to the clean-up)."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(30)
        self._out.close()

    def output(self) -> str:
        """What the process wrote so far."""
        return self.log.read_text(errors="replace")


def serve(tmp: Path, env: dict[str, str], name: str) -> tuple[Child, str]:
    """Start `hiresight serve` and wait until it answers; the child and its base URL."""
    port = free_port()
    child = Child(["serve", "--port", str(port)], env, tmp / f"{name}.log")
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: _answers(base), 120, child, "the web process to answer")
    return child, base


def worker(tmp: Path, env: dict[str, str], name: str) -> Child:
    """Start `hiresight worker` (it warms up, then consumes)."""
    return Child(["worker", "--threads", "1", "--ready-file", str(tmp / f"{name}.ready")], env,
                 tmp / f"{name}.log")  # fmt: skip


def _answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def wait_for(check: Callable[[], bool], timeout: float, child: Child | None, what: str) -> float:
    """Poll `check` until true; the seconds it took. Fails with the child's output if not."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        if child is not None and child.proc.poll() is not None:
            raise AssertionError(f"the process exited while waiting for {what}:\n{child.output()}")
        time.sleep(0.01)
    tail = child.output()[-4000:] if child is not None else ""
    raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{tail}")


@contextmanager
def reaped(children: list[Child]) -> Iterator[list[Child]]:
    """Kill every child started in the block, whatever happens."""
    try:
        yield children
    finally:
        for child in children:
            child.kill()
