"""Contract tests for the next-item baselines on block-structured data (benfred/implicit style)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from hiresight.matching.lab.recommenders import (
    ALSRecommender,
    CooccurrenceRecommender,
    ItemRecommender,
    PopularityRecommender,
)

BLOCKS, USERS_PER_BLOCK, ITEMS_PER_BLOCK = 3, 20, 10


def block_matrix(seed: int = 0) -> sp.csr_matrix:
    """Users of block b interact with ~60% of block b's items and nothing else."""
    rng = np.random.default_rng(seed)
    rows, cols = [], []
    for b in range(BLOCKS):
        for u in range(b * USERS_PER_BLOCK, (b + 1) * USERS_PER_BLOCK):
            items = rng.choice(ITEMS_PER_BLOCK, size=6, replace=False) + b * ITEMS_PER_BLOCK
            rows += [u] * len(items)
            cols += items.tolist()
    shape = (BLOCKS * USERS_PER_BLOCK, BLOCKS * ITEMS_PER_BLOCK)
    return sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=shape)


class RecommenderContract:
    """Behaviour every ItemRecommender must have; subclasses provide `make`."""

    personalised = True

    def make(self) -> ItemRecommender:
        raise NotImplementedError

    def test_recommends_k_distinct_items_without_excluded(self) -> None:
        """k distinct items come back and none of them is excluded."""
        model = self.make().fit(block_matrix())
        seen = set(block_matrix()[0].indices.tolist())
        recs = model.recommend(0, 5, exclude=seen)
        assert len(recs) == len(set(recs)) == 5
        assert not seen & set(recs)

    def test_deterministic(self) -> None:
        """Same seed and data, same recommendations."""
        a = self.make().fit(block_matrix()).recommend(3, 5)
        b = self.make().fit(block_matrix()).recommend(3, 5)
        assert a == b

    def test_unseen_items_come_from_the_users_block(self) -> None:
        """Personalised models fill every user's top 4 unseen items from their own block."""
        if not self.personalised:
            return
        model = self.make().fit(block_matrix())
        matrix = block_matrix()
        for user in range(BLOCKS * USERS_PER_BLOCK):
            block = user // USERS_PER_BLOCK
            recs = model.recommend(user, 4, exclude=set(matrix[user].indices.tolist()))
            assert all(r // ITEMS_PER_BLOCK == block for r in recs), (user, recs)


class TestPopularity(RecommenderContract):
    """Popularity ranks by distinct users, the same list for everyone."""

    personalised = False

    def make(self) -> ItemRecommender:
        return PopularityRecommender()

    def test_most_popular_first(self) -> None:
        """Item 2 (3 users) beats item 0 (2 users) beats item 1 (1 user, strength 5)."""
        m = sp.csr_matrix(np.array([[1, 5, 1], [1, 0, 1], [0, 0, 1]], dtype=np.float32))
        assert PopularityRecommender().fit(m).recommend(0, 3) == [2, 0, 1]


class TestCooccurrence(RecommenderContract):
    """Item-to-item co-occurrence meets the contract."""

    def make(self) -> ItemRecommender:
        return CooccurrenceRecommender()


class TestALS(RecommenderContract):
    """implicit's ALS meets the contract, seeded."""

    def make(self) -> ItemRecommender:
        # As many factors as blocks (plus one): more would fit noise on 60 users.
        return ALSRecommender(factors=4, iterations=15, random_state=0)
