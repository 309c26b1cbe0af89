"""Next-item baselines over a user x item interaction matrix (no content features).

One interface, after benfred/implicit: `fit(user_items)` with a CSR matrix of
interaction strengths, then `recommend(user, k, exclude)` returning item indices. The
sequential model (hiresight.matching.lab.sequential) implements it too, and its `fit` also takes
each user's items in time order.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection
from typing import Self

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from hiresight.matching.entities import FloatArray


class ItemRecommender(ABC):
    """A model that recommends item indices to a user index."""

    name: str = "base"

    def __init__(self, random_state: int = 0) -> None:
        self.random_state = random_state
        self.user_items: sp.csr_matrix | None = None

    @abstractmethod
    def fit(self, user_items: sp.csr_matrix) -> Self:
        """Learn from interaction strengths (rows users, columns items)."""

    @abstractmethod
    def scores(self, user: int) -> FloatArray:
        """A score per item for one user (higher is better)."""

    def recommend(self, user: int, k: int, exclude: Collection[int] = ()) -> list[int]:
        """Top-k item indices for a user, without `exclude`; ties break by item index."""
        s = self.scores(user).astype(np.float64)
        if exclude:
            s[np.fromiter(exclude, dtype=np.int64)] = -np.inf
        order = np.argsort(-s, kind="stable")[:k]
        return [int(i) for i in order if np.isfinite(s[i])]


class PopularityRecommender(ItemRecommender):
    """Most-interacted items first: the baseline every personalised model must beat."""

    name = "popularity"

    def fit(self, user_items: sp.csr_matrix) -> Self:
        """Count distinct users per item."""
        self.user_items = user_items.tocsr()
        self._pop = np.asarray((self.user_items > 0).sum(axis=0), dtype=np.float32).ravel()
        return self

    def scores(self, user: int) -> FloatArray:
        """The same popularity vector for everyone."""
        return self._pop.copy()


class CooccurrenceRecommender(ItemRecommender):
    """Item-to-item: items co-interacted with the user's items, cosine-normalised."""

    name = "cooccurrence"

    def fit(self, user_items: sp.csr_matrix) -> Self:
        """Build the cosine item-item co-occurrence matrix."""
        self.user_items = user_items.tocsr()
        binary = (self.user_items > 0).astype(np.float32)
        co = (binary.T @ binary).tocsr()
        counts = np.asarray(binary.sum(axis=0), dtype=np.float32).ravel()
        norm = 1.0 / np.sqrt(np.maximum(counts, 1.0))
        co = sp.diags(norm) @ co @ sp.diags(norm)
        co.setdiag(0)
        co.eliminate_zeros()
        self._sim = co.tocsr()
        # Popularity as a tiny tie-breaker so users with no overlap still get a sensible list.
        self._tiebreak = 1e-6 * counts / max(float(counts.max(initial=0.0)), 1.0)
        return self

    def scores(self, user: int) -> FloatArray:
        """Sum of similarities to the user's items."""
        assert self.user_items is not None
        row = (self.user_items[user] > 0).astype(np.float32)
        return np.asarray((row @ self._sim).todense(), dtype=np.float32).ravel() + self._tiebreak


class ALSRecommender(ItemRecommender):
    """Implicit-feedback ALS (Hu, Koren, Volinsky 2008) from the `implicit` library, on CPU."""

    name = "als"

    def __init__(
        self,
        factors: int = 32,
        regularization: float = 0.05,
        iterations: int = 15,
        alpha: float = 10.0,
        random_state: int = 0,
    ) -> None:
        super().__init__(random_state)
        self.factors, self.regularization = factors, regularization
        self.iterations, self.alpha = iterations, alpha

    def fit(self, user_items: sp.csr_matrix) -> Self:
        """Factorise the confidence-weighted matrix; one BLAS thread keeps results seeded."""
        from implicit.cpu.als import AlternatingLeastSquares

        self.user_items = user_items.tocsr().astype(np.float32)
        # implicit warns (and slows down ~10x) when OpenBLAS runs its own thread pool.
        with threadpool_limits(1, "blas"):
            self._model = AlternatingLeastSquares(
                factors=self.factors,
                regularization=self.regularization,
                iterations=self.iterations,
                alpha=self.alpha,
                random_state=self.random_state,
                num_threads=1,
            )
            self._model.fit(self.user_items, show_progress=False)
        counts = np.asarray((self.user_items > 0).sum(axis=0), dtype=np.float32).ravel()
        self._pop = counts
        return self

    def scores(self, user: int) -> FloatArray:
        """Dot product of the user factors with every item's factors (popularity if no history).

        A user with no training row has all-zero factors, so every item would score 0 and the
        list would be the first items by index: a random list, not a model's.
        """
        assert self.user_items is not None
        if self.user_items[user].nnz == 0:
            return self._pop.copy()
        factors = np.asarray(self._model.user_factors[user], dtype=np.float32)
        return np.asarray(self._model.item_factors @ factors, dtype=np.float32)
