"""Candidate retrieval: an HNSW index over job embeddings, a skill inverted index and a
fresh-and-popular pool, merged with the source of every hit.

HNSW (Malkov & Yashunin 2018) via hnswlib with inner-product space: vectors are
L2-normalised, so inner product is cosine. Updates follow hnswlib's own semantics: adding an
existing label replaces its vector (and un-deletes it), `mark_deleted` hides a label from
queries, and the index is resized by doubling when full.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import hnswlib
import numpy as np

from hiresight.matching.catalog import IntArray, JobCatalog
from hiresight.matching.entities import FloatArray
from hiresight.matching.errors import DimensionMismatchError, UnknownJobError
from hiresight.matching.features import DAY, OnlineState


class ExactIndex:
    """Brute-force inner-product search: the recall baseline for the ANN index."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.labels = np.zeros(0, dtype=np.int64)
        self.vectors: FloatArray = np.zeros((0, dim), dtype=np.float32)

    def add(self, labels: IntArray, vectors: FloatArray) -> None:
        """Append vectors (no duplicate handling: a baseline for static data)."""
        self.labels = np.concatenate([self.labels, labels.astype(np.int64)])
        self.vectors = np.concatenate([self.vectors, vectors.astype(np.float32)])

    def search(self, query: FloatArray, k: int) -> tuple[IntArray, FloatArray]:
        """Top-k labels and inner products for one query vector."""
        sims = self.vectors @ query
        k = min(k, sims.shape[0])
        top = np.argpartition(-sims, k - 1)[:k] if k else np.zeros(0, dtype=np.int64)
        top = top[np.argsort(-sims[top], kind="stable")]
        return self.labels[top], sims[top]


# The size rule for ef. Measured with M 16 on the benchmark's low-rank synthetic vectors
# (docs/benchmarks.md): ef 256 keeps recall@100 >= 0.95 up to 100k jobs (0.956), but at 1M it
# gives 0.845 and ef 512 only 0.945. Recall at a fixed ef falls as the graph grows, so ef
# doubles for every 4x of catalogue beyond 100k (about ef ~ sqrt(size)): 1,024 at 1M, where
# recall@100 measured 0.988.
AUTO_EF_BASE = 256
AUTO_EF_BASE_SIZE = 100_000
# A ceiling, so a huge catalogue cannot widen one query's search without bound: past it,
# rebuilding with a larger M is the lever to pull.
AUTO_EF_MAX = 4096


def auto_ef_search(size: int) -> int:
    """Serving ef for an index of `size` vectors: 256 up to 100k, doubled per 4x beyond."""
    ef, limit = AUTO_EF_BASE, AUTO_EF_BASE_SIZE
    while size > limit and ef < AUTO_EF_MAX:
        ef, limit = ef * 2, limit * 4
    return ef


class ANNIndex:
    """An incrementally updated, persistable hnswlib index labelled by job id."""

    def __init__(
        self,
        dim: int,
        *,
        max_elements: int = 1024,
        m: int = 16,
        ef_construction: int = 200,
        ef_search: int | None = None,
        random_state: int = 0,
    ) -> None:
        self.dim, self.m, self.ef_construction = dim, m, ef_construction
        # None: follow the index size (`auto_ef_search`); a number pins ef at that value.
        self.ef_search, self.random_state = ef_search, random_state
        self._index = hnswlib.Index(space="ip", dim=dim)
        self._index.init_index(
            max_elements=max(max_elements, 1),
            ef_construction=ef_construction,
            M=m,
            random_seed=random_state,
        )
        self._live: set[int] = set()

    def __len__(self) -> int:
        """Number of searchable (not deleted) vectors."""
        return len(self._live)

    def __contains__(self, label: object) -> bool:
        """Whether a job id is searchable."""
        return label in self._live

    def add(self, labels: IntArray, vectors: FloatArray, num_threads: int = 1) -> None:
        """Add or replace vectors; grows the index by doubling when it is full."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        if vectors.shape[0] != labels.shape[0]:
            raise DimensionMismatchError("labels and vectors differ in length")
        needed = self._index.get_current_count() + vectors.shape[0]
        if needed > self._index.get_max_elements():
            self._index.resize_index(max(needed, 2 * self._index.get_max_elements()))
        self._index.add_items(vectors, labels.astype(np.uint64), num_threads=num_threads)
        self._live.update(int(x) for x in labels)

    def delete(self, label: int) -> None:
        """Hide a job from queries (UnknownJobError if it is not indexed)."""
        if label not in self._live:
            raise UnknownJobError(f"job {label} is not in the index")
        self._index.mark_deleted(label)
        self._live.discard(label)

    def serving_ef(self, k: int) -> int:
        """The ef a top-k query uses now: the pinned ef or the size rule, and never below k."""
        ef = self.ef_search if self.ef_search is not None else auto_ef_search(len(self._live))
        return max(ef, k)

    def search(self, query: FloatArray, k: int) -> tuple[IntArray, FloatArray]:
        """Top-k job ids and inner products for one query vector."""
        if query.shape != (self.dim,):
            raise DimensionMismatchError(f"query has shape {query.shape}, expected ({self.dim},)")
        k = min(k, len(self._live))
        if k == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        self._index.set_ef(self.serving_ef(k))
        labels, distances = self._index.knn_query(query.astype(np.float32), k=k, num_threads=1)
        # hnswlib's "ip" distance is 1 - <q, v>.
        return labels[0].astype(np.int64), (1.0 - distances[0]).astype(np.float32)

    def save(self, directory: Path) -> None:
        """Persist to `directory` (index.bin + index.json)."""
        directory.mkdir(parents=True, exist_ok=True)
        self._index.save_index(str(directory / "index.bin"))
        meta = {
            "dim": self.dim,
            "m": self.m,
            "ef_construction": self.ef_construction,
            "ef_search": self.ef_search,
            "random_state": self.random_state,
            "live": sorted(self._live),
        }
        (directory / "index.json").write_text(json.dumps(meta))

    @classmethod
    def load(cls, directory: Path) -> ANNIndex:
        """Read an index written by `save`; it stays updatable."""
        meta = json.loads((directory / "index.json").read_text())
        index = cls(
            meta["dim"],
            max_elements=1,
            m=meta["m"],
            ef_construction=meta["ef_construction"],
            ef_search=meta["ef_search"],
            random_state=meta["random_state"],
        )
        index._index.load_index(str(directory / "index.bin"), allow_replace_deleted=False)
        index._live = set(meta["live"])
        return index


class SkillIndex:
    """Inverted index skill -> job ids, over required and preferred skills.

    A query looks at only the `max_postings` most recently indexed jobs per skill: with a
    million jobs a skill like Python has a posting list of hundreds of thousands, and
    counting all of it would blow the latency budget. Newest first suits a job board;
    the ANN source covers older jobs.
    """

    def __init__(self, max_postings: int = 300) -> None:
        self.max_postings = max_postings
        # dicts as insertion-ordered sets: O(1) removal and newest-first iteration.
        self._postings: dict[str, dict[int, None]] = defaultdict(dict)
        self._skills: dict[int, frozenset[str]] = {}

    def add(self, job_id: int, skills: Iterable[str]) -> None:
        """Index (or re-index, as newest) a job's skills."""
        self.remove(job_id)
        folded = frozenset(s.casefold() for s in skills)
        self._skills[job_id] = folded
        for s in folded:
            self._postings[s][job_id] = None

    def remove(self, job_id: int) -> None:
        """Drop a job from the index (no-op if absent)."""
        for s in self._skills.pop(job_id, frozenset()):
            self._postings[s].pop(job_id, None)

    def search(self, skills: Iterable[str], k: int) -> list[tuple[int, int]]:
        """Up to k (job id, number of shared skills), most shared first, then newest."""
        counts: Counter[int] = Counter()
        for s in {s.casefold() for s in skills}:
            posting = self._postings.get(s)
            if posting:
                counts.update(islice(reversed(posting), self.max_postings))
        return counts.most_common(k)  # a heap, not a full sort; ties keep newest-first order


def fresh_popular(
    catalog: JobCatalog,
    state: OnlineState | None,
    now: float,
    k: int,
    half_life_days: float = 7.0,
) -> IntArray:
    """Rows of the k open jobs with the best popularity x freshness (exponential decay)."""
    rows = catalog.active_rows()
    if rows.size == 0 or k <= 0:
        return np.zeros(0, dtype=np.int64)
    clicks = state.job_counts(rows)[1] if state is not None else np.zeros(rows.size)
    age = np.maximum(0.0, now - catalog.posted_at[rows]) / DAY
    score = np.log1p(clicks + 1.0) * np.exp2(-age / half_life_days)
    k = min(k, rows.size)
    top = np.argpartition(-score, k - 1)[:k]
    return rows[top[np.argsort(-score[top], kind="stable")]]


@dataclass(frozen=True)
class Retrieved:
    """Retrieved job rows and, for each, the sources that proposed it ("ann", "skills", ...)."""

    rows: IntArray
    sources: list[tuple[str, ...]]


def retrieve(
    *,
    query: FloatArray,
    skills: Collection[str],
    catalog: JobCatalog,
    ann: ANNIndex,
    skill_index: SkillIndex,
    fresh_rows: IntArray,
    k_ann: int = 200,
    k_skills: int = 100,
    exclude: Collection[int] = (),
) -> Retrieved:
    """Union of ANN, skill and fresh-popular hits, deduplicated, without excluded/closed jobs.

    `fresh_rows` comes from `fresh_popular`, which scans every open job: callers cache it
    (the Recommender refreshes it periodically) rather than paying O(jobs) per request.
    """
    found: dict[int, list[str]] = {}

    def take(job_id: int, source: str) -> None:
        if job_id in exclude:
            return
        found.setdefault(job_id, []).append(source)

    # Over-fetch so that excluded jobs do not shrink the ANN share (bounded: at most 2x).
    ann_ids, _ = ann.search(query, k_ann + min(len(exclude), k_ann))
    for job_id in ann_ids.tolist():
        take(job_id, "ann")
    for job_id, _count in skill_index.search(skills, k_skills):
        take(job_id, "skills")
    for row in fresh_rows:
        take(catalog.jobs[int(row)].id, "fresh_popular")
    rows: list[int] = []
    sources: list[tuple[str, ...]] = []
    for job_id, src in found.items():
        row = catalog.id_to_row.get(job_id)
        if row is not None and catalog.active[row]:
            rows.append(row)
            sources.append(tuple(src))
    return Retrieved(np.asarray(rows, dtype=np.int64), sources)
