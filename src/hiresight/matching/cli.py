"""`hiresight recs ...`: offline evaluation, training and A/B reports.

Interaction log CSV (for `evaluate --log`), header required:

    user,item,timestamp,event
    42,1007,1700000000,click

user and item are integer ids, timestamp is seconds (only the order matters), event is one
of impression, click, save, apply, dismiss. Exposure logs (for `experiments report`) are
.json (a list of objects) or .csv with fields experiment,variant,candidate_id,clicked,applied.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from hiresight.matching.errors import MatchingError

if TYPE_CHECKING:
    from hiresight.embeddings import Embedder

# The numeric stack (LightGBM, SciPy, implicit, matplotlib) is imported inside each command:
# mounting this app must not slow down every other `hiresight` command.

app = typer.Typer(
    help="Job recommendations: offline evaluation, training and A/B reports.", no_args_is_help=True
)
experiments_app = typer.Typer(help="A/B experiments.", no_args_is_help=True)
app.add_typer(experiments_app, name="experiments")


def _fail(exc: MatchingError) -> typer.Exit:
    typer.echo(f"error [{exc.code}]: {exc.message}", err=True)
    return typer.Exit(code=2)


def _embedder() -> Embedder:
    """The configured embedder (offline MiniLM by default), built only when a file needs it."""
    from hiresight.cli_support import load_root
    from hiresight.embeddings import get_embedder

    load_root()  # sets the HIRESIGHT_EMBEDDINGS_* defaults for this process
    return get_embedder()


def _parse_ks(text: str) -> list[int]:
    try:
        ks = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise typer.BadParameter(
            "--k takes comma-separated positive integers, e.g. 5,10,20"
        ) from None
    if not ks or ks[0] <= 0:
        raise typer.BadParameter("--k takes comma-separated positive integers, e.g. 5,10,20")
    return ks


@app.command()
def evaluate(
    log: Annotated[
        Path | None,
        typer.Option(
            help="Interaction log CSV with header user,item,timestamp,event (event: impression, "
            "click, save, apply or dismiss). Without it, the seeded simulator is used."
        ),
    ] = None,
    candidates: Annotated[
        Path | None,
        typer.Option(
            help="With --jobs: candidate records, JSONL (text such as headline, resume, "
            "positions; see hiresight.matching.lab.records). Optional: users without one are "
            "represented by the jobs they engaged with."
        ),
    ] = None,
    jobs: Annotated[
        Path | None,
        typer.Option(
            help="With --log: jobs, JSONL with text fields (title, description, company, "
            "location, skills; vectors optional). Adds content, LightGBM, TF-IDF, embedding "
            "similarity, the session blend, recent re-views, city popularity and the hybrid."
        ),
    ] = None,
    half: Annotated[
        Literal["all", "tune", "report"],
        typer.Option(
            help="Test users to report: all, or one fixed half by a hash of the user id "
            "(tune settings on `tune`, quote `report`)."
        ),
    ] = "all",
    repeats: Annotated[
        bool,
        typer.Option(
            "--repeats",
            help="With --log: also count a test user's re-views of jobs viewed before the "
            "cutoff as relevant (by default only jobs new to the user are).",
        ),
    ] = False,
    k: Annotated[str, typer.Option(help="Cut-offs, comma-separated.")] = "5,10,20",
    plot: Annotated[Path | None, typer.Option(help="Write a PNG of metrics against k.")] = None,
    seed: Annotated[int, typer.Option(help="Simulator and model seed.")] = 0,
    sessions: Annotated[int, typer.Option(help="Simulated feed sessions.")] = 6000,
) -> None:
    """Compare the recommenders (collaborative, content, hybrid) on a time split of a log.

    Metrics are given for every test user and for warm (some training history) and cold
    (none) users separately.
    """
    from hiresight.matching.lab.comparison import compare_on_log, compare_on_simulator
    from hiresight.matching.lab.evaluate import (
        format_segments,
        format_table,
        plot_metrics,
        read_log_csv,
    )
    from hiresight.matching.lab.records import read_candidate_file, read_job_file
    from hiresight.matching.lab.simulator import simulate

    if candidates is not None and jobs is None:
        raise typer.BadParameter("--candidates needs --jobs")
    if jobs is not None and log is None:
        raise typer.BadParameter("--jobs and --candidates go with --log")
    ks = _parse_ks(k)
    try:
        if log is not None:
            rows = read_log_csv(log)
            job_file = None if jobs is None else read_job_file(jobs, _embedder)
            cand_file = None if candidates is None else read_candidate_file(candidates, _embedder)
            comparison = compare_on_log(
                rows,
                ks,
                random_state=seed,
                candidates=None if cand_file is None else cand_file.profiles,
                jobs=None if job_file is None else job_file.postings,
                job_texts=None if job_file is None else job_file.texts,
                user_texts=None if cand_file is None else cand_file.texts,
                half=None if half == "all" else half,
                repeats=repeats,
            )
        else:
            market = simulate(n_sessions=sessions, random_state=seed)
            comparison = compare_on_simulator(market, ks, random_state=seed)
    except MatchingError as exc:
        raise _fail(exc) from None
    typer.echo(
        f"test users: {len(comparison.split.relevant)}, items: {len(comparison.split.items)}"
    )
    cold, total = comparison.cold_users()
    scope = "" if half == "all" else f" ({half} half)"
    typer.echo(f"cold test users (no training history){scope}: {cold} of {total}")
    typer.echo(format_table(comparison.results, ks))
    if comparison.by_segment:
        typer.echo("\nBy test users: all, warm (some training history), cold (none):")
        typer.echo(format_segments(comparison.by_segment, ks))
    if "utility_ndcg@10" in next(iter(comparison.results.values())):
        typer.echo("\nNDCG against the simulator's true utility:")
        for name, values in comparison.results.items():
            cells = ", ".join(f"@{kk} {values[f'utility_ndcg@{kk}']:.4f}" for kk in ks)
            typer.echo(f"  {name}: {cells}")
    for note in comparison.notes:
        typer.echo(f"note: {note}")
    if plot is not None:
        plot_metrics(comparison.results, ks, plot)
        typer.echo(f"plot written to {plot}")


@app.command()
def train(
    registry: Annotated[
        Path | None,
        typer.Option(help="Model registry directory (default: models/ in the data directory)."),
    ] = None,
    simulate: Annotated[
        bool, typer.Option("--simulate", help="Train on the seeded simulator, not the database.")
    ] = False,
    log: Annotated[
        Path | None,
        typer.Option(
            help="Train on an interaction log CSV (user,item,timestamp,event) instead of the "
            "database; needs --jobs (and optionally --candidates)."
        ),
    ] = None,
    candidates: Annotated[
        Path | None,
        typer.Option(
            help="Candidate records, JSONL, text first (see hiresight.matching.lab.records); "
            "users without one are represented by the jobs they engaged with."
        ),
    ] = None,
    jobs: Annotated[
        Path | None, typer.Option(help="Jobs, JSONL with text fields; vectors optional.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Simulator and model seed.")] = 0,
    sessions: Annotated[int, typer.Option(help="Simulated feed sessions.")] = 6000,
    min_engaged: Annotated[
        int | None,
        typer.Option(help="Cold start below this many engaged rows (default: the setting)."),
    ] = None,
    min_gain: Annotated[float, typer.Option(help="NDCG@10 gain needed to promote.")] = 0.0,
    every: Annotated[
        float,
        typer.Option(
            help="Continuous training: retrain every this many seconds (0: once). Each run "
            "reads the log afresh; a promoted model is served without a restart."
        ),
    ] = 0.0,
    runs: Annotated[
        int, typer.Option(help="With --every: stop after this many runs (0: never).")
    ] = 0,
) -> None:
    """Train a LightGBM ranker on the engagement log; promote only if it beats the live model.

    The data is the database's engagement log by default (impression lists with what the
    candidate did next), or a CSV log, or the simulator.
    """
    from hiresight.cli_support import load_settings, session_scope
    from hiresight.matching.lab.logio import load_training_inputs
    from hiresight.matching.lab.simulator import simulate as simulate_market
    from hiresight.matching.operations import train_from_database
    from hiresight.matching.registry import ModelRegistry
    from hiresight.matching.training import TrainingInputs, TrainReport, train_once

    if log is not None and jobs is None:
        raise typer.BadParameter("--log needs --jobs")
    if simulate and log is not None:
        raise typer.BadParameter("choose one source: --simulate or --log")
    if every < 0 or runs < 0:
        raise typer.BadParameter("--every and --runs must not be negative")
    settings = load_settings()
    store = ModelRegistry(registry or settings.data_dir / "models")
    threshold = settings.recs_min_engaged if min_engaged is None else min_engaged

    def once() -> TrainReport:
        if log is not None and jobs is not None:
            inputs = load_training_inputs(log, candidates, jobs, _embedder)
        elif simulate:
            market = simulate_market(n_sessions=sessions, random_state=seed)
            inputs = TrainingInputs(
                {c.id: c for c in market.candidates}, market.jobs, market.impressions,
                market.events,
            )  # fmt: skip
        else:
            with session_scope() as session:
                return train_from_database(session, store, min_engaged=threshold, random_state=seed)
        return train_once(
            inputs, store, min_positive_events=threshold, min_gain=min_gain, random_state=seed
        )

    done = 0
    while True:
        try:
            result = once()
        except MatchingError as exc:
            if not every:
                raise _fail(exc) from None
            typer.echo(f"error [{exc.code}]: {exc.message}", err=True)
        else:
            typer.echo(
                f"version: {result.version or '-'}  promoted: {result.promoted}  "
                f"({result.reason})  in {result.seconds:.1f} s"
            )
        done += 1
        if not every or (runs and done >= runs):
            return
        time.sleep(every)


@experiments_app.command("report")
def experiments_report(
    path: Annotated[
        Path | None,
        typer.Argument(help="Exposure log, .json or .csv (default: the database's exposures)."),
    ] = None,
    experiment: Annotated[str | None, typer.Option(help="Experiment name (default: all).")] = None,
) -> None:
    """Per-variant CTR and apply rate with Wilson 95% intervals and differences vs control."""
    from hiresight.cli_support import load_settings, session_scope
    from hiresight.matching import operations
    from hiresight.matching.experiments import (
        VariantReport,
        format_report,
        parse_experiment,
        read_exposures,
        report,
    )

    reports: dict[str, list[VariantReport]] = {}
    if path is not None:
        try:
            exposures = read_exposures(path)
        except MatchingError as exc:
            raise _fail(exc) from None
        names = [experiment] if experiment else sorted({e.experiment for e in exposures})
        reports = {name: report(exposures, name) for name in names}
    else:
        text = load_settings().recs_experiment
        configured = parse_experiment(text) if text else None
        with session_scope() as session:
            names = [experiment] if experiment else operations.experiment_names(session)
            reports = {
                name: operations.experiment_report(session, name, configured) for name in names
            }
    if not reports:
        typer.echo("No experiment has exposures yet (set HIRESIGHT_RECS_EXPERIMENT to run one).")
    for name, rows in reports.items():
        typer.echo(f"## {name}\n")
        typer.echo((format_report(rows) if rows else "no exposures") + "\n")
