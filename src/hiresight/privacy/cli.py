"""`hiresight privacy erase-due` and `hiresight privacy retention [--apply]`.

The daily maintenance runs both (with `--apply`) in-process once a day (`privacy.maintenance`);
these commands are for running them by hand, or from cron where HIRESIGHT_SCHEDULED_MAINTENANCE
is off.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from sqlalchemy import select

from hiresight.accounts.models import Organization
from hiresight.cli_support import cli_errors, load_root, load_schema
from hiresight.db import transaction, utcnow
from hiresight.errors import NotFoundError
from hiresight.privacy import service

app = typer.Typer(help="Candidate data: erasure and retention.", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print the report as JSON.")]


@app.command("erase-due")
def erase_due_command(as_json: JsonOption = False) -> None:
    """Erase the accounts whose deletion grace period has passed; print what was removed."""
    root = load_root()
    try:
        with cli_errors():
            reports = service.erase_due(
                root.session_factory, metadata=load_schema(), files_root=root.settings.data_dir
            )
    finally:
        root.engine.dispose()
    if as_json:
        out = [{"user_id": r.user_id, "counts": r.counts, "files": len(r.files)} for r in reports]
        typer.echo(json.dumps(out, indent=2))
        return
    typer.echo(f"Erased {len(reports)} account(s).")
    for r in reports:
        typer.echo(f"user {r.user_id}: {_counts(r.counts)}, {len(r.files)} file(s)")


@app.command("retention")
def retention_command(
    org: Annotated[
        str | None, typer.Option(help="One organization's slug; default: every one with a period.")
    ] = None,
    apply: Annotated[bool, typer.Option(help="Delete; without it, only list.")] = False,
    as_json: JsonOption = False,
) -> None:
    """List (dry run) or delete candidate data for jobs closed longer ago than the period."""
    root = load_root()
    results: list[dict[str, Any]] = []
    try:
        with cli_errors(), transaction(root.session_factory) as session:
            if org is None:
                ids = service.organizations_with_retention(session)
            else:
                found = session.scalar(select(Organization.id).where(Organization.slug == org))
                if found is None:
                    raise NotFoundError(f"No organization with slug {org}.")
                ids = [found]
            now = utcnow()
            files = []
            for organization_id in ids:
                report = service.retention(
                    session, organization_id=organization_id, metadata=load_schema(),
                    files_root=root.settings.data_dir, now=now, apply=apply,
                )  # fmt: skip
                files += report.files
                results.append({
                    "organization_id": organization_id, "days": report.days,
                    "jobs": [job.job_id for job in report.jobs], "counts": report.counts,
                })  # fmt: skip
        service.remove_files(files)
    finally:
        root.engine.dispose()
    if as_json:
        typer.echo(json.dumps({"applied": apply, "organizations": results}, indent=2))
        return
    verb = "Deleted" if apply else "Would delete (dry run; --apply deletes)"
    for item in results:
        typer.echo(
            f"organization {item['organization_id']} ({item['days']} days), "
            f"jobs {item['jobs'] or 'none'}: {verb}: {_counts(item['counts'])}"
        )
    if not results:
        typer.echo("No organization has a retention period.")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in counts.items()) or "nothing"
