"""`hiresight audit fairness`: the bias audit figures of a job or an organization."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from hiresight.accounts.models import Organization
from hiresight.cli_support import cli_errors, session_scope
from hiresight.errors import AppError, NotFoundError
from hiresight.fairness import export, pdf, service
from hiresight.fairness.schemas import FairnessReport, RateTable
from hiresight.fairness.text import TABLE_TITLES, period
from hiresight.jobs.models import Job


def _organization(session: Session, value: str) -> Organization:
    """An organization by id or exact name."""
    if value.isdigit():
        org = session.get(Organization, int(value))
    else:
        org = session.scalar(select(Organization).where(Organization.name == value))
    if org is None:
        raise NotFoundError(f"No organization {value}.")
    return org


def _scope(
    session: Session, job_id: int | None, org: str | None, start: dt.date | None,
    end: dt.date | None,
) -> service.AuditScope:  # fmt: skip
    if (job_id is None) == (org is None):
        raise AppError("Give exactly one of --job and --org.", code="invalid_scope")
    if job_id is not None:
        job = session.get(Job, job_id)
        if job is None:
            raise NotFoundError(f"No job {job_id}.")
        return service.make_scope(job.organization, job, start, end)
    assert org is not None
    return service.make_scope(_organization(session, org), None, start, end)


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.4f}"


def _echo_table(table: RateTable) -> None:
    typer.echo(f"\n{TABLE_TITLES[(table.measure, table.dimension)]}")
    typer.echo(f"  {'category':<58}{'count':>7}{'pos':>6}{'rate':>9}{'share':>9}{'impact':>9}")
    for row in table.rows:
        flags = (" *" if row.excludable else "") + (" (reference)" if row.reference else "")
        typer.echo(
            f"  {row.label:<58}{row.count:>7}{row.positives:>6}{_number(row.rate):>9}"
            f"{_number(row.share):>9}{_number(row.impact_ratio):>9}{flags}"
        )
    typer.echo(
        f"  unknown (in no ratio): {table.unknown.not_provided} not provided, "
        f"{table.unknown.prefer_not_to_say} prefer not to say"
    )


def _echo(report: FairnessReport) -> None:
    what = f"job {report.job_id} ({report.job_title})" if report.job_id else "all jobs"
    when = period(report.date_from, report.date_to)
    typer.echo(f"Fairness audit: {report.organization_name}, {what}, {when}")
    typer.echo(
        f"{report.applications} applications, {report.completed} completed, "
        f"{report.advanced} advanced, {report.scored} scored (median {report.median_score}), "
        f"{report.impressions} recommendation impressions. * under 2% of the known data."
    )
    for table in (*report.selection, *report.scoring, *report.recommender):
        _echo_table(table)


def fairness_command(
    job: Annotated[int | None, typer.Option("--job", help="Audit one job (its id).")] = None,
    org: Annotated[
        str | None, typer.Option("--org", help="Audit every job of an organization (id or name).")
    ] = None,
    date_from: Annotated[
        dt.datetime | None,
        typer.Option("--from", formats=["%Y-%m-%d"], help="First day of applications counted."),
    ] = None,
    date_to: Annotated[
        dt.datetime | None,
        typer.Option("--to", formats=["%Y-%m-%d"], help="Last day of applications counted."),
    ] = None,
    csv_path: Annotated[
        Path | None, typer.Option("--csv", help="Also write the tables as CSV.")
    ] = None,
    pdf_path: Annotated[
        Path | None, typer.Option("--pdf", help="Also write the report as PDF.")
    ] = None,
) -> None:
    """Selection, scoring and recommender apply rates with impact ratios per sex,
    race/ethnicity and their intersections (NYC Local Law 144 bias audit figures)."""
    with cli_errors(), session_scope() as session:
        scope = _scope(
            session, job, org, date_from.date() if date_from else None,
            date_to.date() if date_to else None,
        )  # fmt: skip
        report = service.build_report(session, scope=scope)
    _echo(report)
    if csv_path is not None:
        csv_path.write_text(export.to_csv(report), encoding="utf-8")
        typer.echo(f"\nCSV written to {csv_path}")
    if pdf_path is not None:
        pdf_path.write_bytes(pdf.render(report))
        typer.echo(f"PDF written to {pdf_path}")
