"""Interaction-log parsing, the time split and the metric table, on hand-made logs."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiresight.matching.entities import EventKind
from hiresight.matching.errors import InvalidLogError, NotEnoughDataError
from hiresight.matching.lab.evaluate import (
    LogRow,
    evaluate_models,
    format_table,
    plot_metrics,
    read_log_csv,
    temporal_split,
    write_log_csv,
)

ROWS = [
    LogRow(1, 10, 1.0, EventKind.CLICK),
    LogRow(1, 11, 2.0, EventKind.IMPRESSION),
    LogRow(2, 10, 3.0, EventKind.APPLY),
    LogRow(2, 12, 4.0, EventKind.DISMISS),
    LogRow(1, 12, 9.0, EventKind.APPLY),
    LogRow(2, 11, 10.0, EventKind.SAVE),
]


def test_csv_round_trip(tmp_path: Path) -> None:
    """Rows written in the documented format read back identically."""
    write_log_csv(ROWS, tmp_path / "log.csv")
    assert read_log_csv(tmp_path / "log.csv") == ROWS


def test_missing_column_is_a_coded_error(tmp_path: Path) -> None:
    """A log without the event column names what is missing."""
    (tmp_path / "log.csv").write_text("user,item,timestamp\n1,2,3\n")
    with pytest.raises(InvalidLogError, match="missing column\\(s\\) event") as err:
        read_log_csv(tmp_path / "log.csv")
    assert err.value.code == "matching_invalid_log"


def test_bad_value_reports_the_line(tmp_path: Path) -> None:
    """An unknown event kind points at its line."""
    (tmp_path / "log.csv").write_text("user,item,timestamp,event\n1,2,3,click\n1,2,4,like\n")
    with pytest.raises(InvalidLogError, match=":3:"):
        read_log_csv(tmp_path / "log.csv")


def test_temporal_split_known_answer() -> None:
    """Cutoff at the 0.7 quantile of [1,2,3,4,9,10] (t=6.5); later new positives are relevant."""
    split = temporal_split(ROWS, test_fraction=0.3)
    assert split.cutoff == pytest.approx(6.5)
    assert split.relevant == {1: {12}, 2: {11}}
    assert split.seen == {1: {10}, 2: {10}}
    assert split.train.sum() == pytest.approx(1 + 3)  # click=1, apply=3; others not positive


def test_split_keeps_each_users_training_path_in_time_order() -> None:
    """Positive training events in time order (file order on ties), a repeated step once."""
    rows = [
        LogRow(1, 12, 3.0, EventKind.CLICK),
        LogRow(1, 10, 1.0, EventKind.CLICK),
        LogRow(1, 10, 2.0, EventKind.APPLY),  # the same job again: one step
        LogRow(1, 11, 3.0, EventKind.IMPRESSION),  # not positive
        LogRow(1, 13, 3.0, EventKind.SAVE),  # same time as item 12, later in the file
        LogRow(1, 10, 4.0, EventKind.CLICK),  # back to an earlier job: a new step
        LogRow(1, 14, 99.0, EventKind.CLICK),  # after the cutoff
    ]
    split = temporal_split(rows, test_fraction=0.1)
    assert split.sequences == {1: [10, 12, 13, 10]}
    assert split.sequence_rows() == [[split.items[i] for i in (10, 12, 13, 10)]]


def test_split_needs_both_periods() -> None:
    """A log with nothing positive after the cutoff cannot be evaluated."""
    with pytest.raises(NotEnoughDataError):
        temporal_split(ROWS[:2])


def test_evaluate_models_with_a_fixed_list(tmp_path: Path) -> None:
    """A model that always answers [12, 11] hits one of one relevant item at rank 1 or 2."""
    split = temporal_split(ROWS, test_fraction=0.3)
    results = evaluate_models({"fixed": lambda user, k: [12, 11][:k]}, split, ks=(1, 2))
    r = results["fixed"]
    assert r["precision@1"] == pytest.approx(0.5)  # user 1 hit at 1, user 2 miss
    assert r["recall@2"] == pytest.approx(1.0)
    assert r["coverage@1"] == pytest.approx(1 / 3)
    assert "| fixed | 2 |" in format_table(results, (1, 2))
    plot_metrics(results, (1, 2), tmp_path / "m.png")
    assert (tmp_path / "m.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
