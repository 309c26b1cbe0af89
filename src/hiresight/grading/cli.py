"""`hiresight grade CHALLENGE_DIR --patch PATCH [--json]`: grade a patch from the shell."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hiresight.challenges.cli import BankOption
from hiresight.challenges.errors import ChallengeError
from hiresight.challenges.loader import challenge_dirs, load_challenge
from hiresight.grading.checker import check_path
from hiresight.grading.errors import PatchError
from hiresight.grading.grader import grade
from hiresight.grading.patches import load_patch
from hiresight.grading.report import GradeReport


def _print_table(report: GradeReport) -> None:
    typer.echo(f"challenge {report.challenge_id}: {report.status}, score {report.score:g}/100")
    if report.syntax_error:
        err = report.syntax_error
        typer.echo(f"syntax error in {err.file} line {err.line}: {err.message}")
    if report.error:
        typer.echo(f"error: {report.error}")
    if report.tests:
        width = max(len(t.id) for t in report.tests)
        typer.echo(f"{'test'.ljust(width)}  {'status':12}  bug")
        for t in report.tests:
            typer.echo(f"{t.id.ljust(width)}  {t.status:12}  {t.bug or '(regression)'}")
    for b in report.bugs:
        typer.echo(f"bug {b.id} (severity {b.severity}): {'fixed' if b.fixed else 'not fixed'}")
    if report.regressions:
        typer.echo("regressions: " + ", ".join(report.regressions))
    typer.echo(f"wall {report.wall_ms:.0f} ms; grader {report.grader_version}")


def grade_command(
    challenge_dir: Annotated[Path, typer.Argument(help="The challenge folder.")],
    patch: Annotated[
        Path, typer.Option("--patch", help="A folder of edited src/ files, or a unified diff.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the full JSON report.")] = False,
) -> None:
    """Grade a patch against the challenge's hidden tests."""
    try:
        challenge = load_challenge(challenge_dir)
        files = load_patch(patch, challenge.src)
    except (ChallengeError, PatchError) as exc:
        typer.echo(f"error [{exc.code}]: {exc.message}", err=True)
        raise typer.Exit(2) from exc
    report = grade(challenge, files)
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        _print_table(report)
    if report.status == "infrastructure-error":
        raise typer.Exit(3)


def check_challenges_command(
    dirs: Annotated[
        list[Path] | None, typer.Argument(help="Challenge folders (default: whole bank).")
    ] = None,
    bank: BankOption = None,
) -> None:
    """Validate challenges: schema, tests, fixes and bug independence; exit 1 if any is invalid."""
    folders = list(dirs) if dirs else challenge_dirs(bank)
    if not folders:
        typer.echo("No challenges found.", err=True)
        raise typer.Exit(1)
    failed = 0
    for folder in folders:
        result = check_path(folder)
        verdict = "ok" if result.ok else "INVALID"
        typer.echo(
            f"{verdict:8} {result.challenge_id}  ({result.sandbox_runs} runs, "
            f"slowest {result.slowest_run_ms:.0f} ms)"
        )
        for problem in result.problems:
            typer.echo(f"         - [{problem.code}] {problem.message}")
        failed += not result.ok
    typer.echo(f"{len(folders) - failed} valid, {failed} invalid")
    if failed:
        raise typer.Exit(1)


app = typer.Typer(help="Grade a code-review patch.")
app.command("grade")(grade_command)
