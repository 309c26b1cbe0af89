"""One sandboxed run with the scientific packages bound read-only.

A take-home needs the server's numpy, scipy, scikit-learn and lightgbm, far too large to copy
per run: they are bound read-only into the sandbox's frozen root, outside /work, through
`hiresight.sandbox.run(ro_binds=...)`, with the private result channel open.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from hiresight.sandbox import SandboxLimits, SandboxResult, run
from hiresight.sandbox.workdir import DEFAULT_BASE_DIR

Bind = tuple[Path, str]


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
    return run(argv, files, limits=limits, env=env, base_dir=base_dir, channel=True, ro_binds=binds)
