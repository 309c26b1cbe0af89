"""Extra read-only binds go into bwrap's command before it freezes its root, never into /work."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiresight.sandbox import SandboxLimits, cgroups, chain


def _command(ro_binds: list[chain.RoBind]) -> list[str]:
    groups = cgroups.RunCgroups(dirs=[])
    tools = {"bwrap": "bwrap", "setpriv": "setpriv"}
    return chain.command(
        tools, 12345, Path("/job"), ["a.py"], ["x"], SandboxLimits(), groups, ro_binds=ro_binds
    )


def test_binds_go_after_the_files_and_before_the_root_is_frozen() -> None:
    cmd = _command([Path("/srv/lib"), ("/srv/data", "/opt/data")])
    at = cmd.index("/srv/lib")
    assert cmd[at - 1 : at + 5] == [
        "--ro-bind", "/srv/lib", "/srv/lib", "--ro-bind", "/srv/data", "/opt/data",
    ]  # fmt: skip
    assert cmd.index("/work/a.py") < at < cmd.index("--remount-ro")


def test_no_binds_leave_the_command_unchanged() -> None:
    assert "/srv/lib" not in _command([])


@pytest.mark.parametrize(
    "bind",
    [("/srv", "relative"), ("/srv", "/work"), ("/srv", "/work/input"), ("/srv", "/"),
     "relative/host", ("/srv/../etc", "/opt/x")],
)  # fmt: skip
def test_binds_never_land_in_the_work_dir_or_escape(bind: chain.RoBind) -> None:
    with pytest.raises(ValueError, match="bind"):
        chain.ro_bind_args([bind])
