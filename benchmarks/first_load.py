"""First "Jobs for you" after start: with the recommender warmed at start, and without.

    .venv/bin/python benchmarks/first_load.py [--runs 3]

Builds the demo once (`hiresight demo load`: data, simulated market, trained model) in a
temporary SQLite database, then for each run starts a fresh Python process per mode, so nothing
is loaded yet: the app starts (its lifespan), the candidate signs in, and the first three
"Jobs for you" pages are timed. "cold" stubs the start-up warm-up out (as before it existed);
"warm" waits until the warm-up is done, as a load balancer waits for readiness, and also
reports how long the warm-up took. The scoring warm-up is off in both, so that only the
recommender is measured. Prints the figures; writes nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _settings(workdir: Path) -> dict[str, object]:
    return {
        "env": "test",
        "database_url": f"sqlite:///{workdir / 'demo.db'}",
        "data_dir": str(workdir / "data"),
        "log_level": "WARNING",
        "scoring_warm_up": False,
    }


def setup(workdir: Path) -> None:
    """The demo data, market and trained model, as `hiresight demo load` makes them."""
    from hiresight import migrate
    from hiresight.db import create_db_engine, make_session_factory
    from hiresight.demo import service as demo
    from hiresight.matching.operations import train_from_database
    from hiresight.matching.registry import ModelRegistry
    from hiresight.runtime import build_root
    from hiresight.settings import Settings

    settings = Settings(**_settings(workdir))  # type: ignore[arg-type]
    build_root(settings)
    migrate.upgrade(settings.database_url)
    engine = create_db_engine(settings.database_url)
    with make_session_factory(engine)() as session:
        demo.load(session)
        demo.load_market(session)
        train_from_database(
            session, ModelRegistry(settings.data_dir / "models"),
            min_engaged=settings.recs_min_engaged,
        )  # fmt: skip
        session.commit()
    engine.dispose()


def measure(workdir: Path, mode: str) -> dict[str, float]:
    """In this (fresh) process: start the app, sign in, time the first three pages."""
    from fastapi.testclient import TestClient

    from hiresight.app import create_app
    from hiresight.demo.service import DEMO_LOGINS
    from hiresight.matching import live
    from hiresight.settings import Settings

    if mode == "cold":
        live.start_warm_up = lambda url, factory: None  # type: ignore[assignment,return-value]
    started = time.perf_counter()
    app = create_app(Settings(**_settings(workdir)))  # type: ignore[arg-type]
    out: dict[str, float] = {}
    with TestClient(app) as client:
        if mode == "warm":
            app.state.recs_warm_up.join()
            out["warm_up_s"] = time.perf_counter() - started
        login = next(d for d in DEMO_LOGINS if d.role == "candidate")
        client.get("/login")
        client.post("/login", data={
            "email": login.email, "password": login.password,
            "csrf_token": client.cookies.get("hs_csrf") or "",
        })  # fmt: skip
        for i in range(3):
            t0 = time.perf_counter()
            page = client.get("/candidate/jobs-for-you")
            out[f"request{i + 1}_s"] = time.perf_counter() - t0
            assert page.status_code == 200, page.status_code
            assert "% match" in page.text
    return out


def main() -> None:
    """Set the demo up, then measure each mode in fresh processes, interleaved."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--measure", choices=("cold", "warm"), help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.workdir, args.measure)))
        return
    with tempfile.TemporaryDirectory(prefix="first-load-") as tmp:
        workdir = Path(tmp)
        setup(workdir)
        results: dict[str, list[dict[str, float]]] = {"cold": [], "warm": []}
        for _ in range(args.runs):
            for mode in results:
                done = subprocess.run(
                    [sys.executable, __file__, "--measure", mode, "--workdir", str(workdir)],
                    capture_output=True, text=True, check=True, cwd=ROOT,
                )  # fmt: skip
                results[mode].append(json.loads(done.stdout.strip().splitlines()[-1]))
    for mode, runs in results.items():
        keys = runs[0].keys()
        figures = ", ".join(
            f"{k} median {statistics.median(r[k] for r in runs):.3f} "
            f"(max {max(r[k] for r in runs):.3f})"
            for k in keys
        )
        print(f"{mode}: {figures}")


if __name__ == "__main__":
    main()
