"""Running untrusted code: bubblewrap, an unprivileged uid, rlimits, cgroups, timeouts."""

from hiresight.sandbox.chain import require_tools
from hiresight.sandbox.errors import SandboxError, SandboxInputError, SandboxUnavailableError
from hiresight.sandbox.limits import SandboxLimits
from hiresight.sandbox.run import SandboxResult, Status, run

__all__ = [
    "SandboxError",
    "SandboxInputError",
    "SandboxLimits",
    "SandboxResult",
    "SandboxUnavailableError",
    "Status",
    "require_tools",
    "run",
]
