"""CLI: `hiresight scoring answer|calibrate|validate` (`app`) and `hiresight english assess`
(`english_app`).

`answer`, `calibrate` and `english assess` run offline with the rubric provider; `validate` can
also measure the configured LLM endpoint. `hiresight scoring rescore`, which re-scores stored
attempts in the database, is the interviews' (`interviews.cli.rescore_command`).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from hiresight.banks.loader import (
    behavioral_material,
    prompt_by_id,
    system_design_material,
)
from hiresight.banks.models import BehavioralPrompt
from hiresight.scoring import calibration, english, validity, validity_report
from hiresight.scoring.errors import ScoringError
from hiresight.scoring.providers import AIProvider, AISettings, RubricProvider, build_provider
from hiresight.scoring.providers.openai import OpenAIProvider
from hiresight.scoring.rubrics import free_text_inputs
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
    closest = {c.point: c for c in score.closest}
    for missed in score.points_missed:
        typer.echo(f"  - missed: {missed}")
        if missed in closest:
            typer.echo(f'      closest: "{closest[missed].quote}"')
    for note in score.notes:
        typer.echo(f"  note: {note}")
    typer.echo("  sub-scores: " + ", ".join(f"{k}={v:.2f}" for k, v in score.sub_scores.items()))


@app.command("answer")
def answer_cmd(
    answer: Annotated[str, typer.Option(help="The candidate's answer.")],
    question: Annotated[
        str | None, typer.Option(help="The question text (default: the --prompt's own).")
    ] = None,
    prompt: Annotated[
        str | None,
        typer.Option(
            help="A bank prompt id (e.g. bh-conflict): its rubric, model answer and STAR "
            "descriptions are used, as in an interview."
        ),
    ] = None,
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
        if prompt is not None:
            kind, text, material = _bank_prompt(prompt, claim)
            q, bank_points = free_text_inputs(kind, question or text, material, claim=claim)
            rubric = rubric or bank_points
        elif question is None:
            raise _fail("scoring_invalid_input", "give --question, or --prompt with a bank id")
        else:
            q = Question(text=question, kind=kind, reference_answer=reference, claim=claim)
        score = RubricProvider().score_answer(q.kind, q, Answer(text=answer), rubric)
    except ValidationError as exc:
        raise _fail("scoring_invalid_input", str(exc.errors()[0]["msg"])) from exc
    except ScoringError as exc:
        raise _fail(exc.code, exc.message) from exc
    if as_json:
        typer.echo(score.model_dump_json(indent=2))
    else:
        _print_score(score)


def _bank_prompt(prompt_id: str, claim: str | None) -> tuple[AnswerKind, str, dict[str, Any]]:
    """A behavioural or system-design bank prompt: its kind, question text and rubric material."""
    found = prompt_by_id(prompt_id)
    if isinstance(found, BehavioralPrompt):
        text = found.render(claim) if claim else found.generic
        return AnswerKind.BEHAVIOURAL, text, behavioral_material(found, claim)
    if found is not None:
        return AnswerKind.SYSTEM_DESIGN, found.standalone, system_design_material(found)
    raise _fail("scoring_unknown_prompt", f"no behavioural or system-design prompt {prompt_id!r}")


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


class HalfChoice(StrEnum):
    """Which half of the validity set to measure and show."""

    tune = "tune"
    report = "report"
    both = "both"


_HALVES: dict[HalfChoice, list[validity.Half]] = {
    HalfChoice.tune: ["tune"],
    HalfChoice.report: ["report"],
    HalfChoice.both: ["tune", "report"],
}


class ProviderChoice(StrEnum):
    """Who scores the validity set: the offline rubric engine or the configured LLM."""

    rubric = "rubric"
    openai = "openai"


def _provider(choice: ProviderChoice) -> AIProvider:
    """The rubric engine, or the LLM endpoint from the settings (exit 2 when none is set)."""
    if choice is ProviderChoice.rubric:
        return RubricProvider()
    from hiresight.cli_support import load_settings

    options = load_settings().ai_options() | {"provider": "openai"}
    try:
        return build_provider(AISettings(**options))
    except (ValidationError, ScoringError) as exc:
        raise _fail(
            "scoring_provider_config",
            "--provider openai needs an endpoint: set HIRESIGHT_LLM_BASE_URL and "
            "HIRESIGHT_LLM_MODEL (and HIRESIGHT_LLM_API_KEY if it wants one)",
        ) from exc


@app.command("validate")
def validate_cmd(
    directory: Annotated[
        Path | None, typer.Argument(help="Validity folder (default: the shipped set).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    which: Annotated[
        HalfChoice, typer.Option("--half", help="Measure the tune half, the report half or both.")
    ] = HalfChoice.both,
    provider: Annotated[
        ProviderChoice, typer.Option(help="rubric (offline) or openai (the configured endpoint).")
    ] = ProviderChoice.rubric,
    strict: Annotated[
        bool, typer.Option(help="Exit 1 when the report half misses a target.")
    ] = False,
) -> None:
    """Measure the scorer on the validity set: strong/weak answer pairs and STAR stories.

    Missed targets are printed; the exit code stays 0 unless --strict is given.
    """
    try:
        items = validity.load_set(directory)
    except ScoringError as exc:
        raise _fail(exc.code, exc.message) from exc
    halves = _HALVES[which]
    # --strict judges the report half, so it is measured even when only the tune half is shown.
    measured: list[validity.Half] = [*halves, "report"] if strict else halves
    ai = _provider(provider)
    try:
        report = validity_report.evaluate(
            items.only(measured), lambda q, a, r: ai.score_answer(q.kind, q, a, r)
        )
    finally:
        if isinstance(ai, OpenAIProvider):
            ai.close()
    report.provider = ai.name
    if as_json:
        typer.echo(report.only(halves).model_dump_json(indent=2))
    else:
        typer.echo(validity_report.markdown(report, halves))
    missed = validity_report.targets_met(report, "report")
    if strict and missed:
        typer.echo(f"--strict: the report half misses {len(missed)} target(s)", err=True)
        raise typer.Exit(1)


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
