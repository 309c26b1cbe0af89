"""The simulated job-view logs have the regularities they are meant to have."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from hiresight.matching.lab.evaluate import read_log_csv, segments, temporal_split
from hiresight.matching.lab.viewlog import ViewSettings, generate, write_view_log

SMALL = ViewSettings(
    n_users=600, n_jobs=400, n_companies=40, days=30.0, user_days=4.0, job_days=10.0,
    sessions_per_user=1.0, views_per_session=3.0,
)  # fmt: skip


def test_the_same_seed_gives_the_same_log_and_another_seed_another() -> None:
    """Seeded: identical rows for one seed, different rows for another."""
    assert generate(SMALL, 3).rows == generate(SMALL, 3).rows
    assert generate(SMALL, 3).rows != generate(SMALL, 4).rows


def test_views_stay_in_the_users_city_and_users_re_view_jobs() -> None:
    """Most of a user's next views are in the city of the last one; some views repeat."""
    log = generate(SMALL, 0)
    city = {j["id"]: j["location"] for j in log.jobs}
    last: dict[int, int] = {}
    same = pairs = 0
    for r in log.rows:
        if r.user in last:
            pairs += 1
            same += city[r.item] == city[last[r.user]]
        last[r.user] = r.item
    assert same / pairs > 0.6  # by chance (20 cities, Zipf sizes) about 0.11
    repeats = sum(n - 1 for n in Counter((r.user, r.item) for r in log.rows).values())
    assert 0.05 < repeats / len(log.rows) < 0.6


def test_most_test_users_are_cold_when_users_stay_briefly() -> None:
    """Users who stay four days in a 30-day log are mostly new in the test window."""
    split = temporal_split(generate(SMALL, 0).rows)
    groups = segments(split)
    assert len(groups["cold"]) > len(groups["warm"]) > 0


def test_the_written_log_reads_back_with_text_only_jobs(tmp_path: Path) -> None:
    """log.csv reads as a click log; jobs.jsonl holds title, company and city only."""
    log = generate(SMALL, 0)
    log_path, jobs_path = write_view_log(log, tmp_path)
    assert read_log_csv(log_path) == log.rows
    first = json.loads(jobs_path.read_text().splitlines()[0])
    assert set(first) == {"id", "title", "company", "location"}
