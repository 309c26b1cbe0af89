"""Offline next-item evaluation: baselines and rankers on a time-based split.

Interaction log CSV format (header required, one event per line):

    user,item,timestamp,event
    42,1007,1700000000,click

- user, item: integer ids; timestamp: seconds (int or float) - only the order matters;
- event: impression, click, save, apply or dismiss (case-insensitive). Impressions and
  dismisses are not positive interactions; click=1, save=2, apply=3 are the strengths.

All events before the time cutoff (the 1 - test_fraction quantile of timestamps) train the
models; a user's positive interactions after the cutoff with items they had not engaged with
before are the relevant items for that user. The sequential model also reads each user's
training interactions in time order (rows with equal timestamps keep their file order).
"""

from __future__ import annotations

import csv
import hashlib
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import scipy.sparse as sp

from hiresight.matching.entities import EVENT_GRADE, POSITIVE_EVENTS, Event, EventKind
from hiresight.matching.errors import InvalidLogError, NotEnoughDataError
from hiresight.matching.lab.recommenders import ItemRecommender
from hiresight.ranking.metrics import (
    average_precision_at_k,
    catalogue_coverage,
    ndcg_at_k,
    novelty_at_k,
    precision_at_k,
    recall_at_k,
)

DEFAULT_KS = (5, 10, 20)
Half = Literal["tune", "report"]
METRICS = ("precision", "recall", "map", "ndcg", "coverage", "novelty")


@dataclass(frozen=True)
class LogRow:
    """One interaction: who, what, when, which event."""

    user: int
    item: int
    timestamp: float
    event: EventKind


def read_log_csv(path: Path) -> list[LogRow]:
    """Parse an interaction log in the documented CSV format (InvalidLogError if malformed)."""
    try:
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            missing = {"user", "item", "timestamp", "event"} - set(reader.fieldnames or [])
            if missing:
                raise InvalidLogError(
                    f"{path}: missing column(s) {', '.join(sorted(missing))}; "
                    "expected header user,item,timestamp,event"
                )
            rows = []
            for line, rec in enumerate(reader, start=2):
                try:
                    rows.append(
                        LogRow(
                            int(rec["user"]),
                            int(rec["item"]),
                            float(rec["timestamp"]),
                            EventKind(rec["event"].strip().lower()),
                        )
                    )
                except (ValueError, TypeError, AttributeError) as exc:
                    raise InvalidLogError(f"{path}:{line}: bad value ({exc})") from None
    except OSError as exc:
        raise InvalidLogError(f"cannot read {path}: {exc.strerror}") from None
    return rows


def write_log_csv(rows: Iterable[LogRow], path: Path) -> None:
    """Write rows in the documented CSV format."""
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["user", "item", "timestamp", "event"])
        for r in rows:
            w.writerow([r.user, r.item, repr(r.timestamp), r.event.value])


def events_to_log(events: Iterable[Event]) -> list[LogRow]:
    """Convert library events to log rows."""
    return [LogRow(e.candidate_id, e.job_id, e.timestamp, e.kind) for e in events]


@dataclass
class Split:
    """A time-based split, with dense indices for the matrix models."""

    cutoff: float
    users: dict[int, int]  # user id -> row
    items: dict[int, int]  # item id -> column
    train: sp.csr_matrix  # strengths (max grade per user-item)
    relevant: dict[int, set[int]]  # test user id -> relevant item ids
    seen: dict[int, set[int]]  # user id -> item ids engaged in training
    # user id -> positive training items in time order, a repeat of the previous item dropped
    sequences: dict[int, list[int]] = field(default_factory=dict)
    # Whether a test user's views of jobs they had viewed before the cutoff count as relevant
    repeats: bool = False

    def item_ids(self) -> list[int]:
        """Item ids by column."""
        return sorted(self.items, key=self.items.__getitem__)

    def sequence_rows(self) -> list[list[int]]:
        """Each matrix row's training sequence as column indices (empty for test-only users)."""
        rows: list[list[int]] = [[] for _ in self.users]
        for user, items in self.sequences.items():
            rows[self.users[user]] = [self.items[i] for i in items]
        return rows


def temporal_split(
    rows: Sequence[LogRow], test_fraction: float = 0.2, *, repeats: bool = False
) -> Split:
    """Split at the (1 - test_fraction) time quantile; see the module docstring.

    With `repeats`, a test user's later views of jobs they had viewed before also count as
    relevant (a re-view protocol); by default only jobs new to the user do.
    """
    if not rows:
        raise NotEnoughDataError("the interaction log is empty")
    cutoff = float(np.quantile([r.timestamp for r in rows], 1.0 - test_fraction))
    users = {u: i for i, u in enumerate(sorted({r.user for r in rows}))}
    items = {it: i for i, it in enumerate(sorted({r.item for r in rows}))}
    return split_at(rows, cutoff, users, items, repeats=repeats)


def split_at(
    rows: Sequence[LogRow],
    cutoff: float,
    users: dict[int, int],
    items: dict[int, int],
    *,
    repeats: bool = False,
) -> Split:
    """The split of `rows` at `cutoff` over given user and item indices (which cover `rows`)."""
    train = [r for r in rows if r.timestamp <= cutoff]
    strength: dict[tuple[int, int], float] = {}
    seen: dict[int, set[int]] = defaultdict(set)
    sequences: dict[int, list[int]] = defaultdict(list)
    for r in sorted(train, key=lambda r: r.timestamp):  # stable: ties keep file order
        if r.event in POSITIVE_EVENTS:
            key = (users[r.user], items[r.item])
            strength[key] = max(strength.get(key, 0.0), float(EVENT_GRADE[r.event]))
            seen[r.user].add(r.item)
            # A click then an apply on one job is one step of the user's path, not two.
            if not sequences[r.user] or sequences[r.user][-1] != r.item:
                sequences[r.user].append(r.item)
    relevant: dict[int, set[int]] = defaultdict(set)
    for r in rows:
        new = repeats or r.item not in seen[r.user]
        if r.timestamp > cutoff and r.event in POSITIVE_EVENTS and new:
            relevant[r.user].add(r.item)
    if not relevant or not strength:
        raise NotEnoughDataError("need positive interactions both before and after the cutoff")
    keys = list(strength)
    matrix = sp.csr_matrix(
        (list(strength.values()), ([k[0] for k in keys], [k[1] for k in keys])),
        shape=(len(users), len(items)),
        dtype=np.float32,
    )
    return Split(cutoff, users, items, matrix, dict(relevant), dict(seen), dict(sequences), repeats)


def half_of(user: int) -> Half:
    """The fixed half a user belongs to: "report" or "tune", by a hash of the user id.

    Tune models and settings on the "tune" half only; the "report" half is frozen for the
    figures, so a setting that fits one log's quirks shows up as a gap between the halves.
    """
    digest = hashlib.sha256(f"hiresight-recs-half:{user}".encode()).digest()
    return "report" if digest[0] % 2 == 0 else "tune"


def segments(split: Split, half: Half | None = None) -> dict[str, list[int]]:
    """Test users, all of them and split into warm (some training history) and cold (none)."""
    users = sorted(u for u in split.relevant if half is None or half_of(u) == half)
    warm = [u for u in users if split.seen.get(u)]
    cold = [u for u in users if not split.seen.get(u)]
    return {"all": users, "warm": warm, "cold": cold}


RecommendFn = Callable[[int, int], list[int]]  # (user id, k) -> item ids


def matrix_model_fn(model: ItemRecommender, split: Split) -> RecommendFn:
    """Adapt a fitted matrix model to (user id, k) -> item ids, hiding training items."""
    ids = split.item_ids()

    def recommend(user: int, k: int) -> list[int]:
        exclude = {split.items[i] for i in split.seen.get(user, set())}
        return [ids[c] for c in model.recommend(split.users[user], k, exclude)]

    return recommend


def evaluate_models(
    models: Mapping[str, RecommendFn],
    split: Split,
    ks: Sequence[int] = DEFAULT_KS,
    users: Sequence[int] | None = None,
) -> dict[str, dict[str, float]]:
    """Per model, every metric at every k, averaged over `users` (default: every test user)."""
    popularity = np.asarray((split.train > 0).sum(axis=0)).ravel()
    pop_by_id = {item: int(popularity[col]) for item, col in split.items.items()}
    users = sorted(split.relevant) if users is None else list(users)
    kmax = max(ks)
    results: dict[str, dict[str, float]] = {}
    for name, fn in models.items():
        lists = {u: fn(u, kmax) for u in users}
        out: dict[str, float] = {"users": float(len(users))}
        for k in ks:
            rel = split.relevant
            out[f"precision@{k}"] = _mean(precision_at_k(lists[u], rel[u], k) for u in users)
            out[f"recall@{k}"] = _mean(recall_at_k(lists[u], rel[u], k) for u in users)
            out[f"map@{k}"] = _mean(average_precision_at_k(lists[u], rel[u], k) for u in users)
            out[f"ndcg@{k}"] = _mean(
                ndcg_at_k(lists[u], dict.fromkeys(rel[u], 1.0), k) for u in users
            )
            ranked = list(lists.values())
            out[f"coverage@{k}"] = catalogue_coverage(ranked, len(split.items), k)
            out[f"novelty@{k}"] = novelty_at_k(ranked, pop_by_id, len(split.users), k)
        results[name] = out
    return results


def _mean(values: Iterable[float]) -> float:
    vals = list(values)
    return math.fsum(vals) / len(vals) if vals else 0.0


def format_table(results: Mapping[str, Mapping[str, float]], ks: Sequence[int]) -> str:
    """A Markdown table: one row per model and k."""
    lines = ["| model | k | " + " | ".join(METRICS) + " |", "|---|---|" + "---|" * len(METRICS)]
    for name, values in results.items():
        for k in ks:
            cells = " | ".join(f"{values[f'{m}@{k}']:.4f}" for m in METRICS)
            lines.append(f"| {name} | {k} | {cells} |")
    return "\n".join(lines)


def format_segments(
    by_segment: Mapping[str, Mapping[str, Mapping[str, float]]], ks: Sequence[int]
) -> str:
    """A Markdown table of the ranking metrics: one row per model, user segment and k."""
    metrics = ("precision", "recall", "map", "ndcg")
    head = "| model | users | n | k | " + " | ".join(metrics) + " |"
    lines = [head, "|---|---|---|---|" + "---|" * len(metrics)]
    models = list(next(iter(by_segment.values()), {}))
    for name in models:
        for segment, results in by_segment.items():
            values = results[name]
            for k in ks:
                cells = " | ".join(f"{values[f'{m}@{k}']:.4f}" for m in metrics)
                lines.append(f"| {name} | {segment} | {int(values['users'])} | {k} | {cells} |")
    return "\n".join(lines)


def plot_metrics(results: Mapping[str, Mapping[str, float]], ks: Sequence[int], path: Path) -> None:
    """Write a PNG with one panel per metric, each model as a line against k."""
    import matplotlib

    matplotlib.use("Agg")  # no display on servers; must precede pyplot
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 3, figsize=(12, 7))
    for ax, metric in zip(axes.ravel(), METRICS, strict=True):
        for name, values in results.items():
            ax.plot(list(ks), [values[f"{metric}@{k}"] for k in ks], marker="o", label=name)
        ax.set_title(metric)
        ax.set_xlabel("k")
        ax.set_xticks(list(ks))
    axes[0, 0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
