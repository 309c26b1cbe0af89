"""Extra read-only binds go into bwrap's command before it freezes its root."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiresight.takehome.confine import with_binds


def test_binds_go_before_the_root_is_frozen() -> None:
    cmd = ["bwrap", "--tmpfs", "/work", "--remount-ro", "/dev", "--remount-ro", "/", "--", "x"]
    out = with_binds(cmd, [(Path("/srv/lib"), "/opt/lib")])
    assert out == [
        "bwrap", "--tmpfs", "/work", "--ro-bind", "/srv/lib", "/opt/lib",
        "--remount-ro", "/dev", "--remount-ro", "/", "--", "x",
    ]  # fmt: skip


@pytest.mark.parametrize("target", ["relative", "/work", "/work/input"])
def test_binds_never_land_in_the_work_dir(target: str) -> None:
    with pytest.raises(ValueError, match="outside /work"):
        with_binds(["bwrap", "--remount-ro", "/"], [(Path("/srv"), target)])
