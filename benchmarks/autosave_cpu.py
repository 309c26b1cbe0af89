"""Server CPU per autosave: this tree against an earlier commit, interleaved, in one run.

Starts one `hiresight serve` (one process) per variant, each on a fresh database of its own
(SQLite, or PostgreSQL with `--postgres`) with the same candidates; then one client saves a
1-2 KB draft in turns: a block of saves to each variant, round after round, so that whatever
else the machine is doing falls on both alike. The figure is the server process's user +
system CPU (from /proc, not wall time) per save, per block; medians and p95 over the blocks.
The earlier commit's `src/` is taken with `git archive` into a temporary folder.

    python benchmarks/autosave_cpu.py --before HEAD~3 --rounds 20 --block 50
    python benchmarks/autosave_cpu.py --before HEAD~3 --postgres
    python benchmarks/autosave_cpu.py --profile /tmp/after.txt   # py-spy --gil, this tree only
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import psutil
from common import load_average, machine
from load_autosave import (
    ROOT,
    _database,
    _drop_database,
    _free_port,
    _pct,
    _plan,
    _stop,
    _wait_idle,
    _wait_ready,
)

WORDS = ["the", "service", "retries", "request", "with", "backoff", "when", "queue", "is", "full"]


class Variant:
    """One server: a source tree, its database, its candidates and their revisions."""

    def __init__(self, name: str, src: Path, postgres: bool, candidates: int, tmp: Path) -> None:
        self.name = name
        self.tmp = tmp / name
        self.tmp.mkdir()
        self.url, self.pg_name = _database(postgres, self.tmp, suffix=name)
        self.plan = _plan(self.url, candidates, 0)["candidates"]
        self.revisions = {c["attempt"]: 0 for c in self.plan}
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ, "PYTHONPATH": str(src), "HIRESIGHT_DATABASE_URL": self.url,
            "HIRESIGHT_DATA_DIR": str(self.tmp / "data"), "HIRESIGHT_LOG_LEVEL": "WARNING",
            "HIRESIGHT_TASK_BACKEND": "inline",
        }  # fmt: skip
        command = [sys.executable, "-m", "hiresight", "serve", "--port", str(self.port),
                   "--workers", "1"]  # fmt: skip
        with (self.tmp / "server.log").open("wb") as log:
            self.server = subprocess.Popen(command, env=env, start_new_session=True, stderr=log)
        self.cpu_ms: list[float] = []
        self.sys_ms: list[float] = []
        self.wall_ms: list[float] = []

    def process(self) -> psutil.Process:
        """The server's process."""
        return psutil.Process(self.server.pid)

    def save(self, client: httpx.Client, rng: random.Random) -> None:
        """One autosave of a 1-2 KB draft by one of the candidates; anything but 200 stops."""
        me = rng.choice(self.plan)
        self.revisions[me["attempt"]] += 1
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(170, 330)))
        r = client.put(
            f"{self.base}/api/v1/attempts/{me['attempt']}/draft",
            json={"revision": self.revisions[me["attempt"]], "draft": {"answers": {"b1": words}}},
            headers={"Authorization": f"Bearer {me['token']}"},
        )
        if r.status_code != 200:
            raise SystemExit(f"{self.name}: autosave answered {r.status_code}: {r.text}")

    def block(self, client: httpx.Client, rng: random.Random, saves: int) -> None:
        """`saves` autosaves in a row; records the server's CPU and the wall time per save."""
        proc = self.process()
        cpu0, wall0 = proc.cpu_times(), time.perf_counter()
        for _ in range(saves):
            self.save(client, rng)
        cpu1, wall1 = proc.cpu_times(), time.perf_counter()
        system = cpu1.system - cpu0.system
        self.cpu_ms.append((cpu1.user - cpu0.user + system) * 1000 / saves)
        self.sys_ms.append(system * 1000 / saves)
        self.wall_ms.append((wall1 - wall0) * 1000 / saves)


def _source(ref: str, tmp: Path) -> Path:
    """The `src/` folder of commit `ref` unpacked into a temporary folder, or of a folder."""
    if (Path(ref) / "src").is_dir():
        return Path(ref) / "src"  # a trial: a copy of the tree with a change not committed
    out = Path(tempfile.mkdtemp(prefix="src-", dir=tmp))
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "src"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive, check=True)
    return out / "src"


def _profile(variant: Variant, output: Path, seconds: int) -> subprocess.Popen[bytes]:
    # --gil: only the thread holding the interpreter lock, that is Python's own CPU; the plain
    # mode counted idle thread-pool workers as busy in this container.
    py_spy = str(Path(sys.executable).with_name("py-spy"))
    command = [py_spy, "record", "--pid", str(variant.server.pid), "--gil", "--nonblocking",
               "--rate", "500", "--duration", str(seconds), "--format", "raw",
               "--output", str(output)]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Start the variants, run the interleaved blocks, stop everything; the figures."""
    tmp = Path(tempfile.mkdtemp(prefix="hs-cpu-"))
    sources = {"after": _source(args.after, tmp) if args.after else ROOT / "src"}
    if args.before:
        sources = {"before": _source(args.before, tmp), **sources}
    variants = [Variant(n, s, args.postgres, args.candidates, tmp) for n, s in sources.items()]
    rng = random.Random(7)
    try:
        for v in variants:
            _wait_ready(v.base)
        _wait_idle([v.process() for v in variants])
        with httpx.Client(timeout=30) as client:
            for v in variants:  # warm: first statements compiled, connections opened
                for _ in range(args.block):
                    v.save(client, rng)
            profiler = None
            if args.profile:
                profiler = _profile(variants[-1], args.profile, args.profile_seconds)
                time.sleep(1)
            for i in range(args.rounds):
                order = variants if i % 2 == 0 else variants[::-1]
                for v in order:
                    v.block(client, rng, args.block)
            if profiler is not None:
                profiler.wait(timeout=args.profile_seconds + 60)
    finally:
        _stop([v.server for v in variants])
        for v in variants:
            _drop_database(v.pg_name)
    return {
        "backend": "PostgreSQL" if args.postgres else "SQLite",
        "before": args.before, "after": args.after or "work tree",
        "rounds": args.rounds, "block": args.block,
        "load": load_average(), "machine": machine(),
        "variants": {
            v.name: {
                "cpu_ms": [statistics.median(v.cpu_ms), _pct(v.cpu_ms, 0.95)],
                "system_ms": statistics.median(v.sys_ms),
                "wall_ms": [statistics.median(v.wall_ms), _pct(v.wall_ms, 0.95)],
            }
            for v in variants
        },
    }  # fmt: skip


def main() -> None:
    """Parse the options, run once, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", help="the commit (or a folder with src/) to compare with")
    parser.add_argument("--after", help="the commit (or a folder with src/) to measure; "
                        "default: the work tree")  # fmt: skip
    parser.add_argument("--postgres", action="store_true", help="fresh PostgreSQL databases")
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=20, help="blocks per variant")
    parser.add_argument("--block", type=int, default=50, help="saves per block")
    parser.add_argument("--profile", type=Path, help="py-spy raw profile of this tree's server")
    parser.add_argument("--profile-seconds", type=int, default=20)
    result = run(parser.parse_args())
    print(f"{result['backend']}, {result['rounds']} rounds of {result['block']} saves, "
          f"load {result['load']}; {result['machine']}")  # fmt: skip
    for name, v in result["variants"].items():
        (c50, c95), (w50, w95) = v["cpu_ms"], v["wall_ms"]
        print(f"  {name:6} server CPU per save {c50:.2f} ms (p95 of blocks {c95:.2f}; "
              f"system {v['system_ms']:.2f}); wall {w50:.2f} ms (p95 {w95:.2f})")  # fmt: skip


if __name__ == "__main__":
    main()
