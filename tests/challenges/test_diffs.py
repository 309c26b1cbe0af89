"""Hunks between src/ and solution/, their owners, and partial-fix trees."""

from __future__ import annotations

from hiresight.challenges.diffs import (
    all_hunks,
    apply_hunks,
    file_hunks,
    owners,
    without_bug_fix,
)
from tests.challenges.factories import JS_FIXTURE, PY_FIXTURE, fixture_challenge


def test_known_hunks_of_the_python_fixture() -> None:
    """An insertion after line 18 is anchored at 18; a one-line change spans line 27."""
    ch = fixture_challenge(PY_FIXTURE)
    spans = [(h.file, h.first, h.last) for h in all_hunks(ch.src, ch.solution)]
    assert spans == [("inventory.py", 18, 18), ("inventory.py", 27, 27)]


def test_insertion_at_top_is_anchored_at_line_one() -> None:
    """A pure insertion before the first line belongs to line 1."""
    [hunk] = file_hunks("a.py", "x = 1\n", "import os\nx = 1\n")
    assert (hunk.first, hunk.last, hunk.old, hunk.new) == (1, 1, (0, 0), (0, 1))


def test_each_hunk_has_exactly_one_owner() -> None:
    """In the JS fixture, three hunks map to two bugs without overlap."""
    ch = fixture_challenge(JS_FIXTURE)
    owned = [owners(h, ch.manifest.bugs) for h in all_hunks(ch.src, ch.solution)]
    assert owned == [["limit-clamp"], ["foreach-async"], ["foreach-async"]]


def test_applying_every_hunk_gives_the_solution_and_none_gives_src() -> None:
    """apply_hunks is exact at both ends."""
    ch = fixture_challenge(JS_FIXTURE)
    hunks = all_hunks(ch.src, ch.solution)
    assert apply_hunks(ch.src, ch.solution, hunks) == ch.solution
    assert apply_hunks(ch.src, ch.solution, []) == ch.src


def test_without_bug_fix_leaves_only_that_bug() -> None:
    """Dropping page-offset keeps its buggy line and applies the validation fix."""
    ch = fixture_challenge(PY_FIXTURE)
    tree = without_bug_fix(ch.src, ch.solution, ch.manifest.bugs, "page-offset")
    text = tree["inventory.py"]
    assert "start = page * size" in text
    assert "quantity must be positive" in text
