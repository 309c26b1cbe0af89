"""One "Jobs for you" request through the service: its time, its SQL, and no scorecard.

    .venv/bin/python benchmarks/recs_request.py [--iterations 200] [--show-sql] [--no-write]

Builds the demo (`hiresight demo load`: data, simulated market, trained model) in a temporary
SQLite database, warms the live recommender, then times `matching.service.recommend` for the
demo candidate, interleaved with the baseline measured in the same run: building the
candidate's full scorecard (`review.scorecard.build`), which is what each recommendation used to
pay before it read the stored overall score instead. Counted per request: SQL statements, and
calls to `review.scorecard.build` (wrapped with a counter, so a regression that builds one again
shows here). The demo candidate has taken no interview, so the baseline is the cheapest
scorecard there is; with scored attempts and peers to compare it costs more. Writes the
"## Recommendation requests" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
from pathlib import Path
from typing import Any

from common import interleaved_ms, load_average, machine, write_section
from first_load import _settings, setup
from sqlalchemy import event, select


def pct(values: list[float], q: int) -> float:
    """The q-th percentile (inclusive method)."""
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument(
        "--show-sql", action="store_true", help="print the statements of one request"
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print the section, leave docs/benchmarks.md"
    )
    args = parser.parse_args()

    from hiresight.accounts.models import User
    from hiresight.db import create_db_engine, make_session_factory
    from hiresight.demo.service import DEMO_LOGINS
    from hiresight.matching import service as matching
    from hiresight.review import scorecard
    from hiresight.runtime import build_root
    from hiresight.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        setup(workdir)
        settings = Settings(**_settings(workdir))  # type: ignore[arg-type]
        build_root(settings)
        engine = create_db_engine(settings.database_url)
        statements = [0]
        seen: list[str] = []

        def count(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
            statements[0] += 1
            seen.append(" ".join(statement.split())[:160])

        event.listen(engine, "before_cursor_execute", count)
        builds = [0]
        real_build = scorecard.build

        def counted_build(*a: Any, **k: Any) -> Any:
            builds[0] += 1
            return real_build(*a, **k)

        scorecard.build = counted_build  # type: ignore[assignment]
        session = make_session_factory(engine)()
        candidate = session.scalar(select(User).where(User.email == DEMO_LOGINS[2].email))
        assert candidate is not None

        def recommend() -> object:
            result = matching.recommend(session, candidate=candidate)
            session.rollback()  # impressions are logged; keep the database as it was
            return result

        recommend()  # loads the live recommender (the web process warms it at start)
        statements[0] = builds[0] = 0
        seen.clear()
        recommend()
        per_request_sql, per_request_builds = statements[0], builds[0]
        if args.show_sql:
            print("\n".join(seen))
        event.remove(engine, "before_cursor_execute", count)
        timed = interleaved_ms(
            {"recommend": recommend, "scorecard": lambda: real_build(session, candidate)},
            iterations=args.iterations,
            warmup=5,
        )
        session.close()
        engine.dispose()

    rec, card = timed["recommend"][0], timed["scorecard"][0]
    rows = [
        ("Scorecards built per recommendation request", f"{per_request_builds}"),
        ("SQL statements per recommendation request", f"{per_request_sql}"),
        ("`recommend` wall p50 / p95 / p99",
         f"{statistics.median(rec):.1f} / {pct(rec, 95):.1f} / {pct(rec, 99):.1f} ms"),
        ("Baseline: `scorecard.build` (same candidate) p50 / p95 / p99",
         f"{statistics.median(card):.1f} / {pct(card, 95):.1f} / {pct(card, 99):.1f} ms"),
        ("Baseline p50 / `recommend` p50 (what a scorecard per request would add)",
         f"{statistics.median(card) / statistics.median(rec):.2f}x"),
    ]  # fmt: skip
    lines = [
        "## Recommendation requests",
        "",
        f"Run {dt.date.today().isoformat()} on {machine()}; load average {load_average()}. "
        f"`benchmarks/recs_request.py --iterations {args.iterations}`: the demo candidate's "
        '"Jobs for you" through `matching.service.recommend` (warm recommender, SQLite), '
        "interleaved with building the same candidate's scorecard, which every request used to "
        "do. The demo candidate has no interview yet, so that baseline is the cheapest scorecard.",
        "",
        "| measure | value |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in rows),
        "",
    ]
    section = "\n".join(lines)
    print(section)
    if not args.no_write:
        write_section(section, "## Recommendation requests")


if __name__ == "__main__":
    main()
