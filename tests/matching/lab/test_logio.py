"""Rebuilding training inputs from a flat log and JSONL profiles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hiresight.matching.entities import EventKind
from hiresight.matching.errors import InvalidLogError
from hiresight.matching.lab.evaluate import LogRow
from hiresight.matching.lab.logio import impressions_from_log, load_training_inputs
from hiresight.matching.lab.records import read_candidate_file, read_job_file
from hiresight.matching.training import build_training_data
from tests.matching.lab.conftest import HashEmbedder

ROWS = [
    LogRow(1, 10, 100.0, EventKind.IMPRESSION),
    LogRow(1, 11, 100.0, EventKind.IMPRESSION),
    LogRow(1, 12, 100.0, EventKind.IMPRESSION),
    LogRow(1, 11, 150.0, EventKind.CLICK),
    LogRow(1, 11, 160.0, EventKind.APPLY),
    LogRow(1, 12, 170.0, EventKind.DISMISS),
    LogRow(1, 10, 99_999.0, EventKind.CLICK),  # a day later: outside the window
]


def test_lists_positions_and_strongest_outcome() -> None:
    """One list in file order; apply beats click; late actions do not count for the list."""
    impressions, events = impressions_from_log(ROWS, window=3600)
    assert len(impressions) == 1
    imp = impressions[0]
    assert imp.job_ids == (10, 11, 12)
    assert imp.outcomes == (EventKind.IMPRESSION, EventKind.APPLY, EventKind.DISMISS)
    assert [e.position for e in events if e.kind is EventKind.IMPRESSION] == [0, 1, 2]
    assert len(events) == len(ROWS)  # every action still feeds the online features


def _write_profiles(tmp_path: Path) -> tuple[Path, Path]:
    cands = [{"id": 1, "vector": [1, 0], "skills": ["Python"], "interview_score": 0.5}]
    jobs = [
        {"id": j, "company_id": 1, "vector": [1, j / 10], "required_skills": ["Python"]}
        for j in (10, 11, 12)
    ]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(c) for c in cands) + "\n")
    (tmp_path / "j.jsonl").write_text("\n".join(json.dumps(j) for j in jobs) + "\n")
    return tmp_path / "c.jsonl", tmp_path / "j.jsonl"


def _no_embedder() -> HashEmbedder:
    raise AssertionError("files with vectors need no embedder")


def test_profiles_parse_and_vectors_are_normalised(tmp_path: Path) -> None:
    """JSONL profiles become entities with unit vectors and defaults for omitted fields."""
    c_path, j_path = _write_profiles(tmp_path)
    cand = read_candidate_file(c_path, _no_embedder).profiles[1]
    assert cand.skills == frozenset({"Python"})
    assert cand.salary_expectation is None
    jobs = read_job_file(j_path, _no_embedder).postings
    assert [j.id for j in jobs] == [10, 11, 12]
    assert float((jobs[2].vector ** 2).sum()) == pytest.approx(1.0)


def test_load_training_inputs_builds_features(tmp_path: Path) -> None:
    """The three files give one training group of three rows with grades [0, 3, 0]."""
    c_path, j_path = _write_profiles(tmp_path)
    log = tmp_path / "log.csv"
    log.write_text(
        "user,item,timestamp,event\n"
        + "".join(f"{r.user},{r.item},{r.timestamp},{r.event.value}\n" for r in ROWS)
    )
    data = build_training_data(load_training_inputs(log, c_path, j_path, _no_embedder))
    assert data.groups.tolist() == [3]
    assert data.y.tolist() == [0, 3, 0]


def test_bad_jsonl_points_at_the_line(tmp_path: Path) -> None:
    """A broken line is reported with its number and the stable code."""
    (tmp_path / "c.jsonl").write_text('{"id": 1, "vector": [1]}\n{oops\n')
    with pytest.raises(InvalidLogError, match=":2:") as err:
        read_candidate_file(tmp_path / "c.jsonl", _no_embedder)
    assert err.value.code == "matching_invalid_log"
