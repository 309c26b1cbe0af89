"""What the terminal interview says: flag lines checked, per-bug results, what Ctrl-C kept."""

from __future__ import annotations

import datetime as dt

import pytest

from hiresight.interviews.attempt_data.answers import FlagIn
from hiresight.interviews.config import StageKind
from hiresight.interviews.questions import BUG_CLASSES
from hiresight.interviews.terminal import (
    candidate_flags,
    check_bug_class,
    interrupted_lines,
    parse_flag,
    resume_command,
    review_lines,
    saved_parts,
)
from hiresight.scoring.codereview import BugSpec, CandidateFlag, match_flags

FILES = ["orders.py", "export.py"]
BUGS = [
    BugSpec(
        id="b1",
        file="orders.py",
        start_line=10,
        end_line=12,
        bug_class="off-by-one",
        severity="high",
    ),
    BugSpec(
        id="b2",
        file="export.py",
        start_line=30,
        end_line=33,
        bug_class="resource-leak",
        severity="low",
    ),
]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("off-by-one", "off-by-one"), ("Off_By One", "off-by-one"), ("N-PLUS-ONE", "n-plus-one")],
)
def test_a_known_class_is_taken_whatever_its_case_or_separators(typed: str, meant: str) -> None:
    """Case, spaces and underscores are forgiven: the stored class is the canonical name."""
    assert check_bug_class(typed, BUG_CLASSES).flag == {"class": meant}


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [("off-by-on", "off-by-one"), ("racecondition", "race-condition"), ("injektion", "injection")],
)
def test_a_near_miss_is_refused_with_the_class_it_resembles(typed: str, suggestion: str) -> None:
    """A typo is not stored as an unknown class; the message suggests the closest known one."""
    checked = check_bug_class(typed, BUG_CLASSES)
    assert checked.flag is None
    assert checked.problem == f"Unknown bug class '{typed}'. Did you mean '{suggestion}'?"


def test_an_unknown_class_is_refused_with_the_list() -> None:
    """Nothing close: the message lists every class the candidate may use."""
    checked = check_bug_class("spaghetti", ["off-by-one", "injection"])
    assert checked.flag is None
    assert checked.problem == "Unknown bug class 'spaghetti'. Use one of: off-by-one, injection."


def test_a_flag_line_is_parsed_into_the_stored_flag() -> None:
    """FILE:START-END CLASS, and a single line stands for a one-line range; a class may have
    spaces."""
    read = parse_flag("orders.py:10-12 Off by one", classes=BUG_CLASSES, files=FILES)
    assert read == (
        {"file": "orders.py", "start_line": 10, "end_line": 12, "class": "off-by-one"},
        None,
    )
    single = parse_flag("export.py:31 resource-leak", classes=BUG_CLASSES, files=FILES).flag
    assert single is not None
    assert (single["start_line"], single["end_line"]) == (31, 31)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("orders.py 10 off-by-one", "Not understood; write e.g. orders.py:12-14 off-by-one"),
        ("orders.py:10-12", "Not understood; write e.g. orders.py:12-14 off-by-one"),
        (
            "order.py:10-12 off-by-one",
            "No file 'order.py' in this review. Did you mean 'orders.py'?",
        ),
        ("main.go:1 off-by-one", "No file 'main.go' in this review. Files: orders.py, export.py."),
        (
            "orders.py:12-10 off-by-one",
            "Lines 12-10 are not a range; write e.g. orders.py:12-14 off-by-one",
        ),
        (
            "orders.py:10-12 of-by-one",
            "Unknown bug class 'of-by-one'. Did you mean 'off-by-one'? Type the line again.",
        ),
    ],
)
def test_a_refused_flag_line_says_what_to_type(line: str, problem: str) -> None:
    """Each kind of mistake gets its own message, and nothing is stored."""
    assert parse_flag(line, classes=BUG_CLASSES, files=FILES) == (None, problem)


def test_incomplete_or_backwards_flags_are_not_credited() -> None:
    """Only complete, well-formed flags reach the matcher."""
    flags = [
        FlagIn(file="orders.py", start_line=10, end_line=12, **{"class": "off-by-one"}),
        FlagIn(file="orders.py", start_line=None, end_line=12),
        FlagIn(file="export.py", start_line=40, end_line=30),
    ]
    assert candidate_flags(flags) == [
        CandidateFlag(file="orders.py", start_line=10, end_line=12, bug_class="off-by-one")
    ]


def test_each_bug_is_listed_found_or_missed_with_a_hint_for_the_missed() -> None:
    """Bug 1 fixed and flagged with its class; bug 2 neither: it gets the hint (file, lines,
    class), and no hidden test is named."""
    flagged = match_flags(
        [CandidateFlag(file="orders.py", start_line=10, end_line=11, bug_class="off-by-one")], BUGS
    )
    lines = review_lines(BUGS, {"b1": True, "b2": False}, flagged)
    assert lines == [
        "  ✔ found the off-by-one bug in orders.py (high): fixed, flagged as its class",
        "  ✘ missed a low-severity bug: not fixed, not flagged",
        "      hint: the resource-leak bug in export.py, near lines 30-33",
    ]


def test_a_fixed_bug_not_flagged_or_misnamed_gets_a_hint() -> None:
    """Found by the fix, but not flagged or flagged as the wrong class: the hint says where it
    was and which class it is."""
    flagged = match_flags(
        [CandidateFlag(file="export.py", start_line=30, end_line=33, bug_class="injection")], BUGS
    )
    lines = review_lines(BUGS, {"b1": True, "b2": True}, flagged)
    assert lines == [
        "  ✔ found the off-by-one bug in orders.py (high): fixed, not flagged",
        "      hint: the off-by-one bug in orders.py, near lines 10-12",
        "  ✔ found the resource-leak bug in export.py (low): fixed, flagged as another class",
        "      hint: the resource-leak bug in export.py, near lines 30-33",
    ]


def test_an_ungraded_patch_is_said_so_and_flags_still_count() -> None:
    """No grade: found means flagged, and the fix is 'not graded' rather than 'not fixed'."""
    flagged = match_flags(
        [CandidateFlag(file="orders.py", start_line=10, end_line=12, bug_class="off-by-one")], BUGS
    )
    lines = review_lines(BUGS, None, flagged)
    assert (
        lines[0]
        == "  ✔ found the off-by-one bug in orders.py (high): fix not graded, flagged as its class"
    )
    assert lines[2] == "  ✘ missed a low-severity bug: fix not graded, not flagged"


def test_saved_parts_name_what_a_draft_holds() -> None:
    """Answers given (empty ones not counted), the text's words, the code review's parts."""
    draft = {"answers": {"q1": "I led it", "q2": "", "q3": 2}, "writing": "one two three"}
    assert saved_parts(StageKind.english, draft) == ["2 answers", "your text (3 words)"]
    review = {"files": {"a.py": "x"}, "flags": [{"file": "a.py"}], "explanation": "it leaked"}
    assert saved_parts(StageKind.code_review, review) == [
        "your edits to 1 file(s)",
        "1 flagged bug(s)",
        "your explanation (2 words)",
    ]


def test_the_resume_command_quotes_the_email() -> None:
    """The printed command can be pasted as it is, whatever the address holds."""
    assert resume_command(7, "a b@example.com") == (
        "hiresight interview --practice --resume 7 --email 'a b@example.com'"
    )


def test_an_interruption_says_what_was_saved_and_how_to_resume() -> None:
    """An open stage: its saved parts, until when it stays open, the command and the room."""
    lines = interrupted_lines(
        kind=StageKind.behavioral,
        state="active",
        draft={"answers": {"q1": "Situation: deploys failed."}},
        deadline=dt.datetime(2026, 12, 5, 9, 41, tzinfo=dt.UTC),
        interview_id=12,
        email="candidate@example.com",
    )
    assert lines[1:] == [
        "Saved in the behavioral stage: 1 answer.",
        "The stage stays open until 09:41 UTC; then what is saved becomes your answer.",
        "Resume in the terminal with:",
        "  hiresight interview --practice --resume 12 --email candidate@example.com",
        "or in the browser at /interview/12",
    ]


def test_an_interruption_after_submitting_says_the_answer_is_stored() -> None:
    """Stopped while grading: the stage is submitted, nothing is left to save."""
    lines = interrupted_lines(
        kind=StageKind.code_review,
        state="submitted",
        draft={},
        deadline=None,
        interview_id=3,
        email="c@example.com",
    )
    assert lines[1] == "The code review stage is submitted; its answer is stored."
