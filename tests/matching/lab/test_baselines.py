"""Known answers for the content baselines, the hybrid and the warm/cold split."""

from __future__ import annotations

import numpy as np

from hiresight.matching.entities import EventKind
from hiresight.matching.lab.content import EmbeddingScorer, TfidfScorer, scorer_fn
from hiresight.matching.lab.evaluate import LogRow, half_of, segments, temporal_split
from hiresight.matching.lab.hybrid import HybridInputs, HybridRanker
from hiresight.matching.lab.recommenders import ALSRecommender, CooccurrenceRecommender

CLICK = EventKind.CLICK
TEXTS = {
    1: "Python backend engineer Berlin",
    2: "Python Django developer Berlin",
    3: "iOS Swift developer Madrid",
    4: "Android Kotlin developer Madrid",
    5: "Python FastAPI engineer",
}


def _rows() -> list[LogRow]:
    # User 10 viewed a Python job; users 11-13 (mobile) made job 3 the most popular; after
    # the cutoff user 10 views job 2 and user 20 (new) views job 4.
    return [
        LogRow(10, 1, 1.0, CLICK),
        LogRow(11, 3, 2.0, CLICK),
        LogRow(12, 3, 3.0, CLICK),
        LogRow(13, 3, 4.0, CLICK),
        LogRow(13, 4, 5.0, CLICK),
        LogRow(12, 5, 6.0, CLICK),
        LogRow(11, 4, 7.0, CLICK),
        LogRow(10, 2, 100.0, CLICK),
        LogRow(20, 4, 101.0, CLICK),
    ]


def test_tfidf_ranks_the_lexically_closest_job_first() -> None:
    """A Python user gets the other Python jobs first, not the popular iOS job."""
    split = temporal_split(_rows(), test_fraction=0.25)
    recommend = scorer_fn(TfidfScorer(split, TEXTS), split)
    assert set(recommend(10, 2)) == {2, 5}
    # A cold user with no text falls back to popularity.
    assert recommend(20, 1) == [3]


def test_tfidf_reads_the_candidates_own_text() -> None:
    """A cold user with a résumé is matched on its words."""
    split = temporal_split(_rows(), test_fraction=0.25)
    recommend = scorer_fn(TfidfScorer(split, TEXTS, {20: "Kotlin and Android in Madrid"}), split)
    assert recommend(20, 1) == [4]


def test_embedding_similarity_ranks_the_nearest_job_first() -> None:
    """Jobs near the user's history vector come first."""
    vectors = {
        1: np.array([1.0, 0.0, 0.0]),
        2: np.array([0.9, 0.1, 0.0]),
        3: np.array([0.0, 1.0, 0.0]),
        4: np.array([0.0, 0.9, 0.1]),
        5: np.array([0.6, 0.0, 0.8]),
    }
    split = temporal_split(_rows(), test_fraction=0.25)
    recommend = scorer_fn(EmbeddingScorer(split, vectors), split)
    assert recommend(10, 3) == [2, 5, 3]  # 3 and 4 tie at 0: popularity breaks it
    assert recommend(20, 1) == [3]


def test_warm_and_cold_test_users() -> None:
    """User 10 had training history (warm); user 20 did not (cold); halves are stable."""
    split = temporal_split(_rows(), test_fraction=0.25)
    assert segments(split) == {"all": [10, 20], "warm": [10], "cold": [20]}
    both = segments(split, "tune")["all"] + segments(split, "report")["all"]
    assert sorted(both) == [10, 20]
    assert half_of(10) == half_of(10)
    assert {half_of(u) for u in range(50)} == {"tune", "report"}


def test_cooccurrence_differs_from_popularity_only_where_items_co_occur() -> None:
    """A warm user's co-viewed item comes first; a user whose items nobody else viewed gets
    exactly the popularity order (the tie-break), which is what makes the two models equal
    on logs where most items have a single viewer."""
    rows = [*_rows(), LogRow(14, 6, 8.0, CLICK)]
    split = temporal_split(rows, test_fraction=0.2)
    cooc = CooccurrenceRecommender().fit(split.train)
    col = split.items
    assert cooc.recommend(split.users[11], 1, exclude={col[3], col[4]}) == [col[5]]
    lonely = cooc.recommend(split.users[14], 3, exclude={col[6]})
    pop = np.asarray((split.train > 0).sum(axis=0)).ravel()
    assert lonely[0] == int(np.argmax(pop))


def test_als_gives_a_cold_user_the_popularity_list() -> None:
    """Without history ALS has no factors: popularity, not the first items by index."""
    split = temporal_split(_rows(), test_fraction=0.25)
    als = ALSRecommender(factors=2, iterations=2).fit(split.train)
    assert als.recommend(split.users[20], 1) == [split.items[3]]


def _family_log(n_users: int = 80) -> tuple[list[LogRow], dict[int, str]]:
    """Two job families; every user views jobs of one family, early and late."""
    texts = {}
    for j in range(40):
        family = "Python backend" if j < 20 else "Swift iOS mobile"
        texts[j + 1] = f"{family} engineer {j}"
    rows = []
    for step in range(4):  # users interleaved in time, so each is warm by the end
        for u in range(n_users):
            family = u % 2
            rng_u = np.random.default_rng(u)
            jobs = rng_u.choice(np.arange(20) + 1 + 20 * family, size=4, replace=False)
            rows.append(LogRow(u + 1, int(jobs[step]), float(len(rows)), CLICK))
    return rows, texts


def test_hybrid_learns_that_the_family_predicts_the_next_job() -> None:
    """The hybrid ranks the user's own family first for every warm test user."""
    rows, texts = _family_log()
    split = temporal_split(rows)
    vectors = {j: np.eye(2)[0 if j <= 20 else 1].astype(np.float32) for j in texts}
    hybrid = HybridRanker(pool=10, n_estimators=30).fit(
        rows, split, HybridInputs(texts, vectors, {}, {})
    )
    recommend = hybrid.recommend_fn()
    for user in segments(split)["warm"]:
        family = 0 if (user - 1) % 2 == 0 else 1
        top = recommend(user, 5)
        assert all((j > 20) == bool(family) for j in top), (user, top)
