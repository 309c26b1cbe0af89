"""The worker process of `isolation`: `python -m hiresight.profiles.parse_worker`.

It loads the parsers once, says it is ready, then answers one job at a time from its input:
a frame of a 4-byte header length and an 8-byte payload length (big-endian), the JSON header
and the raw file. Each answer is a 4-byte length and JSON. Before each job it sets its own
limits (see `isolation`); it exits when its input closes.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import resource
import signal
import struct
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from hiresight.errors import AppError
from hiresight.portfolio import review_repository
from hiresight.portfolio.archive import ArchiveLimits
from hiresight.profiles import taxonomy
from hiresight.profiles.parser import parse_resume as parse_in_process

REQUEST_PREFIX = struct.Struct(">IQ")
ANSWER_PREFIX = struct.Struct(">I")
# The workers' scheduling niceness (0-19): a parse yields the CPU to the web process.
PARSE_NICENESS = 10
_MIB = 1024 * 1024


def _address_space() -> int:
    """This process's virtual memory size in bytes (0 where /proc is missing)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def _set_limits(header: dict[str, Any], baseline: int) -> None:
    """CPU: the job's allowance from now. Memory: the idle size plus the job's cap.

    The CPU allowance is a profiling timer (CPU time to the microsecond; SIGPROF's default
    action ends the process), backed by RLIMIT_CPU a second later, which nothing in the
    process can catch: the kernel ends it with SIGXCPU, then SIGKILL.
    """
    cpu_seconds = float(header["cpu_seconds"])
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _, cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = math.ceil(usage.ru_utime + usage.ru_stime + cpu_seconds) + 1
    if cpu_hard != resource.RLIM_INFINITY:
        soft = min(soft, cpu_hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, cpu_hard))
    signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
    if baseline:
        _, as_hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = baseline + int(header["memory_mb"]) * _MIB
        if as_hard != resource.RLIM_INFINITY:
            cap = min(cap, as_hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, as_hard))


def _handle(header: dict[str, Any], payload: bytes) -> dict[str, Any]:
    """Run one job and describe its outcome as JSON-safe data."""
    try:
        if header["op"] == "resume":
            today = dt.date.fromisoformat(header["today"]) if header.get("today") else None
            parsed = parse_in_process(payload, header.get("filename"), today=today)
            return {"ok": True, "result": parsed.model_dump(mode="json")}
        with tempfile.TemporaryDirectory(prefix="hiresight-portfolio-") as tmp:
            # A fixed name: the uploaded name may be too long for the file system, and the
            # archive's kind is read from its bytes anyway.
            archive = Path(tmp) / "upload"
            archive.write_bytes(payload)
            limits = ArchiveLimits(max_archive_bytes=int(header["max_archive_bytes"]))
            report = review_repository(archive, archive_limits=limits)
        return {"ok": True, "result": report.model_dump(mode="json")}
    except AppError as exc:
        return {"ok": False, "error": {"code": exc.code, "message": exc.message}}
    except (MemoryError, RecursionError) as exc:
        return {"ok": False, "exceeded": type(exc).__name__, "exit": True}
    except Exception as exc:
        return {"ok": False, "crash": f"{type(exc).__name__}: {exc}"}


def _read_frame(stream: BinaryIO) -> tuple[dict[str, Any], bytes] | None:
    def exact(size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = stream.read(size - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    try:
        head_size, payload_size = REQUEST_PREFIX.unpack(exact(REQUEST_PREFIX.size))
        header: dict[str, Any] = json.loads(exact(head_size))
        return header, exact(payload_size)
    except EOFError:
        return None


def serve() -> None:
    """The worker's loop: warm up, say ready, then answer jobs until the input closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the web process decides when a worker ends
    # Lower priority: on a busy box the web process's event loop gets a core before a parse.
    os.nice(PARSE_NICENESS)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a CPU-limit kill leaves no core file
    answers = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)  # a stray print from a library must not corrupt the answers
    jobs = os.fdopen(os.dup(0), "rb", buffering=0)

    # Everything a job needs is loaded before the limits apply and before the first job.
    import docx
    import pdfminer.converter
    import pdfminer.pdfinterp
    import pdfminer.pdfpage
    import pypdf

    del docx, pdfminer, pypdf
    taxonomy.load_taxonomy()
    _handle({"op": "resume", "filename": "warm-up.md"}, b"# Skills\nPython, SQL\n")
    baseline = _address_space()

    def answer(reply: dict[str, Any]) -> None:
        body = json.dumps(reply).encode()
        answers.write(ANSWER_PREFIX.pack(len(body)) + body)

    answer({"ready": True})
    while (job := _read_frame(jobs)) is not None:
        header, payload = job
        _set_limits(header, baseline)
        reply = _handle(header, payload)
        signal.setitimer(signal.ITIMER_PROF, 0)  # the rest of the allowance is not carried over
        try:
            answer(reply)
        except MemoryError:
            answer({"ok": False, "exceeded": "MemoryError", "exit": True})
        if reply.get("exit"):
            return


if __name__ == "__main__":
    serve()
