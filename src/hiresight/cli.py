"""The `hiresight` command: serve, database, demo data, users and configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from hiresight.accounts.cli import create_token_command
from hiresight.audit.cli import app as audit_app
from hiresight.challenges.cli import list_command as list_challenges_command
from hiresight.cli_support import load_settings
from hiresight.demo.cli import app as demo_app
from hiresight.embeddings.cli import app as embeddings_app
from hiresight.fairness.cli import fairness_command
from hiresight.grading.cli import check_challenges_command, grade_command
from hiresight.interviews.cli import interview_command, rescore_command
from hiresight.jobs.cli import app as jobs_app
from hiresight.matching.cli import app as recs_app
from hiresight.portfolio.cli import app as portfolio_app
from hiresight.privacy.cli import app as privacy_app
from hiresight.profiles.cli import app as resume_app
from hiresight.profiles.cli import create_user_command
from hiresight.scoring.cli import app as scoring_app
from hiresight.scoring.cli import english_app
from hiresight.settings import Settings
from hiresight.speech.cli import app as speech_app
from hiresight.takehome.cli import app as takehome_app
from hiresight.tasks.cli import app as work_app

app = typer.Typer(
    help="Hiresight: self-hosted AI screening interviews and talent matching.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
# The users group: creating a candidate signs them up with their profile, so that command is
# profiles'; tokens are accounts'.
users_app = typer.Typer(help="Create users and API tokens.", no_args_is_help=True)
users_app.command("create")(create_user_command)
users_app.command("create-token")(create_token_command)
app.add_typer(users_app, name="users")
# The challenges group: listing is the bank's; checking grades each challenge in the sandbox,
# so that command is grading's.
challenges_app = typer.Typer(help="The code-review challenge bank.", no_args_is_help=True)
challenges_app.command("check")(check_challenges_command)
challenges_app.command("list")(list_challenges_command)
app.add_typer(challenges_app, name="challenges")
app.add_typer(jobs_app, name="jobs")
app.add_typer(recs_app, name="recs")
app.add_typer(resume_app, name="resume")
app.add_typer(portfolio_app, name="portfolio")
app.add_typer(embeddings_app, name="embeddings")
# The scoring group: the engine's commands, and re-scoring stored attempts, which is the
# interviews'.
scoring_app.command("rescore")(rescore_command)
app.add_typer(scoring_app, name="scoring")
app.add_typer(english_app, name="english")
app.add_typer(speech_app, name="speech")
app.add_typer(work_app, name="work")
app.add_typer(takehome_app, name="takehome")
# The audit group is the audit log's; the fairness audit reads jobs, scores and the
# recommender's impressions, so its command is fairness's, added here.
audit_app.command("fairness")(fairness_command)
app.add_typer(audit_app, name="audit")
app.add_typer(privacy_app, name="privacy")
app.command("grade")(grade_command)
app.command("interview")(interview_command)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default from settings).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default from settings).")] = None,
    workers: Annotated[int | None, typer.Option(help="Web processes.")] = None,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development).")] = False,
) -> None:
    """Serve the web app and API with Uvicorn."""
    import uvicorn

    settings = load_settings()
    uvicorn.run(
        "hiresight.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        reload=reload,
        log_level=settings.log_level.lower(),
        access_log=False,
        **proxy_options(settings),
    )


def proxy_options(settings: Settings) -> dict[str, Any]:
    """Uvicorn's proxy options: believe X-Forwarded-* only from HIRESIGHT_FORWARDED_ALLOW_IPS."""
    allowed = settings.forwarded_allow_ips.strip()
    # Uvicorn's own default believes 127.0.0.1: with no proxy in front, a local client could
    # name any address it likes, a new one per request, and so slip past the login throttle.
    return {"proxy_headers": bool(allowed), "forwarded_allow_ips": allowed}


@app.command()
def worker(
    threads: Annotated[
        int | None, typer.Option(help="Worker threads (default from settings).")
    ] = None,
    ready_file: Annotated[
        Path | None,
        typer.Option(help="Write this JSON file once warmed up and consuming (a readiness flag)."),
    ] = None,
) -> None:
    """Run background work (grading, scoring) from Redis; needs HIRESIGHT_TASK_BACKEND=dramatiq."""
    import json
    import signal
    import threading

    from dramatiq import Worker

    from hiresight.observability import configure_logging
    from hiresight.runtime import build_root
    from hiresight.tasks import service as tasks

    # The composition root, as the web app builds it: the embeddings default, the AI provider
    # and the final hooks follow HIRESIGHT_* here too.
    root = build_root(load_settings().model_copy(update={"task_backend": "dramatiq"}))
    settings = root.settings
    configure_logging(settings.log_level, json=settings.log_json)
    engine = root.engine
    backend = root.tasks()  # work recorded by work (a grade's scoring) wakes through Redis
    assert isinstance(backend, tasks.DramatiqBackend), backend.name
    tasks.set_worker_engine(engine)
    # The scoring models warm up at start (about 6 s), not on the first job; grading, which
    # needs no model, is consumed meanwhile and a score waits for the warm-up to end.
    runtime = root.background(runs_work=True).start()
    # Dramatiq polls Redis once per worker_timeout (1 s by default); 100 ms cuts the idle wait.
    consumer = Worker(
        backend.broker, worker_threads=threads or settings.worker_threads, worker_timeout=100
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    consumer.start()
    runtime.wait_warm()
    status = {"status": "ready", "scoring": runtime.warm_state, "warm_up_s": runtime.warm_seconds}
    if ready_file is not None:
        ready_file.write_text(json.dumps(status))
    typer.echo(
        f"Worker ready (scoring {runtime.warm_state}), consuming "
        f"{', '.join(sorted(tasks.registered()))} from {settings.redis_url}"
    )
    stop.wait()
    consumer.stop()
    runtime.stop()
    backend.shutdown()
    engine.dispose()


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    from hiresight import migrate

    url = load_settings().effective_database_url
    migrate.upgrade(url, revision)
    typer.echo(f"Database at {', '.join(sorted(migrate.current_heads(url))) or 'base'}.")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision.")]) -> None:
    """Revert migrations down to REVISION ("base" empties the database)."""
    from hiresight import migrate

    migrate.downgrade(load_settings().effective_database_url, revision)
    typer.echo(f"Database at {revision}.")


@app.command()
def config(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the effective settings, secrets masked."""
    import json

    view = load_settings().public_view()
    if as_json:
        typer.echo(json.dumps(view, indent=2, default=str))
        return
    for name, field in Settings.model_fields.items():
        typer.echo(f"HIRESIGHT_{name.upper():<28} = {view[name]!s:<45}  # {field.description}")


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
