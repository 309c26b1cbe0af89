"""One sandboxed run with extra read-only binds (the scientific packages).

`hiresight.sandbox.run` gives a run only its own files. A take-home also needs the server's
numpy, scipy, scikit-learn and lightgbm, far too large to copy per run, so this module runs the
same confined chain (gate shell, unprivileged uid, bubblewrap, rlimits, cgroups, wall clock,
output cap, private result channel) with the package folders bound read-only into the
sandbox's frozen root, outside /work. Everything else is the sandbox package's own code.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

from hiresight.sandbox import SandboxLimits, SandboxResult, cgroups, chain
from hiresight.sandbox.chain import WORK_DIR, require_tools
from hiresight.sandbox.limits import MIB
from hiresight.sandbox.run import (
    CHANNEL_FD_ENV,
    SANDBOX_PATH,
    _Capture,
    _classify,
    _exits_before,
    _kill_tree,
)
from hiresight.sandbox.workdir import DEFAULT_BASE_DIR, job_dir, lease_uid

Bind = tuple[Path, str]


def with_binds(cmd: list[str], binds: Sequence[Bind]) -> list[str]:
    """The chain's argv with `--ro-bind` pairs added before bwrap freezes its root."""
    at = cmd.index("--remount-ro")
    extra: list[str] = []
    for host, target in binds:
        if not target.startswith("/") or target == WORK_DIR or target.startswith(WORK_DIR + "/"):
            raise ValueError(f"bind target {target!r} must be absolute and outside {WORK_DIR}")
        extra += ["--ro-bind", str(host), target]
    return [*cmd[:at], *extra, *cmd[at:]]


def run_bound(
    argv: Sequence[str],
    files: Mapping[str, bytes | str],
    *,
    limits: SandboxLimits,
    binds: Sequence[Bind],
    env: Mapping[str, str] | None = None,
    base_dir: Path = DEFAULT_BASE_DIR,
) -> SandboxResult:
    """Run `argv` in /work holding `files`, with `binds` visible read-only; a result channel."""
    tools = require_tools()
    run_env = {"PATH": SANDBOX_PATH, "HOME": WORK_DIR, "LANG": "C.UTF-8", **(env or {})}
    ours, theirs = socket.socketpair()
    run_env[CHANNEL_FD_ENV] = str(theirs.fileno())
    try:
        with lease_uid() as uid, job_dir(files, uid, base_dir) as job:
            groups = cgroups.create(
                uuid.uuid4().hex,
                memory_bytes=limits.memory_mb * MIB,
                max_pids=limits.processes + 4,
            )
            try:
                cmd = chain.command(tools, uid, job, sorted(files), argv, limits, groups)
                cmd = with_binds(cmd, binds)
                rlimits = chain.rlimits(limits, groups, large_address_space=False)
                started = time.monotonic()
                proc = chain.start(cmd, run_env, rlimits, theirs.fileno())
                theirs.close()
                capture = _Capture(proc, limits.output_bytes, ours)
                finished = False
                deadline = started + limits.wall_seconds
                try:
                    finished = capture.pump(deadline) and _exits_before(proc.pid, deadline)
                finally:
                    if not finished:
                        _kill_tree(proc, groups)
                    _, wait_status, usage = os.wait4(proc.pid, 0)
                    proc.returncode = os.waitstatus_to_exitcode(wait_status)
                    wall_ms = (time.monotonic() - started) * 1000
                    for pipe in (proc.stdout, proc.stderr):
                        if pipe is not None:
                            pipe.close()
                    groups.kill_all()
                tree_cpu = groups.cpu_ms()
                cpu_ms = (
                    tree_cpu if tree_cpu is not None else (usage.ru_utime + usage.ru_stime) * 1000
                )
                peak = groups.peak_memory_bytes()
                timed_out = not finished and not capture.truncated
                status, detail = _classify(
                    timed_out, capture, proc.returncode, groups, cpu_ms, limits
                )
                return SandboxResult(
                    status=status,
                    exit_code=proc.returncode,
                    stdout=capture.text("stdout"),
                    stderr=capture.text("stderr"),
                    wall_ms=wall_ms,
                    cpu_ms=cpu_ms,
                    max_rss_kb=peak // 1024 if peak is not None else int(usage.ru_maxrss),
                    peak_memory_bytes=peak,
                    detail=detail,
                    channel=capture.data["channel"].decode("utf-8", errors="replace"),
                )
            finally:
                groups.remove()
    finally:
        ours.close()
        if theirs.fileno() != -1:
            theirs.close()
