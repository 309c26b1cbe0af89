"""Per-run cgroup v1 `memory`, `pids` and `cpuacct` groups, used where the hierarchy is writable.

cgroups are the only limit that covers a whole process tree (rlimits are per process, and
RLIMIT_NPROC counts per uid), so a run gets its own group when we may create one and falls
back to rlimits alone otherwise (e.g. an unprivileged host or cgroup v2 without delegation).
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
GROUP_PARENT = "hiresight-sandbox"
CONTROLLERS = ("memory", "pids", "cpuacct")


def process_alive(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie waiting to be reaped counts as dead)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        # /proc/PID/stat: "pid (comm) STATE ..."; comm may hold spaces and parentheses.
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def owner_pid(name: str) -> int | None:
    """The pid of the process that made a run's group or folder (`<pid>-<id>`), if named so."""
    head, sep, _ = name.partition("-")
    return int(head) if sep and head.isdigit() else None


@dataclass
class RunCgroups:
    """The cgroup directories of one run (possibly none)."""

    dirs: list[Path] = field(default_factory=list)

    def _controller(self, name: str) -> Path | None:
        return next((d for d in self.dirs if d.parent.parent.name == name), None)

    def has(self, controller: str) -> bool:
        """Whether this run has a group in `controller` (memory, pids, cpuacct)."""
        return self._controller(controller) is not None

    @property
    def memory(self) -> Path | None:
        """The memory group of this run, if one was created."""
        return self._controller("memory")

    def process_limit_hit(self) -> bool:
        """Whether a fork was refused because the run reached its pids limit."""
        group = self._controller("pids")
        if group is None:
            return False
        try:
            events = (group / "pids.events").read_text().split()
            return len(events) == 2 and events[0] == "max" and int(events[1]) > 0
        except (OSError, ValueError):
            return False

    def cpu_ms(self) -> float | None:
        """CPU time used by the whole tree, killed processes included (rusage misses those)."""
        group = self._controller("cpuacct")
        if group is None:
            return None
        try:
            return int((group / "cpuacct.usage").read_text()) / 1e6
        except (OSError, ValueError):
            return None

    def procs_files(self) -> list[Path]:
        """The `cgroup.procs` files listing every process in the groups."""
        return [d / "cgroup.procs" for d in self.dirs]

    def tasks_files(self) -> list[Path]:
        """The `tasks` files a single-threaded process writes `0` to, to join the groups."""
        return [d / "tasks" for d in self.dirs]

    def pids(self) -> set[int]:
        """Every process still in one of this run's groups."""
        found: set[int] = set()
        for path in self.procs_files():
            with contextlib.suppress(OSError):
                found.update(int(x) for x in path.read_text().split())
        return found

    def kill_all(self) -> None:
        """SIGKILL every process left in the groups (the tree may have escaped its session)."""
        for _ in range(50):
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.002)

    def memory_limit_hit(self) -> bool:
        """Whether the kernel refused or OOM-killed memory in this run's group."""
        mem = self.memory
        if mem is None:
            return False
        try:
            if int((mem / "memory.failcnt").read_text()) > 0:
                return True
            for line in (mem / "memory.oom_control").read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill" and int(value) > 0:
                    return True
        except (OSError, ValueError):
            return False
        return False

    def peak_memory_bytes(self) -> int | None:
        """The group's peak memory use, if known."""
        mem = self.memory
        if mem is None:
            return None
        try:
            return int((mem / "memory.max_usage_in_bytes").read_text())
        except (OSError, ValueError):
            return None

    def remove(self) -> None:
        """Delete the groups (they must be empty first)."""
        self.kill_all()
        for d in self.dirs:
            for _ in range(100):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.005)


def _writable(controller: Path) -> bool:
    return controller.is_dir() and os.access(controller, os.W_OK)


# A run lasts seconds; an unnamed group this old is certainly left over.
UNNAMED_MAX_AGE_SECONDS = 3600.0


def _age_seconds(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def remove_orphans(root: Path = CGROUP_ROOT) -> int:
    """Remove groups left by processes that died mid-run (SIGKILL skips `remove`).

    A group belongs to the process named in it; groups of live processes are left alone. Their
    processes are killed first, since a group holding processes cannot be removed.
    """
    removed = 0
    for controller in CONTROLLERS:
        parent = root / controller / GROUP_PARENT
        if not parent.is_dir():
            continue
        for group in parent.iterdir():
            pid = owner_pid(group.name)
            if not group.is_dir() or (pid is not None and process_alive(pid)):
                continue
            orphan = RunCgroups(dirs=[group])
            # An unnamed group is an older version's run: only an idle, hour-old one is stale.
            if pid is None and (orphan.pids() or _age_seconds(group) < UNNAMED_MAX_AGE_SECONDS):
                continue
            orphan.remove()
            removed += not group.exists()
    return removed


def create(run_id: str, *, memory_bytes: int, max_pids: int) -> RunCgroups:
    """Create this run's groups where the v1 hierarchy is writable; empty when it is not."""
    groups = RunCgroups()
    # The owner's pid leads the name, so a later start can tell a dead process's group.
    run_id = f"{os.getpid()}-{run_id}"
    mem_root = CGROUP_ROOT / "memory"
    pids_root = CGROUP_ROOT / "pids"
    try:
        if _writable(mem_root):
            d = mem_root / GROUP_PARENT / run_id
            d.mkdir(parents=True)
            groups.dirs.append(d)
            (d / "memory.limit_in_bytes").write_text(str(memory_bytes))
            # No swap here; when swap exists the memsw limit stops a run swapping instead.
            with contextlib.suppress(OSError):
                (d / "memory.memsw.limit_in_bytes").write_text(str(memory_bytes))
        if _writable(pids_root):
            d = pids_root / GROUP_PARENT / run_id
            d.mkdir(parents=True)
            groups.dirs.append(d)
            (d / "pids.max").write_text(str(max_pids))
        cpu_root = CGROUP_ROOT / "cpuacct"
        if _writable(cpu_root):
            d = cpu_root / GROUP_PARENT / run_id
            d.mkdir(parents=True)
            groups.dirs.append(d)
    except OSError:
        # A half-made group is worse than none: fall back to rlimits only.
        groups.remove()
        return RunCgroups()
    return groups
