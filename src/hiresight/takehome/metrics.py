"""The mean top-k metrics of a take-home's predictions (binary relevance).

The metrics themselves are hiresight.ranking.metrics (precision@k divides by k, recall@k
by the number of relevant items, AP@k by min(k, |relevant|), NDCG@k uses log2(rank + 1)
discounts). A user with no relevant item is not scored (the answers list only users with at
least one). The means are over the users given, so a user the submission wrote nothing for
counts as zero.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

from hiresight.ranking.metrics import (
    average_precision_at_k,
    ndcg_at_k,
    precision_at_k,
    recall_at_k,
)
from hiresight.takehome.schemas import MetricName, MetricRow

_FUNCTIONS: dict[str, Callable[[Sequence[int], Collection[int], int], float]] = {
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
