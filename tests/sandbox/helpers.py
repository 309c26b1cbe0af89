"""Run a Python or Node snippet in the sandbox, and check the host afterwards."""

from __future__ import annotations

import os
from pathlib import Path

from hiresight.sandbox import SandboxLimits, SandboxResult, run
from hiresight.sandbox.workdir import DEFAULT_BASE_DIR

INTERPRETERS = {"python": ["/usr/bin/python3", "-c"], "javascript": ["/usr/bin/node", "-e"]}
# Other engineers' processes may grade at the same time: our runs use their own base dir, and
# conftest.py records our cgroups, so the leak checks see only what these tests made.
TEST_BASE_DIR = DEFAULT_BASE_DIR.parent / f"hiresight-sandbox-tests-{os.getpid()}"
CREATED_CGROUPS: list[Path] = []


def run_snippet(
    language: str,
    code: str,
    *,
    files: dict[str, bytes | str] | None = None,
    **limits: float,
) -> SandboxResult:
    """Run `code` with python3 -c or node -e in a fresh sandbox."""
    return run(
        [*INTERPRETERS[language], code],
        files or {"README": "job files\n"},
        limits=SandboxLimits(**limits),  # type: ignore[arg-type]
        large_address_space=language == "javascript",
        base_dir=TEST_BASE_DIR,
    )


def processes_with(marker: str) -> list[int]:
    """Host pids whose command line contains `marker`."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in cmdline:
            found.append(int(proc.name))
    return found


def assert_host_fine(marker: str | None = None) -> None:
    """Nothing of finished runs is left: no processes, cgroups or job dirs; a new run works."""
    if marker:
        assert processes_with(marker) == []
    assert [d for d in CREATED_CGROUPS if d.exists()] == []
    assert list(TEST_BASE_DIR.glob("job-*")) == []
    follow_up = run_snippet("python", "print('still fine')")
    assert (follow_up.status, follow_up.stdout) == ("ok", "still fine\n")
