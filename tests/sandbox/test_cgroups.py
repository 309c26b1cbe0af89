"""Per-run cgroups: created with limits, emptied and removed; rlimit-only fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiresight.sandbox import cgroups


def test_groups_are_created_with_limits_and_removed() -> None:
    """On this host (cgroup v1, root) memory, pids and cpuacct groups carry the limits."""
    groups = cgroups.create("test-create", memory_bytes=64 << 20, max_pids=10)
    try:
        assert groups.has("memory")
        assert groups.has("pids")
        mem = groups.memory
        assert mem is not None
        assert int((mem / "memory.limit_in_bytes").read_text()) == 64 << 20
        pids_dir = next(d for d in groups.dirs if d.parent.parent.name == "pids")
        assert (pids_dir / "pids.max").read_text().strip() == "10"
        assert groups.pids() == set()
        assert not groups.memory_limit_hit()
        assert not groups.process_limit_hit()
    finally:
        groups.remove()
    assert all(not d.exists() for d in groups.dirs)


def test_unwritable_hierarchy_falls_back_to_no_groups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without controller dirs nothing is created and every query answers 'unknown'."""
    monkeypatch.setattr(cgroups, "CGROUP_ROOT", tmp_path)
    groups = cgroups.create("test-fallback", memory_bytes=1 << 20, max_pids=4)
    assert groups.dirs == []
    assert groups.cpu_ms() is None
    assert groups.peak_memory_bytes() is None
    assert not groups.memory_limit_hit()
