"""In-sandbox supervisor: runs every test in a child process and reports verdicts privately.

Runs inside the sandbox with the system python3 (standard library only) and never imports the
code under test. It reads `.hiresight/run.json` ({language, timeout, tests_dir, only, check,
node}) and writes one JSON event per line to the private result channel, the socket named by
HIRESIGHT_RESULT_FD, which only this process holds. Each Python test runs in a child forked
from here (stdlib and harness already loaded); each JavaScript test file in a node child
(jsrunner.js). A test passes only when its child hands back the test's token: a random value the
supervisor writes into the child's token pipe, which the child's harness releases (see
_verdict_chain) only after the hidden test function returned. Exit codes, printed lines and
files prove nothing. The threat model is in docs/challenges.md ("How verdicts are reported").
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import gc
import importlib
import json
import os
import re
import select
import signal
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

MESSAGE_LIMIT = 300
TOKEN_BYTES = 32  # hex characters
READ_CAP = 1 << 16  # what one child may send before it is ignored
TOKEN_FD, RESULT_FD = 3, 4  # where a node child finds its pipes
_CHECK_FLAG = "--check"
_EXEC_FAILED = 127
# `import a, b.c as d` and `from a.b import ...` (a regex: the ast module costs ~10 ms to load)
_IMPORT = re.compile(r"^[ \t]*(?:import[ \t]+([\w., \t]+)|from[ \t]+([\w.]+)[ \t]+import)", re.M)
# Only these paths are readable and writable by node children (node's permission model also
# refuses child processes, workers, native addons, the inspector and process.binding).
_NODE_PERMISSIONS = [
    "--experimental-permission",
    "--allow-fs-read=/work/*",
    "--allow-fs-read=/tmp/*",
    "--allow-fs-write=/work/*",
    "--allow-fs-write=/tmp/*",
    "--no-warnings",
]
# Standard-library modules never loaded ahead of the tests: importing them does something, or
# they reach memory (ctypes: once loaded, its base types stay reachable through
# object.__subclasses__() even after the module is gone, and a Union reads any address).
_NO_PRELOAD = frozenset(
    {"__main__", "antigravity", "this", "tkinter", "turtle", "turtledemo", "idlelib",
     "webbrowser", "pydoc", "ensurepip", "venv", "pdb", "code", "ctypes", "multiprocessing"}
)  # fmt: skip


def _emit(channel: int, payload: dict[str, Any]) -> None:
    os.write(channel, (json.dumps(payload) + "\n").encode())


def _test_functions(code: types.CodeType) -> dict[str, types.CodeType]:
    """The code object of every top-level `test*` function of a compiled test module."""
    found = {}
    for const in code.co_consts:
        if isinstance(const, types.CodeType) and const.co_name.startswith("test"):
            found[const.co_name] = const
    return found


class Child:
    """One child process: its pid, the read end of its result pipe, what it sent."""

    def __init__(self, pid: int, result_r: int, tokens: list[bytes]) -> None:
        self.pid = pid
        self.result_r = result_r
        self.tokens = tokens
        self.data = bytearray()
        self.exit_code: int | None = None
        self.timed_out = False

    def lines(self) -> list[bytes]:
        """Complete lines received so far."""
        return bytes(self.data).split(b"\n")[:-1]

    def passed(self, index: int) -> bool:
        """Whether the child sent test `index`'s token: the only proof of a pass."""
        want = b"P %d " % index + self.tokens[index]
        return want in self.lines()


def _spawn(
    target: Callable[[int, int], NoReturn], count: int, _exit: Callable[[int], NoReturn] = os._exit
) -> Child:
    """Fork a child running `target(token_r, result_w)`; hand it `count` fresh tokens."""
    token_r, token_w = os.pipe()
    result_r, result_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        try:
            os.setpgid(0, 0)
            os.close(token_w)
            os.close(result_r)
            target(token_r, result_w)
        finally:
            # Bound before any test code ran: a child whose test patched os._exit must still
            # never fall back into this loop.
            _exit(1)
    os.close(token_r)
    os.close(result_w)
    _quietly(os.setpgid, pid, pid)
    # Tokens are made after the fork: no child's memory holds a token of a test still to run.
    tokens = [os.urandom(TOKEN_BYTES // 2).hex().encode() for _ in range(count)]
    _quietly(os.write, token_w, b"".join(tokens))
    os.close(token_w)
    return Child(pid, result_r, tokens)


def _quietly(func: Callable[..., object], *args: object) -> None:
    """Call func, ignoring OSError (e.g. a child that already exited)."""
    with contextlib.suppress(OSError):
        func(*args)


def _watch(child: Child, timeout: float, *, per_message: bool = False) -> Child:
    """Read the child's results until it exits; kill it after `timeout` s.

    With `per_message` (a node child runs a whole file), each message restarts the clock.
    """
    pidfd = os.pidfd_open(child.pid)
    deadline = time.monotonic() + timeout
    open_fds = [child.result_r, pidfd]
    try:
        while pidfd in open_fds:
            ready, _, _ = select.select(open_fds, [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                child.timed_out = True
                _quietly(os.killpg, child.pid, signal.SIGKILL)
                break
            if child.result_r in ready:
                chunk = os.read(child.result_r, 65536)
                if not chunk:
                    open_fds.remove(child.result_r)
                elif len(child.data) < READ_CAP:
                    child.data += chunk
                    if per_message:
                        deadline = time.monotonic() + timeout
            if pidfd in ready:
                open_fds.remove(pidfd)
        _, status = os.waitpid(child.pid, 0)
        child.exit_code = os.waitstatus_to_exitcode(status)
        # Drain what the child wrote before it exited.
        while select.select([child.result_r], [], [], 0)[0]:
            chunk = os.read(child.result_r, 65536)
            if not chunk or len(child.data) >= READ_CAP:
                break
            child.data += chunk
    finally:
        os.close(pidfd)
        os.close(child.result_r)
        _quietly(os.killpg, child.pid, signal.SIGKILL)  # nothing of it may linger
    return child


def _death(child: Child) -> tuple[str, str]:
    """The status of a test whose child ended without a verdict for it."""
    code = child.exit_code
    if child.timed_out:
        return "timeout", "the test did not finish in time"
    if code == -signal.SIGXCPU:
        return "timeout", "the test process reached the CPU limit"
    if code == -signal.SIGKILL:
        # Not our kill: the kernel's, and in a sandbox that is the memory cgroup's OOM killer.
        return "memory-limit", "the test process was killed (memory limit)"
    if code == -signal.SIGABRT:
        return "memory-limit", "the test process aborted (memory limit)"
    return "error", f"the test process exited (code {code})"


def _failure(child: Child, index: int) -> tuple[str, str] | None:
    """The failure a child reported for test `index` (unauthenticated: it can only fail it)."""
    prefix = b"F %d " % index
    for line in child.lines():
        if line.startswith(prefix):
            try:
                status, message = json.loads(line[len(prefix) :])
            except (ValueError, TypeError):
                return "error", "the test process sent an unreadable report"
            allowed = ("failed", "error", "timeout", "memory-limit")
            status = status if status in allowed else "error"
            return status, str(message)[:MESSAGE_LIMIT]
    return None


def _started(child: Child, index: int) -> bool:
    return b"S %d" % index in child.lines()


def _report(channel: int, test_id: str, child: Child, index: int, started: bool) -> bool:
    """Send one test's verdict; False when it never started (to be run again)."""
    if child.passed(index):
        status, message = "passed", ""
    else:
        failure = _failure(child, index)
        if failure is None and not started:
            return False
        status, message = failure or _death(child)
    _emit(channel, {"event": "result", "id": test_id, "status": status, "message": message})
    return True


def _file_error(child: Child) -> str | None:
    for line in child.lines():
        if line.startswith(b"E "):
            try:
                return str(json.loads(line[2:]))[:MESSAGE_LIMIT]
            except ValueError:
                return "the test file could not be loaded"
    return None


def _preload_stdlib(dirs: list[Path]) -> None:
    """Import once, here, the standard-library modules the tests and sources import.

    Children are forked after this, so they find these modules loaded instead of importing
    them again per test (asyncio alone costs ~50 ms). Only the standard library is loaded
    (sys.path holds nothing else yet), and never a name a file in src/ or tests/ shadows.
    The sources are parsed, not run.
    """
    files = [f for d in dirs for f in sorted(d.rglob("*.py"))]
    local = {f.stem for f in files} | {f.parent.name for f in files}
    wanted: set[str] = set()
    for file in files:
        text = file.read_text(encoding="utf-8", errors="replace")
        for names, module in _IMPORT.findall(text):
            wanted.update(n.split(" as ")[0].strip() for n in names.split(",") if n.strip())
            wanted.add(module)
        if "async def" in text:
            wanted.add("asyncio")
    wanted.discard("")
    for name in sorted(wanted):
        top = name.split(".")[0]
        if (
            top in sys.stdlib_module_names
            and top not in local
            and top not in _NO_PRELOAD
            and not top.startswith("_")
        ):
            with contextlib.suppress(Exception):
                importlib.import_module(name)


def _load_child_harness() -> types.ModuleType:
    """Import pychild.py from the runner's dir now, then take that writable dir off sys.path.

    /work/.hiresight is a directory on the sandbox's tmpfs: a test could add files to it, so
    nothing may be imported from it once any child has run.
    """
    here = str(Path(__file__).resolve().parent)
    sys.path.insert(0, here)
    try:
        return importlib.import_module("pychild")
    finally:
        sys.path.remove(here)


def _run_python(channel: int, config: dict[str, Any], plan: dict[str, list[str]]) -> None:
    harness = _load_child_harness()
    tests_dir = Path(config["tests_dir"]).resolve()
    timeout = float(config["timeout"])
    sources = harness.Precompiled(Path("src").resolve())
    # Everything loaded so far is shared with every child: left out of their garbage
    # collections, its pages are not copied on write when a collection walks them.
    gc.freeze()
    for rel, names in plan.items():
        path = tests_dir / rel
        try:
            code = compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            _emit(channel, {"event": "file-error", "file": rel, "message": f"SyntaxError: {exc}"})
            continue
        functions = _test_functions(code)
        for name in names:
            test_id = f"{rel}::{name}"
            _emit(channel, {"event": "start", "id": test_id})
            target = functools.partial(
                harness.python_child, channel, path, code, name, functions.get(name), sources
            )
            child = _watch(_spawn(target, 1), timeout)
            _report(channel, test_id, child, 0, started=True)


def _run_node(channel: int, config: dict[str, Any], plan: dict[str, list[str]]) -> None:
    timeout = float(config["timeout"])
    check = list(config.get("check") or [])
    for rel, names in plan.items():
        pending = list(names)
        while pending:
            node, *node_args = config["node"]
            argv = [node, *node_args, *_NODE_PERMISSIONS, ".hiresight/jsrunner.js"]
            argv += [config["tests_dir"], rel, str(timeout), json.dumps(pending)]
            if check:
                argv += [_CHECK_FLAG, json.dumps(check)]
            # Close-on-exec: EOF once node runs, a byte if exec failed. Node (and the code it
            # tests) never holds it, so only a real failure to start reads as ours.
            exec_r, exec_w = os.pipe()
            target = functools.partial(_exec_node, channel, argv, exec_w)
            spawned = _spawn(target, len(pending))
            os.close(exec_w)
            failed = os.read(exec_r, 1)
            os.close(exec_r)
            child = _watch(spawned, timeout + 1, per_message=True)
            if failed:
                _emit(channel, {"event": "unavailable", "message": f"cannot run {node}"})
                return
            if check:
                check = []
                errors = [ln[2:] for ln in child.lines() if ln.startswith(b"C ")]
                if errors:
                    for raw in errors:
                        _emit(channel, {"event": "syntax-error", **_syntax(raw)})
                    return
            error = _file_error(child)
            if error is not None:
                _emit(channel, {"event": "file-error", "file": rel, "message": error})
                break
            rest = []
            for index, name in enumerate(pending):
                started = _started(child, index)
                if started:
                    _emit(channel, {"event": "start", "id": f"{rel}::{name}"})
                if not _report(channel, f"{rel}::{name}", child, index, started):
                    rest.append(name)
            if len(rest) == len(pending):  # nothing ran: charge the first so the loop ends
                name = rest.pop(0)
                status, message = _death(child)
                result = {"event": "result", "id": f"{rel}::{name}", "status": status}
                _emit(channel, {**result, "message": message})
            pending = rest


def _syntax(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw)
        line = data.get("line")
        return {
            "file": str(data["file"]),
            "line": line if isinstance(line, int) else None,
            "message": str(data.get("message", ""))[:MESSAGE_LIMIT],
        }
    except (ValueError, KeyError, TypeError, AttributeError):
        return {"file": "?", "line": None, "message": "unreadable syntax report"}


def _exec_node(channel: int, argv: list[str], exec_w: int, token_r: int, result_w: int) -> NoReturn:
    """In the forked child: put the pipes on fds 3 and 4, drop everything else, exec node."""
    try:
        # Lift the pipes clear of 3 and 4 first: any may already sit on a target.
        exec_w = fcntl.fcntl(exec_w, fcntl.F_DUPFD_CLOEXEC, 10)
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (token_r, result_w)]
        os.dup2(high[0], TOKEN_FD)
        os.dup2(high[1], RESULT_FD)
        os.dup2(2, 1)  # the code under test prints to stderr
        # Everything else goes, the channel included; exec_w closes itself on exec.
        os.closerange(RESULT_FD + 1, exec_w)
        os.closerange(exec_w + 1, 65536)
        env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
        os.execve(argv[0], argv, env)
    finally:
        os.write(exec_w, b"x")
        os._exit(_EXEC_FAILED)


def _plan(config: dict[str, Any]) -> dict[str, list[str]]:
    """Wanted test names per file, in the order of `only`."""
    plan: dict[str, list[str]] = {}
    for test_id in config["only"]:
        rel, _, name = str(test_id).partition("::")
        plan.setdefault(rel, []).append(name)
    return plan


def main() -> int:
    """Run the selected tests, one child process per test (Python) or test file (JS)."""
    channel = int(os.environ.pop("HIRESIGHT_RESULT_FD"))
    os.set_inheritable(channel, False)
    config = json.loads(Path(".hiresight/run.json").read_text(encoding="utf-8"))
    _emit(channel, {"event": "ready"})  # before any test code: proves the runner started
    plan = _plan(config)
    if config["language"] == "python":
        _preload_stdlib([Path(config["tests_dir"]), Path("src")])
        _run_python(channel, config, plan)
    else:
        _run_node(channel, config, plan)
    _emit(channel, {"event": "done"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
