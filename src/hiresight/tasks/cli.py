"""`hiresight work`: list recorded background work and retry what failed."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from sqlalchemy import select

from hiresight.cli_support import cli_errors, load_root, session_scope
from hiresight.errors import NotFoundError
from hiresight.tasks import outbox, reconciler
from hiresight.tasks import service as tasks
from hiresight.tasks.models import PendingWork, WorkState
from hiresight.tasks.schemas import PendingWorkPublic

app = typer.Typer(help="Background work (grading, scoring): list and retry.", no_args_is_help=True)


class _NoWakeUp:
    """A backend that drops wake-ups: a running service's reconciler finds the work anyway."""

    name = "none"

    def enqueue(self, task_name: str, **kwargs: Any) -> None:
        """Drop the wake-up (this short-lived process must not run the work itself)."""

    def shutdown(self) -> None:
        """Nothing to release."""


@app.command("list")
def list_command(
    state: Annotated[
        WorkState | None, typer.Option(help="Only work in this state (e.g. failed).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """Recorded work of every organization, newest first, with tries and the last error."""
    with session_scope() as session:
        rows = outbox.get_all(session, select(PendingWork), state=state, limit=limit)
        public = [PendingWorkPublic.model_validate(w) for w in rows]
    for work in public:
        if as_json:
            typer.echo(work.model_dump_json())
            continue
        error = (work.last_error or "").strip().splitlines()[-1:] or [""]
        typer.echo(
            f"{work.id:>6}  {work.kind:<6} attempt {work.attempt_id:<6} {work.state.value:<8}"
            f" tries {work.attempts}  next {work.next_run_at:%Y-%m-%d %H:%M:%S}  {error[0][:80]}"
        )


@app.command("retry")
def retry_command(work_id: Annotated[int, typer.Argument(help="The work's id.")]) -> None:
    """Give failed work a fresh set of tries now."""
    root = load_root()
    if root.settings.task_backend == "dramatiq":
        # The wake-up task (registered by importing `reconciler`) is declared to Redis by the
        # root's backend, the one `hiresight worker` consumes from.
        assert outbox.WAKE_TASK in tasks.registered(), reconciler.__name__
        root.tasks()
    else:
        tasks.configure(_NoWakeUp())
    with cli_errors(), session_scope() as session:
        work = session.get(PendingWork, work_id)
        if work is None:
            raise NotFoundError(f"No background work with id {work_id}.")
        outbox.retry(session, work=work)
    typer.echo(json.dumps({"id": work_id, "state": "pending"}))
