"""ANN recall against exact search, incremental updates, persistence and merged retrieval."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hiresight.matching.catalog import JobCatalog
from hiresight.matching.errors import DimensionMismatchError, UnknownJobError
from hiresight.matching.features import DAY, OnlineState
from hiresight.matching.retrieval import (
    ANNIndex,
    ExactIndex,
    SkillIndex,
    auto_ef_search,
    fresh_popular,
    retrieve,
)
from tests.matching.conftest import DIM, make_job, unit


def _clustered(n: int, dim: int, seed: int) -> np.ndarray:
    """Unit vectors around 20 centres: harder for HNSW than uniform noise."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(20, dim))
    x = centres[rng.integers(20, size=n)] + 0.5 * rng.normal(size=(n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_ann_recall_at_100_against_exact() -> None:
    """HNSW recall@100 over 50 queries on 5,000 clustered 64-d vectors is at least 0.95."""
    data = _clustered(5000, 64, seed=1)
    queries = _clustered(50, 64, seed=2)
    labels = np.arange(5000, dtype=np.int64)
    ann, exact = ANNIndex(64, max_elements=5000), ExactIndex(64)
    ann.add(labels, data)
    exact.add(labels, data)
    recalls = [
        len(set(ann.search(q, 100)[0]) & set(exact.search(q, 100)[0])) / 100 for q in queries
    ]
    print(f"ANN recall@100 = {np.mean(recalls):.4f}")
    assert np.mean(recalls) >= 0.95


@pytest.mark.parametrize(
    ("size", "ef"),
    [(0, 256), (100_000, 256), (100_001, 512), (400_000, 512), (1_000_000, 1024), (10**9, 4096)],
)
def test_auto_ef_doubles_per_4x_beyond_100k_up_to_a_cap(size: int, ef: int) -> None:
    """Known answers of the size rule: 256 up to 100k jobs, 1,024 at 1M, never past 4,096."""
    assert auto_ef_search(size) == ef


def test_unpinned_index_widens_ef_as_it_grows_and_pinned_one_does_not() -> None:
    """Without ef_search the served ef follows the live size; a pinned ef stays; k is a floor."""
    auto, pinned = ANNIndex(DIM), ANNIndex(DIM, ef_search=300)
    assert (auto.serving_ef(10), pinned.serving_ef(10)) == (256, 300)
    auto._live = pinned._live = set(range(1_000_000))  # the rule reads only the live count
    assert (auto.serving_ef(10), pinned.serving_ef(10)) == (1024, 300)
    assert auto.serving_ef(2000) == 2000


def test_exact_index_returns_sorted_inner_products() -> None:
    """Exact search returns the best labels, highest inner product first."""
    exact = ExactIndex(DIM)
    exact.add(np.array([7, 8, 9]), np.stack([unit(1.0), unit(0.0, 1.0), unit(1.0, 1.0)]))
    labels, sims = exact.search(unit(1.0), 2)
    assert labels.tolist() == [7, 9]
    assert sims[0] == pytest.approx(1.0)


def test_new_job_is_retrievable_immediately_and_index_grows() -> None:
    """Adding past the initial capacity resizes; the new vector is the nearest at once."""
    ann = ANNIndex(DIM, max_elements=2)
    ann.add(np.array([1, 2]), np.stack([unit(1.0), unit(0.0, 1.0)]))
    ann.add(np.array([3]), unit(0.0, 0.0, 1.0)[None, :])
    assert len(ann) == 3
    assert ann.search(unit(0.0, 0.0, 1.0), 1)[0].tolist() == [3]


def test_update_replaces_vector_and_delete_hides() -> None:
    """Re-adding a label moves it; a deleted label never comes back from search."""
    ann = ANNIndex(DIM)
    ann.add(np.array([1, 2]), np.stack([unit(1.0), unit(0.0, 1.0)]))
    ann.add(np.array([1]), unit(0.0, 0.0, 1.0)[None, :])
    assert ann.search(unit(0.0, 0.0, 1.0), 1)[0].tolist() == [1]
    ann.delete(2)
    assert 2 not in ann.search(unit(0.0, 1.0), 2)[0].tolist()
    with pytest.raises(UnknownJobError):
        ann.delete(2)


def test_index_persists_and_reloads_updatable(tmp_path: Path) -> None:
    """Saved and reloaded, the index keeps deletions and accepts new jobs."""
    ann = ANNIndex(DIM)
    ann.add(np.array([1, 2, 3]), np.stack([unit(1.0), unit(0.0, 1.0), unit(0.0, 0.0, 1.0)]))
    ann.delete(3)
    ann.save(tmp_path / "idx")
    loaded = ANNIndex.load(tmp_path / "idx")
    assert len(loaded) == 2
    assert 3 not in loaded.search(unit(0.0, 0.0, 1.0), 2)[0].tolist()
    loaded.add(np.array([4]), unit(0.0, 0.0, 0.0, 1.0)[None, :])
    assert loaded.search(unit(0.0, 0.0, 0.0, 1.0), 1)[0].tolist() == [4]


def test_query_dimension_is_checked() -> None:
    """A query of the wrong size is a clear error, not a crash inside hnswlib."""
    with pytest.raises(DimensionMismatchError):
        ANNIndex(DIM).search(np.zeros(DIM + 1, dtype=np.float32), 5)


def test_skill_index_ranks_by_overlap_case_insensitively() -> None:
    """Jobs sharing more skills come first; 'python' matches 'Python'; removal drops a job."""
    idx = SkillIndex()
    idx.add(1, ["Python", "Kafka"])
    idx.add(2, ["Python"])
    idx.add(3, ["Go"])
    assert idx.search(["python", "kafka"], 10) == [(1, 2), (2, 1)]
    idx.remove(1)
    assert idx.search(["python", "kafka"], 10) == [(2, 1)]


def test_skill_index_bounds_work_to_newest_postings() -> None:
    """With max_postings=2, only the two most recently indexed Python jobs are candidates."""
    idx = SkillIndex(max_postings=2)
    for job_id in (1, 2, 3):
        idx.add(job_id, ["Python"])
    idx.add(1, ["Python"])  # re-indexing makes job 1 the newest
    assert idx.search(["Python"], 10) == [(1, 1), (3, 1)]


def test_fresh_popular_prefers_recent_clicked_jobs() -> None:
    """A fresh job beats an old one; clicks lift a job; closed jobs are never returned."""
    old, fresh, closed = (
        make_job(posted_at=0.0),
        make_job(posted_at=29 * DAY),
        make_job(posted_at=30 * DAY),
    )
    catalog = JobCatalog(DIM)
    catalog.extend([old, fresh, closed])
    catalog.remove(closed.id)
    rows = fresh_popular(catalog, OnlineState(catalog), now=30 * DAY, k=5)
    assert catalog.ids(rows) == [fresh.id, old.id]


def test_retrieve_merges_sources_dedups_and_excludes() -> None:
    """A job found by ANN and by skills appears once with both sources; excluded ids vanish."""
    near = make_job(vector=unit(1.0), required_skills=frozenset({"Rust"}))
    other = make_job(vector=unit(0.0, 1.0), required_skills=frozenset({"Go"}))
    hidden = make_job(vector=unit(1.0, 0.1), required_skills=frozenset({"Rust"}))
    catalog, ann, skills = JobCatalog(DIM), ANNIndex(DIM), SkillIndex()
    for job in (near, other, hidden):
        catalog.upsert(job)
        skills.add(job.id, job.required_skills)
    ann.add(
        np.array([near.id, other.id, hidden.id]),
        np.stack([near.vector, other.vector, hidden.vector]),
    )
    found = retrieve(
        query=unit(1.0),
        skills={"rust"},
        catalog=catalog,
        ann=ann,
        skill_index=skills,
        fresh_rows=np.zeros(0, dtype=np.int64),
        k_ann=1,
        k_skills=5,
        exclude={hidden.id},
    )
    by_id = dict(zip(catalog.ids(found.rows), found.sources, strict=True))
    assert by_id == {near.id: ("ann", "skills")}
