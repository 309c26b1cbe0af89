"""Shared by the benchmark scripts: a description of the machine, and updating one section of
docs/benchmarks.md while leaving the others alone."""

from __future__ import annotations

import os
import platform
import re
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


def write_section(section: str, heading: str, doc: Path = DOC) -> None:
    """Replace the section starting with `heading` (or append it), keeping all other sections."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(heading)}\s*$.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section.rstrip() + "\n\n", text, count=1).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section.rstrip() + "\n"
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text, encoding="utf-8")
