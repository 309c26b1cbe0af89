"""`hiresight jobs import`: bulk-load jobs from CSV or JSON Lines; `jobs reparse`: parse stored
jobs again with the current requirements parser."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from hiresight.accounts import service as accounts
from hiresight.accounts.models import Role
from hiresight.cli_support import cli_errors, session_scope
from hiresight.errors import NotFoundError
from hiresight.jobs import service
from hiresight.jobs.importer import ImportReport, import_jobs
from hiresight.jobs.requirements import PARSER_VERSION

app = typer.Typer(help="Jobs.", no_args_is_help=True)


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="A .csv or .jsonl file of jobs.")],
    recruiter: Annotated[str, typer.Option(help="E-mail of the recruiter who posts them.")],
    status: Annotated[str, typer.Option(help="Status for rows without one.")] = "open",
) -> None:
    """Import jobs (title, description, requirements;separated, location, remote, seniority,
    salary_min, salary_max, salary_currency, status); prints a report of rejected rows."""
    if not file.is_file():
        raise typer.BadParameter(f"{file} is not a file", param_hint="FILE")
    kind = "jsonl" if file.suffix.lower() in (".jsonl", ".ndjson", ".json") else "csv"
    text = file.read_text(encoding="utf-8-sig")
    total = sum(1 for line in text.splitlines() if line.strip()) - (kind == "csv")
    report = ImportReport()
    with cli_errors(), session_scope() as session:
        actor = accounts.get_by_email(session, email=recruiter)
        if actor is None or actor.role is Role.candidate:
            raise NotFoundError(f"No recruiter or admin with e-mail {recruiter}.")
        with Progress(transient=True) as progress:
            bar = progress.add_task("Importing", total=max(total, 1))
            for _line, current in import_jobs(
                session, actor=actor, text=text, kind=kind, status=status
            ):
                report = current
                progress.advance(bar)
    typer.echo(f"Imported {report.created} job(s); rejected {len(report.rejected)}.")
    for rejected in report.rejected:
        typer.echo(f"  line {rejected.line}: {rejected.reason}")
    if report.rejected and not report.created:
        raise typer.Exit(1)


@app.command("reparse")
def reparse_command(
    include_current: Annotated[
        bool,
        typer.Option(
            "--all/--stale",
            help="Every job, or (the default) only jobs an older parser read or none did.",
        ),
    ] = False,
    dry_run: Annotated[bool, typer.Option(help="Count what would change; write nothing.")] = False,
) -> None:
    """Parse stored jobs' requirements again with the current parser; prints the counts."""
    with cli_errors(), session_scope() as session:
        report = service.reparse_stored(session, include_current=include_current, dry_run=dry_run)
    versions = ", ".join(f"{v}: {n}" for v, n in sorted(report.versions.items())) or "none"
    verb = "Would re-parse" if dry_run else "Re-parsed"
    typer.echo(f"Checked {report.checked} job(s) by parser version ({versions}); current is "
               f"{PARSER_VERSION}.")  # fmt: skip
    typer.echo(f"{verb} {report.reparsed} job(s); {report.changed} with changed requirements.")
