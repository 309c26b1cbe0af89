"""Shared by the benchmark scripts: a description of the machine, interleaved timing, and
updating one section of docs/benchmarks.md while leaving the others alone."""

from __future__ import annotations

import os
import platform
import re
import time
from collections.abc import Callable
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def machine() -> str:
    """nproc, CPU model, RAM and Python version, read from /proc where available."""
    cpu = platform.processor() or platform.machine()
    ram = "?"
    try:
        info = Path("/proc/cpuinfo").read_text()
        if m := re.search(r"^model name\s*:\s*(.+)$", info, re.MULTILINE):
            cpu = m.group(1).strip()
        mem = Path("/proc/meminfo").read_text()
        if m := re.search(r"^MemTotal:\s*(\d+) kB", mem, re.MULTILINE):
            ram = f"{int(m.group(1)) / 1024**2:.1f} GiB"
    except OSError:
        pass
    return f"nproc {os.cpu_count()}, {cpu}, RAM {ram}, Python {platform.python_version()}"


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: this machine is shared, so every run records them."""
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def interleaved_ms(
    fns: dict[str, Callable[[], object]],
    iterations: int,
    warmup: int = 10,
    block: int = 1,
    pause_s: float = 0.0,
) -> dict[str, tuple[list[float], list[float]]]:
    """Wall-clock and process-CPU milliseconds per call, the functions interleaved.

    Interleaving puts every function through the same bursts of load from other work on this
    shared machine, so their ratio stays meaningful even when absolute figures wobble; CPU time
    is kept beside wall time because wall time includes waiting for a core.

    With `block` > 1 each function runs `block` times in a row per round and the first call of
    the block is not timed: `iterations` * (`block` - 1) samples each. For functions with their
    own thread pools (onnxruntime sessions), whose workers keep spinning for a while after a
    call and would slow the next function's first call down: a cost of switching between them
    in a benchmark, not of either. One untimed call did not absorb all of it: the second call
    after a switch from a busier pool was still slower. `pause_s` sleeps before each block, so
    those workers go idle first, as they do between requests.
    """
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    out: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in fns}
    for _ in range(iterations):
        for name, fn in fns.items():
            if pause_s:
                time.sleep(pause_s)
            if block > 1:
                fn()  # settles the switch from the previous function
            for _ in range(max(1, block - 1)):
                w0, c0 = time.perf_counter(), time.process_time()
                fn()
                out[name][0].append((time.perf_counter() - w0) * 1000)
                out[name][1].append((time.process_time() - c0) * 1000)
    return out


# A section's generated part ends where a hand-written reading begins.
READING = re.compile(r"^Reading \(written by hand", re.MULTILINE)


def write_section(section: str, heading: str, doc: Path = DOC) -> None:
    """Replace the section starting with `heading` (or append it), keeping all other sections.

    Only the generated part is replaced: a hand-written reading that follows it ("Reading
    (written by hand after the ... run): ...") is kept, because it holds the figures of earlier
    runs and the reasoning a re-run cannot regenerate. Its author updates it by hand.
    """
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(heading)}\s*$.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if found := pattern.search(text):
        old = found.group(0)
        reading = READING.search(old)
        kept = old[reading.start() :].strip() + "\n\n" if reading else ""
        replaced = text[: found.start()] + section.rstrip() + "\n\n" + kept + text[found.end() :]
        text = replaced.rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section.rstrip() + "\n"
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text, encoding="utf-8")
