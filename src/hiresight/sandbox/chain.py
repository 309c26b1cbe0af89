"""The confined process chain of a sandboxed run: its command line, rlimits and gated start.

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
import shlex
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from hiresight.sandbox import cgroups
from hiresight.sandbox.errors import SandboxError, SandboxUnavailableError
from hiresight.sandbox.limits import MIB, SandboxLimits

WORK_DIR = "/work"

# Only what interpreters need from /etc: never the whole dir (it may hold service configs).
_ETC_FILES = (
    "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "localtime",
    "nsswitch.conf", "passwd", "group", "ssl", "mime.types",
)  # fmt: skip
_SYSTEM_DIRS = ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32")


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


# A host path bound read-only at the same path, or a (host path, sandbox path) pair.
RoBind = str | os.PathLike[str] | tuple[str | os.PathLike[str], str]


def ro_bind_args(ro_binds: Sequence[RoBind]) -> list[str]:
    """`--ro-bind` arguments for extra read-only paths; never into /work, never relative."""
    args: list[str] = []
    for bind in ro_binds:
        host, target = (bind[0], bind[1]) if isinstance(bind, tuple) else (bind, os.fspath(bind))
        host_path = os.fspath(host)
        for path in (host_path, target):
            if not path.startswith("/") or ".." in Path(path).parts:
                raise ValueError(f"bind path {path!r} must be absolute, without '..'")
        if target in ("/", WORK_DIR) or target.startswith(WORK_DIR + "/"):
            raise ValueError(f"bind target {target!r} must be outside {WORK_DIR} and not /")
        args += ["--ro-bind", host_path, target]
    return args


def _bwrap_args(
    bwrap: str,
    job: Path,
    files: Sequence[str],
    limits: SandboxLimits,
    ro_binds: Sequence[RoBind] = (),
) -> list[str]:
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
        *ro_bind_args(ro_binds),
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


def command(
    tools: dict[str, str],
    uid: int,
    job: Path,
    files: Sequence[str],
    argv: Sequence[str],
    limits: SandboxLimits,
    groups: cgroups.RunCgroups,
    *,
    ro_binds: Sequence[RoBind] = (),
) -> list[str]:
    """The chain's argv: the gate shell, the uid drop, bwrap, then `argv`.

    `ro_binds` are extra host paths made visible read-only inside the frozen root.
    """
    drop = [
        tools["setpriv"], f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
        "--inh-caps=-all", "--",
    ] if os.geteuid() == 0 else []  # fmt: skip
    return [
        "/bin/sh", "-c", gate_script(groups.tasks_files()), "sh",
        *drop,
        *_bwrap_args(tools["bwrap"], job, files, limits, ro_binds),
        *argv,
    ]  # fmt: skip


def rlimits(
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


def start(
    cmd: list[str],
    env: Mapping[str, str],
    rlimits: Sequence[tuple[int, int, int]],
    channel_fd: int | None = None,
    niceness: int = 0,
) -> subprocess.Popen[bytes]:
    """Start the chain held at its gate, set the rlimits and the niceness of its first process
    (every process after it inherits them), open the gate."""
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
            # Never below the server's own: lowering a niceness needs CAP_SYS_NICE.
            inherited = os.getpriority(os.PRIO_PROCESS, proc.pid)
            os.setpriority(os.PRIO_PROCESS, proc.pid, max(niceness, inherited))
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
