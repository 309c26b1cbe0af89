"""Run an untrusted command under bubblewrap with rlimits, cgroups, a timeout and an output cap.

`chain` builds and starts the confined process chain (gate shell, uid drop, bwrap); this module
leases the run's uid, job directory and cgroups, captures the output under its cap, enforces
the wall clock, kills whatever is left, and says why the run ended.
"""

from __future__ import annotations

import contextlib
import os
import select
import selectors
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from hiresight.sandbox import cgroups, chain
from hiresight.sandbox.chain import WORK_DIR, RoBind, require_tools
from hiresight.sandbox.limits import MIB, SandboxLimits
from hiresight.sandbox.workdir import DEFAULT_BASE_DIR, job_dir, lease_uid

Status = Literal["ok", "timeout", "memory-limit", "output-limit", "error"]

TRUNCATION_MARKER = "\n[... output truncated at {n} bytes ...]\n"
# Names the inherited descriptor of the result channel (see `run(channel=True)`).
CHANNEL_FD_ENV = "HIRESIGHT_RESULT_FD"
CHANNEL_CAP = 1 << 20
SANDBOX_PATH = "/usr/local/bin:/usr/bin:/bin"


@dataclass(frozen=True)
class SandboxResult:
    """What a sandboxed run did and used."""

    status: Status
    exit_code: int | None
    stdout: str
    stderr: str
    wall_ms: float
    cpu_ms: float
    max_rss_kb: int
    peak_memory_bytes: int | None
    detail: str = ""
    channel: str = ""


class _Capture:
    """Read both pipes until EOF, the deadline or the cap, whichever comes first."""

    def __init__(
        self, proc: subprocess.Popen[bytes], cap: int, channel: socket.socket | None = None
    ) -> None:
        self.proc = proc
        self.cap = cap
        self.channel = channel
        self.data: dict[str, bytearray] = {
            "stdout": bytearray(),
            "stderr": bytearray(),
            "channel": bytearray(),
        }
        self.truncated = False

    def pump(self, deadline: float) -> bool:
        """Return True when both pipes reached EOF before the deadline."""
        sel = selectors.DefaultSelector()
        assert self.proc.stdout is not None
        assert self.proc.stderr is not None
        sel.register(self.proc.stdout, selectors.EVENT_READ, "stdout")
        sel.register(self.proc.stderr, selectors.EVENT_READ, "stderr")
        if self.channel is not None:
            sel.register(self.channel, selectors.EVENT_READ, "channel")
        try:
            while sel.get_map():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                for key, _ in sel.select(remaining):
                    chunk = os.read(key.fd, 65536)
                    if not chunk:
                        sel.unregister(key.fileobj)
                        continue
                    buf = self.data[key.data]
                    if key.data == "channel":
                        # The runner's own messages, never the program's output: bounded
                        # apart, and never a reason to stop the run.
                        buf += chunk[: max(CHANNEL_CAP - len(buf), 0)]
                        continue
                    room = self.cap - len(buf)
                    buf += chunk[: max(room, 0)]
                    if len(chunk) > room:
                        self.truncated = True
                        return False
            return True
        finally:
            sel.close()

    def text(self, name: str) -> str:
        """Decoded stream, with a marker when the cap cut it."""
        out = self.data[name].decode("utf-8", errors="replace")
        if self.truncated and len(self.data[name]) >= self.cap:
            out += TRUNCATION_MARKER.format(n=self.cap)
        return out


def _exits_before(pid: int, deadline: float) -> bool:
    """Wait (without reaping) until the process exits or the deadline passes."""
    fd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        return bool(ready)
    finally:
        os.close(fd)


def _kill_tree(proc: subprocess.Popen[bytes], groups: cgroups.RunCgroups) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    groups.kill_all()


def _classify(
    timed_out: bool,
    capture: _Capture,
    exit_code: int,
    groups: cgroups.RunCgroups,
    cpu_ms: float,
    limits: SandboxLimits,
) -> tuple[Status, str]:
    stderr_tail = bytes(capture.data["stderr"][-400:]).decode("utf-8", "replace")
    # bwrap's pid 1 reports a child killed by signal N as exit status 128 + N.
    if 128 < exit_code <= 128 + 64:
        exit_code = -(exit_code - 128)
    if timed_out:
        return "timeout", f"wall-clock limit of {limits.wall_seconds:g} s reached"
    if capture.truncated:
        return "output-limit", f"output exceeded {limits.output_bytes} bytes"
    if groups.memory_limit_hit() and exit_code != 0:
        return "memory-limit", f"memory limit of {limits.memory_mb} MiB reached"
    # rlimit CPU is tick-sampled and cpuacct exact, so compare loosely for the SIGKILL case.
    if exit_code == -signal.SIGXCPU or (
        exit_code == -signal.SIGKILL and cpu_ms >= limits.cpu_seconds * 800
    ):
        return "timeout", f"CPU limit of {limits.cpu_seconds} s reached"
    if groups.process_limit_hit():
        return "error", f"process limit of {limits.processes} reached"
    if exit_code != 0 and any(
        m in stderr_tail for m in ("MemoryError", "heap out of memory", "std::bad_alloc")
    ):
        return "memory-limit", f"memory limit of {limits.memory_mb} MiB reached"
    if stderr_tail.startswith("bwrap:"):
        return "error", "sandbox setup failed: " + stderr_tail.strip()
    if exit_code < 0:
        return "error", f"killed by signal {-exit_code}"
    return "ok", ""


def run(
    argv: Sequence[str],
    files: Mapping[str, bytes | str],
    *,
    limits: SandboxLimits | None = None,
    env: Mapping[str, str] | None = None,
    large_address_space: bool = False,
    base_dir: Path = DEFAULT_BASE_DIR,
    channel: bool = False,
    ro_binds: Sequence[RoBind] = (),
) -> SandboxResult:
    """Run `argv` in /work of a fresh sandbox holding only `files`; never raises for its outcome.

    With `channel`, the program also inherits one end of a private socket (its descriptor
    number in the CHANNEL_FD_ENV variable) and what it writes there comes back as
    `SandboxResult.channel`. bwrap's pid 1 closes inherited descriptors beyond stdio, so inside
    the sandbox only the program holds it, and a socket cannot be reopened via /proc.

    `ro_binds` makes extra host paths visible read-only: a path bound at the same path, or a
    (host, sandbox path) pair; targets must be absolute and outside /work (ValueError).
    """
    limits = limits or SandboxLimits()
    chain.ro_bind_args(ro_binds)  # refuse a bad bind before leasing anything
    tools = require_tools()
    run_env = {"PATH": SANDBOX_PATH, "HOME": WORK_DIR, "LANG": "C.UTF-8", **(env or {})}
    ours, theirs = socket.socketpair() if channel else (None, None)
    if theirs is not None:
        run_env[CHANNEL_FD_ENV] = str(theirs.fileno())
    try:
        return _run(
            argv,
            files,
            limits,
            tools,
            run_env,
            large_address_space,
            base_dir,
            ours,
            theirs,
            ro_binds,
        )
    finally:
        for sock in (ours, theirs):
            if sock is not None:
                sock.close()


def _run(
    argv: Sequence[str],
    files: Mapping[str, bytes | str],
    limits: SandboxLimits,
    tools: dict[str, str],
    run_env: dict[str, str],
    large_address_space: bool,
    base_dir: Path,
    ours: socket.socket | None,
    theirs: socket.socket | None,
    ro_binds: Sequence[RoBind],
) -> SandboxResult:
    with lease_uid() as uid, job_dir(files, uid, base_dir) as job:
        # Tree-wide cap, with slack for the chain's own processes: the gate shell (which
        # becomes bwrap's monitor) and the pid namespace's init.
        groups = cgroups.create(
            uuid.uuid4().hex, memory_bytes=limits.memory_mb * MIB, max_pids=limits.processes + 4
        )
        try:
            cmd = chain.command(
                tools, uid, job, sorted(files), argv, limits, groups, ro_binds=ro_binds
            )
            rlimits = chain.rlimits(limits, groups, large_address_space)
            started = time.monotonic()
            channel = None if theirs is None else theirs.fileno()
            proc = chain.start(cmd, run_env, rlimits, channel, niceness=limits.niceness)
            if theirs is not None:
                theirs.close()  # only the sandbox holds it now: EOF comes when the run ends
            capture = _Capture(proc, limits.output_bytes, ours)
            finished = False
            deadline = started + limits.wall_seconds
            try:
                # Closing stdout/stderr early must not dodge the wall clock: wait for the exit too.
                finished = capture.pump(deadline) and _exits_before(proc.pid, deadline)
            finally:
                if not finished:
                    _kill_tree(proc, groups)
                _, wait_status, usage = os.wait4(proc.pid, 0)
                proc.returncode = os.waitstatus_to_exitcode(wait_status)
                wall_ms = (time.monotonic() - started) * 1000
                assert proc.stdout is not None
                assert proc.stderr is not None
                proc.stdout.close()
                proc.stderr.close()
                groups.kill_all()  # nothing may outlive the run, even a double-forked daemon
            exit_code = proc.returncode
            tree_cpu_ms = groups.cpu_ms()
            cpu_ms = (
                tree_cpu_ms if tree_cpu_ms is not None else (usage.ru_utime + usage.ru_stime) * 1000
            )
            peak = groups.peak_memory_bytes()
            timed_out = not finished and not capture.truncated
            status, detail = _classify(timed_out, capture, exit_code, groups, cpu_ms, limits)
            return SandboxResult(
                status=status,
                exit_code=exit_code,
                stdout=capture.text("stdout"),
                stderr=capture.text("stderr"),
                wall_ms=wall_ms,
                cpu_ms=cpu_ms,
                # rusage only sees reaped descendants; the cgroup peak sees the whole tree.
                max_rss_kb=peak // 1024 if peak is not None else int(usage.ru_maxrss),
                peak_memory_bytes=peak,
                detail=detail,
                channel=capture.data["channel"].decode("utf-8", errors="replace"),
            )
        finally:
            groups.remove()
