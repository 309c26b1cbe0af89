"""Run an untrusted command under bubblewrap with rlimits, cgroups, a timeout and an output cap.

The chain, outermost first: `sh` (the server's uid, held at a gate: it waits for a line on its
stdin pipe while the server sets its rlimits with prlimit(2); once released it moves itself
into the run's cgroups, so every process after it is born confined) -> `setpriv` (drop to the
run's unprivileged uid, no groups, no capabilities) -> `bwrap` (new user, pid, net, ipc, uts,
mount namespaces; read-only system dirs; tmpfs /work and /tmp; only this run's files, bound
read-only) -> the program. bwrap started as root would stay host root (see STACK.md), hence
the drop first. The server sets the rlimits while `sh` still has the server's uid: prlimit(2)
on another uid's process needs CAP_SYS_RESOURCE, which containers often lack. If the server
cannot set them, it closes the gate without the line and the shell exits having run nothing.
"""

from __future__ import annotations

import contextlib
import os
import resource
import select
import selectors
import shlex
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from hiresight.sandbox import cgroups
from hiresight.sandbox.errors import SandboxError, SandboxUnavailableError
from hiresight.sandbox.limits import MIB, SandboxLimits
from hiresight.sandbox.workdir import DEFAULT_BASE_DIR, job_dir, lease_uid

Status = Literal["ok", "timeout", "memory-limit", "output-limit", "error"]

TRUNCATION_MARKER = "\n[... output truncated at {n} bytes ...]\n"
WORK_DIR = "/work"
# Names the inherited descriptor of the result channel (see `run(channel=True)`).
CHANNEL_FD_ENV = "HIRESIGHT_RESULT_FD"
CHANNEL_CAP = 1 << 20
SANDBOX_PATH = "/usr/local/bin:/usr/bin:/bin"

# Only what interpreters need from /etc: never the whole dir (it may hold service configs).
_ETC_FILES = (
    "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "localtime",
    "nsswitch.conf", "passwd", "group", "ssl", "mime.types",
)  # fmt: skip
_SYSTEM_DIRS = ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32")


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


def require_tools() -> dict[str, str]:
    """Locate bwrap and setpriv, or say how to install them."""
    found: dict[str, str] = {}
    hints = {"bwrap": "bubblewrap", "setpriv": "util-linux"}
    for tool, package in hints.items():
        path = shutil.which(tool)
        if path is None:
            raise SandboxUnavailableError(
                f"`{tool}` is not installed; the grading sandbox needs it: "
                f"apt-get install {package}"
            )
        found[tool] = path
    return found


def _system_binds() -> list[str]:
    args: list[str] = []
    for name in _SYSTEM_DIRS:
        host = Path("/") / name
        if host.is_symlink():
            args += ["--symlink", os.readlink(host), f"/{name}"]
        elif host.is_dir():
            args += ["--ro-bind", str(host), f"/{name}"]
    for name in _ETC_FILES:
        host = Path("/etc") / name
        if host.exists():
            args += ["--ro-bind", str(host), str(host)]
    return args


def _bwrap_args(bwrap: str, job: Path, files: Sequence[str], limits: SandboxLimits) -> list[str]:
    tmpfs_bytes = str(limits.tmpfs_mb * MIB)
    # Each job file is bound read-only into the size-limited tmpfs /work: no copy step, the
    # code under test cannot rewrite the runner or the tests, and new files still fit in /work.
    file_binds: list[str] = []
    for rel in files:
        file_binds += ["--ro-bind", str(job / rel), f"{WORK_DIR}/{rel}"]
    return [
        bwrap,
        "--unshare-all",  # user, pid, net, ipc, uts, cgroup namespaces: no network at all
        "--die-with-parent",
        "--new-session",  # no TIOCSTI into a terminal of ours
        "--hostname", "sandbox",
        *_system_binds(),
        "--proc", "/proc",  # a pid namespace's /proc: host processes are invisible
        "--dev", "/dev",
        "--size", tmpfs_bytes, "--tmpfs", "/tmp",
        "--size", tmpfs_bytes, "--tmpfs", WORK_DIR,
        *file_binds,
        # bwrap builds the root (and /dev) on its own unbounded tmpfs: freeze both, so the
        # only writable places are the two size-limited tmpfs mounts.
        "--remount-ro", "/dev",
        "--remount-ro", "/",
        "--chdir", WORK_DIR,
        "--",
    ]  # fmt: skip


def gate_script(tasks_files: Sequence[Path]) -> str:
    """The first shell's script: wait for the gate line, join the cgroups, exec the rest.

    `read` fails at EOF, so a gate closed without its line ends the shell before anything
    else runs; so does a cgroup it cannot join.
    """
    # `echo 0 > tasks` moves the calling thread itself, for which the kernel skips the global
    # threadgroup lock; writing a pid to cgroup.procs takes it, and taking it after a quiet
    # spell waits for an RCU grace period (8-14 ms measured here) on every run.
    join = "".join(f" && echo 0 > {shlex.quote(str(path))}" for path in tasks_files)
    return f'read -r go{join} && exec "$@" </dev/null'


def _command(
    tools: dict[str, str],
    uid: int,
    job: Path,
    files: Sequence[str],
    argv: Sequence[str],
    limits: SandboxLimits,
    groups: cgroups.RunCgroups,
) -> list[str]:
    drop = [
        tools["setpriv"], f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
        "--inh-caps=-all", "--",
    ] if os.geteuid() == 0 else []  # fmt: skip
    return [
        "/bin/sh", "-c", gate_script(groups.tasks_files()), "sh",
        *drop,
        *_bwrap_args(tools["bwrap"], job, files, limits),
        *argv,
    ]  # fmt: skip


def _rlimits(
    limits: SandboxLimits, groups: cgroups.RunCgroups, large_address_space: bool
) -> list[tuple[int, int, int]]:
    """(resource, soft, hard) for every rlimit of the run."""
    address_space = limits.address_space_bytes(node=large_address_space)
    # With a pids cgroup the tree-wide cap is the real limit (and it is observable in
    # pids.events); RLIMIT_NPROC then only backs it up.
    nproc = limits.processes * 2 if groups.has("pids") else limits.processes
    file_size = limits.file_size_mb * MIB
    return [
        # Soft limit: SIGXCPU, an unambiguous "CPU limit" death; the hard limit one second
        # later SIGKILLs a process that ignores SIGXCPU.
        (resource.RLIMIT_CPU, limits.cpu_seconds, limits.cpu_seconds + 1),
        (resource.RLIMIT_AS, address_space, address_space),
        (resource.RLIMIT_NPROC, nproc, nproc),
        (resource.RLIMIT_FSIZE, file_size, file_size),
        (resource.RLIMIT_NOFILE, limits.open_files, limits.open_files),
        (resource.RLIMIT_CORE, 0, 0),
    ]


def _start(
    cmd: list[str],
    env: Mapping[str, str],
    rlimits: Sequence[tuple[int, int, int]],
    channel_fd: int | None = None,
) -> subprocess.Popen[bytes]:
    """Start the chain held at its gate, set the rlimits of its first process, open the gate."""
    gate_read, gate_write = os.pipe()
    try:
        try:
            # No user=/preexec_fn here: either makes Python fork() instead of vfork(), which
            # copies the page tables of a large server process on every run.
            proc = subprocess.Popen(
                cmd,
                stdin=gate_read,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                start_new_session=True,
                close_fds=True,
                pass_fds=() if channel_fd is None else (channel_fd,),
            )
        except OSError as exc:
            raise SandboxError(f"cannot start the sandbox: {exc}") from exc
        finally:
            os.close(gate_read)
        try:
            for which, soft, hard in rlimits:
                resource.prlimit(proc.pid, which, (soft, hard))
        except OSError as exc:
            # The gate closes below without its line: the shell exits having run nothing.
            _abandon(proc)
            raise SandboxError(f"cannot confine the sandbox: {exc}") from exc
        # A shell killed meanwhile has closed its end; the run then ends as killed, not here.
        with contextlib.suppress(BrokenPipeError):
            os.write(gate_write, b"go\n")
    finally:
        os.close(gate_write)
    return proc


def _abandon(proc: subprocess.Popen[bytes]) -> None:
    """Kill and reap a gated process that never got its limits."""
    with contextlib.suppress(ProcessLookupError):
        proc.kill()
    proc.wait()
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()


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
) -> SandboxResult:
    """Run `argv` in /work of a fresh sandbox holding only `files`; never raises for its outcome.

    With `channel`, the program also inherits one end of a private socket (its descriptor
    number in the CHANNEL_FD_ENV variable) and what it writes there comes back as
    `SandboxResult.channel`. bwrap's pid 1 closes inherited descriptors beyond stdio, so inside
    the sandbox only the program holds it, and a socket cannot be reopened via /proc.
    """
    limits = limits or SandboxLimits()
    tools = require_tools()
    run_env = {"PATH": SANDBOX_PATH, "HOME": WORK_DIR, "LANG": "C.UTF-8", **(env or {})}
    ours, theirs = socket.socketpair() if channel else (None, None)
    if theirs is not None:
        run_env[CHANNEL_FD_ENV] = str(theirs.fileno())
    try:
        return _run(
            argv, files, limits, tools, run_env, large_address_space, base_dir, ours, theirs
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
) -> SandboxResult:
    with lease_uid() as uid, job_dir(files, uid, base_dir) as job:
        # Tree-wide cap, with slack for the chain's own processes: the gate shell (which
        # becomes bwrap's monitor) and the pid namespace's init.
        groups = cgroups.create(
            uuid.uuid4().hex, memory_bytes=limits.memory_mb * MIB, max_pids=limits.processes + 4
        )
        try:
            cmd = _command(tools, uid, job, sorted(files), argv, limits, groups)
            rlimits = _rlimits(limits, groups, large_address_space)
            started = time.monotonic()
            proc = _start(cmd, run_env, rlimits, None if theirs is None else theirs.fileno())
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
