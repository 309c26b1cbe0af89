"""Top-k ranking metrics of a take-home's predictions (binary relevance), pure functions.

The usual recommender-evaluation conventions: precision@k divides by k (a short list still
divides by k), recall@k by the number of relevant items, AP@k by min(k, |relevant|), NDCG@k
uses log2(rank + 1) discounts over binary gains. A user with no relevant item is not scored
(the answers list only users with at least one). The means are over the users given, so a
user the submission wrote nothing for counts as zero.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence

from hiresight.takehome.schemas import MetricName, MetricRow


def precision_at_k(ranked: Sequence[int], relevant: Collection[int], k: int) -> float:
    """Share of the top k that is relevant."""
    return sum(1 for item in ranked[:k] if item in relevant) / k


def recall_at_k(ranked: Sequence[int], relevant: Collection[int], k: int) -> float:
    """Share of the relevant items found in the top k; 0 when nothing is relevant."""
    if not relevant:
        return 0.0
    return sum(1 for item in ranked[:k] if item in relevant) / len(relevant)


def average_precision_at_k(ranked: Sequence[int], relevant: Collection[int], k: int) -> float:
    """AP@k: the mean of precision at each relevant hit, over min(k, |relevant|)."""
    if not relevant:
        return 0.0
    hits, total = 0, 0.0
    for i, item in enumerate(ranked[:k]):
        if item in relevant:
            hits += 1
            total += hits / (i + 1)
    return total / min(k, len(relevant))


def ndcg_at_k(ranked: Sequence[int], relevant: Collection[int], k: int) -> float:
    """NDCG@k with binary gains: DCG over the DCG of an ideal list."""
    dcg = sum(1.0 / math.log2(i + 2) for i, item in enumerate(ranked[:k]) if item in relevant)
    idcg = sum(1.0 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return dcg / idcg if idcg > 0 else 0.0


_FUNCTIONS = {
    "precision": precision_at_k,
    "recall": recall_at_k,
    "map": average_precision_at_k,
    "ndcg": ndcg_at_k,
}


def mean_metrics(
    ranked: Mapping[int, Sequence[int]],
    answers: Mapping[int, Collection[int]],
    users: Sequence[int],
    names: Sequence[MetricName],
    ks: Sequence[int],
) -> MetricRow:
    """Each metric@k averaged over `users` (those without answers skipped), keyed 'ndcg@10'."""
    scored = [u for u in users if answers.get(u)]
    values: dict[str, float] = {}
    for name in names:
        fn = _FUNCTIONS[name]
        for k in ks:
            total = sum(fn(ranked.get(u, ()), answers[u], k) for u in scored)
            values[f"{name}@{k}"] = total / len(scored) if scored else 0.0
    return MetricRow(users=len(scored), values=values)
