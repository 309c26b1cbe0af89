"""Resource limits for one sandboxed run, with safe defaults."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MIB = 1024 * 1024

# V8 reserves virtual address space up front (pointer-compression cage, code range, wasm
# guard regions): measured here with Node 20, `node -e` fails to start below ~900 MiB of
# RLIMIT_AS and allocation-heavy scripts need ~1 GiB even when their RSS is ~100 MiB. So the
# address-space rlimit cannot be the memory cap for Node: it only gets a generous ceiling and
# the real cap is the cgroup memory limit (plus --max-old-space-size for a clean V8 error).
NODE_ADDRESS_SPACE_EXTRA_MB = 2048


class SandboxLimits(BaseModel):
    """What one run may use; every field has a conservative default."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    wall_seconds: float = Field(10.0, gt=0, le=600, description="Wall-clock limit of the run.")
    cpu_seconds: int = Field(5, ge=1, le=600, description="RLIMIT_CPU for each process.")
    memory_mb: int = Field(512, ge=32, le=16384, description="Memory cap (cgroup, else rlimit).")
    address_space_mb: int | None = Field(
        None, ge=32, description="RLIMIT_AS; default: memory_mb (Python) or larger for Node."
    )
    processes: int = Field(64, ge=4, le=4096, description="pids cgroup limit and RLIMIT_NPROC.")
    file_size_mb: int = Field(16, ge=1, le=1024, description="RLIMIT_FSIZE: largest file.")
    open_files: int = Field(256, ge=16, le=65536, description="RLIMIT_NOFILE.")
    output_bytes: int = Field(64 * 1024, ge=1024, description="Cap on captured stdout+stderr.")
    tmpfs_mb: int = Field(64, ge=1, le=4096, description="Size of the writable /work and /tmp.")
    # 5, not 19: the per-test wall-clock timeouts must still hold on a busy machine. At 5 a
    # run's CPU weight is a third of a web process's, so a grading shares the cores with the
    # web processes instead of taking them from autosaves.
    niceness: int = Field(
        5, ge=0, le=19, description="Scheduling niceness of the run (at least the server's)."
    )

    def address_space_bytes(self, *, node: bool) -> int:
        """The RLIMIT_AS value for a Python-like or a Node process."""
        if self.address_space_mb is not None:
            return self.address_space_mb * MIB
        extra = NODE_ADDRESS_SPACE_EXTRA_MB if node else 0
        return (self.memory_mb + extra) * MIB
