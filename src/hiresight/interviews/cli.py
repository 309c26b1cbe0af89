"""`hiresight interview --practice`: a practice interview in the terminal; and
`hiresight scoring rescore`, re-scoring stored attempts (`rescore_command`).

Every step runs in its own transaction through the same service functions as the web room, so
the server's rules (deadlines, autosave, grading) hold here too and nothing typed is lost.
`session_scope` builds the composition root, which registers the same final hooks (grading,
scoring) as the web app.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from hiresight.accounts import service as accounts
from hiresight.accounts.models import Role
from hiresight.accounts.security import verify_password
from hiresight.cli_support import cli_errors, load_settings, session_scope
from hiresight.db import create_db_engine, make_session_factory, utcnow
from hiresight.errors import AppError, NotFoundError
from hiresight.interviews import grading, questions, rescore, service, sessions
from hiresight.interviews.attempt_data.columns import (
    Content,
    attempt_content,
    attempt_draft,
    attempt_private,
    attempt_result,
    model_outline,
)
from hiresight.interviews.attempt_data.stored import (
    AskedQuestion,
    CodeReviewContent,
    CodeReviewResult,
    EnglishContent,
    McQuestion,
)
from hiresight.interviews.config import StageKind
from hiresight.interviews.models import InterviewSession, StageAttempt
from hiresight.interviews.rescore import RescoreSummary

END_MARK = "."


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


def _answer(attempt_id: int, qid: str, text: str | None, choice: int | None) -> list[AskedQuestion]:
    with session_scope() as session:
        attempt = session.get(StageAttempt, attempt_id)
        assert attempt is not None
        service.check_writable(session, attempt)
        questions.answer_question(attempt, qid, text, choice)
        return attempt_content(attempt).questions


def _ask_questions(attempt_id: int, content: Content) -> None:
    answered: set[str] = set()
    pending = list(content.questions)
    answers: dict[str, Any] = {}
    while pending:
        question = pending.pop(0)
        if question.id in answered:
            continue
        answered.add(question.id)
        if isinstance(question, McQuestion) and question.passage:
            typer.echo(f"\n{question.passage}")
        typer.echo(f"\n{question.text}")
        if isinstance(question, McQuestion):
            for index, option in enumerate(question.options, start=1):
                typer.echo(f"  {index}. {option}")
            choice = _read_choice()
            answers[question.id] = choice
            _save(attempt_id, {"answers": answers})
            updated = _answer(attempt_id, question.id, None, choice)
        else:
            text = _read_block("Your answer")
            answers[question.id] = text
            _save(attempt_id, {"answers": answers})
            updated = _answer(attempt_id, question.id, text, None)
        pending += [q for q in updated if q.id not in answered and q not in pending]


def _code_review(attempt_id: int, content: CodeReviewContent) -> None:
    challenge = content.challenge
    workdir = Path(tempfile.mkdtemp(prefix="hiresight-review-"))
    for name, text in challenge.files.items():
        (workdir / name).parent.mkdir(parents=True, exist_ok=True)
        (workdir / name).write_text(text)
    typer.echo(f"\n{challenge.title} ({challenge.language})\n\n{challenge.scenario}\n")
    editor = os.environ.get("EDITOR")
    if editor:
        for name in challenge.files:
            subprocess.run([*shlex.split(editor), str(workdir / name)], check=False)
    else:
        typer.echo(f"The code is in {workdir}. Edit the files there, then press Enter.")
        input()
    files = {name: (workdir / name).read_text() for name in challenge.files}
    typer.echo("Flag the bugs, one per line as FILE:START-END CLASS (empty line to finish).")
    typer.echo("Classes: " + ", ".join(challenge.bug_classes))
    flags = []
    while True:
        line = input().strip()
        if not line:
            break
        try:
            where, bug_class = line.split()
            file, lines = where.rsplit(":", 1)
            start, _, end = lines.partition("-")
            flags.append(
                {
                    "file": file,
                    "start_line": int(start),
                    "end_line": int(end or start),
                    "class": bug_class,
                }
            )
        except ValueError:
            typer.echo("  Not understood; write e.g. orders.py:12-14 off-by-one")
    explanation = _read_block("Explain each fix: the problem, the fix, and its impact")
    _save(attempt_id, {"files": files, "flags": flags, "explanation": explanation})


def _feedback(attempt_id: int) -> None:
    with session_scope() as session:
        attempt = session.get(StageAttempt, attempt_id)
        assert attempt is not None
        stage, private = attempt.stage, attempt_private(attempt)
    if stage is StageKind.code_review:
        typer.echo("Grading your patch in the sandbox…")
        grading.wait_for_grading(120)
        with session_scope() as session:
            attempt = session.get(StageAttempt, attempt_id)
            assert attempt is not None
            graded = attempt_result(attempt, CodeReviewResult)
        report = graded.candidate if graded is not None else None
        if report is not None:
            typer.echo(
                f"Bugs fixed: {report.bugs_fixed} of {report.bugs_total} · "
                f"score {round(report.score)}"
            )
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


def _run_stage(interview_id: int, kind: StageKind) -> None:
    with session_scope() as session:
        interview = session.get(InterviewSession, interview_id)
        assert interview is not None
        attempt = service.start_stage(
            session, interview=interview, kind=kind, build_content=questions.build_content
        )
        attempt_id, content, left = attempt.id, attempt_content(attempt), _remaining(attempt)
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
                _save(attempt_id, {"writing": _read_block("Your text")})
        with session_scope() as session:
            current = session.get(StageAttempt, attempt_id)
            assert current is not None
            service.submit(session, attempt=current)
    except AppError as exc:
        typer.secho(f"{exc.message}", fg="yellow")
    typer.echo(f"Stage finished in {int(time.monotonic() - started)} s.")
    _feedback(attempt_id)


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
) -> None:
    """Take a practice interview in the terminal: timed questions, answers, a code review."""
    if not practice:
        raise typer.BadParameter("the terminal runs practice interviews only: add --practice")
    try:
        wanted = [StageKind(s.strip()) for s in stages.split(",") if s.strip()] or None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--stages") from exc
    with cli_errors():
        with session_scope() as session:
            user = accounts.get_by_email(session, email=email)
            valid = user is not None and verify_password(user.password_hash, password)
            if user is None or not valid or user.role is not Role.candidate:
                raise NotFoundError("Unknown e-mail or wrong password.")
            interview = sessions.start_session(
                session, candidate=user, practice=True, stages=wanted
            )
            interview_id = interview.id
            kinds = [s.kind for s in sessions.config_of(interview).stages]
        typer.echo(
            f"Practice session #{interview_id}: {len(kinds)} stage(s). "
            "Nothing here reaches recruiters."
        )
        for kind in kinds:
            _run_stage(interview_id, kind)
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
