"""The supervisor's side of its child processes: fork them, watch them, read their verdicts.

Part of the in-sandbox supervisor (pyrunner.py), which loads it from the runner's read-only
file before any child exists. A child gets fresh tokens through a pipe after the fork and
reports through another; a test passes only when its child sent back that test's token
(`Child.passed`), while a failure it reports is believed, since it can only fail the test.
Standard library only.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import time
from collections.abc import Callable
from typing import Any, NoReturn

MESSAGE_LIMIT = 300
TOKEN_BYTES = 32  # hex characters
READ_CAP = 1 << 16  # what one child may send before it is ignored


def emit(channel: int, payload: dict[str, Any]) -> None:
    """Write one event, a JSON line, to the private result channel."""
    os.write(channel, (json.dumps(payload) + "\n").encode())


class Child:
    """One child process: its pid, the read end of its result pipe, what it sent."""

    def __init__(self, pid: int, result_r: int, tokens: list[bytes]) -> None:
        self.pid = pid
        self.result_r = result_r
        self.tokens = tokens
        self.data = bytearray()
        self.exit_code: int | None = None
        self.timed_out = False

    def lines(self) -> list[bytes]:
        """Complete lines received so far."""
        return bytes(self.data).split(b"\n")[:-1]

    def passed(self, index: int) -> bool:
        """Whether the child sent test `index`'s token: the only proof of a pass."""
        want = b"P %d " % index + self.tokens[index]
        return want in self.lines()


def spawn(
    target: Callable[[int, int], NoReturn], count: int, _exit: Callable[[int], NoReturn] = os._exit
) -> Child:
    """Fork a child running `target(token_r, result_w)`; hand it `count` fresh tokens."""
    token_r, token_w = os.pipe()
    result_r, result_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        try:
            os.setpgid(0, 0)
            os.close(token_w)
            os.close(result_r)
            target(token_r, result_w)
        finally:
            # Bound before any test code ran: a child whose test patched os._exit must still
            # never fall back into this loop.
            _exit(1)
    os.close(token_r)
    os.close(result_w)
    quietly(os.setpgid, pid, pid)
    # Tokens are made after the fork: no child's memory holds a token of a test still to run.
    tokens = [os.urandom(TOKEN_BYTES // 2).hex().encode() for _ in range(count)]
    quietly(os.write, token_w, b"".join(tokens))
    os.close(token_w)
    return Child(pid, result_r, tokens)


def quietly(func: Callable[..., object], *args: object) -> None:
    """Call func, ignoring OSError (e.g. a child that already exited)."""
    with contextlib.suppress(OSError):
        func(*args)


def watch(child: Child, timeout: float, *, per_message: bool = False) -> Child:
    """Read the child's results until it exits; kill it after `timeout` s.

    With `per_message` (a node child runs a whole file), each message restarts the clock.
    """
    pidfd = os.pidfd_open(child.pid)
    deadline = time.monotonic() + timeout
    open_fds = [child.result_r, pidfd]
    try:
        while pidfd in open_fds:
            ready, _, _ = select.select(open_fds, [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                child.timed_out = True
                quietly(os.killpg, child.pid, signal.SIGKILL)
                break
            if child.result_r in ready:
                chunk = os.read(child.result_r, 65536)
                if not chunk:
                    open_fds.remove(child.result_r)
                elif len(child.data) < READ_CAP:
                    child.data += chunk
                    if per_message:
                        deadline = time.monotonic() + timeout
            if pidfd in ready:
                open_fds.remove(pidfd)
        _, status = os.waitpid(child.pid, 0)
        child.exit_code = os.waitstatus_to_exitcode(status)
        # Drain what the child wrote before it exited.
        while select.select([child.result_r], [], [], 0)[0]:
            chunk = os.read(child.result_r, 65536)
            if not chunk or len(child.data) >= READ_CAP:
                break
            child.data += chunk
    finally:
        os.close(pidfd)
        os.close(child.result_r)
        quietly(os.killpg, child.pid, signal.SIGKILL)  # nothing of it may linger
    return child


def death(child: Child) -> tuple[str, str]:
    """The status of a test whose child ended without a verdict for it."""
    code = child.exit_code
    if child.timed_out:
        return "timeout", "the test did not finish in time"
    if code == -signal.SIGXCPU:
        return "timeout", "the test process reached the CPU limit"
    if code == -signal.SIGKILL:
        # Not our kill: the kernel's, and in a sandbox that is the memory cgroup's OOM killer.
        return "memory-limit", "the test process was killed (memory limit)"
    if code == -signal.SIGABRT:
        return "memory-limit", "the test process aborted (memory limit)"
    return "error", f"the test process exited (code {code})"


def reported_failure(child: Child, index: int) -> tuple[str, str] | None:
    """The failure a child reported for test `index` (unauthenticated: it can only fail it)."""
    prefix = b"F %d " % index
    for line in child.lines():
        if line.startswith(prefix):
            try:
                status, message = json.loads(line[len(prefix) :])
            except (ValueError, TypeError):
                return "error", "the test process sent an unreadable report"
            allowed = ("failed", "error", "timeout", "memory-limit")
            status = status if status in allowed else "error"
            return status, str(message)[:MESSAGE_LIMIT]
    return None


def has_started(child: Child, index: int) -> bool:
    """Whether the child said it started test `index`."""
    return b"S %d" % index in child.lines()


def report(channel: int, test_id: str, child: Child, index: int, started: bool) -> bool:
    """Send one test's verdict; False when it never started (to be run again)."""
    if child.passed(index):
        status, message = "passed", ""
    else:
        failure = reported_failure(child, index)
        if failure is None and not started:
            return False
        status, message = failure or death(child)
    emit(channel, {"event": "result", "id": test_id, "status": status, "message": message})
    return True


def file_error(child: Child) -> str | None:
    """The error a child reported for loading its whole test file, if any."""
    for line in child.lines():
        if line.startswith(b"E "):
            try:
                return str(json.loads(line[2:]))[:MESSAGE_LIMIT]
            except ValueError:
                return "the test file could not be loaded"
    return None
