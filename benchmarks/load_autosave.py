"""Load: N candidates autosave a 1-2 KB draft every 1.5 s, some submit code reviews.

Starts `hiresight serve` on a fresh database (SQLite, or a new PostgreSQL database with
`--postgres`), plus a `hiresight worker` with `--dramatiq`; creates the candidates, each with an
API token and an active attempt; runs locust headless and bounded (benchmarks/
locustfile_autosave.py); then checks every attempt: its stored revision must be at least the
last one the server acknowledged (a smaller one is a lost save). Figures: autosave latency
p50/p95/p99 with /healthz in the same run as the baseline, status counts, submit-to-graded
p50/p95, and the server's CPU per request (all its processes, from /proc). Everything it starts
is stopped at the end, and only loopback addresses are used.

    python benchmarks/load_autosave.py --candidates 100 --seconds 60
    python benchmarks/load_autosave.py --postgres --workers 2 --dramatiq --reviewers 3 \\
        --candidates 200 --seconds 60 --write
    python benchmarks/load_autosave.py --nice-load ...   # locust at the lowest CPU priority
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import psutil
from common import load_average, machine, write_section
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
LOCUSTFILE = Path(__file__).with_name("locustfile_autosave.py")
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
HEADING = "## Autosave under load"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _database(postgres: bool, tmp: Path, suffix: str = "") -> tuple[str, str | None]:
    """A fresh, migrated database: its URL, and the PostgreSQL database name to drop after."""
    from hiresight import migrate

    if not postgres:
        url = f"sqlite:///{tmp / 'load.db'}"
        migrate.upgrade(url)
        return url, None
    name = f"hs_load_{os.getpid()}{suffix and '_' + suffix}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    migrate.upgrade(url)
    return url, name


def _drop_database(name: str | None) -> None:
    """Drop a PostgreSQL database made by `_database` (nothing for SQLite)."""
    if not name:
        return
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _plan(url: str, candidates: int, reviewers: int) -> dict[str, Any]:
    """Candidates with a token and an active behavioural attempt; reviewers with a token."""
    from hiresight.accounts import service as accounts
    from hiresight.accounts.models import Role, User
    from hiresight.accounts.security import hash_password
    from hiresight.db import create_db_engine, make_session_factory, transaction, utcnow
    from hiresight.interviews import consent
    from hiresight.interviews.config import DEFAULT_TEMPLATE, StageKind
    from hiresight.interviews.models import (
        AttemptState,
        InterviewSession,
        SessionState,
        StageAttempt,
    )

    engine = create_db_engine(url)
    factory = make_session_factory(engine)
    password = hash_password("load-test-password-not-used")
    now = utcnow()
    later = now + dt.timedelta(hours=3)
    plan: dict[str, Any] = {"candidates": [], "reviewers": []}
    with transaction(factory) as session:
        for i in range(candidates + reviewers):
            user = User(email=f"load{i}@example.com", full_name=f"Load {i}",
                        password_hash=password, role=Role.candidate)  # fmt: skip
            session.add(user)
            session.flush()
            token, _ = accounts.create_api_token(session, user=user, name="load")
            if i >= candidates:  # reviewers start interviews through the API: they consent first
                consent.give(session, candidate=user, version=consent.NOTICE_VERSION)
                plan["reviewers"].append({"token": token})
                continue
            interview = InterviewSession(
                candidate_id=user.id, config=DEFAULT_TEMPLATE.model_dump(mode="json"),
                state=SessionState.in_progress, created_at=now, started_at=now, deadline_at=later,
            )  # fmt: skip
            session.add(interview)
            session.flush()
            attempt = StageAttempt(
                session_id=interview.id, candidate_id=user.id, stage=StageKind.behavioral,
                attempt_no=1, state=AttemptState.active, started_at=now, deadline_at=later,
                content={"questions": []}, private={},
            )  # fmt: skip
            session.add(attempt)
            session.flush()
            plan["candidates"].append({"token": token, "attempt": attempt.id})
    engine.dispose()
    return plan


def _stored_revisions(url: str) -> dict[int, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, draft_revision FROM stage_attempts")).all()
    engine.dispose()
    return {int(r[0]): int(r[1]) for r in rows}


def _cpu_seconds(procs: list[psutil.Process]) -> float:
    """User + system CPU of these processes and all their children, alive now."""
    total = 0.0
    seen: set[int] = set()
    for proc in procs:
        for p in [proc, *proc.children(recursive=True)]:
            if p.pid in seen:
                continue
            seen.add(p.pid)
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.NoSuchProcess:
                pass
    return total


def _database_cpu(name: str | None) -> float | None:
    """CPU seconds of the PostgreSQL backends serving this run's database (None for SQLite).

    The PostgreSQL server may be shared with other work; only the backends connected to the
    run's own database are counted, from their start (the pools fill as the load starts).
    """
    if not name:
        return None
    admin = create_engine(PG_ADMIN)
    with admin.connect() as conn:
        pids = conn.execute(
            text("SELECT pid FROM pg_stat_activity WHERE datname = :n"), {"n": name}
        ).scalars()
        procs = []
        for pid in pids:
            with contextlib.suppress(psutil.NoSuchProcess):
                procs.append(psutil.Process(pid))
    admin.dispose()
    return _cpu_seconds(procs)


def _wait_ready(base: str, timeout: float = 90) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not answer /healthz in time")


def _wait_idle(procs: list[psutil.Process], timeout: float = 120) -> float:
    """Wait until the server's own start-up work (model warm-up) is done: < 5% CPU for 2 s."""
    started = time.monotonic()
    last = _cpu_seconds(procs)
    while time.monotonic() - started < timeout:
        time.sleep(2)
        now = _cpu_seconds(procs)
        if now - last < 0.1:
            break
        last = now
    return time.monotonic() - started


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """One bounded run; returns its figures."""
    tmp = Path(tempfile.mkdtemp(prefix="hs-load-"))
    url, pg_name = _database(args.postgres, tmp)
    plan = _plan(url, args.candidates, args.reviewers)
    (tmp / "plan.json").write_text(json.dumps(plan))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    redis_db = "14"
    env = {
        **os.environ,
        "HIRESIGHT_DATABASE_URL": url, "HIRESIGHT_DATA_DIR": str(tmp / "data"),
        "HIRESIGHT_LOG_LEVEL": "WARNING", "HIRESIGHT_TASK_BACKEND":
        "dramatiq" if args.dramatiq else "inline",
        "HIRESIGHT_REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
    }  # fmt: skip
    py = sys.executable
    started = time.monotonic()
    serve = ["serve", "--port", str(port), "--workers", str(args.workers)]
    commands = [[py, "-m", "hiresight", *serve]]
    if args.dramatiq:
        commands.append([py, "-m", "hiresight", "worker"])
    servers = []
    for i, command in enumerate(commands):
        with (tmp / f"server{i}.log").open("wb") as log:
            servers.append(subprocess.Popen(command, env=env, start_new_session=True, stderr=log))
    try:
        ready_s = _wait_ready(base)
        watched = [psutil.Process(p.pid) for p in servers]
        idle_s = _wait_idle(watched)
        if args.profile:
            children = watched[0].children(recursive=True)
            worker_pids = [c.pid for c in children] or [servers[0].pid]
            profiler = subprocess.Popen(
                [str(Path(sys.executable).with_name("py-spy")), "record",
                 "--pid", str(worker_pids[-1]), "--duration",
                 str(int(args.seconds)), "--format", "raw", "--nonblocking",
                 "--output", str(args.profile)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
        cpu0, wall0 = _cpu_seconds(watched), time.monotonic()
        worker0 = _cpu_seconds(watched[1:])
        classes = ["Candidate", "Health"] + (["Reviewer"] if args.reviewers else [])
        users = args.candidates + 1 + (args.reviewer_users if args.reviewers else 0)
        locust_env = {
            **env, "LOAD_PLAN": str(tmp / "plan.json"), "LOAD_RESULTS": str(tmp / "res.json"),
            "LOAD_USERS": str(users), "LOAD_SECONDS": str(args.seconds),
            "LOAD_RAMP_S": str(args.ramp), "LOAD_REVIEWERS": str(args.reviewer_users),
        }  # fmt: skip
        # With --nice-load the load generator yields the cores to the server: on a machine
        # where both share 2 cores, locust's own CPU otherwise shows as server latency.
        nice = ["nice", "-n", "19"] if args.nice_load else []
        children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        with (tmp / "locust.log").open("wb") as log:
            subprocess.run(
                [*nice, py, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", base,
                 "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "15", *classes],
                env=locust_env, check=False, timeout=args.seconds + args.ramp + 120,
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        cpu1, wall1 = _cpu_seconds(watched), time.monotonic()
        worker_cpu = _cpu_seconds(watched[1:]) - worker0
        children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        locust_cpu = (children1.ru_utime + children1.ru_stime) - (
            children0.ru_utime + children0.ru_stime
        )
        db_cpu = _database_cpu(pg_name)
        if args.profile:
            profiler.wait(timeout=60)
        # After the run: does the server answer quickly again (recovery)?
        recover = time.monotonic()
        httpx.get(f"{base}/healthz", timeout=30)
        recovered_s = time.monotonic() - recover
    finally:
        _stop(servers)
    res = json.loads((tmp / "res.json").read_text())
    stored = _stored_revisions(url)
    acked = {int(k): v for k, v in res["acknowledged"].items()}
    lost = [a for a, rev in acked.items() if stored.get(a, 0) < rev]
    _drop_database(pg_name)
    requests = sum(sum(s.values()) for s in res["statuses"].values())
    polls = 0  # reviewers' polls are not in `statuses`; their CPU is counted, small
    saves = res["latencies"]["autosave"]
    if args.raw:
        args.raw.write_text(json.dumps(res))
    wall = wall1 - wall0
    return {
        "backend": "PostgreSQL" if args.postgres else "SQLite", "nice_load": args.nice_load,
        "workers": args.workers, "dramatiq": args.dramatiq, "candidates": args.candidates,
        "reviewers": args.reviewer_users if args.reviewers else 0, "seconds": args.seconds,
        "saves": len(saves), "rate": len(saves) / args.seconds,
        "autosave": [_pct(saves, q) for q in (0.5, 0.95, 0.99)],
        "healthz": [_pct(res["latencies"]["healthz"], q) for q in (0.5, 0.95, 0.99)],
        "statuses": res["statuses"], "lost": len(lost), "acked": len(acked),
        "graded": [_pct(res["graded_s"], q) for q in (0.5, 0.95)], "graded_n":
        len(res["graded_s"]), "ungraded": res["ungraded"],
        "cpu_ms_per_request": (cpu1 - cpu0) * 1000 / max(1, requests + polls),
        "cpu_util": (cpu1 - cpu0) / (wall1 - wall0), "ready_s": ready_s, "idle_s": idle_s,
        "start_s": time.monotonic() - started, "recovered_s": recovered_s,
        "load": load_average(), "mean_save": statistics.fmean(saves) if saves else 0.0,
        "locust_cpu_util": locust_cpu / wall, "worker_cpu_util": worker_cpu / wall,
        "db_cpu_util": None if db_cpu is None else db_cpu / wall,
        **_timeline_figures(res.get("timeline", []), args.ramp),
    }  # fmt: skip


def _timeline_figures(timeline: list[list[float]], ramp: float) -> dict[str, Any]:
    """Where the 503s and the slow saves fall: the ramp (pools and caches still cold) or later.

    What a 503 waited for tells its source, with the default settings: nothing (the in-flight
    cap with its queue full), the queue's 1 s (`request_queue_seconds`), or the 2 s wait for a
    database connection or SQLite's writer (`db_pool_timeout`).
    """
    busy = [(t, ms) for t, status, ms in timeline if status == 503]
    settled = ramp + 5
    steady = [ms for t, _, ms in timeline if t >= settled]
    return {
        "busy_503": {
            "at_once": sum(1 for _, ms in busy if ms < 900),
            "queue_wait": sum(1 for _, ms in busy if 900 <= ms < 1900),
            "db_wait": sum(1 for _, ms in busy if ms >= 1900),
            "during_ramp": sum(1 for t, _ in busy if t < settled),
            "first_s": round(min((t for t, _ in busy), default=-1), 1),
            "last_s": round(max((t for t, _ in busy), default=-1), 1),
        },
        "autosave_steady": [_pct(steady, q) for q in (0.5, 0.95, 0.99)],
        "steady_after_s": settled,
    }


def _row(r: dict[str, Any]) -> str:
    setup = f"{r['backend']}, {r['workers']} web process{'es' if r['workers'] > 1 else ''}"
    setup += ", Dramatiq worker" if r["dramatiq"] else ""
    setup += ", locust at `nice 19`" if r.get("nice_load") else ""
    codes = ", ".join(f"{k}: {v}" for k, v in sorted(r["statuses"]["autosave"].items()))
    a, h = r["autosave"], r["healthz"]
    graded = "—"
    if r["graded_n"]:
        graded = f"{r['graded'][0]:.2f} / {r['graded'][1]:.2f} s ({r['graded_n']} reviews)"
    return (
        f"| {setup} | {r['candidates']} (+{r['reviewers']} reviewers) | {r['rate']:.0f}/s "
        f"({codes}) | {a[0]:.0f} / {a[1]:.0f} / {a[2]:.0f} ms | {h[0]:.0f} / {h[1]:.0f} / "
        f"{h[2]:.0f} ms | {r['lost']} of {r['acked']} | {graded} | "
        f"{r['cpu_ms_per_request']:.1f} ms ({r['cpu_util'] * 100:.0f}% of a core) | {r['load']} |"
    )


def section(results: list[dict[str, Any]]) -> str:
    """The benchmarks.md section for these runs."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = "\n".join(_row(r) for r in results)
    return f"""{HEADING}

Measured by `benchmarks/load_autosave.py` on {now};
machine: {machine()}. Locust (headless, `benchmarks/locustfile_autosave.py`) runs on the same
2 cores as the server; rows marked "locust at `nice 19`" ran it at the lowest CPU priority
(`--nice-load`), so that the server gets the cores first and the load generator's own CPU is
not counted as server latency. Each candidate autosaves a 1-2 KB draft, pausing 1.5 s after
each answer, for the stated time; a 503 `server_busy` is retried after its Retry-After. Reviewers
start a code-review stage, submit, and poll every 100 ms until the grade is visible. The
baseline in the same run is `/healthz` (no database) twice a second. Lost: attempts whose
stored revision is below the last revision the server acknowledged. CPU: user + system time
of every server process (web workers, Dramatiq worker) over the run, per request answered.

| setup | candidates | saves | autosave p50 / p95 / p99 | /healthz p50 / p95 / p99 | lost \
| submit to graded p50 / p95 | server CPU per request | load average |
|---|---|---|---|---|---|---|---|---|
{rows}
"""


def main() -> None:
    """Parse the options, run once, print the figures; `--write` records them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--ramp", type=float, default=5)
    parser.add_argument("--postgres", action="store_true", help="a fresh PostgreSQL database")
    parser.add_argument("--workers", type=int, default=1, help="web processes")
    parser.add_argument("--dramatiq", action="store_true", help="grading on a Dramatiq worker")
    parser.add_argument("--reviewers", type=int, default=0, help="reviewer accounts, 1 review each")
    parser.add_argument("--reviewer-users", type=int, default=2, help="concurrent reviewers")
    parser.add_argument("--profile", type=Path, help="py-spy raw profile of one web worker")
    parser.add_argument("--nice-load", action="store_true",
                        help="locust under `nice -n 19`: the server gets the cores first",
                        )  # fmt: skip
    parser.add_argument("--raw", type=Path, help="write locust's raw results (JSON) here")
    parser.add_argument("--json", type=Path, help="append the figures to this JSON-lines file")
    parser.add_argument("--write", type=Path, nargs="?", const=Path("-"),
                        help="write the section (from a JSON-lines file, or this run)")  # fmt: skip
    args = parser.parse_args()
    if args.write not in (None, Path("-")) and args.candidates == 0:
        results = [json.loads(line) for line in args.write.read_text().splitlines() if line]
        write_section(section(results), HEADING)
        print(section(results))
        return
    result = run(args)
    print(json.dumps(result, indent=1))
    print(_row(result))
    if args.json:
        with args.json.open("a") as f:
            f.write(json.dumps(result) + "\n")
    if args.write is not None:
        write_section(section([result]), HEADING)


if __name__ == "__main__":
    main()
