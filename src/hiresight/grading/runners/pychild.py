"""The harness of one Python test process, forked from the supervisor (pyrunner.py).

Loaded by the supervisor before any child exists, from the runner's read-only file. In the
child it reads the test's token from a pipe, hands it to a C-level chain that writes it back
only after the hidden test function returned, installs an audit hook that the code under test
cannot remove, and only then runs the hidden test (which imports the code under test).
Standard library only.
"""

from __future__ import annotations

import builtins
import collections
import functools
import itertools
import json
import operator
import os
import sys
import types
from collections.abc import Callable
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, cast

if TYPE_CHECKING:
    from importlib.abc import Loader

MESSAGE_LIMIT = 300
TOKEN_BYTES = 32  # hex characters

# Audit events refused in a Python test process once its harness is set up: each reaches
# memory, objects or code the harness relies on (ctypes, crafted bytecode, object graph
# walks, tracers that can skip a test's lines) or starts a process outside the hook.
_DENIED_EVENTS = frozenset(
    {
        "sys.settrace", "sys.setprofile", "sys._current_frames", "gc.get_objects",
        "gc.get_referrers", "gc.get_referents", "code.__new__", "function.__new__",
        "marshal.load", "os.fork", "os.forkpty", "os.exec", "os.posix_spawn", "os.spawn",
        "os.system", "subprocess.Popen", "pty.spawn", "os.symlink",
        "cpython.PyInterpreterState_New",  # a subinterpreter has no audit hook
    }
)  # fmt: skip
# Modules that reach memory or start processes with no audit event of their own.
_DENIED_MODULES = frozenset({"ctypes", "_posixsubprocess"})
_DENIED_PREFIXES = ("_ctypes", "_test", "_xx", "xx")


class Denied(RuntimeError):
    """Raised by the audit hook for an operation test processes may not use."""


def _read_token(fd: int) -> bytes:
    data = b""
    while len(data) < TOKEN_BYTES:
        chunk = os.read(fd, TOKEN_BYTES - len(data))
        if not chunk:
            break
        data += chunk
    os.close(fd)
    return data


def _verdict_chain(run_test: Callable[[], bool], token: bytes, result_w: int) -> Any:
    """An iterator that runs the test, then writes the token only if run_test returned True.

    Only C objects (map, takewhile, partial) hold the token from here on: no Python frame,
    global or closure does, so code under test that walks frames, modules or closures does
    not find it, and the object-graph walkers that would (gc) are refused by the audit hook.
    """
    release = functools.partial(os.write, result_w, b"P 0 " + token + b"\n")
    steps: list[Callable[[], object]] = [run_test, release]
    return itertools.takewhile(bool, map(operator.call, steps))


def _make_audit_hook() -> Callable[[str, tuple[Any, ...]], None]:
    """The audit hook of a test process, holding everything it uses in its own closure.

    Once added it cannot be removed, and nothing reachable from Python refers to it, so code
    under test can neither unhook nor reconfigure it. It calls no Python-level library code
    and looks up no builtin at run time (code under test can patch both): every function it
    uses is bound here, and str/bytes arguments are copied to exact str/bytes first (a
    subclass could override split or startswith). Paths are checked as strings: no `..`, no
    `proc` component, no new symlinks, so /proc/self/mem and friends stay closed.
    marshal.loads is allowed only for the exact bytes of a standard-library .pyc just opened.
    """
    denied_events, denied_modules = _DENIED_EVENTS, _DENIED_MODULES
    denied_prefixes, denied = _DENIED_PREFIXES, Denied
    os_open, os_read, os_close, read_only = os.open, os.read, os.close, os.O_RDONLY
    type_, bytes_, any_, type_error = type, bytes, any, TypeError
    str_copy: Callable[[object, slice], str] = str.__getitem__  # type: ignore[assignment]
    bytes_copy: Callable[[object, slice], bytes] = bytes.__getitem__  # type: ignore[assignment]
    decode, whole, stdlib = bytes.decode, slice(None), "/usr/lib/python3"
    pending: list[str] = []

    def text(value: object) -> str | None:
        """value as an exact str (from a str, bytes or a subclass of either), else None."""
        try:
            return str_copy(value, whole)  # the descriptor refuses anything but a str
        except type_error:
            pass
        try:
            return decode(bytes_copy(value, whole), "utf-8", "surrogateescape")
        except type_error:
            return None

    def trusted(path: str) -> bool:
        return path.startswith(stdlib) and ".." not in path.split("/")

    def blocked(name: str) -> bool:
        return name in denied_modules or name.startswith(denied_prefixes)

    def same_as_pyc(data: bytes) -> bool:
        if not pending:
            return False
        path = pending.pop()
        fd = os_open(path, read_only)  # re-enters the hook as an "open" of that .pyc
        try:
            chunks = []
            while chunk := os_read(fd, 1 << 20):
                chunks.append(chunk)
        finally:
            os_close(fd)
            pending.clear()
        return b"".join(chunks)[16:] == data

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event in denied_events or event.startswith("ctypes."):
            raise denied(f"{event} is not available to code under test")
        if event == "import":
            # Every component and the file's own name: a spec named pkg._testcapi still
            # loads PyInit__testcapi.
            name, filename = text(args[0]) or "", args[1]
            path = None if filename is None else text(filename) or ""
            names = name.split(".") + ([] if path is None else [path.split("/")[-1].split(".")[0]])
            if any_(blocked(part) for part in names) or (path is not None and not trusted(path)):
                raise denied(f"importing {name} is not available to code under test")
        elif event == "open":
            path = text(args[0])
            if path is None:
                return  # a file descriptor
            parts = path.split("/")
            if ".." in parts or "proc" in parts:
                raise denied(f"opening {path} is not available to code under test")
            if path.endswith(".pyc"):
                pending[:] = [path] if trusted(path) else []
        elif event == "marshal.loads":
            data = args[0]
            if type_(data) is not bytes_ or not same_as_pyc(data):
                raise denied("marshal.loads is not available to code under test")
        elif event == "object.__setattr__" and text(args[1]) == "__code__":
            raise denied("replacing a function's code is not available to code under test")

    return hook


def _describe(exc: BaseException, test_file: str) -> tuple[str, str]:
    if isinstance(exc, MemoryError):
        return "memory-limit", "MemoryError: the memory limit was reached"
    status = "failed" if isinstance(exc, AssertionError) else "error"
    try:
        text = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
        where, tb = "", exc.__traceback__
        while tb is not None:  # the innermost line of the test file
            if tb.tb_frame.f_code.co_filename.endswith(test_file):
                where = f"{test_file}:{tb.tb_lineno}"
            tb = tb.tb_next
    except BaseException:  # the exception's own __str__ may be hostile
        text, where = type(exc).__name__, ""
    message = f"{text} ({where})" if where else text
    return status, message[:MESSAGE_LIMIT]


class Precompiled:
    """A finder for the top-level modules of src/, compiled once by the supervisor.

    The files are read-only in the sandbox, so each forked test imports the same code without
    compiling it again; anything else (packages, files made at run time) imports as usual.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.codes: dict[str, tuple[str, types.CodeType]] = {}
        for file in sorted(root.glob("*.py")):
            try:
                code = compile(file.read_bytes(), str(file), "exec", dont_inherit=True)
            except (SyntaxError, ValueError):
                continue  # imported as usual, to fail as usual
            self.codes[file.stem] = (str(file), code)

    def find_spec(self, name: str, path: object = None, target: object = None) -> Any:
        """A spec for a precompiled module of src/, else None (the next finder looks)."""
        found = self.codes.get(name)
        if found is None:
            return None
        spec = ModuleSpec(name, cast("Loader", self), origin=found[0])
        spec.has_location = True
        return spec

    def create_module(self, spec: ModuleSpec) -> None:
        """The default module object."""
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        """Run the precompiled code in the new module."""
        exec(self.codes[module.__name__][1], module.__dict__)


def _make_run_test(
    path: Path, code: types.CodeType, name: str, expected: types.CodeType | None, result_w: int
) -> Callable[[], bool]:
    """The test call, with every name it uses bound now, before any code under test runs."""
    module = types.ModuleType(path.stem)
    module.__file__ = str(path)
    namespace = module.__dict__
    get: Callable[[dict[str, Any], str], Any] = dict.get
    type_, function_type = type, types.FunctionType
    coroutine_type = types.CoroutineType
    # The supervisor loads asyncio when a file imports it or has an async def; imported from
    # here, after sys.path changed, a module of that name in src/ would win.
    run_coroutine = sys.modules["asyncio"].run if "asyncio" in sys.modules else None
    write, dumps, describe, exec_ = os.write, json.dumps, _describe, builtins.exec
    rel = path.name

    def run_test() -> bool:
        try:
            sys.modules[path.stem] = module
            exec_(code, namespace)
            func = get(namespace, name)
            # The function compiled from the hidden source, not a stand-in put in its place.
            if (
                type_(func) is not function_type
                or expected is None
                or func.__code__ is not expected
            ):
                raise LookupError(f"{name} is not the test function of {rel}")
            result = func()
            if type_(result) is coroutine_type:
                if run_coroutine is None:
                    raise TypeError("the test returned a coroutine but its file never says async")
                run_coroutine(result)
        except BaseException as exc:  # a test may raise anything
            status, message = describe(exc, rel)
            write(result_w, b"F 0 " + dumps([status, message]).encode() + b"\n")
            return False
        return True

    return run_test


def _refuse(*args: object, **kwargs: object) -> NoReturn:
    raise Denied("starting processes is not available to code under test")


def _child_setup() -> None:
    """Take away process starts, point print() at stderr, install the (irremovable) audit hook.

    _posixsubprocess.fork_exec (loaded with asyncio, through subprocess) starts processes
    without an audit event: both references to it are replaced, and importing the module
    again is refused by the hook.
    """
    for module, attribute in (("_posixsubprocess", "fork_exec"), ("subprocess", "_fork_exec")):
        if module in sys.modules:
            setattr(sys.modules[module], attribute, _refuse)
    os.dup2(2, 1)
    sys.addaudithook(_make_audit_hook())


def python_child(
    channel: int,
    path: Path,
    code: types.CodeType,
    name: str,
    expected: types.CodeType | None,
    sources: Precompiled,
    token_r: int,
    result_w: int,
) -> NoReturn:
    """In the forked child: run one hidden test; the token leaves only if it returned."""
    try:
        os.close(channel)
        sys.path[:0] = [str(sources.root), str(path.parent)]
        sys.meta_path.insert(0, sources)
        run_test = _make_run_test(path, code, name, expected, result_w)
        sys.setrecursionlimit(3000)
        _child_setup()
        # The token goes straight from the pipe into the chain: never into a local here.
        collections.deque(_verdict_chain(run_test, _read_token(token_r), result_w), maxlen=0)
    finally:
        os._exit(0)
