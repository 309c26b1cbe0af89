"""What the terminal interview says: flag lines checked against the bug classes and the
challenge's files, the code review's per-bug result, and what an interruption kept.

Pure functions on plain data: `cli.py` reads the rows and prints these lines.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import shlex
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from pydantic import ValidationError

from hiresight.interviews.attempt_data.answers import FlagIn
from hiresight.interviews.config import StageKind
from hiresight.scoring.codereview import BugSpec, CandidateFlag, FlagResult

FLAG_EXAMPLE = "orders.py:12-14 off-by-one"
_LOCATION = re.compile(r"^(?P<file>\S+):(?P<start>\d+)(?:-(?P<end>\d+))?$")


class FlagLine(NamedTuple):
    """A flag line as read: the flag to store, or why it was refused (and nothing stored)."""

    flag: dict[str, Any] | None
    problem: str | None


def _closest(word: str, known: Sequence[str]) -> str | None:
    found = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return found[0] if found else None


def normalise_class(typed: str) -> str:
    """`Off_By One` -> `off-by-one`: case, spaces and underscores do not matter."""
    return re.sub(r"[\s_]+", "-", typed.strip().lower())


def check_bug_class(typed: str, known: Sequence[str]) -> FlagLine:
    """The known class the candidate meant, or a message naming a near miss or the list."""
    name = normalise_class(typed)
    if name in known:
        return FlagLine({"class": name}, None)
    near = _closest(name, known)
    if near is not None:
        return FlagLine(None, f"Unknown bug class '{typed}'. Did you mean '{near}'?")
    return FlagLine(None, f"Unknown bug class '{typed}'. Use one of: {', '.join(known)}.")


def parse_flag(line: str, *, classes: Sequence[str], files: Sequence[str]) -> FlagLine:
    """`FILE:START-END CLASS` -> the stored flag; a refused line says what to type instead."""
    where, _, typed_class = line.strip().partition(" ")
    match = _LOCATION.match(where)
    if match is None or not typed_class.strip():
        return FlagLine(None, f"Not understood; write e.g. {FLAG_EXAMPLE}")
    file = match["file"]
    if file not in files:
        near = _closest(file, files)
        hint = f" Did you mean '{near}'?" if near else f" Files: {', '.join(files)}."
        return FlagLine(None, f"No file '{file}' in this review.{hint}")
    start = int(match["start"])
    end = int(match["end"] or start)
    if start < 1 or end < start:
        return FlagLine(None, f"Lines {start}-{end} are not a range; write e.g. {FLAG_EXAMPLE}")
    checked = check_bug_class(typed_class, classes)
    if checked.flag is None:
        return FlagLine(None, f"{checked.problem} Type the line again.")
    flag = {"file": file, "start_line": start, "end_line": end, **checked.flag}
    return FlagLine(flag, None)


def candidate_flags(flags: Sequence[FlagIn]) -> list[CandidateFlag]:
    """The complete, well-formed flags of an answer (the others are never credited)."""
    kept = []
    for raw in flags:
        if raw.file is None or raw.start_line is None or raw.end_line is None:
            continue
        try:
            kept.append(
                CandidateFlag(
                    file=raw.file,
                    start_line=raw.start_line,
                    end_line=raw.end_line,
                    bug_class=raw.bug_class,
                )
            )
        except ValidationError:
            continue
    return kept


def review_lines(
    bugs: Sequence[BugSpec], fixed: Mapping[str, bool] | None, flagged: FlagResult
) -> list[str]:
    """Each seeded bug, found or missed, with a hint for a missed one.

    A bug is found when the patch fixed it (its hidden tests pass) or a flag pointed at it.
    The hint names the file, the lines and the class, never a hidden test. `fixed` is None
    when the patch could not be graded.
    """
    by_bug = {m.bug_id: m for m in flagged.matched}
    lines = []
    for bug in bugs:
        match = by_bug.get(bug.id)
        is_fixed = bool(fixed and fixed.get(bug.id))
        if match is None:
            flag_part = "not flagged"
        else:
            flag_part = "flagged as " + ("its class" if match.class_match else "another class")
        fix_part = "fix not graded" if fixed is None else ("fixed" if is_fixed else "not fixed")
        where = f"the {bug.bug_class} bug in {bug.file}"
        if is_fixed or match is not None:
            lines.append(f"  ✔ found {where} ({bug.severity}): {fix_part}, {flag_part}")
        else:
            lines.append(f"  ✘ missed a {bug.severity}-severity bug: {fix_part}, {flag_part}")
        if not is_fixed or match is None or not match.class_match:
            lines.append(f"      hint: {where}, near lines {bug.start_line}-{bug.end_line}")
    return lines


def _words(text: object) -> int:
    return len(str(text or "").split())


def saved_parts(kind: StageKind, draft: Mapping[str, Any]) -> list[str]:
    """What an attempt's saved draft holds, in words a candidate recognises."""
    parts = []
    answers = {k: v for k, v in (draft.get("answers") or {}).items() if v not in (None, "")}
    if answers:
        noun = "answer" if len(answers) == 1 else "answers"
        parts.append(f"{len(answers)} {noun}")
    if draft.get("writing"):
        parts.append(f"your text ({_words(draft['writing'])} words)")
    if kind is StageKind.code_review:
        if draft.get("files"):
            parts.append(f"your edits to {len(draft['files'])} file(s)")
        if draft.get("flags"):
            parts.append(f"{len(draft['flags'])} flagged bug(s)")
        if draft.get("explanation"):
            parts.append(f"your explanation ({_words(draft['explanation'])} words)")
    return parts


def resume_command(interview_id: int, email: str) -> str:
    """The exact command that carries on a practice session in the terminal."""
    return f"hiresight interview --practice --resume {interview_id} --email {shlex.quote(email)}"


def interrupted_lines(
    *,
    kind: StageKind | None,
    state: str | None,
    draft: Mapping[str, Any],
    deadline: dt.datetime | None,
    interview_id: int,
    email: str,
) -> list[str]:
    """What Ctrl-C kept on the server, and how to carry on."""
    lines = [f"\nStopped. Practice session #{interview_id} is kept on the server."]
    if kind is not None:
        stage = kind.value.replace("_", " ")
        if state == "active":
            parts = saved_parts(kind, draft)
            lines.append(
                f"Saved in the {stage} stage: {', '.join(parts)}."
                if parts
                else f"Nothing was typed in the {stage} stage yet."
            )
            if deadline is not None:
                lines.append(
                    f"The stage stays open until {deadline:%H:%M} UTC; then what is saved "
                    "becomes your answer."
                )
        else:
            lines.append(f"The {stage} stage is {state}; its answer is stored.")
    lines.append("Resume in the terminal with:")
    lines.append(f"  {resume_command(interview_id, email)}")
    lines.append(f"or in the browser at /interview/{interview_id}")
    return lines
