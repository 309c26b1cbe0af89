"""The in-sandbox runner of a take-home submission (standard library only; never imported).

It runs as /work/.hiresight/runner.py under the system Python, reads .hiresight/job.json,
copies the read-only submission to a writable scratch folder, runs the candidate's command
(mode "predict") or the candidate's pytest suite (mode "tests") as a child that does not
inherit the result channel, and reports through that channel: the child's exit status and
wall time, and the predictions file, compressed. Nothing else the child writes is read.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

WORK = Path("/work")
SUBMISSION = WORK / "submission"
SCRATCH = WORK / "run"
OUTPUT_DIR = WORK / "output"
JUNIT = Path("/tmp/.hiresight-junit.xml")
# Base64 of the compressed file must fit the sandbox's 1 MiB result channel.
MAX_ENCODED = 900 * 1024
MAX_OUTPUT_BYTES = 32 * 1024 * 1024


def send(channel: int, message: dict[str, object]) -> None:
    """One JSON line on the result channel."""
    data = (json.dumps(message) + "\n").encode()
    while data:
        data = data[os.write(channel, data) :]


def copy_submission() -> None:
    """The submission's files, writable, in the scratch folder (the bound ones are read-only)."""
    for dirpath, dirnames, filenames in os.walk(SUBMISSION):
        rel = Path(dirpath).relative_to(SUBMISSION)
        (SCRATCH / rel).mkdir(parents=True, exist_ok=True)
        dirnames.sort()
        for name in filenames:
            shutil.copyfile(Path(dirpath) / name, SCRATCH / rel / name)
    SCRATCH.mkdir(exist_ok=True)


def child_env(config: dict[str, object]) -> dict[str, str]:
    """The candidate's environment: the bound packages, one BLAS thread per core."""
    threads = str(config.get("threads", 2))
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(SCRATCH),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(config["python_path"]),
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "OMP_NUM_THREADS": threads,
        "OPENBLAS_NUM_THREADS": threads,
        "MKL_NUM_THREADS": threads,
        "MPLBACKEND": "Agg",
        "TMPDIR": "/tmp",
    }


def read_output(path: Path) -> tuple[str | None, str]:
    """The predictions file, compressed and encoded, or why it cannot be sent."""
    try:
        # O_NONBLOCK: a FIFO left at the path must not hang the runner.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None, "no_output"
    except OSError as exc:
        return None, f"unreadable: {exc.strerror}"
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            return None, "not a regular file"
        data = f.read(MAX_OUTPUT_BYTES + 1)
    if len(data) > MAX_OUTPUT_BYTES:
        return None, f"larger than {MAX_OUTPUT_BYTES} bytes"
    encoded = base64.b64encode(zlib.compress(data, 6)).decode("ascii")
    if len(encoded) > MAX_ENCODED:
        return None, "too large to report (over 900 KiB compressed)"
    return encoded, ""


def junit_counts() -> dict[str, int]:
    """Totals of pytest's JUnit XML report (zeros when there is none)."""
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    try:
        root = ET.parse(JUNIT).getroot()
    except (OSError, ET.ParseError):
        return counts
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    for suite in suites:
        for key in counts:
            try:
                counts[key] += int(suite.get(key, "0"))
            except ValueError:
                continue
    return counts


def finish(code: int) -> None:
    """End with the child's status, so the sandbox sees a signal death (memory, CPU) as such."""
    sys.stdout.flush()
    sys.stderr.flush()
    if code < 0:
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    os._exit(min(code, 125))


def main() -> None:
    """Run the job in .hiresight/job.json."""
    channel = int(os.environ.pop("HIRESIGHT_RESULT_FD"))
    config: dict[str, object] = json.loads((WORK / ".hiresight" / "job.json").read_text())
    copy_submission()
    OUTPUT_DIR.mkdir(exist_ok=True)
    env = child_env(config)
    listed = config["argv"]
    argv = [str(a) for a in listed] if isinstance(listed, list) else []
    started = time.monotonic()
    # close_fds (the default) keeps the channel out of the child and its descendants.
    child = subprocess.run(argv, cwd=SCRATCH, env=env, stdin=subprocess.DEVNULL, check=False)
    wall_ms = (time.monotonic() - started) * 1000
    message: dict[str, object] = {
        "event": "done",
        "exit_code": child.returncode,
        "wall_ms": wall_ms,
    }
    if config["mode"] == "tests":
        message["counts"] = junit_counts()
    else:
        encoded, problem = read_output(Path(str(config["output"])))
        message["output"] = encoded
        message["output_problem"] = problem
    send(channel, message)
    os.close(channel)
    code = child.returncode
    # The test run's failures are counted, not an error of the run; a signal death still is.
    finish(code if config["mode"] != "tests" or code < 0 else 0)


if __name__ == "__main__":
    main()
