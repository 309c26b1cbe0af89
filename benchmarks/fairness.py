"""The fairness audit of 1,000 applications: overall scores read one by one, or all at once.

    .venv/bin/python benchmarks/fairness.py [--applications 1000] [--iterations 7]
        [--database-url URL] [--no-write]

Writes a synthetic organization into a fresh database (a temporary SQLite file unless
`--database-url` names an empty, migrated one): one job per 250 applications, one application
per candidate, and for four candidates in five a finished screening of two to four scored stages
(each with two score rows). Then times, interleaved in the same run, the audit's rows
(`fairness.service.screened`) and the whole report (`build_report`) as they are, beside the
same calls with the overall scores read the way they were before: `overall_score` once per
candidate (the baseline, patched in for its run only). Also counts SQL statements per call
(`before_cursor_execute`). Writes the "## Fairness audit" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from common import interleaved_ms, load_average, machine, write_section
from sqlalchemy import event
from sqlalchemy.orm import Session

T0 = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
SECTION = "## Fairness audit"


def populate(session: Session, applications: int, seed: int = 0) -> Any:
    """The organization, its jobs, candidates, applications and scored screenings."""
    from hiresight.accounts.models import Organization, Role, User
    from hiresight.fairness.models import RaceEthnicity, SelfIdentification, Sex
    from hiresight.interviews.config import StageKind
    from hiresight.interviews.models import (
        AttemptState,
        InterviewSession,
        SessionState,
        StageAttempt,
    )
    from hiresight.interviews.scores import AttemptScore
    from hiresight.jobs.models import Application, Job, JobStatus

    rng = random.Random(seed)
    org = Organization(name="Benchmark", slug="benchmark")
    session.add(org)
    session.flush()
    jobs = [
        Job(organization_id=org.id, title=f"Engineer {i}", description="APIs.",
            requirements=["Python"], status=JobStatus.open)
        for i in range(max(1, applications // 250))
    ]  # fmt: skip
    session.add_all(jobs)
    session.flush()
    for n in range(applications):
        candidate = User(email=f"c{n}@example.com", full_name=f"Candidate {n}",
                         password_hash="-", role=Role.candidate)  # fmt: skip
        session.add(candidate)
        session.flush()
        job = jobs[n % len(jobs)]
        session.add(Application(candidate_id=candidate.id, job_id=job.id, created_at=T0))
        if rng.random() < 0.7:
            session.add(SelfIdentification(
                candidate_id=candidate.id, sex=rng.choice(list(Sex)),
                race_ethnicity=rng.choice(list(RaceEthnicity)),
            ))  # fmt: skip
        if rng.random() >= 0.8:
            continue
        sitting = InterviewSession(candidate_id=candidate.id, job_id=job.id, config={},
                                   state=SessionState.completed, created_at=T0)  # fmt: skip
        session.add(sitting)
        session.flush()
        for kind in rng.sample(list(StageKind), rng.randint(2, 4)):
            score = round(rng.uniform(20, 100), 1)
            attempt = StageAttempt(
                session_id=sitting.id, candidate_id=candidate.id, stage=kind, attempt_no=1,
                state=AttemptState.submitted, deadline_at=T0, submitted_at=T0, score=score,
            )  # fmt: skip
            session.add(attempt)
            session.flush()
            session.add_all([
                AttemptScore(attempt_id=attempt.id, component=c, value=score,
                             rubric_version="bench", provider="bench")
                for c in ("stage", "clarity")
            ])  # fmt: skip
    session.commit()
    return org


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--iterations", type=int, default=7)
    parser.add_argument("--database-url", help="an empty, migrated database (default: SQLite)")
    parser.add_argument(
        "--no-write", action="store_true", help="print the section, leave docs/benchmarks.md"
    )
    args = parser.parse_args()

    from hiresight import migrate
    from hiresight.db import create_db_engine, make_session_factory
    from hiresight.fairness import service
    from hiresight.interviews.scores import overall_score

    def one_by_one(
        session: Session, candidate_ids: Iterable[int], organization_id: int | None = None
    ) -> dict[int, float | None]:
        """The baseline: how the audit read the scores before, two statements a candidate."""
        return {c: overall_score(session, c, organization_id) for c in set(candidate_ids)}

    batched = service.overall_scores

    def before(fn: Callable[[], object]) -> Callable[[], object]:
        def run() -> object:
            service.overall_scores = one_by_one
            try:
                return fn()
            finally:
                service.overall_scores = batched

        return run

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'fairness.db'}"
        if args.database_url is None:
            migrate.upgrade(url)
        engine = create_db_engine(url)
        with make_session_factory(engine)() as session:
            org = populate(session, args.applications)
            scope = service.make_scope(org)

            def rows() -> object:
                return service.screened(session, scope)

            def report() -> object:
                return service.build_report(session, scope=scope)

            # The two readings must agree before either is timed.
            assert before(rows)() == rows()
            counts: dict[str, int] = {}

            def count_statements(name: str, fn: Callable[[], object]) -> None:
                seen = [0]

                def count(*_: Any) -> None:
                    seen[0] += 1

                event.listen(engine, "before_cursor_execute", count)
                try:
                    fn()
                finally:
                    event.remove(engine, "before_cursor_execute", count)
                counts[name] = seen[0]

            fns = {
                "rows, before": before(rows),
                "rows, after": rows,
                "report, before": before(report),
                "report, after": report,
            }
            for name, fn in fns.items():
                count_statements(name, fn)
            timed = interleaved_ms(fns, iterations=args.iterations, warmup=1)
        engine.dispose()

    med = {name: statistics.median(wall) for name, (wall, _) in timed.items()}
    cpu = {name: statistics.median(c) for name, (_, c) in timed.items()}
    backend = url.split(":", 1)[0].split("+", 1)[0]
    lines = [
        SECTION,
        "",
        f"Run {dt.date.today().isoformat()} on {machine()}; load average {load_average()}. "
        f"`benchmarks/fairness.py --applications {args.applications} --iterations "
        f"{args.iterations}` on {backend}: an organization's audit of {args.applications} "
        "applications, four in five with a finished, scored screening. Before: the overall "
        "score read per candidate (`overall_score`); after: all at once (`overall_scores`). "
        "Interleaved in the same run; medians.",
        "",
        "| call | SQL statements | wall median | CPU median |",
        "|---|---|---|---|",
        *(f"| {name} | {counts[name]} | {med[name]:.0f} ms | {cpu[name]:.0f} ms |" for name in fns),
        "",
        f"`screened` after / before: {med['rows, after'] / med['rows, before']:.2f}x; "
        f"`build_report`: {med['report, after'] / med['report, before']:.2f}x.",
        "",
    ]
    section = "\n".join(lines)
    print(section)
    if not args.no_write:
        write_section(section, SECTION)


if __name__ == "__main__":
    main()
