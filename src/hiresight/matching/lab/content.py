"""Content baselines on a time split: lexical (TF-IDF) and item-to-item embedding similarity.

Both score every job of the split's catalogue for a user from what is known at the cutoff:
the texts and vectors of the jobs (known when posted) and the user's training-window
engagement, weighted by event grade. The lexical model also reads the candidate's own text
when a record gives one. A user with nothing to go on (cold, no record) gets popularity,
and popularity breaks ties everywhere, so a short history still yields a full list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import numpy as np
import scipy.sparse as sp

from hiresight.matching.entities import FloatArray
from hiresight.matching.lab.evaluate import RecommendFn, Split

# Popularity only orders what a model scores equal: scores are cosines in [-1, 1].
TIEBREAK = 1e-6


def popularity(split: Split) -> FloatArray:
    """Distinct training users per item column, scaled to [0, 1]."""
    counts = np.asarray((split.train > 0).sum(axis=0), dtype=np.float64).ravel()
    scaled: FloatArray = counts / max(float(counts.max(initial=0.0)), 1.0)
    return scaled


def _unit_rows(m: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    scale = sp.diags(1.0 / np.maximum(norms, 1e-12))
    unit: sp.csr_matrix = (scale @ m).tocsr()
    return unit


class TfidfScorer:
    """TF-IDF cosine between each job's text and the user's (history jobs + own text).

    scikit-learn's TfidfVectorizer over title, description, skills, company and city, with
    sublinear term frequency and English stop words removed.
    """

    name = "tfidf"

    def __init__(
        self,
        split: Split,
        job_texts: Mapping[int, str],
        user_texts: Mapping[int, str] | None = None,
    ) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        ids = split.item_ids()
        vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1)
        docs = [job_texts.get(i, "") for i in ids]
        if not any(d.strip() for d in docs):
            self._items = sp.csr_matrix((len(ids), 1), dtype=np.float64)
        else:
            self._items = vectorizer.fit_transform(docs).tocsr()
        history = _unit_rows((split.train @ self._items).tocsr())
        users = history
        texts = user_texts or {}
        if texts and self._items.shape[1] > 1:
            rows = [texts.get(u, "") for u in sorted(split.users, key=split.users.__getitem__)]
            users = users + _unit_rows(vectorizer.transform(rows).tocsr())
        self._users = users.tocsr()
        self._split = split

    def scores(self, user: int) -> FloatArray | None:
        """Cosine per item column, or None when the user has no text and no history."""
        row = self._users[self._split.users[user]]
        if row.nnz == 0:
            return None
        out: FloatArray = np.asarray((self._items @ row.T).todense(), dtype=np.float64).ravel()
        return out


class EmbeddingScorer:
    """Item-to-item: cosine of each job's vector to the user's training-window jobs.

    `mean`: to the grade-weighted centroid of those jobs; `max`: to the closest of them.
    """

    name = "embedding"

    def __init__(
        self, split: Split, vectors: Mapping[int, FloatArray], aggregate: str = "mean"
    ) -> None:
        ids = split.item_ids()
        dim = len(next(iter(vectors.values())))
        m = np.zeros((len(ids), dim), dtype=np.float32)
        for col, item in enumerate(ids):
            if item in vectors:
                m[col] = vectors[item]
        self._items = m
        self._split = split
        self.aggregate = aggregate

    def scores(self, user: int) -> FloatArray | None:
        """Similarity per item column, or None for a user with no training history."""
        row = self._split.train[self._split.users[user]]
        if row.nnz == 0:
            return None
        history = self._items[row.indices]
        if self.aggregate == "max":
            out: FloatArray = (self._items @ history.T).max(axis=1).astype(np.float64)
            return out
        centroid = (history * row.data[:, None]).sum(axis=0)
        norm = float(np.linalg.norm(centroid))
        mean: FloatArray = (self._items @ (centroid / max(norm, 1e-12))).astype(np.float64)
        return mean


class Scorer(Protocol):
    """Anything with per-user scores over the split's item columns (or None)."""

    def scores(self, user: int) -> FloatArray | None:
        """Score per item column; None when the model knows nothing about the user."""
        ...


def scorer_fn(scorer: Scorer, split: Split) -> RecommendFn:
    """Adapt a scorer to (user id, k) -> item ids, hiding training items; see module doc."""
    ids = split.item_ids()
    pop = popularity(split)

    def recommend(user: int, k: int) -> list[int]:
        s = scorer.scores(user)
        total = pop.copy() if s is None else s + TIEBREAK * pop
        seen = split.seen.get(user, set())
        if seen:
            total[[split.items[i] for i in seen]] = -np.inf
        order = np.argsort(-total, kind="stable")[:k]
        return [ids[i] for i in order if np.isfinite(total[i])]

    return recommend
