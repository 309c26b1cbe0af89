"""A/B assignment determinism and interval arithmetic on known counts."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from hiresight.matching.errors import InvalidExperimentError, InvalidLogError
from hiresight.matching.experiments import (
    Experiment,
    Exposure,
    assign,
    difference,
    format_report,
    read_exposures,
    report,
    wilson,
)

EXP = Experiment("ranker-v2", {"control": 1.0, "treatment": 1.0})


def test_assignment_is_deterministic() -> None:
    """The same candidate always lands in the same variant."""
    assert [assign(EXP, i) for i in range(200)] == [assign(EXP, i) for i in range(200)]


def test_assignment_known_value() -> None:
    """Variant = first 8 bytes of sha256("name:id") as a fraction of 2^64, against weights."""
    for candidate_id in range(20):
        digest = hashlib.sha256(f"ranker-v2:{candidate_id}".encode()).digest()
        point = int.from_bytes(digest[:8], "big") / 2**64
        assert assign(EXP, candidate_id) == ("control" if point < 0.5 else "treatment")


def test_experiments_are_independent() -> None:
    """Another experiment name reshuffles the same candidates."""
    other = Experiment("another", EXP.variants)
    assert [assign(EXP, i) for i in range(50)] != [assign(other, i) for i in range(50)]


def test_weights_split_traffic() -> None:
    """Weights 1:3 give ~25% / 75% of 20,000 candidates (within 1.5 points)."""
    exp = Experiment("split", {"a": 1.0, "b": 3.0})
    counts = Counter(assign(exp, i) for i in range(20_000))
    assert counts["a"] / 20_000 == pytest.approx(0.25, abs=0.015)


def test_invalid_experiment_rejected() -> None:
    """No variants or a zero weight is a coded error."""
    with pytest.raises(InvalidExperimentError):
        Experiment("x", {})
    with pytest.raises(InvalidExperimentError):
        Experiment("x", {"a": 0.0})


def test_wilson_known_answers() -> None:
    """50/100 -> [0.4038, 0.5962]; 0/10 -> [0, 0.2775] (Wilson 1927, no continuity corr.)."""
    r = wilson(50, 100)
    assert (r.low, r.high) == pytest.approx((0.403832, 0.596168), abs=1e-6)
    r = wilson(0, 10)
    assert (r.low, r.high) == pytest.approx((0.0, 0.277533), abs=1e-6)


def test_newcombe_difference_known_answer() -> None:
    """Newcombe (1998) table II example: 56/70 vs 48/80, difference 0.2 in [0.0524, 0.3339]."""
    delta, low, high = difference(wilson(48, 80), wilson(56, 70))
    assert delta == pytest.approx(0.2)
    assert (low, high) == pytest.approx((0.0524, 0.3339), abs=1e-4)


def test_report_counts_each_candidate_once() -> None:
    """Two exposures of one candidate are one trial; rates and diffs per variant."""
    exposures = [
        Exposure("e", "control", 1, clicked=True),
        Exposure("e", "control", 1, clicked=False),
        Exposure("e", "control", 2),
        Exposure("e", "treatment", 3, clicked=True, applied=True),
        Exposure("e", "treatment", 4, clicked=True),
        Exposure("other", "control", 5, clicked=True),
    ]
    rows = report(exposures, "e")
    assert [(r.variant, r.exposures, r.ctr.successes, r.apply_rate.successes) for r in rows] == [
        ("control", 2, 1, 0),
        ("treatment", 2, 2, 1),
    ]
    assert rows[0].ctr_diff is None
    assert rows[1].ctr_diff is not None
    assert rows[1].ctr_diff[0] == pytest.approx(0.5)
    assert "| treatment | 2 | 100.00%" in format_report(rows)


def test_read_exposures_json_and_csv(tmp_path: Path) -> None:
    """Both file formats parse to the same exposures."""
    records = [
        {"experiment": "e", "variant": "a", "candidate_id": 1, "clicked": True, "applied": False}
    ]
    (tmp_path / "x.json").write_text(json.dumps(records))
    (tmp_path / "x.csv").write_text("experiment,variant,candidate_id,clicked,applied\ne,a,1,1,0\n")
    assert (
        read_exposures(tmp_path / "x.json")
        == read_exposures(tmp_path / "x.csv")
        == [Exposure("e", "a", 1, True, False)]
    )


def test_bad_exposure_log_is_a_coded_error(tmp_path: Path) -> None:
    """A record without candidate_id reports matching_invalid_log."""
    (tmp_path / "x.csv").write_text("experiment,variant\ne,a\n")
    with pytest.raises(InvalidLogError) as err:
        read_exposures(tmp_path / "x.csv")
    assert err.value.code == "matching_invalid_log"
