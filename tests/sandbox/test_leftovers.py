"""Sandbox left-overs of a killed process (cgroups, job folders) are removed at the next start."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from hiresight.sandbox import cgroups, workdir


def _dead_pid() -> int:
    """The pid of a process that has exited and been reaped."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_job_folders_of_dead_processes_are_removed(tmp_path: Path) -> None:
    """A dead owner's folder goes (read-only files and all); a live owner's folder stays."""
    dead = tmp_path / f"job-{_dead_pid()}-abc123"
    (dead / "src").mkdir(parents=True)
    (dead / "src" / "main.py").write_text("print(1)")
    for path in (dead / "src" / "main.py", dead / "src", dead):
        path.chmod(0o500 if path.is_dir() else 0o400)
    live = tmp_path / f"job-{os.getpid()}-def456"
    live.mkdir()
    assert workdir.remove_orphan_job_dirs(tmp_path) == 1
    assert not dead.exists()
    assert live.exists()


def test_a_run_folder_is_named_after_its_process(tmp_path: Path) -> None:
    """The folder of a run carries the owner's pid, which is what the clean-up reads."""
    with workdir.job_dir({"a.txt": "x"}, os.getuid(), tmp_path) as job:
        assert job.name.startswith(f"job-{os.getpid()}-")
        assert workdir.remove_orphan_job_dirs(tmp_path) == 0
        assert job.exists()


def test_groups_of_dead_processes_are_removed(tmp_path: Path) -> None:
    """Under a cgroup root, a dead owner's groups go and a live owner's groups stay."""
    dead = tmp_path / "pids" / cgroups.GROUP_PARENT / f"{_dead_pid()}-0f0f"
    live = tmp_path / "memory" / cgroups.GROUP_PARENT / f"{os.getpid()}-0e0e"
    dead.mkdir(parents=True)
    live.mkdir(parents=True)
    assert cgroups.remove_orphans(tmp_path) == 1
    assert not dead.exists()
    assert live.exists()


def test_a_zombie_counts_as_dead() -> None:
    """An exited child not yet reaped still has a pid, but owns nothing any more."""
    proc = subprocess.Popen(["true"])
    try:
        for _ in range(200):
            if not cgroups.process_alive(proc.pid):
                break
            time.sleep(0.01)
        assert not cgroups.process_alive(proc.pid)
    finally:
        proc.wait()
    assert cgroups.process_alive(os.getpid())


@pytest.mark.skipif(
    not os.access(cgroups.CGROUP_ROOT / "pids", os.W_OK), reason="needs a writable cgroup v1"
)
def test_a_real_group_left_by_a_killed_process_is_removed() -> None:
    """A real pids group created by a process that then died is removed by the clean-up."""
    group = cgroups.CGROUP_ROOT / "pids" / cgroups.GROUP_PARENT / f"{_dead_pid()}-feedface"
    group.mkdir(parents=True)
    try:
        cgroups.remove_orphans()
        assert not group.exists()
    finally:
        if group.exists():
            group.rmdir()


def test_a_run_group_is_named_after_its_process() -> None:
    """The groups of a run carry the owner's pid."""
    groups = cgroups.create("cafe", memory_bytes=64 << 20, max_pids=8)
    try:
        assert all(d.name == f"{os.getpid()}-cafe" for d in groups.dirs)
    finally:
        groups.remove()


def test_a_fresh_unnamed_group_is_left_alone(tmp_path: Path) -> None:
    """A group without an owner's pid (an older version's run) is removed only once an hour old:
    its process may be about to join it."""
    fresh = tmp_path / "pids" / cgroups.GROUP_PARENT / "0123456789abcdef"
    old = tmp_path / "pids" / cgroups.GROUP_PARENT / "fedcba9876543210"
    fresh.mkdir(parents=True)
    old.mkdir()
    hour_ago = time.time() - 3700
    os.utime(old, (hour_ago, hour_ago))
    assert cgroups.remove_orphans(tmp_path) == 1
    assert fresh.exists()
    assert not old.exists()
