"""`hiresight speech ...`: transcribe an audio file from the shell."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from hiresight.cli_support import load_settings
from hiresight.speech.errors import SpeechError
from hiresight.speech.factory import get_transcriber
from hiresight.speech.fluency import measure
from hiresight.speech.settings import SpeechSettings

app = typer.Typer(help="Speech to text and spoken fluency.", no_args_is_help=True)


@app.callback()
def _speech() -> None:
    """Speech to text and spoken fluency."""  # keeps sub-commands when mounted


@app.command("transcribe")
def transcribe(
    file: Annotated[Path, typer.Argument(help="An audio file (WAV, WebM/Opus, MP3, ...).")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the transcript and fluency as JSON.")
    ] = False,
) -> None:
    """Transcribe FILE (offline by default) and print the text, timings and fluency."""
    try:
        transcriber = get_transcriber(SpeechSettings(**load_settings().speech_options()))
        transcript = transcriber.transcribe(file)
    except SpeechError as exc:
        if as_json:
            error = {"error": {"code": exc.code, "message": exc.message}}
            typer.echo(json.dumps(error), err=True)
        else:
            typer.secho(f"Error ({exc.code}): {exc.message}", err=True, fg="red")
        raise typer.Exit(1) from exc
    fluency = measure(transcript)
    if as_json:
        body = {
            "text": transcript.text,
            **transcript.model_dump(mode="json"),
            "fluency": fluency.model_dump(mode="json"),
        }
        typer.echo(json.dumps(body, indent=2))
        return
    for seg in transcript.segments:
        typer.echo(f"[{seg.start:7.2f} - {seg.end:7.2f}] {seg.text}")
    typer.echo(
        f"{transcript.engine}, {transcript.language}, {transcript.duration:.1f} s, "
        f"{fluency.words} words: {fluency.speech_rate:.0f} wpm, articulation "
        f"{fluency.articulation_rate:.0f} wpm, {len(fluency.pauses)} pauses > "
        f"{fluency.pause_threshold} s, mean run {fluency.mean_length_of_run:.1f} words, "
        f"{len(fluency.filled_pauses)} filled pauses"
    )
