"""takehomes/build_next_item.py: the time split behind the shipped example, on known rows."""

from __future__ import annotations

import gzip
from pathlib import Path
from types import ModuleType

from tests.scripts import load_script


def load_builder() -> ModuleType:
    return load_script("takehomes/build_next_item.py", "build_next_item")


ROWS = [
    (1, 10, 100, "click"),
    (1, 11, 200, "apply"),
    (2, 10, 150, "click"),
    (1, 10, 250, "save"),  # seen before the cut-off: not an answer
    (1, 12, 260, "click"),
    (2, 12, 270, "click"),
    (3, 13, 280, "click"),  # a new user: cold
    (2, 14, 400, "click"),  # after the window
]


def test_answers_are_new_jobs_inside_the_window() -> None:
    builder = load_builder()
    assert builder.answers_after(ROWS, 200, 300) == {1: {12}, 2: {12}, 3: {13}}
    assert builder.answers_after(ROWS, 300, 400) == {2: {14}}


def test_a_split_writes_history_up_to_the_cut_off_and_the_users(tmp_path: Path) -> None:
    builder = load_builder()
    builder.write_split(ROWS, tmp_path, 200, 300)
    lines = gzip.decompress((tmp_path / "history.csv.gz").read_bytes()).decode().splitlines()
    assert lines == [
        "user_id,job_id,timestamp,event",
        "1,10,100,click",
        "1,11,200,apply",
        "2,10,150,click",
    ]
    assert (tmp_path / "users.csv").read_text() == "user_id\n1\n2\n3\n"
    first = (tmp_path / "history.csv.gz").read_bytes()
    builder.write_split(ROWS, tmp_path, 200, 300)
    assert (tmp_path / "history.csv.gz").read_bytes() == first  # the same bytes every time
