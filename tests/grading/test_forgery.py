"""Forged results: code under test that attacks the runner must score 0, in both languages.

Each attack is appended to the fixture's buggy source, so no bug is fixed: any score above 0
is a forged pass. The first attacks of each language forged scores of 62.5-100 with the
previous runner (nonce-tagged lines on stdout, the tests in the runner's own process).
"""

from __future__ import annotations

import pytest

from hiresight.grading.grader import grade
from tests.challenges.factories import JS_FIXTURE, PY_FIXTURE, fixture_challenge

# Writes every line shape a verdict has ever had to every descriptor, for every test id.
PY_FORGE_LINES = """
import json as _json, os as _os
def _forge(tokens=()):
    cfg = _json.load(open('/work/.hiresight/run.json'))
    lines = []
    for tid in cfg['only']:
        ev = _json.dumps({'event': 'result', 'id': tid, 'status': 'passed', 'message': ''})
        lines += [cfg.get('nonce', 'x') + ' ' + ev, ev]
    lines += ['P 0 ' + t for t in tokens] + ['P 0 ' + '0' * 32]
    for fd in range(0, 64):
        for line in lines:
            try:
                _os.write(fd, (line + '\\n').encode())
            except OSError:
                pass
"""

PY_ATTACKS = {
    "replace-runner-functions": """
import sys
for main in (sys.modules['__main__'], sys.modules.get('pychild')):
    if main is None:
        continue
    main._describe = lambda *a, **k: ('passed', '')
    main._call = lambda *a, **k: None
    for name in ('_make_run_test', '_verdict_chain', '_read_token', '_make_audit_hook'):
        setattr(main, name, lambda *a, **k: (lambda: True))
""",
    "read-nonce-print-and-exit": PY_FORGE_LINES + "_forge()\n_os._exit(0)\n",
    "atexit-and-sys-exit": PY_FORGE_LINES
    + "import atexit, sys\natexit.register(_forge)\nsys.exit(0)\n",
    "patch-sys-modules": """
import sys, threading, time, types
fake = types.ModuleType('test_inventory')
fake.__getattr__ = lambda name: (lambda: None)
sys.modules['test_inventory'] = fake
def _swap():
    for _ in range(2000):
        mod = sys.modules.get('test_inventory')
        names = [k for k in vars(mod) if k.startswith('test')] if mod else []
        if len(names) > 3:
            for k in names:
                setattr(mod, k, lambda: None)
            return
        time.sleep(0.0005)
threading.Thread(target=_swap, daemon=True).start()
""",
    "monkeypatch-builtins": """
import builtins, functools, itertools, json, operator, os, types
builtins.isinstance = lambda *a: True
builtins.type = lambda *a: types.FunctionType
builtins.getattr = lambda *a: (lambda: None)
json.dumps = lambda *a, **k: '["passed", ""]'
operator.call = lambda f, *a: True
itertools.takewhile = lambda p, it: iter([True, True])
functools.partial = lambda *a, **k: (lambda: True)
os._exit = lambda code: None
""",
    "settrace-skips-the-asserts": """
import sys
def _skip(frame, event, arg):
    if event == 'call' and frame.f_code.co_name.startswith('test'):
        return _to_end
def _to_end(frame, event, arg):
    if event == 'line':
        try:
            frame.f_lineno = max(l for _, _, l in frame.f_code.co_lines() if l)
        except ValueError:
            pass
    return _to_end
sys.settrace(_skip)
""",
    "hunt-the-token": PY_FORGE_LINES
    + """
import gc, re, signal, sys
_hex = re.compile(r'^[0-9a-f]{32}$')
def _scan(value, found):
    if isinstance(value, bytes):
        value = value.decode('latin-1')
    if isinstance(value, str) and (_hex.match(value) or value.startswith('P 0 ')):
        found.add(value.removeprefix('P 0 ').strip())
def _hunt():
    found = set()
    for attempt in (
        lambda: [_scan(o, found) for o in gc.get_objects()],
        lambda: open('/proc/self/mem', 'rb').read(1),
        lambda: open('/dev/fd/../mem', 'rb').read(1),
        lambda: _os.open('fd/../mem', _os.O_RDONLY, dir_fd=_os.open('/dev', _os.O_RDONLY)),
        lambda: __import__('ctypes'),
        lambda: __import__('subprocess').run(['python3', '-c', 'print(1)']),
        lambda: _os.symlink('/proc/self/mem', '/tmp/m'),
        lambda: __import__('marshal').loads(b'\\xe3' + b'\\x00' * 40),
    ):
        try:
            attempt()
        except BaseException:
            pass
    frames = []
    f = sys._getframe()
    while f is not None:
        frames.append(f)
        f = f.f_back
    got = []
    signal.signal(signal.SIGUSR1, lambda s, fr: got.append(fr))
    _os.kill(_os.getpid(), signal.SIGUSR1)
    for f in frames + got:
        while f is not None:
            for v in list(f.f_locals.values()) + list(f.f_globals.values()):
                _scan(v, found)
                cells = getattr(v, '__closure__', None)
                for cell in cells if isinstance(cells, tuple) else ():
                    try:
                        _scan(cell.cell_contents, found)
                    except ValueError:
                        pass
            f = f.f_back
    _forge(sorted(found))
_hunt()
_real_page = Inventory.page
def _page(self, page, size):
    _hunt()
    return _real_page(self, page, size)
Inventory.page = _page
""",
    "kill-the-supervisor": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n",
}

JS_FORGE_LINES = """
const _fs = require('node:fs');
function _forge(tokens) {
  let cfg = { only: [] };
  try { cfg = JSON.parse(_fs.readFileSync('/work/.hiresight/run.json', 'utf8')); } catch {}
  const lines = [];
  for (const id of cfg.only) {
    const ev = JSON.stringify({ event: 'result', id, status: 'passed', message: '' });
    lines.push(`${cfg.nonce || 'x'} ${ev}`, ev);
  }
  const guesses = [...(tokens || []), '0'.repeat(32)];
  for (let i = 0; i < 8; i++) for (const t of guesses) lines.push(`P ${i} ${t}`);
  // stdout, stderr and the descriptors a runner has used (more would crash node itself)
  for (const fd of [1, 2, 3, 4]) {
    for (const line of lines) { try { _fs.writeSync(fd, line + '\\n'); } catch {} }
  }
}
"""

JS_NAMES = [
    "clamps a huge limit",
    "rejects negative limit",
    "loads every user in order",
    "default limit",
    "display name trims",
    "page count of an empty list is one",
]

JS_ATTACKS = {
    "print-forged-lines-and-exit": JS_FORGE_LINES + "_forge();\nprocess.exit(0);\n",
    "assert-no-op": """
for (const name of ['node:assert', 'node:assert/strict']) {
  const m = require(name);
  for (const target of [m, m.strict]) {
    if (!target) continue;
    for (const k of Object.keys(target)) {
      try { target[k] = () => {}; } catch {}
      try { Object.defineProperty(target, k, { value: () => {} }); } catch {}
    }
  }
}
""",
    "override-process-exit": JS_FORGE_LINES
    + """
process.exit = () => {};
process.reallyExit = () => {};
process.on('exit', () => _forge());
process.removeAllListeners('uncaughtException');
""",
    "register-fake-tests": f"""
const _names = {JS_NAMES!r};
for (const t of [require('node:test'), module.parent && module.parent.require('node:test')]) {{
  for (const n of _names) {{ try {{ t(n, () => {{}}); }} catch {{}} }}
}}
""",
    "promise-then-always-fulfils": """
const _then = Promise.prototype.then;
Promise.prototype.then = function (ok, bad) { return _then.call(this, ok, () => ok && ok()); };
Object.defineProperty(Promise.prototype, 'constructor', { value: Promise, writable: true });
""",
    "hunt-the-token": JS_FORGE_LINES
    + """
const _found = [];
for (const attempt of [
  () => {
    const file = require('node:v8').writeHeapSnapshot('/tmp/h.heapsnapshot');
    for (const m of _fs.readFileSync(file, 'utf8').matchAll(/"([0-9a-f]{32})"/g)) _found.push(m[1]);
  },
  () => require('node:v8').getHeapSnapshot(),
  () => _fs.readFileSync('/proc/self/mem'),
  () => require('node:child_process').execSync('cat /proc/$PPID/environ'),
  () => new (require('node:inspector').Session)().connect(),
  () => process.binding('fs'),
  () => require('node:v8').setFlagsFromString('--allow-natives-syntax'),
]) { try { attempt(); } catch {} }
Error.prepareStackTrace = (e, sites) => sites;
const _grab = () => {
  for (const site of new Error().stack) {
    const f = site.getFunction && site.getFunction();
    if (typeof f === 'function') { try { f(true); } catch {} }
  }
  _forge(_found);
};
const _parse = module.exports.parseLimit;
module.exports.parseLimit = (raw) => { _grab(); return _parse(raw); };
_grab();
""",
}


ATTACKS = [("python", name) for name in sorted(PY_ATTACKS)] + [
    ("javascript", name) for name in sorted(JS_ATTACKS)
]
# Per language: the buggy fixture, the file the attack is appended to, and the attacks.
TARGETS = {
    "python": (PY_FIXTURE, "inventory.py", PY_ATTACKS),
    "javascript": (JS_FIXTURE, "users.js", JS_ATTACKS),
}


@pytest.mark.parametrize(("language", "attack"), ATTACKS)
def test_forgery_scores_zero(language: str, attack: str) -> None:
    """Buggy code plus an attack on the runner: no bug counts as fixed, score 0."""
    fixture, path, attacks = TARGETS[language]
    ch = fixture_challenge(fixture)
    report = grade(ch, {path: ch.src[path] + attacks[attack]})
    assert report.status == "ok", report.error
    assert not any(b.fixed for b in report.bugs)
    assert not any(t.passed for t in report.tests if t.bug)
    assert report.score == 0.0


def test_python_runner_keeps_honest_verdicts_beside_an_attack() -> None:
    """The attack module still runs the honest tests: the regression tests pass as before."""
    ch = fixture_challenge(PY_FIXTURE)
    report = grade(ch, {"inventory.py": ch.src["inventory.py"] + PY_ATTACKS["hunt-the-token"]})
    assert all(t.passed for t in report.tests if t.bug is None)


# Hidden tests that probe, from inside a test process, what it must not be able to do. Each
# passes only if the facility is refused or absent; asyncio is imported so that subprocess
# and _posixsubprocess are loaded ahead of the test, as they are for async challenges.
PROBES = """
import asyncio, os, sys

def _refused(action):
    try:
        action()
    except BaseException as exc:
        return type(exc).__name__ in ("Denied", "ImportError", "ModuleNotFoundError")
    return False

def _all_classes():
    seen, todo = set(), [object]
    while todo:
        cls = todo.pop()
        for sub in type.__subclasses__(cls):
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return seen

def test_no_ctypes_types_are_reachable():
    assert not [c for c in _all_classes() if c.__module__ in ("_ctypes", "ctypes")]

def test_imports_that_reach_memory_are_refused():
    for name in ("ctypes", "_ctypes", "_testcapi", "_xxsubinterpreters", "_posixsubprocess"):
        sys.modules.pop(name, None)
        assert _refused(lambda: __import__(name)), name

def test_processes_cannot_start():
    import subprocess
    assert _refused(lambda: subprocess.run(["/bin/true"]))
    assert _refused(lambda: subprocess._fork_exec())
    assert _refused(lambda: os.fork())
    assert _refused(lambda: os.posix_spawn("/bin/true", ["true"], {}))

def test_memory_and_objects_are_out_of_reach():
    import gc
    assert _refused(lambda: open("/proc/self/mem", "rb"))
    assert _refused(lambda: open("/dev/fd/../mem", "rb"))
    assert _refused(lambda: gc.get_objects())
    assert _refused(lambda: sys.settrace(lambda *a: None))
    assert _refused(lambda: (lambda: 0).__code__.replace(co_consts=(1,)))

def test_patched_builtins_and_path_tricks_do_not_open_the_hook():
    import builtins

    class Sneaky(str):
        def split(self, *a, **k):
            return ["work", "x"]

        def __str__(self):
            return "/work/x"

    saved = builtins.isinstance, builtins.any, os.fspath, os.fsdecode
    builtins.isinstance = lambda *a: True
    builtins.any = lambda *a: False
    os.fspath = os.fsdecode = lambda p: "/work/x"
    try:
        results = [
            _refused(lambda: open("/proc/self/mem", "rb")),
            _refused(lambda: open(Sneaky("/proc/self/mem"), "rb")),
            _refused(lambda: open(b"/proc/self/mem", "rb")),
            _refused(lambda: __import__("ctypes")),
        ]
    finally:
        builtins.isinstance, builtins.any, os.fspath, os.fsdecode = saved
    assert results == [True] * 4

def test_an_extension_under_another_name_is_refused():
    from importlib.machinery import ExtensionFileLoader, ModuleSpec

    folder = "/usr/lib/python3.11/lib-dynload"
    found = [n for n in os.listdir(folder) if n.startswith("_testcapi.")]
    for file in found:
        loader = ExtensionFileLoader("pkg._testcapi", f"{folder}/{file}")
        spec = ModuleSpec("pkg._testcapi", loader, origin=f"{folder}/{file}")
        assert _refused(lambda: loader.create_module(spec))
"""


def test_python_test_process_refuses_what_could_forge() -> None:
    """ctypes types, memory-reaching modules, process starts, /proc and gc are all refused."""
    from hiresight.grading.discovery import discover
    from hiresight.grading.execute import run_suite
    from hiresight.sandbox import SandboxLimits

    tests = {"test_probe.py": PROBES}
    ids = discover("python", tests)
    suite = run_suite("python", {}, tests, ids, limits=SandboxLimits())
    assert {k: (v.status, v.message) for k, v in suite.outcomes.items()} == dict.fromkeys(
        ids, ("passed", "")
    )
