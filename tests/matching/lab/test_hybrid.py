"""The hybrid with the session signals: known feature values, and nothing read after the cutoff."""

from __future__ import annotations

import numpy as np
import pytest

from hiresight.matching.entities import EventKind, JobPosting
from hiresight.matching.lab.evaluate import LogRow, split_at, temporal_split
from hiresight.matching.lab.hybrid import (
    ALL_FEATURES,
    FEATURES,
    RATE_PRIOR,
    HybridInputs,
    HybridRanker,
    _Base,
)
from hiresight.matching.lab.session import CoVisitation, Histories

CLICK = EventKind.CLICK
CITIES = ("Berlin", "Munich")


def _family_log(n_users: int = 60) -> list[LogRow]:
    """Two job families (Python in Berlin, Swift in Munich); each user views one family."""
    rows = []
    for step in range(4):
        for u in range(n_users):
            rng = np.random.default_rng(u)
            jobs = rng.choice(np.arange(20) + 1 + 20 * (u % 2), size=4, replace=False)
            rows.append(LogRow(u + 1, int(jobs[step]), float(len(rows)), CLICK))
    return rows


def _inputs() -> HybridInputs:
    postings = [
        JobPosting(
            id=j, company_id=j % 5, vector=np.eye(2, dtype=np.float32)[int(j > 20)],
            title="Python developer" if j <= 20 else "Swift developer",
            location=CITIES[int(j > 20)], seniority=j % 3,
        )
        for j in range(1, 41)
    ]  # fmt: skip
    texts = {p.id: f"{p.title} {p.location}" for p in postings}
    vectors = {p.id: p.vector for p in postings}
    return HybridInputs(texts, vectors, {}, {}, {p.id: p.company_id for p in postings}, postings)


def test_time_decayed_covisitation_known_answer() -> None:
    """User 1 views 1, 2, 3 at t = 0, 1, 2 (cutoff 10, half-life 8): the pair 1-2 counts
    0.5 ** (9 / 8) (its later view at t = 1), 2-3 counts 0.5 ** (8 / 8), 1-3 (two apart)
    0.5 ** (8 / 8) / 2; each job is viewed by one user, so no popularity discount."""
    rows = [LogRow(1, 1, 0.0, CLICK), LogRow(1, 2, 1.0, CLICK), LogRow(1, 3, 2.0, CLICK),
            LogRow(2, 4, 20.0, CLICK)]  # fmt: skip
    split = split_at(rows, 10.0, {1: 0, 2: 1}, {1: 0, 2: 1, 3: 2, 4: 3})
    matrix = CoVisitation(Histories.of(rows, split), 4, window=3, half_life=8.0).matrix
    assert matrix[0, 1] == pytest.approx(0.5 ** (9 / 8))
    assert matrix[1, 2] == pytest.approx(0.5)
    assert matrix[0, 2] == pytest.approx(0.25)
    assert matrix[2, 0] == matrix[0, 2]  # symmetric
    assert matrix[:, 3].sum() == 0  # job 4 is viewed after the cutoff only
    plain = CoVisitation(Histories.of(rows, split), 4, window=3).matrix
    assert plain[0, 1] == pytest.approx(1.0)
    assert plain[0, 2] == pytest.approx(0.5)


def test_session_features_for_a_user_of_the_berlin_family() -> None:
    """A Python-in-Berlin user: same_city is 1 for Berlin jobs and 0 for Munich ones, the
    title similarity is higher for Python jobs, freshness places each job's first view."""
    rows = _family_log()
    split = temporal_split(rows)
    base = _Base(split, rows, _inputs(), random_state=0)
    user = 1  # u = 0: the Python family
    x = base.features(user)
    ids = split.item_ids()
    berlin = np.array([i <= 20 for i in ids])
    col = {f: i for i, f in enumerate(ALL_FEATURES)}
    assert x[berlin, col["same_city"]] == pytest.approx(1.0)
    assert (x[~berlin, col["same_city"]] == 0).all()
    assert x[berlin, col["similar"]].min() > x[~berlin, col["similar"]].max()
    # Freshness: (first view - window start) / (cutoff - window start).
    first_seen = {}
    for r in rows:
        if r.timestamp <= split.cutoff:
            first_seen.setdefault(r.item, r.timestamp)
    job = max(first_seen, key=first_seen.__getitem__)  # the job first viewed last
    expected = (first_seen[job] - rows[0].timestamp) / (split.cutoff - rows[0].timestamp)
    assert x[split.items[job], col["freshness"]] == pytest.approx(expected)
    assert x[split.items[rows[0].item], col["freshness"]] == 0.0


def test_view_rates_divide_by_the_time_since_the_first_view() -> None:
    """Cutoff 10, first training view at 0: job 1 (company 1) is first viewed at 0 by two
    users (exposure 1.0), job 2 (company 1) at 8 by one (0.2), job 3 (company 2) at 5 by one
    (0.5), job 4 (company 2) only after the cutoff (0). Each rate is (users + p * company
    rate) / (exposure + p), p = RATE_PRIOR, the company rate likewise shrunk to the overall
    4 / 1.7; job 4 gets its company's rate. Job 2, seen once lately, outranks job 1."""
    rows = [LogRow(1, 1, 0.0, CLICK), LogRow(2, 1, 1.0, CLICK), LogRow(3, 3, 5.0, CLICK),
            LogRow(3, 2, 8.0, CLICK), LogRow(1, 4, 20.0, CLICK)]  # fmt: skip
    split = split_at(rows, 10.0, {1: 0, 2: 1, 3: 2}, {1: 0, 2: 1, 3: 2, 4: 3})
    postings = [
        JobPosting(id=j, company_id=1 + int(j > 2), vector=np.ones(2, dtype=np.float32))
        for j in range(1, 5)
    ]
    inputs = HybridInputs(
        {p.id: "job" for p in postings}, {p.id: p.vector for p in postings}, {}, {},
        {p.id: p.company_id for p in postings}, postings,
    )  # fmt: skip
    x = _Base(split, rows, inputs, random_state=0).features(1)
    p, overall = RATE_PRIOR, 4 / 1.7
    company = [(3 + p * overall) / (1.2 + p), (1 + p * overall) / (0.5 + p)]
    prior = np.array([company[0], company[0], company[1], company[1]])
    rate = (np.array([2.0, 1.0, 1.0, 0.0]) + p * prior) / (np.array([1.0, 0.2, 0.5, 0.0]) + p)
    col = {f: i for i, f in enumerate(ALL_FEATURES)}
    np.testing.assert_allclose(x[:, col["view_rate"]], rate / rate.max(), rtol=1e-6)
    np.testing.assert_allclose(x[:, col["company_rate"]], prior / prior.max(), rtol=1e-6)
    assert x[1, col["view_rate"]] > x[0, col["view_rate"]]
    assert x[3, col["view_rate"]] == pytest.approx(company[1] / rate.max())


def test_same_level_is_the_share_of_last_views_at_the_jobs_level() -> None:
    """A user whose training views are all of senior jobs: same_level is 1 for every senior
    job and 0 for the others; a user with no history gets 0 everywhere."""
    rows = [LogRow(1, 1, 0.0, CLICK), LogRow(1, 3, 1.0, CLICK), LogRow(2, 2, 2.0, CLICK),
            LogRow(3, 4, 20.0, CLICK)]  # fmt: skip
    split = split_at(rows, 10.0, {1: 0, 2: 1, 3: 2}, {1: 0, 2: 1, 3: 2, 4: 3})
    postings = [
        JobPosting(id=j, company_id=1, vector=np.ones(2, dtype=np.float32),
                   seniority=2 if j % 2 else 0)
        for j in range(1, 5)
    ]  # fmt: skip
    inputs = HybridInputs(
        {p.id: "job" for p in postings}, {p.id: p.vector for p in postings}, {}, {},
        {p.id: p.company_id for p in postings}, postings,
    )  # fmt: skip
    base = _Base(split, rows, inputs, random_state=0)
    level = ALL_FEATURES.index("same_level")
    np.testing.assert_allclose(base.features(1)[:, level], [1.0, 0.0, 1.0, 0.0])
    assert (base.features(3)[:, level] == 0).all()


@pytest.mark.parametrize("features", [FEATURES, ALL_FEATURES], ids=["default", "all"])
def test_the_hybrid_reads_nothing_after_the_cutoff(features: tuple[str, ...]) -> None:
    """Replacing every test-window view with other jobs changes neither the features nor the
    fitted ranker's lists: the hybrid learns and scores on the training window only (with
    the default features and with every feature it can read)."""
    rows = _family_log()
    split = temporal_split(rows)
    rng = np.random.default_rng(1)
    changed = [
        r
        if r.timestamp <= split.cutoff
        else LogRow(r.user, int(rng.integers(1, 41)), r.timestamp, CLICK)
        for r in rows
    ]
    assert changed != rows
    other = split_at(changed, split.cutoff, split.users, split.items)
    assert other.relevant != split.relevant  # the test windows do differ
    inputs = _inputs()
    first = HybridRanker(pool=10, n_estimators=30, features=features).fit(rows, split, inputs)
    second = HybridRanker(pool=10, n_estimators=30, features=features).fit(changed, other, inputs)
    for user in sorted(split.users):
        np.testing.assert_array_equal(first.base.features(user), second.base.features(user))
    recommend_a, recommend_b = first.recommend_fn(), second.recommend_fn()
    assert all(recommend_a(u, 10) == recommend_b(u, 10) for u in sorted(split.users))
