"""The sandbox runner: files, environment, statuses, output cap, tool checks."""

from __future__ import annotations

import errno
import json
import os
import resource
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from hiresight.sandbox import (
    SandboxError,
    SandboxInputError,
    SandboxLimits,
    SandboxUnavailableError,
    run,
)
from hiresight.sandbox.chain import gate_script
from hiresight.sandbox.limits import MIB
from hiresight.sandbox.run import TRUNCATION_MARKER
from tests.sandbox.helpers import assert_host_fine, processes_with, run_snippet

LISTING = (
    "import json, os; print(json.dumps({'cwd': os.getcwd(), 'files': sorted(os.listdir('.')),"
    " 'sub': open('d/b.txt').read(), 'env': dict(os.environ), 'uid': os.getuid(),"
    " 'root': sorted(os.listdir('/'))}))"
)


def test_runs_in_work_dir_with_only_its_files_and_minimal_env() -> None:
    """cwd is /work holding just the given files; env is PATH/HOME/LANG; uid is unprivileged."""
    result = run(["python3", "-c", LISTING], {"a.txt": "hello", "d/b.txt": b"bytes ok"})
    assert result.status == "ok"
    assert result.exit_code == 0
    seen = json.loads(result.stdout)
    assert seen["cwd"] == "/work"
    assert seen["files"] == ["a.txt", "d"]
    assert seen["sub"] == "bytes ok"
    assert set(seen["env"]) <= {"PATH", "HOME", "LANG", "PWD"}
    assert seen["uid"] >= 61000
    assert "home" not in seen["root"]
    assert "root" not in seen["root"]


def test_exit_code_and_usage_are_reported() -> None:
    """A non-zero exit is still status ok (the program ran); usage figures are filled in."""
    result = run_snippet("python", "import sys; sys.exit(3)")
    assert (result.status, result.exit_code) == ("ok", 3)
    assert result.wall_ms > 0
    assert result.cpu_ms > 0
    assert result.max_rss_kb > 0


def test_output_is_capped_with_a_marker() -> None:
    """Output past the cap stops the run with output-limit and a truncation marker."""
    result = run_snippet("python", "print('y' * 50_000)", output_bytes=4096)
    assert result.status == "output-limit"
    assert result.stdout.endswith(TRUNCATION_MARKER.format(n=4096))
    assert len(result.stdout) < 4096 + 100


def test_unsafe_paths_are_refused() -> None:
    """A file path that escapes the work dir is an input error, before anything runs."""
    with pytest.raises(SandboxInputError) as info:
        run(["true"], {"../escape": "x"})
    assert info.value.code == "sandbox_bad_input"


def test_missing_bwrap_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without bwrap the error names the apt package."""
    real = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: None if name == "bwrap" else real(name))
    with pytest.raises(SandboxUnavailableError, match="apt-get install bubblewrap") as info:
        run(["true"], {})
    assert info.value.code == "sandbox_unavailable"


def test_limits_have_safe_defaults_and_bounds() -> None:
    """Defaults are finite; Node gets extra address space (V8 reserves it up front)."""
    limits = SandboxLimits()
    assert (limits.wall_seconds, limits.cpu_seconds, limits.memory_mb) == (10.0, 5, 512)
    assert limits.output_bytes == 64 * 1024
    assert limits.address_space_bytes(node=True) > limits.address_space_bytes(node=False)
    with pytest.raises(ValueError, match="greater than 0"):
        SandboxLimits(wall_seconds=0)


def test_node_runs_under_the_default_limits() -> None:
    """Node starts under the default rlimits and cgroup memory cap."""
    result = run_snippet("javascript", "console.log(process.version)")
    assert result.status == "ok"
    assert result.stdout.startswith("v")
    assert_host_fine()


def test_program_runs_under_the_run_rlimits() -> None:
    """The limits the server set on the gated shell are the program's, soft and hard."""
    code = (
        "import json, resource as r\n"
        "names = ['RLIMIT_CPU', 'RLIMIT_AS', 'RLIMIT_FSIZE', 'RLIMIT_NOFILE', 'RLIMIT_CORE']\n"
        "print(json.dumps({n: r.getrlimit(getattr(r, n)) for n in names}))"
    )
    result = run_snippet(
        "python", code, cpu_seconds=3, memory_mb=300, file_size_mb=2, open_files=100
    )
    assert result.status == "ok"
    assert json.loads(result.stdout) == {
        "RLIMIT_CPU": [3, 4],
        "RLIMIT_AS": [300 * MIB, 300 * MIB],
        "RLIMIT_FSIZE": [2 * MIB, 2 * MIB],
        "RLIMIT_NOFILE": [100, 100],
        "RLIMIT_CORE": [0, 0],
    }


def test_gate_runs_nothing_unless_released(tmp_path: Path) -> None:
    """The gate shell execs its command only after a line; EOF (server gave up) runs nothing."""
    held, released = tmp_path / "held", tmp_path / "released"
    script = gate_script([])
    closed = subprocess.run(["/bin/sh", "-c", script, "sh", "touch", str(held)], input=b"")
    opened = subprocess.run(["/bin/sh", "-c", script, "sh", "touch", str(released)], input=b"go\n")
    assert closed.returncode != 0
    assert not held.exists()
    assert opened.returncode == 0
    assert released.exists()


def test_gate_runs_nothing_if_a_cgroup_cannot_be_joined(tmp_path: Path) -> None:
    """A cgroup `tasks` file the shell cannot write stops the chain before its command."""
    ran = tmp_path / "ran"
    script = gate_script([tmp_path / "no-such-group" / "tasks"])
    result = subprocess.run(
        ["/bin/sh", "-c", script, "sh", "touch", str(ran)], input=b"go\n", capture_output=True
    )
    assert result.returncode != 0
    assert not ran.exists()


def test_a_run_yields_the_cpu_to_the_server() -> None:
    """Graded code runs at the limits' niceness (5 by default), never below the server's."""
    code = "import os; print(os.getpriority(os.PRIO_PROCESS, 0))"
    server = os.getpriority(os.PRIO_PROCESS, 0)
    result = run_snippet("python", code)
    assert result.status == "ok"
    assert int(result.stdout) == max(5, server)
    result = run_snippet("python", code, niceness=12)
    assert int(result.stdout) == max(12, server)


def test_failing_to_confine_runs_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the rlimits cannot be set, the run is a SandboxError and the program never starts."""
    marker = f"hsgate{uuid.uuid4().hex[:12]}"

    def refuse(pid: int, which: int, limits: tuple[int, int]) -> tuple[int, int]:
        raise PermissionError("prlimit refused")

    with monkeypatch.context() as patch:
        patch.setattr(resource, "prlimit", refuse)
        with pytest.raises(SandboxError, match="cannot confine the sandbox") as info:
            run_snippet("python", f"import time\n# {marker}\ntime.sleep(30)")
    assert info.value.code == "sandbox_error"
    assert processes_with(marker) == []
    assert_host_fine(marker)


def test_ro_binds_are_readable_not_writable_and_others_unreachable() -> None:
    """A bound host folder reads (at its own path and at a chosen one); nothing else shows."""
    # Outside pytest's private (0700) temp root, which the run's uid cannot traverse.
    tmp_path = Path(tempfile.mkdtemp(prefix="hiresight-ro-bind-"))
    try:
        _check_ro_binds(tmp_path)
    finally:
        shutil.rmtree(tmp_path)


def _check_ro_binds(tmp_path: Path) -> None:
    bound = tmp_path / "bound"
    bound.mkdir()
    (bound / "data.txt").write_text("visible")
    unbound = tmp_path / "unbound"
    unbound.mkdir()
    (unbound / "secret.txt").write_text("hidden")
    for path in (tmp_path, bound, unbound):
        path.chmod(0o755)
    (bound / "data.txt").chmod(0o644)
    (unbound / "secret.txt").chmod(0o644)
    probe = (
        "import json, os, sys\n"
        "out = {}\n"
        "for name, path in [('same', sys.argv[1]), ('pair', '/opt/bound/data.txt'),"
        " ('unbound', sys.argv[2])]:\n"
        "    try:\n"
        "        out[name] = open(path).read()\n"
        "    except OSError as exc:\n"
        "        out[name] = type(exc).__name__\n"
        "try:\n"
        "    open(sys.argv[1], 'a').write('x')\n"
        "    out['write'] = 'written'\n"
        "except OSError as exc:\n"
        "    out['write'] = exc.errno\n"
        "try:\n"
        "    open(os.path.join(os.path.dirname(sys.argv[1]), 'new.txt'), 'w')\n"
        "    out['create'] = 'created'\n"
        "except OSError as exc:\n"
        "    out['create'] = exc.errno\n"
        "print(json.dumps(out))\n"
    )
    result = run(
        ["python3", "probe.py", str(bound / "data.txt"), str(unbound / "secret.txt")],
        {"probe.py": probe},
        ro_binds=[bound, (str(bound), "/opt/bound")],
    )
    assert result.status == "ok", result.stderr
    seen = json.loads(result.stdout)
    assert seen["same"] == "visible"
    assert seen["pair"] == "visible"
    assert seen["unbound"] == "FileNotFoundError"
    assert seen["write"] in (errno.EROFS, errno.EACCES)
    assert seen["create"] in (errno.EROFS, errno.EACCES)
    assert (bound / "data.txt").read_text() == "visible"
    assert not (bound / "new.txt").exists()


def test_a_bind_into_work_is_refused_before_running() -> None:
    with pytest.raises(ValueError, match="outside /work"):
        run(["true"], {}, ro_binds=[("/usr", "/work/usr")])
