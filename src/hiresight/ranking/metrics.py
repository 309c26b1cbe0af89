"""Top-k ranking metrics for recommendation lists (binary relevance unless stated).

The one implementation for the recommender's evaluation (matching.lab) and the grading of
take-home predictions (takehome.evaluate).

Definitions follow the usual recommender-evaluation conventions (e.g. the RecBole and
Microsoft Recommenders implementations): precision@k divides by k, recall@k by the number
of relevant items, AP@k by min(k, |relevant|), NDCG@k uses log2(rank + 1) discounts with
gains 2^rel - 1, and novelty is the mean self-information -log2(p(i)) of recommended
items where p(i) is the share of users who interacted with i in the training data.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence


def precision_at_k(ranked: Sequence[int], relevant: Collection[int], k: int) -> float:
    """Share of the top k that is relevant (a short list still divides by k)."""
    return sum(1 for item in ranked[:k] if item in relevant) / k


def recall_at_k(ranked: Sequence[int], relevant: Collection[int], k: int) -> float:
    """Share of the relevant items found in the top k; 0 when nothing is relevant."""
    if not relevant:
        return 0.0
    return sum(1 for item in ranked[:k] if item in relevant) / len(relevant)


def average_precision_at_k(ranked: Sequence[int], relevant: Collection[int], k: int) -> float:
    """AP@k: mean of precision at each relevant hit, over min(k, |relevant|)."""
    if not relevant:
        return 0.0
    hits, total = 0, 0.0
    for i, item in enumerate(ranked[:k]):
        if item in relevant:
            hits += 1
            total += hits / (i + 1)
    return total / min(k, len(relevant))


def ndcg_at_k(
    ranked: Sequence[int], relevance: Mapping[int, float] | Collection[int], k: int
) -> float:
    """NDCG@k with graded gains 2^rel - 1 ({item: grade}); a plain collection is binary."""
    if not isinstance(relevance, Mapping):
        relevance = dict.fromkeys(relevance, 1.0)
    dcg = sum(
        (2.0 ** relevance.get(item, 0.0) - 1.0) / math.log2(i + 2)
        for i, item in enumerate(ranked[:k])
    )
    ideal = sorted(relevance.values(), reverse=True)[:k]
    idcg = sum((2.0**rel - 1.0) / math.log2(i + 2) for i, rel in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def ndcg_of_grades(grades_in_ranked_order: Sequence[float], k: int) -> float:
    """NDCG@k of one list given the true grade of each item in the order it was ranked."""
    relevance = dict(enumerate(grades_in_ranked_order))
    return ndcg_at_k(list(range(len(grades_in_ranked_order))), relevance, k)


def catalogue_coverage(lists: Sequence[Sequence[int]], catalogue_size: int, k: int) -> float:
    """Share of the catalogue that appears in at least one top-k list."""
    if catalogue_size <= 0:
        return 0.0
    return len({item for ranked in lists for item in ranked[:k]}) / catalogue_size


def novelty_at_k(
    lists: Sequence[Sequence[int]], popularity: Mapping[int, int], n_users: int, k: int
) -> float:
    """Mean self-information -log2(p) of recommended items; unseen items count as 1 user."""
    values = [
        -math.log2(max(popularity.get(item, 0), 1) / n_users)
        for ranked in lists
        for item in ranked[:k]
    ]
    return sum(values) / len(values) if values else 0.0
