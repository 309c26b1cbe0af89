"""CLI: `hiresight scoring answer|calibrate` (`app`) and `hiresight english assess` (`english_app`).

Both run offline with the default rubric provider.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from hiresight.scoring import calibration, english
from hiresight.scoring.errors import ScoringError
from hiresight.scoring.providers import RubricProvider
from hiresight.scoring.types import Answer, AnswerKind, Question, RubricPoint, Score

app = typer.Typer(
    help="Score interview answers with the offline rubric engine.", no_args_is_help=True
)
english_app = typer.Typer(
    help="The English check: writing sample and multiple choice.", no_args_is_help=True
)


@english_app.callback()
def _english() -> None:
    """The English check (writing sample and multiple choice)."""


def _fail(code: str, message: str) -> typer.Exit:
    typer.echo(f"error [{code}]: {message}", err=True)
    return typer.Exit(2)


def _read_points(path: Path | None) -> list[RubricPoint]:
    """Rubric points from a file: a JSON list of {id, text, weight} or one point per line."""
    if path is None:
        return []
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _fail("scoring_points_file", f"cannot read {path}: {exc.strerror}") from exc
    try:
        if path.suffix == ".json":
            return [RubricPoint.model_validate(p) for p in json.loads(raw)]
        lines = [ln.strip() for ln in raw.splitlines() if ln.strip()]
        return [RubricPoint(id=f"p{i + 1}", text=t) for i, t in enumerate(lines)]
    except (json.JSONDecodeError, ValidationError, TypeError) as exc:
        raise _fail("scoring_points_file", f"{path} is not a list of rubric points") from exc


def _print_score(score: Score) -> None:
    typer.echo(
        f"Score: {score.value:.1f}/100  ({score.kind.value}, {score.rubric_version}, "
        f"provider {score.provider})"
    )
    for ev in score.evidence:
        typer.echo(
            f'  + {ev.point}\n      "{ev.quote}" [{ev.start}:{ev.end}] sim {ev.similarity:.2f}'
        )
    for missed in score.points_missed:
        typer.echo(f"  - missed: {missed}")
    for note in score.notes:
        typer.echo(f"  note: {note}")
    typer.echo("  sub-scores: " + ", ".join(f"{k}={v:.2f}" for k, v in score.sub_scores.items()))


@app.command("answer")
def answer_cmd(
    question: Annotated[str, typer.Option(help="The question text.")],
    answer: Annotated[str, typer.Option(help="The candidate's answer.")],
    reference: Annotated[str, typer.Option(help="A model answer.")] = "",
    points: Annotated[
        Path | None, typer.Option(help="Rubric points: .json list or one per line.")
    ] = None,
    kind: Annotated[AnswerKind, typer.Option(help="Answer kind.")] = AnswerKind.SYSTEM_DESIGN,
    claim: Annotated[str | None, typer.Option(help="Résumé claim probed (résumé kind).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the Score as JSON.")] = False,
) -> None:
    """Score one answer; print the score, quoted evidence and points missed."""
    rubric = _read_points(points)
    try:
        q = Question(text=question, kind=kind, reference_answer=reference, claim=claim)
        score = RubricProvider().score_answer(kind, q, Answer(text=answer), rubric)
    except ValidationError as exc:
        raise _fail("scoring_invalid_input", str(exc.errors()[0]["msg"])) from exc
    except ScoringError as exc:
        raise _fail(exc.code, exc.message) from exc
    if as_json:
        typer.echo(score.model_dump_json(indent=2))
    else:
        _print_score(score)


@app.command("calibrate")
def calibrate_cmd(
    directory: Annotated[
        Path | None, typer.Option(help="Calibration folder (default: shipped set).")
    ] = None,
) -> None:
    """Score the calibration set and print the agreement table."""
    try:
        cases = calibration.load_cases(directory)
    except ScoringError as exc:
        raise _fail(exc.code, exc.message) from exc
    provider = RubricProvider()
    report = calibration.evaluate(cases, lambda q, a, r: provider.score_answer(q.kind, q, a, r))
    typer.echo(calibration.markdown_table(report))


@english_app.command("assess")
def assess_cmd(
    file: Annotated[
        Path,
        typer.Argument(
            help="A text file (writing sample) or JSON with "
            "'writing' and 'responses' [{difficulty, correct}]."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the assessment as JSON.")] = False,
) -> None:
    """Estimate a CEFR level from a writing sample and/or multiple-choice responses."""
    try:
        raw = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise _fail("english_file", f"cannot read {file}: {exc.strerror}") from exc
    try:
        if file.suffix == ".json":
            data = json.loads(raw)
            responses = [english.MCResponse.model_validate(r) for r in data.get("responses", [])]
            result = english.assess_english(responses, data.get("writing"))
        else:
            result = english.assess_english(None, raw)
    except (json.JSONDecodeError, ValidationError, AttributeError, TypeError) as exc:
        raise _fail("english_file", f"{file} is not valid assessment JSON") from exc
    except ScoringError as exc:
        raise _fail(exc.code, exc.message) from exc
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
        return
    typer.echo(f"CEFR estimate: {result.cefr}")
    if result.mc:
        typer.echo(
            f"  multiple choice: θ={result.mc.theta:+.2f} ± {result.mc.se:.2f} "
            f"over {result.mc.items} items -> {result.mc.cefr}"
        )
    if result.writing:
        w = result.writing
        typer.echo(f"  writing: {w.value:.1f}/100 -> {w.cefr} ({w.metrics.words} words)")
        for name, value in w.sub_scores.items():
            typer.echo(f"    {name}: {value:.2f}")
        m = w.metrics
        typer.echo(
            f"    grammar errors/100 words: {m.grammar_errors_per_100:.1f}; "
            f"misspellings/100 words: {m.misspellings_per_100:.1f}; MTLD {m.mtld:.0f}; "
            f"Flesch-Kincaid grade {m.fk_grade:.1f}"
        )
