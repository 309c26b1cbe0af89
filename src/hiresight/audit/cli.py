"""`hiresight audit`: the audit log's record-keeping commands (retention)."""

from __future__ import annotations

from typing import Annotated

import typer

from hiresight.audit import service
from hiresight.cli_support import load_settings, session_scope
from hiresight.db import utcnow

app = typer.Typer(help="The audit log: retention, and reports built on it.", no_args_is_help=True)


@app.command("prune")
def prune_command(
    apply: Annotated[
        bool, typer.Option("--apply", help="Delete the entries; without it, only report them.")
    ] = False,
) -> None:
    """Report (and with --apply delete) audit entries older than HIRESIGHT_AUDIT_RETENTION_DAYS."""
    days = load_settings().audit_retention_days
    with session_scope() as session:
        report = service.prune(session, retention_days=days, now=utcnow(), apply=apply)
    typer.echo(report.model_dump_json())
