"""`hiresight interview --practice`: a practice interview in the terminal; and
`hiresight scoring rescore`, re-scoring stored attempts (`rescore_command`).

Every step runs in its own transaction through the same service functions as the web room, so
the server's rules (deadlines, autosave, grading) hold here too and nothing typed is lost:
Ctrl-C saves what was being typed, says what the server holds and prints the command that
resumes the session (`--resume`). `session_scope` builds the composition root, which registers
the same final hooks (grading, scoring) as the web app. What the terminal says is built in
`terminal.py`.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import click
import typer

from hiresight.accounts import service as accounts
from hiresight.accounts.models import Role
from hiresight.accounts.security import verify_password
from hiresight.cli_support import cli_errors, load_settings, session_scope
from hiresight.db import create_db_engine, make_session_factory, utcnow
from hiresight.errors import AppError, NotFoundError
from hiresight.interviews import grading, questions, rescore, service, sessions, terminal
from hiresight.interviews.attempt_data.answers import CodeReviewAnswer
from hiresight.interviews.attempt_data.columns import (
    Content,
    attempt_answer,
    attempt_content,
    attempt_draft,
    attempt_private,
    attempt_result,
    model_outline,
)
from hiresight.interviews.attempt_data.stored import (
    AskedQuestion,
    CodeReviewContent,
    CodeReviewPrivate,
    CodeReviewResult,
    EnglishContent,
    McQuestion,
)
from hiresight.interviews.config import StageKind
from hiresight.interviews.errors import StageStateError
from hiresight.interviews.models import AttemptState, InterviewSession, StageAttempt
from hiresight.interviews.rescore import RescoreSummary
from hiresight.scoring.codereview import BugSpec, match_flags

END_MARK = "."
# Ctrl-C at a plain input() raises KeyboardInterrupt; at a Click prompt, click.Abort.
STOPPED = (KeyboardInterrupt, click.exceptions.Abort)


class PartialInput(Exception):
    """Ctrl-C in the middle of a text: the lines typed so far, to be saved before stopping."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


@dataclass
class Progress:
    """Where the terminal interview is, so an interruption can say what was kept."""

    interview_id: int
    email: str
    attempt_id: int | None = None


def _remaining(attempt: StageAttempt) -> str:
    left = max(0, int((attempt.deadline_at - utcnow()).total_seconds()))
    return f"{left // 60}:{left % 60:02d}"


def _read_block(prompt: str) -> str:
    """Read lines until a line with a single '.' (or end of input)."""
    typer.echo(f"{prompt} (finish with a line containing only '{END_MARK}')")
    lines: list[str] = []
    while True:
        try:
            line = input()
        except EOFError:
            break
        except KeyboardInterrupt:
            raise PartialInput("\n".join(lines).strip()) from None
        if line.strip() == END_MARK:
            break
        lines.append(line)
    return "\n".join(lines).strip()


def _read_choice() -> int:
    """An option number 1-4 typed at the prompt, as a 0-based index."""
    while True:
        raw = typer.prompt("Your answer (1-4)")
        if raw.strip() in ("1", "2", "3", "4"):
            return int(raw) - 1
        typer.echo("Type 1, 2, 3 or 4.")


def _save(attempt_id: int, update: dict[str, Any]) -> None:
    with session_scope() as session:
        attempt = session.get(StageAttempt, attempt_id)
        assert attempt is not None
        draft = {**attempt_draft(attempt).stored(), **update}
        service.save_draft(
            session, attempt=attempt, revision=attempt.draft_revision + 1, draft=draft
        )


def _saved_draft(attempt_id: int) -> dict[str, Any]:
    with session_scope() as session:
        attempt = session.get(StageAttempt, attempt_id)
        assert attempt is not None
        return attempt_draft(attempt).stored()


def _answer(
    attempt_id: int, qid: str, text: str | None, choice: int | None, *, resumed: bool = False
) -> list[AskedQuestion]:
    with session_scope() as session:
        attempt = session.get(StageAttempt, attempt_id)
        assert attempt is not None
        service.check_writable(session, attempt)
        try:
            questions.answer_question(attempt, qid, text, choice)
        except StageStateError:
            if not resumed:
                raise
            # A saved choice of a resumed session that reached the server before the stop.
        return attempt_content(attempt).questions


def _read_text(
    attempt_id: int, saved: str, prompt: str, store: Callable[[str], dict[str, Any]]
) -> str:
    """A text answer; a saved one (a resumed session) is shown and what is typed is added.

    On Ctrl-C the lines typed so far are saved (`store` makes the draft update) before stopping.
    """
    if saved:
        typer.echo(f"Saved so far:\n{saved}")
        prompt = "Add to it, or keep it as it is with an empty block"
    try:
        typed = _read_block(prompt)
    except PartialInput as stop:
        if stop.text:
            _save(attempt_id, store("\n".join(filter(None, [saved, stop.text]))))
        raise
    return "\n".join(filter(None, [saved, typed]))


def _answer_update(answers: dict[str, Any], qid: str) -> Callable[[str], dict[str, Any]]:
    """The draft update that saves `text` as the answer to question `qid`."""
    return lambda text: {"answers": {**answers, qid: text}}


def _ask_questions(attempt_id: int, content: Content) -> None:
    answered: set[str] = set()
    pending = list(content.questions)
    answers: dict[str, Any] = dict(_saved_draft(attempt_id).get("answers") or {})
    while pending:
        question = pending.pop(0)
        if question.id in answered:
            continue
        answered.add(question.id)
        if isinstance(question, McQuestion):
            choice = answers.get(question.id)
            resumed = isinstance(choice, int)
            if not isinstance(choice, int):
                if question.passage:
                    typer.echo(f"\n{question.passage}")
                typer.echo(f"\n{question.text}")
                for index, option in enumerate(question.options, start=1):
                    typer.echo(f"  {index}. {option}")
                choice = _read_choice()
                answers[question.id] = choice
                _save(attempt_id, {"answers": answers})
            updated = _answer(attempt_id, question.id, None, choice, resumed=resumed)
        else:
            typer.echo(f"\n{question.text}")
            saved = str(answers.get(question.id) or "")
            text = _read_text(
                attempt_id,
                saved,
                "Your answer",
                _answer_update(answers, question.id),
            )
            answers[question.id] = text
            _save(attempt_id, {"answers": answers})
            updated = _answer(attempt_id, question.id, text, None)
        pending += [q for q in updated if q.id not in answered and q not in pending]


def _read_flags(attempt_id: int, content: CodeReviewContent, saved: list[dict[str, Any]]) -> None:
    """Flag lines until an empty one; each is checked against the files and bug classes, and
    saved as soon as it is accepted (after the flags a resumed session had saved)."""
    view = content.challenge
    classes = view.bug_classes or questions.BUG_CLASSES
    typer.echo("Flag the bugs, one per line as FILE:START-END CLASS (empty line to finish).")
    typer.echo("Classes: " + ", ".join(classes))
    flags = list(saved)
    for flag in flags:
        typer.echo(
            f"  saved: {flag.get('file')}:{flag.get('start_line')}-{flag.get('end_line')} "
            f"{flag.get('class')}"
        )
    while True:
        try:
            line = input().strip()
        except EOFError:
            break
        if not line:
            break
        read = terminal.parse_flag(line, classes=classes, files=list(view.files))
        if read.flag is None:
            typer.echo(f"  {read.problem}")
        else:
            flags.append(read.flag)
            _save(attempt_id, {"flags": flags})


def _code_review(attempt_id: int, content: CodeReviewContent) -> None:
    challenge = content.challenge
    saved = _saved_draft(attempt_id)
    workdir = Path(tempfile.mkdtemp(prefix="hiresight-review-"))
    # A resumed session starts from the edits saved before the stop.
    for name, text in {**challenge.files, **(saved.get("files") or {})}.items():
        (workdir / name).parent.mkdir(parents=True, exist_ok=True)
        (workdir / name).write_text(text)
    typer.echo(f"\n{challenge.title} ({challenge.language})\n\n{challenge.scenario}\n")

    def read_files() -> dict[str, str]:
        return {name: (workdir / name).read_text() for name in challenge.files}

    try:
        editor = os.environ.get("EDITOR")
        if editor:
            for name in challenge.files:
                subprocess.run([*shlex.split(editor), str(workdir / name)], check=False)
        else:
            typer.echo(f"The code is in {workdir}. Edit the files there, then press Enter.")
            input()
    except STOPPED:
        _save(attempt_id, {"files": read_files()})
        raise
    files = read_files()
    _save(attempt_id, {"files": files})
    _read_flags(attempt_id, content, list(saved.get("flags") or []))
    explanation = _read_text(
        attempt_id,
        str(saved.get("explanation") or ""),
        "Explain each fix: the problem, the fix, and its impact",
        lambda t: {"explanation": t},
    )
    _save(attempt_id, {"explanation": explanation})


def _review_result(attempt_id: int) -> None:
    """The graded patch: bugs fixed, the score, and each seeded bug found or missed."""
    with session_scope() as session:
        attempt = session.get(StageAttempt, attempt_id)
        assert attempt is not None
        graded = attempt_result(attempt, CodeReviewResult)
        answer = attempt_answer(attempt, CodeReviewAnswer) or CodeReviewAnswer()
        challenge = grading.challenge_by_id(
            attempt_private(attempt, CodeReviewPrivate).challenge_id
        )
    report = graded.candidate if graded is not None else None
    grade = graded.grade if graded is not None else None
    if report is not None:
        typer.echo(
            f"Bugs fixed: {report.bugs_fixed} of {report.bugs_total} · score {round(report.score)}"
        )
    else:
        typer.echo("The patch could not be graded; only your flags are shown.")
    bugs = [BugSpec.from_challenge_bug(b) for b in challenge.manifest.bugs]
    graded_ok = grade is not None and grade.status == "ok"
    fixed = {b.id: b.fixed for b in grade.bugs} if grade is not None and graded_ok else None
    flagged = match_flags(terminal.candidate_flags(answer.flags or []), bugs)
    for line in terminal.review_lines(bugs, fixed, flagged):
        typer.echo(line)


def _feedback(attempt_id: int) -> None:
    with session_scope() as session:
        attempt = session.get(StageAttempt, attempt_id)
        assert attempt is not None
        stage, private = attempt.stage, attempt_private(attempt)
    if stage is StageKind.code_review:
        typer.echo("Grading your patch in the sandbox…")
        grading.wait_for_grading(120)
        _review_result(attempt_id)
        return
    typer.echo("Scoring your answer…")
    grading.wait_for_grading(120)
    with session_scope() as session:
        attempt = session.get(StageAttempt, attempt_id)
        assert attempt is not None
        scored = attempt_result(attempt)
    feedback = scored.practice if scored is not None else None
    if feedback is not None:
        typer.echo(f"Score: {round(feedback.score)}")
        for part, present in (feedback.structure or {}).items():
            typer.echo(f"  {'✔' if present else '✘'} {part}")
        for point in feedback.points_missed:
            typer.echo(f"  could add: {point}")
    outline = model_outline(private)
    if outline:
        typer.echo("\nA strong answer would cover:")
        for point in outline:
            typer.echo(f"  - {point}")


def _run_stage(progress: Progress, kind: StageKind) -> None:
    with session_scope() as session:
        interview = session.get(InterviewSession, progress.interview_id)
        assert interview is not None
        attempt = service.start_stage(
            session, interview=interview, kind=kind, build_content=questions.build_content
        )
        attempt_id, content, left = attempt.id, attempt_content(attempt), _remaining(attempt)
    progress.attempt_id = attempt_id
    typer.secho(f"\n== {kind.value.replace('_', ' ').title()} · {left} left ==", bold=True)
    if content.instructions:
        typer.echo(content.instructions)
    started = time.monotonic()
    try:
        if isinstance(content, CodeReviewContent):
            _code_review(attempt_id, content)
        else:
            _ask_questions(attempt_id, content)
            if isinstance(content, EnglishContent) and content.writing:
                writing = content.writing
                typer.echo(f"\n{writing.prompt} ({writing.min_words}–{writing.max_words} words)")
                saved = str(_saved_draft(attempt_id).get("writing") or "")
                text = _read_text(attempt_id, saved, "Your text", lambda t: {"writing": t})
                _save(attempt_id, {"writing": text})
        with session_scope() as session:
            current = session.get(StageAttempt, attempt_id)
            assert current is not None
            service.submit(session, attempt=current)
    except AppError as exc:
        typer.secho(f"{exc.message}", fg="yellow")
    typer.echo(f"Stage finished in {int(time.monotonic() - started)} s.")
    _feedback(attempt_id)


def _report_stop(progress: Progress) -> None:
    """Ctrl-C: what the server holds of the current stage, and the command that resumes."""
    kind = state = deadline = None
    draft: dict[str, Any] = {}
    if progress.attempt_id is not None:
        with session_scope() as session:
            attempt = session.get(StageAttempt, progress.attempt_id)
            assert attempt is not None
            kind, state, deadline = attempt.stage, attempt.state.value, attempt.deadline_at
            draft = attempt_draft(attempt).stored()
    lines = terminal.interrupted_lines(
        kind=kind,
        state=state,
        draft=draft,
        deadline=deadline,
        interview_id=progress.interview_id,
        email=progress.email,
    )
    typer.echo("\n".join(lines))


def _open_session(
    email: str, password: str, resume: int | None, wanted: list[StageKind] | None
) -> tuple[int, list[StageKind]]:
    """Log in; start a practice session, or find the caller's own one to resume.

    Returns the session's id and the stages still to take (a resumed session skips the stages
    already submitted or expired).
    """
    with session_scope() as session:
        user = accounts.get_by_email(session, email=email)
        valid = user is not None and verify_password(user.password_hash, password)
        if user is None or not valid or user.role is not Role.candidate:
            raise NotFoundError("Unknown e-mail or wrong password.")
        if resume is None:
            interview = sessions.start_session(
                session, candidate=user, practice=True, stages=wanted
            )
        else:
            found = session.get(InterviewSession, resume)
            if found is None or found.candidate_id != user.id or not found.practice:
                raise NotFoundError(f"You have no practice session #{resume}.")
            interview = found
        done = {a.stage for a in interview.attempts if a.state is not AttemptState.active}
        kinds = [s.kind for s in sessions.config_of(interview).stages if s.kind not in done]
        return interview.id, kinds


def interview_command(
    practice: Annotated[
        bool, typer.Option("--practice", help="Required: a practice session.")
    ] = False,
    email: Annotated[str, typer.Option(help="Your candidate account's e-mail.", prompt=True)] = "",
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, help="Your password.")
    ] = "",
    stages: Annotated[
        str,
        typer.Option(help="Comma-separated stages, e.g. behavioral,code_review (default: all)."),
    ] = "",
    resume: Annotated[
        int | None,
        typer.Option(help="Carry on this practice session (its number) where it stopped."),
    ] = None,
) -> None:
    """Take a practice interview in the terminal: timed questions, answers, a code review."""
    if not practice:
        raise typer.BadParameter("the terminal runs practice interviews only: add --practice")
    try:
        wanted = [StageKind(s.strip()) for s in stages.split(",") if s.strip()] or None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--stages") from exc
    if wanted and resume is not None:
        raise typer.BadParameter("a resumed session keeps its stages", param_hint="--stages")
    with cli_errors():
        interview_id, kinds = _open_session(email, password, resume, wanted)
        verb = "Resuming" if resume is not None else "Practice"
        typer.echo(
            f"{verb} session #{interview_id}: {len(kinds)} stage(s) to take. "
            "Nothing here reaches recruiters."
        )
        progress = Progress(interview_id, email)
        try:
            for kind in kinds:
                _run_stage(progress, kind)
        except (PartialInput, *STOPPED):
            _report_stop(progress)
            raise typer.Exit(130) from None
        typer.secho("\nPractice interview complete.", bold=True)


def rescore_command(
    kind: Annotated[StageKind, typer.Option(help="The stage kind to re-score.")],
    since: Annotated[
        dt.datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Only attempts submitted on or after this day."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be re-scored; write nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Re-score stored final attempts of a stage kind under the current rubric versions.

    Old scores stay; new rows become current. Attempts already scored under the current version
    are skipped. Exits 1 when an attempt failed to score (the others are still re-scored).
    """
    engine = create_db_engine(load_settings().effective_database_url)
    try:
        summary = rescore.rescore(
            make_session_factory(engine),
            kind,
            since=since.date() if since else None,
            dry_run=dry_run,
        )
    finally:
        engine.dispose()
    if as_json:
        typer.echo(summary.model_dump_json(indent=2))
    else:
        _print_rescore(summary)
    if summary.failed:
        raise typer.Exit(1)


def _print_rescore(summary: RescoreSummary) -> None:
    verb = "Would re-score" if summary.dry_run else "Re-scored"
    since = f" submitted since {summary.since}" if summary.since else ""
    typer.echo(
        f"{verb} {len(summary.rescored)} of {summary.considered} final {summary.stage.value} "
        f"attempts{since} under {summary.rubric_version}; skipped {summary.skipped} already "
        f"current; {len(summary.failed)} failed."
    )
    for item in summary.rescored:
        old = f"{item.old_value:.1f} ({item.old_version})" if item.old_value is not None else "none"
        new = f" -> {item.new_value:.1f}" if item.new_value is not None else ""
        typer.echo(f"  attempt {item.attempt_id}: {old}{new}")
    for failure in summary.failed:
        typer.echo(f"  attempt {failure.attempt_id} FAILED: {failure.error}")
