"""Per-run uids and private job directories."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from hiresight.sandbox.errors import SandboxInputError
from hiresight.sandbox.workdir import UID_BASE, UID_COUNT, job_dir, lease_uid, safe_relative


def test_concurrent_leases_get_distinct_unprivileged_uids(tmp_path: Path) -> None:
    """Nested leases (as from two threads) never share a uid; all are in the reserved range."""
    base = tmp_path / "base"
    with lease_uid(base) as first, lease_uid(base) as second:
        assert first != second
        assert all(UID_BASE <= uid < UID_BASE + UID_COUNT for uid in (first, second))
    with lease_uid(base) as again:
        assert UID_BASE <= again < UID_BASE + UID_COUNT


def test_job_dir_holds_only_the_files_owned_by_the_run_uid(tmp_path: Path) -> None:
    """Files are written read-only for the run's uid and removed afterwards."""
    base = tmp_path / "base"
    with job_dir({"a.py": "x = 1\n", "pkg/b.py": b"y = 2\n"}, 61234, base) as root:
        assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == [
            "a.py",
            "pkg",
            "pkg/b.py",
        ]
        info = (root / "pkg/b.py").stat()
        assert (info.st_uid, stat.S_IMODE(info.st_mode)) == (61234, 0o400)
        assert stat.S_IMODE(os.stat(base).st_mode) == 0o711
    assert not root.exists()


@pytest.mark.parametrize("path", ["", "/etc/passwd", "../x", "a/../../x", "a/./b", "a//b", "a\\b"])
def test_unsafe_relative_paths_are_refused(path: str) -> None:
    """Absolute, parent, dot, empty-segment and backslash paths are input errors."""
    with pytest.raises(SandboxInputError):
        safe_relative(path)


def test_base_dir_owned_by_someone_else_is_refused(tmp_path: Path) -> None:
    """A planted base dir (not ours) is never used."""
    from hiresight.sandbox.errors import SandboxError

    base = tmp_path / "planted"
    base.mkdir()
    os.chown(base, 65534, 65534)
    with pytest.raises(SandboxError, match="not owned"), lease_uid(base):
        pass
