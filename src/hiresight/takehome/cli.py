"""`hiresight takehome check DIR` and `hiresight takehome evaluate DIR SUBMISSION`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from hiresight.errors import AppError
from hiresight.sandbox import SandboxError
from hiresight.takehome import service, work
from hiresight.takehome.schemas import CheckReport, EvaluationReport, RunReport

app = typer.Typer(help="Take-home projects evaluated on hidden data.", no_args_is_help=True)
T = TypeVar("T")
# `hiresight worker` runs the uploads' evaluations: this import registers their task with it.
EVALUATION_TASK = work.EVALUATE_TASK


@app.callback()
def _takehome() -> None:
    """Take-home projects evaluated on hidden data."""  # keeps the commands sub-commands


@app.command("check")
def check_command(
    path: Annotated[Path, typer.Argument(help="An assignment folder or a .zip/.tar.gz of one.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Run the shipped solutions and a probe: the reference passes, a broken one fails, and
    the hidden data is out of the submission's reach. Exit 1 when a check fails."""
    report = _guarded(lambda: service.check(path=path))
    typer.echo(report.model_dump_json(indent=2) if as_json else render_check(report))
    if not report.passed:
        raise typer.Exit(1)


@app.command("evaluate")
def evaluate_command(
    assignment: Annotated[Path, typer.Argument(help="The assignment folder or archive.")],
    submission: Annotated[Path, typer.Argument(help="The submission folder or .zip/.tar.gz.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    repeat: Annotated[bool, typer.Option(help="Run twice to check reproducibility.")] = True,
    tests: Annotated[bool, typer.Option(help="Run the submission's own tests.")] = True,
) -> None:
    """Run a submission in the sandbox on the hidden input and score it against the answers."""
    report = _guarded(
        lambda: service.evaluate(
            assignment=assignment, submission=submission, repeat=repeat, tests=tests
        )
    )
    typer.echo(report.model_dump_json(indent=2) if as_json else render_evaluation(report))


def _guarded(action: Callable[[], T]) -> T:
    try:
        return action()
    except (AppError, SandboxError) as exc:
        # Exit 2, like a usage error: the problem is the input given (or a missing sandbox).
        typer.secho(f"Error ({exc.code}): {exc.message}", err=True, fg="red")
        raise typer.Exit(2) from exc


def render_check(report: CheckReport) -> str:
    """The check as a plain-text list."""
    lines = [f"Take-home check: {report.assignment}", ""]
    for item in report.items:
        lines.append(f"  [{'PASS' if item.passed else 'FAIL'}] {item.name}: {item.detail}")
    lines += ["", "All checks passed." if report.passed else "Some checks failed."]
    return "\n".join(lines)


def _metric_lines(name: str, run: RunReport, keys: list[str]) -> list[str]:
    if run.scores is None:
        problems = "; ".join(p.message for p in run.problems)
        return [f"  {name:<22} {run.status}: {problems}"]
    lines = []
    for segment in ("all", "warm", "cold"):
        row = getattr(run.scores, segment)
        cells = "  ".join(f"{row.values.get(k, 0.0):>12.4f}" for k in keys)
        lines.append(f"  {name + ' (' + segment + ')':<22} {cells}  users {row.users}")
    return lines


def render_evaluation(report: EvaluationReport) -> str:
    """The evaluation as a metric table against the baselines, then the run's facts."""
    run = report.run
    keys = list(run.scores.all.values) if run.scores else []
    if not keys:
        keys = next((list(b.scores.all.values) for b in report.baselines.values() if b.scores), [])
    lines = [f"Take-home evaluation: {report.assignment} (k={report.k})", ""]
    lines.append(f"  {'':<22} " + "  ".join(f"{k:>12}" for k in keys))
    lines += _metric_lines("submission", run, keys)
    for name, baseline in report.baselines.items():
        lines += _metric_lines(name, baseline, keys)
    memory = f"{run.peak_memory_bytes / 2**20:.0f} MiB" if run.peak_memory_bytes else "unknown"
    lines += [
        "",
        f"Status: {run.status}; wall time {run.wall_ms / 1000:.2f} s; peak memory {memory}",
    ]
    if report.reproducibility is not None:
        same = "same output" if report.reproducibility.same_output else "DIFFERENT output"
        lines.append(f"Reproducibility: {same} on a second run")
    if report.tests is not None:
        t = report.tests
        lines.append(
            f"Tests: {t.status}, {t.tests} test(s): {t.passed} passed, {t.failed} failed, "
            f"{t.errors} error(s), {t.skipped} skipped"
        )
    if report.review is not None:
        failed = [c.name for c in report.review.checks if not c.passed and c.max > 0]
        lines.append(
            f"Code review (portfolio checklist): {report.review.score}/100"
            + (f"; missing: {', '.join(failed)}" if failed else "")
        )
    for req in report.requirements:
        state = f"available ({req.installed_version})" if req.available else "not available"
        lines.append(f"Requirement {req.line}: {state}")
    lines.append(f"Evaluated in {report.total_seconds:.1f} s")
    return "\n".join(lines)
