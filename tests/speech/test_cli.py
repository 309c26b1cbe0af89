"""`hiresight speech transcribe FILE [--json]`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hiresight.cli import app
from hiresight.speech.wer import word_error_rate
from tests.speech.conftest import Speak

runner = CliRunner()
SENTENCES = ["I have worked as a software engineer for five years.", "I enjoy clear tests."]


def test_transcribe_json_gives_words_and_fluency(speak: Speak) -> None:
    result = runner.invoke(app, ["speech", "transcribe", str(speak(SENTENCES, 1.0)), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert word_error_rate(" ".join(SENTENCES), body["text"]) <= 0.15
    assert body["engine"] == "faster-whisper:tiny.en"
    assert {"text", "start", "end", "probability"} <= set(body["words"][0])
    assert len(body["fluency"]["pauses"]) == 1
    assert body["fluency"]["words"] == len(body["words"])


def test_transcribe_prints_segments_and_a_summary(speak: Speak) -> None:
    result = runner.invoke(app, ["speech", "transcribe", str(speak(SENTENCES[:1], 0.0))])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("[   0.00 -")
    assert "faster-whisper:tiny.en, en," in result.stdout
    assert "0 pauses > 0.5 s" in result.stdout


def test_missing_and_corrupt_files_are_clear_errors(tmp_path: Path) -> None:
    result = runner.invoke(app, ["speech", "transcribe", str(tmp_path / "none.wav")])
    assert result.exit_code == 1
    assert "Error (speech_audio_invalid): audio file not found" in result.stderr
    bad = tmp_path / "bad.webm"
    bad.write_bytes(b"\x1a\x45\xdf\xa3 not really webm" * 10)
    result = runner.invoke(app, ["speech", "transcribe", str(bad), "--json"])
    assert result.exit_code == 1
    error = json.loads(result.stderr)["error"]
    assert error["code"] == "speech_audio_invalid"
    assert error["message"].startswith("cannot decode audio file bad.webm")
    assert result.stdout == ""
