"""The offline engine: accuracy on clean synthetic speech, timings, the pinned model, bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hiresight.speech import whisper
from hiresight.speech.errors import (
    AudioFileError,
    SpeechModelIntegrityError,
    SpeechModelMissingError,
)
from hiresight.speech.wer import word_error_rate
from hiresight.speech.whisper import MODEL_FILES, WhisperTranscriber, model_dir, verify_model
from tests.speech.conftest import Speak

ANSWER = [
    "I have worked as a software engineer for five years.",
    "Most of my time was spent building web services in Python.",
    "Last year I moved our largest service to a new database without any downtime.",
    "I enjoy working with a small team and writing clear tests.",
]


def test_clean_synthetic_speech_is_transcribed_within_fifteen_percent_wer(speak: Speak) -> None:
    transcript = WhisperTranscriber().transcribe(speak(ANSWER, 0.3))
    reference = " ".join(ANSWER)
    wer = word_error_rate(reference, transcript.text)
    assert wer <= 0.15, (wer, transcript.text)
    # the words carry the same text as the segments
    assert word_error_rate(reference, " ".join(w.text for w in transcript.words)) == wer
    assert transcript.engine == "faster-whisper:tiny.en"
    assert transcript.language == "en"


def test_words_have_ordered_times_and_confidence(speak: Speak) -> None:
    path = speak(["Hiresight asks one question at a time."], 0.0)
    transcript = WhisperTranscriber().transcribe(path)
    assert transcript.words
    assert 2.0 < transcript.duration < 6.0
    previous_end = 0.0
    for word in transcript.words:
        assert previous_end - 0.01 <= word.start <= word.end <= transcript.duration + 0.05
        assert word.probability is not None
        assert 0.0 <= word.probability <= 1.0
        previous_end = word.end
    assert [s.text for s in transcript.segments]


def test_corrupt_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "answer.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt " + bytes(range(256)) * 4)
    with pytest.raises(AudioFileError, match=r"cannot decode audio file answer\.wav") as info:
        WhisperTranscriber().transcribe(bad)
    assert info.value.code == "speech_audio_invalid"


@pytest.mark.parametrize("kind", ["missing", "empty", "folder"])
def test_missing_or_empty_file_is_a_clear_error(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "answer.wav"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "folder":
        path.mkdir()
    with pytest.raises(AudioFileError):
        WhisperTranscriber().transcribe(path)


def test_installed_model_matches_the_pinned_hashes() -> None:
    folder = model_dir()
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == sorted(MODEL_FILES)
    verify_model(folder)


def test_a_changed_model_file_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    shutil.copytree(model_dir(), folder)
    with (folder / "model.bin").open("r+b") as handle:
        handle.seek(1000)
        handle.write(b"\xff\xfe")
    with pytest.raises(SpeechModelIntegrityError, match=r"model\.bin has SHA-256"):
        verify_model(folder)
    shutil.copy2(model_dir() / "model.bin", folder / "model.bin")
    verify_model(folder)
    (folder / "config.json").unlink()
    with pytest.raises(SpeechModelMissingError, match=r"config\.json is missing"):
        verify_model(folder)


def test_loading_refuses_a_changed_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The load itself checks the hashes: a tampered folder is never handed to CTranslate2."""
    folder = tmp_path / "model"
    shutil.copytree(model_dir(), folder)
    (folder / "vocabulary.txt").write_text("tampered\n")
    monkeypatch.setattr(whisper, "model_dir", lambda: folder)
    with pytest.raises(SpeechModelIntegrityError, match=r"vocabulary\.txt"):
        whisper.load_model.__wrapped__(1)


def test_a_missing_model_package_is_a_clear_error() -> None:
    with pytest.raises(SpeechModelMissingError, match="not installed"):
        whisper.model_dir("hiresight_no_such_model_package")


def test_the_model_loads_once_per_process() -> None:
    assert whisper.load_model(1) is whisper.load_model(1)
