"""`hiresight resume parse FILE [--json]`, `hiresight resume skills QUERY`, and
`hiresight users create` (a candidate is signed up with their profile, so the command is here)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from hiresight.accounts import service as accounts
from hiresight.accounts.models import Organization, Role
from hiresight.cli_support import cli_errors, load_root, session_scope
from hiresight.errors import AppError
from hiresight.profiles import isolation, service
from hiresight.profiles.claims import top_claims, vague_claims
from hiresight.profiles.errors import ResumeError
from hiresight.profiles.insights import primary_languages, seniority_estimate
from hiresight.profiles.isolation import IsolationUnavailableError, limits_from
from hiresight.profiles.parsed import ParsedResume
from hiresight.profiles.taxonomy import search_skills

app = typer.Typer(help="Parse résumés into structured profiles.", no_args_is_help=True)


def _months(months: int) -> str:
    years, rest = divmod(months, 12)
    return f"{years}y {rest}m" if years else f"{rest}m"


def _print_summary(parsed: ParsedResume) -> None:
    contact = parsed.contact
    typer.echo(f"{contact.name or '(no name found)'}  [{parsed.file_type}]")
    for label, value in (
        ("email", contact.email),
        ("phone", contact.phone),
        ("location", contact.location),
        ("links", ", ".join(contact.links)),
    ):
        if value:
            typer.echo(f"  {label}: {value}")
    total = _months(parsed.total_experience_months)
    typer.echo(f"\nRoles (total {total}; months inclusive, overlaps counted once):")
    for role in parsed.roles:
        until = "present" if role.current else (role.end.strftime("%b %Y") if role.end else "?")
        since = role.start.strftime("%b %Y") if role.start else "?"
        typer.echo(f"  - {role.label}: {since} – {until} ({_months(role.months)})")
    languages = ", ".join(f"{k} {v:.0%}" for k, v in list(primary_languages(parsed).items())[:3])
    typer.echo(f"\nSeniority estimate: {seniority_estimate(parsed)}; languages: {languages or '-'}")
    typer.echo("\nTop skills:")
    for skill in parsed.skills[:12]:
        typer.echo(f"  - {skill.name} ({skill.category}): {skill.strength}, {skill.months} months")
    typer.echo("\nTop claims:")
    for claim in top_claims(parsed, 5):
        typer.echo(f"  - [{claim.kind} {claim.specificity:.2f}] {claim.text}")
    vague = vague_claims(parsed)
    if vague:
        typer.echo("\nVague lines:")
        for claim in vague[:5]:
            typer.echo(f"  - {claim.text}")


@app.command("parse")
def parse_command(
    file: Annotated[Path, typer.Argument(help="A PDF, DOCX, TXT or Markdown résumé.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the full parse as JSON.")] = False,
) -> None:
    """Parse a résumé and print a summary (or the full JSON).

    The parse runs in a worker process under the `HIRESIGHT_PARSE_*` limits, as uploads do
    (read from the composition root's settings, as the web app reads them).
    """
    try:
        data = file.read_bytes()
    except OSError as exc:
        typer.echo(f"error [resume_unreadable]: cannot read {file}: {exc.strerror}", err=True)
        raise typer.Exit(2) from exc
    limits = limits_from(load_root().settings)
    try:
        parsed = isolation.parse_resume(data, file.name, limits=limits)
    except ResumeError as exc:
        typer.echo(f"error [{exc.code}]: {exc.message}", err=True)
        raise typer.Exit(2) from exc
    except IsolationUnavailableError as exc:
        typer.echo(f"error [parse_unavailable]: {exc}; is hiresight installed here?", err=True)
        raise typer.Exit(1) from exc
    if as_json:
        typer.echo(parsed.model_dump_json(indent=2))
    else:
        _print_summary(parsed)


@app.command("skills")
def skills_command(
    query: Annotated[
        str, typer.Argument(help="A skill name or alias prefix, e.g. 'post' or 'k8s'.")
    ],
    limit: Annotated[int, typer.Option(help="How many matches to show.")] = 10,
) -> None:
    """Search the skills taxonomy."""
    for skill in search_skills(query, limit):
        aliases = ", ".join(a.lstrip("~") for a in skill.aliases)
        typer.echo(f"{skill.name} ({skill.category})" + (f" — {aliases}" if aliases else ""))


def _usable_email(value: str) -> str:
    """Refuse, before the password prompt, an address the API could not show (e.g. x@y.test)."""
    try:
        return accounts.checked_email(value)
    except AppError as exc:
        raise typer.BadParameter(exc.message) from exc


def create_user_command(
    email: Annotated[
        str,
        typer.Option(help="The user's e-mail address (their login).", callback=_usable_email),
    ],
    password: Annotated[
        str,
        typer.Option(
            prompt=True, hide_input=True, help="At least 8 characters, and not a common one."
        ),
    ],
    name: Annotated[str, typer.Option(help="Full name.")] = "",
    role: Annotated[Role, typer.Option(help="candidate, recruiter or admin.")] = Role.candidate,
    org: Annotated[
        str, typer.Option(help="Organization slug (or new name) for recruiters and admins.")
    ] = "",
) -> None:
    """Create a user; recruiters and admins join (or create) the organization --org."""
    with cli_errors(), session_scope() as session:
        full_name = name or email.split("@")[0]
        if role is Role.candidate:
            # The same sign-up as the API and the sign-up page: same rules, same profile.
            user = service.sign_up_candidate(
                session, email=email, full_name=full_name, password=password
            )
        else:
            if not org:
                raise typer.BadParameter("recruiters and admins need --org", param_hint="--org")
            found = session.scalar(select(Organization).where(Organization.slug == org))
            user = accounts.create_user(
                session,
                email=email,
                full_name=full_name,
                password=password,
                role=role,
                organization_id=(found or accounts.create_organization(session, name=org)).id,
            )
        typer.echo(f"Created {role.value} {user.email} (id {user.id}).")
