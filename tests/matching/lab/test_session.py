"""Known answers for the session models: recency, city, co-visitation, re-views, self-tuning."""

from __future__ import annotations

import numpy as np
import pytest

from hiresight.matching.entities import EventKind, JobPosting
from hiresight.matching.lab.evaluate import LogRow, Split, split_at, temporal_split
from hiresight.matching.lab.session import (
    BlendWeights,
    CoVisitation,
    Histories,
    SessionModels,
    recency_weights,
    review_share,
    tune_weights,
)

CLICK = EventKind.CLICK
# id: (title, company, city)
JOBS = {
    1: ("Python Developer", 1, "Berlin"),
    2: ("Senior Python Developer", 2, "Berlin"),
    3: ("Python Developer", 3, "Munich"),
    4: ("Backend Engineer (Python)", 4, "Munich"),
    5: ("Nurse", 5, "Munich"),
    6: ("Accountant", 6, "Hamburg"),
    7: ("Accountant", 6, "Hamburg"),
    8: ("Truck Driver", 7, "Hamburg"),
    9: ("Backend Engineer (Python)", 8, "Berlin"),
}
FIXED = BlendWeights()


def _postings() -> list[JobPosting]:
    return [
        JobPosting(
            id=i, company_id=c, vector=np.ones(2, dtype=np.float32) / np.sqrt(2), title=t,
            required_skills=frozenset(), preferred_skills=frozenset(), seniority=1,
            min_years=0.0, location=city, remote=False, salary_min=None, salary_max=None,
            posted_at=0.0,
        )
        for i, (t, c, city) in JOBS.items()
    ]  # fmt: skip


def _views(*triples: tuple[int, int, float]) -> list[LogRow]:
    return [LogRow(u, i, t, CLICK) for u, i, t in triples]


def _split(rows: list[LogRow], *, repeats: bool = False) -> Split:
    """Views before t = 50 train; the hand-made logs put every test view at t >= 100."""
    users = {u: i for i, u in enumerate(sorted({r.user for r in rows}))}
    items = {it: i for i, it in enumerate(sorted({r.item for r in rows}))}
    return split_at(rows, 50.0, users, items, repeats=repeats)


def _fit(
    rows: list[LogRow], *, repeats: bool = False, weights: BlendWeights = FIXED
) -> SessionModels:
    split = _split(rows, repeats=repeats)
    return SessionModels.fit(rows, split, _postings(), weights=weights, self_tune=False)


def test_recency_weights_halve_every_half_life() -> None:
    """The last view weighs 1, the one `half_life` views back 0.5."""
    assert recency_weights(3, 1.0).tolist() == [0.25, 0.5, 1.0]
    assert recency_weights(0, 2.0).size == 0


def test_the_last_view_in_munich_brings_munich_python_jobs_first() -> None:
    """A user whose last view is a Munich Python job gets the Munich Python job first, and the
    other Munich job before the popular Hamburg ones."""
    rows = _views(
        (1, 1, 1.0), (1, 3, 3.0),  # Berlin, then Munich (last)
        (2, 6, 4.0), (3, 6, 5.0), (4, 6, 6.0), (2, 7, 7.0),  # Hamburg jobs are the popular ones
        (1, 4, 100.0), (5, 8, 101.0), (5, 5, 102.0), (5, 9, 103.0),
    )  # fmt: skip
    ranked = _fit(rows).models()["session"](1, 10)
    assert ranked[0] == 4  # Munich, same occupation: the last view's city and title
    assert ranked.index(5) < ranked.index(6)
    assert ranked.index(5) < ranked.index(7)


@pytest.mark.parametrize(("half_life", "first"), [(1.0, 4), (1e9, 9)])
def test_recency_decides_between_the_last_city_and_the_usual_one(
    half_life: float, first: int
) -> None:
    """Two Berlin views, then one in Munich: with a short half-life the same title in Munich
    comes first; with a flat profile (endless half-life) the one in Berlin does."""
    rows = _views(
        (1, 1, 1.0), (1, 2, 2.0), (1, 3, 3.0), (2, 6, 4.0), (3, 6, 5.0),
        (1, 4, 100.0), (2, 8, 101.0), (2, 9, 102.0),
    )  # fmt: skip
    models = _fit(rows, weights=BlendWeights(half_life=half_life))
    assert models.models()["session"](1, 1) == [first]


def test_covisitation_counts_near_pairs_and_discounts_popular_jobs() -> None:
    """Jobs viewed right after job 1 by other users go with it; a job all view goes with less."""
    rows = _views(
        (1, 1, 1.0), (1, 5, 2.0), (2, 1, 3.0), (2, 5, 4.0),  # 1 then 5, twice
        (3, 1, 5.0), (3, 8, 6.0),  # 1 then 8 once; 8 is viewed by everyone else too
        (4, 8, 7.0), (5, 8, 8.0), (6, 8, 9.0), (7, 8, 10.0),
        (9, 2, 100.0), (9, 3, 101.0), (9, 4, 102.0),
    )  # fmt: skip
    split = _split(rows)
    covisit = CoVisitation(Histories.of(rows, split), len(split.items))
    scores = covisit.scores([split.items[1]], np.ones(1))
    assert scores[split.items[5]] > scores[split.items[8]] > 0
    assert scores[split.items[2]] == 0  # never viewed near job 1


def test_city_popularity_ranks_popular_jobs_in_the_users_city() -> None:
    """A Munich user gets the popular Munich job, not the more popular Hamburg one."""
    rows = _views(
        (1, 3, 1.0), (2, 5, 2.0), (3, 5, 3.0),  # job 5: Munich, 2 viewers
        (4, 6, 4.0), (5, 6, 5.0), (6, 6, 6.0),  # job 6: Hamburg, 3 viewers
        (1, 4, 100.0), (7, 8, 101.0),
    )  # fmt: skip
    models = _fit(rows).models()
    assert models["city_popularity"](1, 1) == [5]
    assert models["city_popularity"](7, 1) == [6]  # cold: recent popularity everywhere


def test_recent_popularity_prefers_what_was_viewed_lately() -> None:
    """A cold user gets the job viewed just before the cutoff over one viewed long ago."""
    rows = _views(
        (1, 6, 1.0), (2, 6, 2.0), (3, 6, 3.0),  # job 6: three old views
        (4, 1, 40.0), (5, 1, 41.0),  # job 1: two recent ones
        (6, 2, 42.0), (9, 8, 100.0), (10, 8, 101.0),
    )  # fmt: skip
    models = _fit(rows, weights=BlendWeights(recent_share=0.3)).models()
    assert models["city_popularity"](9, 1) == [1]


def test_recent_review_puts_the_users_last_jobs_first_and_counts_under_repeats() -> None:
    """Own recent jobs, newest first; they are relevant only when repeats count."""
    rows = _views(
        (1, 1, 1.0), (1, 6, 2.0), (1, 3, 3.0), (2, 6, 4.0), (3, 6, 5.0),
        (1, 3, 100.0), (4, 8, 101.0),
    )  # fmt: skip
    plain = _split(rows)
    assert 1 not in plain.relevant  # a re-view is not new to the user
    models = _fit(rows, repeats=True).models()
    assert models["recent_review"](1, 3) == [3, 6, 1]
    assert models["session"](1, 1) == [3]  # the blend adds re-views when they count


def test_the_blend_hides_seen_jobs_unless_repeats_count() -> None:
    """Without repeats the user's own jobs are never recommended by the blend."""
    rows = _views((1, 1, 1.0), (1, 3, 2.0), (2, 5, 3.0), (1, 4, 100.0), (3, 8, 101.0))
    ranked = _fit(rows).models()["session"](1, 8)
    assert not {1, 3} & set(ranked)


def test_review_share_counts_repeated_user_job_pairs_before_the_cutoff() -> None:
    """Two of five training views repeat; views after the cutoff are not counted."""
    rows = _views((1, 1, 1.0), (1, 1, 2.0), (2, 1, 3.0), (2, 1, 4.0), (3, 5, 5.0), (1, 1, 9.0))
    assert review_share(rows, cutoff=5.0) == pytest.approx(2 / 5)


def test_self_tuning_picks_all_time_popularity_when_jobs_never_go_stale() -> None:
    """If the same jobs stay popular all log long, the slowest decay in the grid wins."""
    rng = np.random.default_rng(0)
    rows = []
    for user in range(1, 200):
        # Job 6 is the evergreen favourite; a burst on job 7 just before the inner cutoff
        # (about t = 127) is noise that a fast decay would follow.
        item = 6 if rng.random() < 0.6 else int(rng.integers(1, 6))
        if 105 <= user <= 127:
            item = 7
        rows.append(LogRow(user, item, float(user), CLICK))
    split = temporal_split(rows, test_fraction=0.2)
    chosen = tune_weights(rows, split, _postings(), None, FIXED)
    assert chosen.recent_share == 1.0
