"""In-sandbox supervisor: runs every test in a child process and reports verdicts privately.

Runs inside the sandbox with the system python3 (standard library only) and never imports the
code under test. It reads `.hiresight/run.json` ({language, timeout, tests_dir, only, check,
node}) and writes one JSON event per line to the private result channel, the socket named by
HIRESIGHT_RESULT_FD, which only this process holds. Each Python test runs in a child forked
from here (stdlib and harness already loaded); each JavaScript test file in a node child
(jsrunner.js). A test passes only when its child hands back the test's token: a random value the
supervisor writes into the child's token pipe, which the child's harness releases (see
_verdict_chain) only after the hidden test function returned. Exit codes, printed lines and
files prove nothing. Forking, watching and reading the children is childwatch.py's part. The
threat model is in docs/challenges.md ("How verdicts are reported").
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
import sys
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

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


def _load_sibling(name: str) -> types.ModuleType:
    """Import `name` from the runner's dir now, then take that writable dir off sys.path.

    /work/.hiresight is a directory on the sandbox's tmpfs: a test could add files to it, so
    nothing may be imported from it once any child has run.
    """
    here = str(Path(__file__).resolve().parent)
    sys.path.insert(0, here)
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(here)


# The supervisor's side of its child processes, loaded before any child exists. python3 -I
# does not put the runner's dir on sys.path, and the sandbox has no hiresight package.
if TYPE_CHECKING:
    from hiresight.grading.runners import childwatch
else:
    childwatch = _load_sibling("childwatch")


def _test_functions(code: types.CodeType) -> dict[str, types.CodeType]:
    """The code object of every top-level `test*` function of a compiled test module."""
    found = {}
    for const in code.co_consts:
        if isinstance(const, types.CodeType) and const.co_name.startswith("test"):
            found[const.co_name] = const
    return found


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
    """Import pychild.py from the runner's dir now (before any child has run)."""
    return _load_sibling("pychild")


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
            childwatch.emit(
                channel, {"event": "file-error", "file": rel, "message": f"SyntaxError: {exc}"}
            )
            continue
        functions = _test_functions(code)
        for name in names:
            test_id = f"{rel}::{name}"
            childwatch.emit(channel, {"event": "start", "id": test_id})
            target = functools.partial(
                harness.python_child, channel, path, code, name, functions.get(name), sources
            )
            child = childwatch.watch(childwatch.spawn(target, 1), timeout)
            childwatch.report(channel, test_id, child, 0, started=True)


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
            spawned = childwatch.spawn(target, len(pending))
            os.close(exec_w)
            failed = os.read(exec_r, 1)
            os.close(exec_r)
            child = childwatch.watch(spawned, timeout + 1, per_message=True)
            if failed:
                childwatch.emit(channel, {"event": "unavailable", "message": f"cannot run {node}"})
                return
            if check:
                check = []
                errors = [ln[2:] for ln in child.lines() if ln.startswith(b"C ")]
                if errors:
                    for raw in errors:
                        childwatch.emit(channel, {"event": "syntax-error", **_syntax(raw)})
                    return
            error = childwatch.file_error(child)
            if error is not None:
                childwatch.emit(channel, {"event": "file-error", "file": rel, "message": error})
                break
            rest = []
            for index, name in enumerate(pending):
                started = childwatch.has_started(child, index)
                if started:
                    childwatch.emit(channel, {"event": "start", "id": f"{rel}::{name}"})
                if not childwatch.report(channel, f"{rel}::{name}", child, index, started):
                    rest.append(name)
            if len(rest) == len(pending):  # nothing ran: charge the first so the loop ends
                name = rest.pop(0)
                status, message = childwatch.death(child)
                result = {"event": "result", "id": f"{rel}::{name}", "status": status}
                childwatch.emit(channel, {**result, "message": message})
            pending = rest


def _syntax(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw)
        line = data.get("line")
        return {
            "file": str(data["file"]),
            "line": line if isinstance(line, int) else None,
            "message": str(data.get("message", ""))[: childwatch.MESSAGE_LIMIT],
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
    childwatch.emit(channel, {"event": "ready"})  # before any test code: proves the runner started
    plan = _plan(config)
    if config["language"] == "python":
        _preload_stdlib([Path(config["tests_dir"]), Path("src")])
        _run_python(channel, config, plan)
    else:
        _run_node(channel, config, plan)
    childwatch.emit(channel, {"event": "done"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
