"""Reading a submission's predictions file: `user_id,job_id,rank`, at most k rows per user.

The file is untrusted: every problem becomes a `Problem` with a stable code, never an
exception. Malformed rows (bad header, non-integers, a rank outside 1..k) make the file
`malformed_output`; well-formed rows that break the contract (unknown users, a job or a rank
given twice for one user, more than k rows for one user) make it `invalid_predictions`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from dataclasses import dataclass, field

from hiresight.takehome.schemas import Problem

HEADER = ["user_id", "job_id", "rank"]
MAX_EXAMPLES = 5


@dataclass
class Predictions:
    """The parsed file: ranked job ids per user, or the problems that make it unusable."""

    ranked: dict[int, list[int]] = field(default_factory=dict)
    rows: int = 0
    malformed: list[Problem] = field(default_factory=list)
    invalid: list[Problem] = field(default_factory=list)


def _examples(values: Collection[object]) -> str:
    shown = sorted(values, key=str)[:MAX_EXAMPLES]
    more = f" and {len(values) - MAX_EXAMPLES} more" if len(values) > MAX_EXAMPLES else ""
    return ", ".join(str(v) for v in shown) + more


def parse_predictions(data: bytes, known_users: Collection[int], k: int) -> Predictions:
    """Parse and check a predictions file against the test users and k."""
    result = Predictions()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        result.malformed.append(Problem(code="not_utf8", message="the file is not UTF-8 text"))
        return result
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    if not rows:
        result.malformed.append(Problem(code="empty_output", message="the file is empty"))
        return result
    header = [c.strip() for c in rows[0]]
    if header != HEADER:
        result.malformed.append(
            Problem(
                code="bad_header",
                message=f"the header must be {','.join(HEADER)}; found {','.join(header)[:80]!r}",
            )
        )
        return result
    by_user: dict[int, dict[int, int]] = {}
    bad_lines: list[int] = []
    bad_ranks: list[int] = []
    unknown: set[int] = set()
    duplicate_jobs: set[tuple[int, int]] = set()
    duplicate_ranks: set[tuple[int, int]] = set()
    for line, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        try:
            if len(row) != 3:
                raise ValueError
            user, job, rank = (int(c.strip()) for c in row)
        except ValueError:
            bad_lines.append(line)
            continue
        result.rows += 1
        if not 1 <= rank <= k:
            bad_ranks.append(line)
            continue
        if user not in known_users:
            unknown.add(user)
            continue
        ranks = by_user.setdefault(user, {})
        if job in ranks.values():
            duplicate_jobs.add((user, job))
        if rank in ranks:
            duplicate_ranks.add((user, rank))
            continue
        ranks[rank] = job
    if bad_lines:
        result.malformed.append(
            Problem(
                code="bad_rows",
                message=f"{len(bad_lines)} row(s) are not three integers, e.g. line(s) "
                f"{_examples(bad_lines)}",
            )
        )
    if bad_ranks:
        result.malformed.append(
            Problem(
                code="bad_rank",
                message=f"{len(bad_ranks)} row(s) have a rank outside 1..{k}, e.g. line(s) "
                f"{_examples(bad_ranks)}",
            )
        )
    if unknown:
        result.invalid.append(
            Problem(
                code="unknown_users",
                message=f"{len(unknown)} user id(s) are not test users: {_examples(unknown)}",
            )
        )
    if duplicate_jobs:
        result.invalid.append(
            Problem(
                code="duplicate_predictions",
                message=f"{len(duplicate_jobs)} (user, job) pair(s) are predicted twice: "
                f"{_examples(duplicate_jobs)}",
            )
        )
    if duplicate_ranks:
        result.invalid.append(
            Problem(
                code="duplicate_ranks",
                message=f"{len(duplicate_ranks)} (user, rank) pair(s) are given twice: "
                f"{_examples(duplicate_ranks)}",
            )
        )
    # A gap in the ranks stays a gap (-1 is never relevant): rank 3 is scored at position 3.
    result.ranked = {
        user: [ranks.get(r, -1) for r in range(1, max(ranks) + 1)]
        for user, ranks in sorted(by_user.items())
    }
    return result
