"""Diff hunks between src/ and solution/, which bug owns each, and partial-fix trees.

Hunks are what `difflib.unified_diff(n=0)` prints: each maximal run of changed lines. A hunk's
span in src/ is its removed lines, or for a pure insertion the line it follows (1 at the top).
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from hiresight.challenges.models import Bug


@dataclass(frozen=True)
class Hunk:
    """One changed region of one file."""

    file: str
    first: int  # inclusive src/ line span used for ownership
    last: int
    old: tuple[int, int]  # src/ slice [i1, i2) it replaces
    new: tuple[int, int]  # solution/ slice [j1, j2) it inserts

    @property
    def label(self) -> str:
        """`file:first-last`, for messages."""
        span = f"{self.first}" if self.first == self.last else f"{self.first}-{self.last}"
        return f"{self.file}:{span}"


def file_hunks(name: str, src: str, solution: str) -> list[Hunk]:
    """The n=0 hunks turning `src` into `solution`."""
    a, b = src.splitlines(keepends=True), solution.splitlines(keepends=True)
    hunks = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(0):
        i1, i2 = group[0][1], group[-1][2]
        j1, j2 = group[0][3], group[-1][4]
        if i2 > i1:
            first, last = i1 + 1, i2
        else:
            first = last = max(i1, 1)
        hunks.append(Hunk(name, first, last, (i1, i2), (j1, j2)))
    return hunks


def all_hunks(src: Mapping[str, str], solution: Mapping[str, str]) -> list[Hunk]:
    """Hunks of every file present in src/ (files missing from solution/ are not diffed)."""
    hunks: list[Hunk] = []
    for name in sorted(src):
        if name in solution:
            hunks.extend(file_hunks(name, src[name], solution[name]))
    return hunks


def owners(hunk: Hunk, bugs: Sequence[Bug]) -> list[str]:
    """Ids of the bugs whose `lines` range (same file) contains the hunk's span."""
    return [
        b.id
        for b in bugs
        if b.file == hunk.file and b.lines[0] <= hunk.first and hunk.last <= b.lines[1]
    ]


def apply_hunks(
    src: Mapping[str, str], solution: Mapping[str, str], chosen: Collection[Hunk]
) -> dict[str, str]:
    """src/ with only the `chosen` hunks of the src->solution diff applied."""
    tree = dict(src)
    for name in sorted(src):
        if name not in solution:
            continue
        a = src[name].splitlines(keepends=True)
        b = solution[name].splitlines(keepends=True)
        out: list[str] = []
        pos = 0
        for hunk in file_hunks(name, src[name], solution[name]):
            i1, i2 = hunk.old
            out.extend(a[pos:i1])
            out.extend(b[hunk.new[0] : hunk.new[1]] if hunk in chosen else a[i1:i2])
            pos = i2
        out.extend(a[pos:])
        tree[name] = "".join(out)
    return tree


def without_bug_fix(
    src: Mapping[str, str], solution: Mapping[str, str], bugs: Sequence[Bug], bug_id: str
) -> dict[str, str]:
    """The independence variant: every fix applied except the hunks owned by `bug_id`."""
    bug = next(b for b in bugs if b.id == bug_id)
    keep = [h for h in all_hunks(src, solution) if bug.id not in owners(h, [bug])]
    return apply_hunks(src, solution, keep)
