"""In-sandbox runner: import each test module, run each `test_*` function, one JSON line each.

Runs inside the sandbox with the system python3, so it uses the standard library only. It
reads `.hiresight/run.json` ({nonce, timeout, tests_dir, only}) and writes `<nonce> <json>`
lines to the original stdout; the code under test writes to stderr instead, so that a stray
print() cannot corrupt the protocol. It cannot stop hostile code in the same process from
forging lines: the grader documents that and the recruiter sees the diff.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import signal
import sys
import traceback
from pathlib import Path
from types import CoroutineType, FrameType
from typing import Any

MESSAGE_LIMIT = 300


class TestTimeout(BaseException):
    """Raised by the alarm when one test runs too long.

    A BaseException, so that `except Exception` in the code under test does not swallow it.
    """


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise TestTimeout


def _emit(fd: int, nonce: str, payload: dict[str, Any]) -> None:
    os.write(fd, f"{nonce} {json.dumps(payload)}\n".encode())


def _test_names(path: Path) -> list[str]:
    """Top-level `test*` functions, found without importing: a broken import still lists them."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    ]


def _where(exc: BaseException, test_file: str) -> str:
    """The innermost line of the test file in the traceback, e.g. `test_x.py:12`."""
    where = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(test_file):
            where = f"{test_file}:{frame.lineno}"
    return where


def _describe(exc: BaseException, test_file: str) -> tuple[str, str]:
    if isinstance(exc, TestTimeout):
        return "timeout", "the test did not finish in time"
    if isinstance(exc, MemoryError):
        return "memory-limit", "MemoryError: the memory limit was reached"
    status = "failed" if isinstance(exc, AssertionError) else "error"
    text = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    where = _where(exc, test_file)
    message = f"{text} ({where})" if where else text
    return status, message[:MESSAGE_LIMIT]


def _call(func: Any) -> None:
    result = func()
    if isinstance(result, CoroutineType):
        # Imported only here: asyncio costs ~50 ms of start-up that sync tests do not need.
        import asyncio

        asyncio.run(result)


def main() -> int:
    """Run the selected tests and report each one."""
    config = json.loads(Path(".hiresight/run.json").read_text(encoding="utf-8"))
    nonce, timeout = config["nonce"], float(config["timeout"])
    only = set(config["only"]) if config.get("only") is not None else None
    tests_dir = Path(config["tests_dir"])
    out = os.dup(1)
    os.dup2(2, 1)  # print() from the code under test goes to stderr
    _emit(out, nonce, {"event": "ready"})  # before any test code: proves the runner started
    sys.path[:0] = [str(Path("src").resolve()), str(tests_dir.resolve())]
    signal.signal(signal.SIGALRM, _on_alarm)
    sys.setrecursionlimit(3000)
    for path in sorted(tests_dir.glob("test_*.py")):
        rel = path.relative_to(tests_dir).as_posix()
        try:
            names = _test_names(path)
        except SyntaxError as exc:
            _emit(
                out, nonce, {"event": "file-error", "file": rel, "message": f"SyntaxError: {exc}"}
            )
            continue
        wanted = [n for n in names if only is None or f"{rel}::{n}" in only]
        if not wanted:
            continue
        module: Any = None
        import_error: BaseException | None = None
        spec = importlib.util.spec_from_file_location(path.stem, path)
        try:
            assert spec is not None
            assert spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[path.stem] = module
            signal.setitimer(signal.ITIMER_REAL, timeout)
            spec.loader.exec_module(module)
        except BaseException as exc:  # any import failure fails the file's tests
            import_error = exc
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        for name in wanted:
            test_id = f"{rel}::{name}"
            _emit(out, nonce, {"event": "start", "id": test_id})
            status, message = "passed", ""
            try:
                if import_error is not None:
                    raise import_error
                signal.setitimer(signal.ITIMER_REAL, timeout)
                try:
                    _call(getattr(module, name))
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            except BaseException as exc:  # a test may raise anything
                if isinstance(exc, KeyboardInterrupt):
                    raise
                status, message = _describe(exc, rel)
            _emit(
                out, nonce, {"event": "result", "id": test_id, "status": status, "message": message}
            )
    _emit(out, nonce, {"event": "done"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
