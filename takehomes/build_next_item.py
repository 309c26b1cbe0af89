"""Build the shipped next-item take-home's data from the simulator's market (deterministic).

    .venv/bin/python takehomes/build_next_item.py [--out takehomes/next-item]

Interactions are the market's clicks, saves and applications (about 100k), split by time:
up to the 80% quantile is the public history; the next 10% are the public validation answers
(new jobs each user engaged with); the public history plus that window is the hidden
evaluation input, and the last 10% are the hidden answers. A user counts as a test user when
they engaged with a job new to them in the answer window; cold users have no history before.
Only the data files are written; takehome.toml, the brief and the solutions are kept by hand.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
from collections import defaultdict
from pathlib import Path

import numpy as np

from hiresight.matching.entities import EventKind
from hiresight.matching.lab.simulator import simulate

POSITIVE = (EventKind.CLICK, EventKind.SAVE, EventKind.APPLY)
Row = tuple[int, int, int, str]


def interactions(seed: int = 21) -> list[Row]:
    """The market's positive events as (user_id, job_id, timestamp, event), in time order."""
    market = simulate(
        n_candidates=5000, n_jobs=2000, n_companies=200, n_sessions=90_000, days=60,
        random_state=seed, user_days=20, job_days=40,
    )  # fmt: skip
    rows = [
        (e.candidate_id, e.job_id, int(e.timestamp), e.kind.value)
        for e in market.events
        if e.kind in POSITIVE
    ]
    return sorted(rows, key=lambda r: (r[2], r[0], r[1]))


def answers_after(rows: list[Row], start: int, end: float) -> dict[int, set[int]]:
    """Jobs each user engaged with in (start, end] that they had not engaged with before."""
    seen: dict[int, set[int]] = defaultdict(set)
    for user, job, ts, _ in rows:
        if ts <= start:
            seen[user].add(job)
    found: dict[int, set[int]] = defaultdict(set)
    for user, job, ts, _ in rows:
        if start < ts <= end and job not in seen[user]:
            found[user].add(job)
    return dict(found)


def _csv(header: list[str], rows: list[tuple[object, ...]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode()


def _write(path: Path, data: bytes, compress: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same data gives the same bytes, so a rebuild changes nothing in git.
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0) if compress else data)


def write_split(rows: list[Row], folder: Path, end_of_history: int, end: float) -> None:
    """history.csv.gz up to `end_of_history`, users.csv, and the answers beside the folder."""
    history = [r for r in rows if r[2] <= end_of_history]
    answers = answers_after(rows, end_of_history, end)
    _write(folder / "history.csv.gz", _csv(["user_id", "job_id", "timestamp", "event"],
                                           list(history)), compress=True)  # fmt: skip
    _write(folder / "users.csv", _csv(["user_id"], [(u,) for u in sorted(answers)]))


def build(out: Path, seed: int = 21) -> dict[str, int]:
    """Write public/ and hidden/ data under `out`; the counts of what was written."""
    rows = interactions(seed)
    times = np.array([r[2] for r in rows])
    t1, t2 = (int(t) for t in np.quantile(times, [0.8, 0.9]))
    end = float(times.max())
    write_split(rows, out / "public", t1, t2)
    public_answers = answers_after(rows, t1, t2)
    _write(out / "public" / "answers.csv", _answer_csv(public_answers))
    write_split(rows, out / "hidden" / "input", t2, end)
    hidden_answers = answers_after(rows, t2, end)
    _write(out / "hidden" / "answers.csv", _answer_csv(hidden_answers))
    with_history = {r[0] for r in rows if r[2] <= t2}
    return {
        "interactions": len(rows),
        "public_history": sum(1 for r in rows if r[2] <= t1),
        "hidden_history": sum(1 for r in rows if r[2] <= t2),
        "test_users": len(hidden_answers),
        "cold_test_users": sum(1 for u in hidden_answers if u not in with_history),
        "hidden_answers": sum(len(v) for v in hidden_answers.values()),
    }


def _answer_csv(answers: dict[int, set[int]]) -> bytes:
    return _csv(
        ["user_id", "job_id"], [(u, j) for u in sorted(answers) for j in sorted(answers[u])]
    )


def main() -> None:
    """Parse the arguments and build."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("next-item"))
    parser.add_argument("--seed", type=int, default=21)
    args = parser.parse_args()
    for key, value in build(args.out, args.seed).items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
