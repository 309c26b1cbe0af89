"""Hostile programs, in both languages: each ends with a clear status and a healthy host."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator

import pytest

from hiresight.sandbox import run
from tests.challenges.factories import FIXTURES, PY_FIXTURE
from tests.sandbox.helpers import TEST_BASE_DIR, assert_host_fine, processes_with, run_snippet

LANGUAGES = ["python", "javascript"]


@pytest.fixture
def marker() -> str:
    """A unique string to find an attack's processes on the host."""
    return f"hsattack{uuid.uuid4().hex[:12]}"


def test_fork_bomb_hits_the_process_limit(marker: str) -> None:
    """Python: forking forever stops at the pids limit; nothing survives the run."""
    code = f"import os\n# {marker}\nwhile True:\n    os.fork()"
    result = run_snippet("python", code, processes=32, wall_seconds=5)
    assert result.status == "error"
    assert "process limit" in result.detail
    assert_host_fine(marker)


def test_fork_bomb_node(marker: str) -> None:
    """Node: spawning sleepers until refused stops at the pids limit."""
    code = (
        f"// {marker}\nconst {{ spawn }} = require('node:child_process');\n"
        "for (let i = 0; i < 200; i++) spawn('sleep', ['30']).on('error', () => {});\n"
        "setTimeout(() => process.exit(0), 300);"
    )
    result = run_snippet("javascript", code, processes=32, wall_seconds=5)
    assert result.status == "error"
    assert "process limit" in result.detail
    assert_host_fine(marker)


@pytest.mark.parametrize(
    ("language", "code"),
    [
        ("python", "a = []\nwhile True:\n    a.append(bytearray(10**7))"),
        ("javascript", "const a = [];\nfor (;;) a.push(Buffer.alloc(1e7, 1));"),
    ],
)
def test_memory_bomb_is_a_memory_limit(language: str, code: str) -> None:
    """Allocating without end ends as memory-limit (rlimit or cgroup OOM), never host OOM."""
    result = run_snippet(language, code, memory_mb=128, wall_seconds=10)
    assert result.status == "memory-limit"
    assert result.peak_memory_bytes is None or result.peak_memory_bytes <= 128 << 20
    assert_host_fine()


@pytest.mark.parametrize(
    ("language", "code"), [("python", "while True:\n    pass"), ("javascript", "for (;;) {}")]
)
def test_cpu_spin_is_a_timeout(language: str, code: str) -> None:
    """Spinning stops at the CPU rlimit (before the wall clock) with status timeout."""
    result = run_snippet(language, code, cpu_seconds=1, wall_seconds=30)
    assert result.status == "timeout"
    assert "CPU limit" in result.detail
    assert result.cpu_ms < 3000  # stopped near 1 s of CPU, however slow the wall clock (load)


@pytest.mark.parametrize(
    ("language", "code"),
    [
        ("python", "import time\n# {m}\ntime.sleep(1000)"),
        ("javascript", "// {m}\nsetInterval(() => {{}}, 1000);"),
    ],
)
def test_sleep_forever_is_a_timeout(language: str, code: str, marker: str) -> None:
    """Sleeping is stopped by the wall clock and the process is gone afterwards."""
    result = run_snippet(language, code.format(m=marker), wall_seconds=1)
    assert result.status == "timeout"
    assert 1000 <= result.wall_ms < 2500
    assert_host_fine(marker)


@pytest.mark.parametrize(
    ("language", "code"),
    [
        ("python", "while True:\n    print('spam' * 100)"),
        ("javascript", "for (;;) console.log('spam'.repeat(100));"),
    ],
)
def test_infinite_output_is_an_output_limit(language: str, code: str) -> None:
    """Output is cut at the cap; the run stops instead of filling memory."""
    result = run_snippet(language, code, output_bytes=8192)
    assert result.status == "output-limit"
    assert len(result.stdout.encode()) < 8192 + 100
    assert "output truncated" in result.stdout


@pytest.mark.parametrize(
    ("language", "code"),
    [
        (
            "python",
            "import errno\nn = 0\ntry:\n    while True:\n"
            "        open(f'f{n}', 'wb').write(b'x' * (1 << 20)); n += 1\n"
            "except OSError as e:\n    print(errno.errorcode[e.errno], n)",
        ),
        (
            "javascript",
            "const fs = require('node:fs'); let n = 0;\n"
            "try { for (;;) { fs.writeFileSync('f' + n, Buffer.alloc(1 << 20)); n++; } }\n"
            "catch (e) { console.log(e.code, n); }",
        ),
    ],
)
def test_filling_the_disk_stops_at_the_tmpfs_size(language: str, code: str) -> None:
    """Writes fail with ENOSPC once the private tmpfs is full; the host disk is untouched."""
    result = run_snippet(language, code, tmpfs_mb=8)
    assert result.status == "ok"
    errno_name, count = result.stdout.split()
    assert errno_name == "ENOSPC"
    assert int(count) <= 8
    assert_host_fine()


TARGETS = ["/usr/hsx", "/etc/hsx", "/work/README", "/hsx", "/proc/hsx", "/dev/hsx"]


@pytest.mark.parametrize(
    ("language", "code"),
    [
        (
            "python",
            "import json\nres = {{}}\nfor p in {targets}:\n    try:\n"
            "        open(p, 'w').write('x')\n        res[p] = 'written'\n"
            "    except OSError as e:\n        res[p] = type(e).__name__\n"
            "print(json.dumps(res))",
        ),
        (
            "javascript",
            "const fs = require('node:fs'); const res = {{}};\n"
            "for (const p of {targets}) {{\n"
            "  try {{ fs.writeFileSync(p, 'x'); res[p] = 'written'; }}\n"
            "catch (e) {{ res[p] = e.code; }} }}\nconsole.log(JSON.stringify(res));",
        ),
    ],
)
def test_writing_outside_the_work_dir_fails(language: str, code: str) -> None:
    """System dirs and the job source are read-only; nothing appears on the host."""
    result = run_snippet(language, code.format(targets=json.dumps(TARGETS)))
    assert result.status == "ok"
    outcome = json.loads(result.stdout)
    assert set(outcome) == set(TARGETS)
    assert "written" not in outcome.values()
    assert not any(os.path.exists(p) for p in ["/usr/hsx", "/etc/hsx", "/hsx"])
    assert_host_fine()


@pytest.mark.parametrize(
    ("language", "code"),
    [
        (
            "python",
            "import os\ntry:\n    open('/etc/shadow').read(); print('READ')\n"
            "except OSError as e:\n    print(type(e).__name__, os.getuid(), os.geteuid())",
        ),
        (
            "javascript",
            "try { require('node:fs').readFileSync('/etc/shadow'); console.log('READ'); }\n"
            "catch (e) { console.log(e.code, process.getuid(), process.geteuid()); }",
        ),
    ],
)
def test_etc_shadow_is_unreadable(language: str, code: str) -> None:
    """/etc/shadow cannot be read, and the process is not root on the host (uid >= 61000).

    bwrap runs with unprivileged user namespaces and no uid mapping, so the uid seen inside
    is the host uid the sandbox dropped to before starting bwrap.
    """
    result = run_snippet(language, code)
    assert result.status == "ok"
    error, uid, euid = result.stdout.split()
    assert error in ("PermissionError", "FileNotFoundError", "EACCES", "ENOENT")
    assert int(uid) >= 61000
    assert int(euid) >= 61000
    assert_host_fine()


def test_no_capabilities_and_no_supplementary_groups() -> None:
    """Every capability set is empty and no host group (not even root's gid 0) is kept.

    The uid drop happens in `setpriv` after the gate; a group left behind would show as the
    overflow gid 65534 inside the user namespace, so an empty list proves they were cleared.
    """
    code = (
        "import json, os\n"
        "caps = {k: v.strip() for k, _, v in (l.partition(':') for l in open('/proc/self/status'))"
        " if k.startswith('Cap')}\n"
        "print(json.dumps({'caps': caps, 'groups': os.getgroups(), 'gid': os.getgid()}))"
    )
    host_groups = os.getgroups()
    os.setgroups([0, 4])  # give the server supplementary groups the sandbox must not keep
    try:
        result = run_snippet("python", code)
    finally:
        os.setgroups(host_groups)
    assert result.status == "ok"
    seen = json.loads(result.stdout)
    cap_sets = ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")
    assert seen["caps"] == dict.fromkeys(cap_sets, "0" * 16)
    assert seen["groups"] == []
    assert seen["gid"] >= 61000
    assert_host_fine()


@pytest.mark.parametrize("language", LANGUAGES)
def test_challenge_folder_is_invisible(language: str) -> None:
    """The hidden tests and solution of the challenge being graded are not reachable."""
    folder = FIXTURES / PY_FIXTURE
    paths = [str(folder / "solution" / "inventory.py"), str(folder / "tests"), str(folder)]
    if language == "python":
        code = f"import os\nfor p in {json.dumps(paths)}:\n    print(p, os.path.exists(p))"
    else:
        code = (
            f"for (const p of {json.dumps(paths)})\n"
            "  console.log(p, require('node:fs').existsSync(p));"
        )
    result = run_snippet(language, code, files={"src/inventory.py": "x = 1\n"})
    assert result.status == "ok"
    lines = result.stdout.split("\n")
    assert [line.rsplit(" ", 1)[1] for line in lines if line] == [
        "False" if language == "python" else "false"
    ] * 3
    assert_host_fine()


def test_candidate_code_in_a_grade_cannot_read_the_solution() -> None:
    """A patched module that tries to open the solution at import fails, in a real grade."""
    from hiresight.grading.grader import grade
    from tests.challenges.factories import fixture_challenge

    ch = fixture_challenge(PY_FIXTURE)
    solution_path = ch.root / "solution" / "inventory.py"
    evil = f"exec(open({str(solution_path)!r}).read())\n"
    report = grade(ch, {"inventory.py": evil})
    assert not any(t.passed for t in report.tests if t.bug)
    assert any("FileNotFoundError" in t.message for t in report.tests)


def test_concurrent_job_files_are_invisible() -> None:
    """A job cannot find a file of another job running at the same time."""
    secret = f"secret-{uuid.uuid4().hex}"
    holder: dict[str, object] = {}

    def hold() -> None:
        holder["result"] = run(
            ["python3", "-c", "import time; time.sleep(1.5)"],
            {"secret.txt": secret},
            base_dir=TEST_BASE_DIR,
        )

    thread = threading.Thread(target=hold)
    thread.start()
    time.sleep(0.4)  # let the first job start
    hunt = (
        "import os\nhits = []\n"
        f"tops = ['/tmp', '/work', '/home', '/root', '/var', {str(TEST_BASE_DIR)!r}]\n"
        "for top in tops:\n"
        "    for d, _, files in os.walk(top):\n"
        "        for f in files:\n"
        "            try:\n"
        f"                if {secret!r} in open(os.path.join(d, f)).read(): hits.append(d)\n"
        "            except OSError: pass\n"
        "print(hits)"
    )
    result = run(["python3", "-c", hunt], {"mine.txt": "mine"}, base_dir=TEST_BASE_DIR)
    thread.join()
    assert result.stdout.strip() == "[]"
    assert holder["result"].status == "ok"  # type: ignore[attr-defined]


@pytest.fixture
def app_port() -> Iterator[int]:
    """A listening TCP port on the host's loopback, like a running app server."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_network_is_unreachable(language: str, app_port: int) -> None:
    """Postgres, Redis, an app port and the internet all fail at once in the empty netns."""
    targets = [["127.0.0.1", 5432], ["127.0.0.1", 6379], ["127.0.0.1", app_port], ["1.1.1.1", 80]]
    if language == "python":
        code = (
            "import json, socket, time\nout = []\n"
            f"for host, port in {json.dumps(targets)}:\n"
            "    t = time.monotonic()\n"
            "    try:\n"
            "        socket.create_connection((host, port), timeout=3).close()\n"
            "        out.append('CONNECTED')\n"
            "    except OSError as e:\n"
            "        out.append([type(e).__name__, round(time.monotonic() - t, 2)])\n"
            "print(json.dumps(out))"
        )
    else:
        code = (
            "const net = require('node:net'); const out = [];\n"
            f"const targets = {json.dumps(targets)};\n"
            "(async () => { for (const [host, port] of targets) { const t = Date.now();\n"
            "  out.push(await new Promise((resolve) => {\n"
            "    const s = net.connect({ host, port, timeout: 3000 });\n"
            "    s.on('connect', () => { s.destroy(); resolve('CONNECTED'); });\n"
            "    s.on('timeout', () => { s.destroy(); resolve(['TIMEOUT', 3]); });\n"
            "    s.on('error', (e) => resolve([e.code, (Date.now() - t) / 1000])); })); }\n"
            "  console.log(JSON.stringify(out)); })();"
        )
    result = run_snippet(language, code)
    assert result.status == "ok"
    outcome = json.loads(result.stdout)
    assert len(outcome) == 4
    assert "CONNECTED" not in [o if isinstance(o, str) else "" for o in outcome]
    assert all(isinstance(o, list) and o[1] < 0.5 for o in outcome), outcome
    assert_host_fine()


@pytest.mark.parametrize(
    ("language", "code"),
    [
        (
            "python",
            "import os, signal\nres = []\nfor pid in (os.getppid(), {host_pid}, 1):\n    try:\n"
            "        os.kill(pid, signal.SIGKILL); res.append('sent')\n"
            "    except OSError as e:\n        res.append(type(e).__name__)\nprint(res)",
        ),
        (
            "javascript",
            "const res = [];\nfor (const pid of [process.ppid, {host_pid}, 1]) {{\n"
            "  try {{ process.kill(pid, 'SIGKILL'); res.push('sent'); }}\n"
            "  catch (e) {{ res.push(e.code); }} }}\n"
            "console.log(JSON.stringify(res));",
        ),
    ],
)
def test_signalling_the_parent_or_host_does_nothing(language: str, code: str) -> None:
    """Parent and host pids are outside the pid namespace: the host test process survives."""
    result = run_snippet(language, code.format(host_pid=os.getpid()))
    assert result.status in ("ok", "error")  # a signal to the sandbox's own init may end it
    os.kill(os.getpid(), 0)  # this (host) process is alive
    assert_host_fine()


@pytest.mark.parametrize(
    ("language", "code"),
    [
        (
            "python",
            "import os\nfor pid in os.listdir('/proc'):\n    if pid.isdigit():\n        try:\n"
            "            print(open(f'/proc/{pid}/environ', 'rb').read())\n"
            "        except OSError as e:\n            print(pid, type(e).__name__)\n"
            "print(open('/proc/self/environ', 'rb').read())",
        ),
        (
            "javascript",
            "const fs = require('node:fs');\n"
            "const pids = fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p));\n"
            "for (const pid of pids) {\n"
            "  try { console.log(fs.readFileSync(`/proc/${pid}/environ`, 'latin1')); }\n"
            "  catch (e) { console.log(pid, e.code); } }",
        ),
    ],
)
def test_server_environment_is_not_readable(
    language: str, code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A secret in the server's environment is visible in no /proc/*/environ of the sandbox."""
    secret = f"s3cr3t-{uuid.uuid4().hex}"
    monkeypatch.setenv("HIRESIGHT_SECRET_KEY", secret)
    result = run_snippet(language, code)
    assert result.status == "ok"
    assert result.stdout.strip()
    assert secret not in result.stdout
    assert "HIRESIGHT" not in result.stdout
    assert_host_fine()


@pytest.mark.parametrize(
    ("language", "code"),
    [
        (
            "python",
            "import subprocess, time\n"
            "subprocess.Popen(['setsid', 'sh', '-c', 'sleep 1000 # {m}'], start_new_session=True)\n"
            "subprocess.Popen(['sh', '-c', '(sleep 1000 # {m}) &'])\ntime.sleep(1000)",
        ),
        (
            "javascript",
            "const {{ spawn }} = require('node:child_process');\n"
            "spawn('sh', ['-c', 'sleep 1000 # {m}'], {{ detached: true }}).unref();\n"
            "spawn('sh', ['-c', '(sleep 1000 # {m}) &']);\nsetInterval(() => {{}}, 1000);",
        ),
    ],
)
def test_no_process_survives_a_timeout(language: str, code: str, marker: str) -> None:
    """Detached, double-forked and new-session children are all gone after a timeout."""
    result = run_snippet(language, code.format(m=marker), wall_seconds=1)
    assert result.status == "timeout"
    assert processes_with(marker) == []
    assert_host_fine(marker)


@pytest.mark.parametrize(
    ("language", "code"),
    [
        ("python", "import os, time\nos.close(1)\nos.close(2)\ntime.sleep(1000)"),
        (
            "javascript",
            "const fs = require('node:fs');\nfs.closeSync(1); fs.closeSync(2);\n"
            "setInterval(() => {}, 1000);",
        ),
    ],
)
def test_closing_output_does_not_dodge_the_timeout(language: str, code: str) -> None:
    """A program that closes stdout and stderr and then sleeps is still stopped on time."""
    result = run_snippet(language, code, wall_seconds=1)
    assert result.status == "timeout"
    assert result.wall_ms < 2500
    assert_host_fine()


def test_result_channel_is_held_by_the_program_alone() -> None:
    """Only the program holds the result channel: pid 1 closed it, and no process can reopen it.

    A process started by the program without the descriptor (as test processes are) cannot
    write to the channel through /proc/<pid>/fd: a socket cannot be reopened by path.
    """
    code = (
        "import os, subprocess, sys\n"
        "fd = int(os.environ['HIRESIGHT_RESULT_FD'])\n"
        "pid1 = [os.readlink(f'/proc/1/fd/{n}') for n in os.listdir('/proc/1/fd')]\n"
        'probe = (\'import sys\\ntry:\\n    open(sys.argv[1], "w").write("forged\\\\n")\\n\'\n'
        "         '    print(\"reopened\")\\nexcept OSError as e:\\n    print(e.errno)')\n"
        "r = subprocess.run([sys.executable, '-c', probe, f'/proc/{os.getpid()}/fd/{fd}'],\n"
        "                   capture_output=True, text=True)\n"
        "print(r.stdout.strip(), os.readlink(f'/proc/self/fd/{fd}') in pid1)\n"
        "os.write(fd, b'genuine\\n')\n"
    )
    result = run(
        ["/usr/bin/python3", "-c", code], {"README": "x"}, base_dir=TEST_BASE_DIR, channel=True
    )
    assert result.status == "ok", result.stderr
    assert result.stdout.split() == ["6", "False"]  # ENXIO; pid 1 holds no copy
    assert result.channel == "genuine\n"
    assert_host_fine()
