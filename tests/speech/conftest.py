"""Test speech: sentences spoken by espeak-ng into WAV files, joined with exact silences."""

from __future__ import annotations

import shutil
import subprocess
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

Speak = Callable[[Sequence[str], float], Path]


def _espeak(text: str, path: Path) -> None:
    subprocess.run(
        ["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(path), text],
        check=True,
        capture_output=True,
        timeout=60,
    )


@pytest.fixture
def speak(tmp_path: Path) -> Speak:
    """speak(sentences, silence): one WAV of the sentences with `silence` seconds between them."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (make system-deps installs it for the tests)")
    counter = iter(range(1_000_000))

    def make(sentences: Sequence[str], silence: float = 0.0) -> Path:
        n = next(counter)
        frames: list[bytes] = []
        params = None
        for i, sentence in enumerate(sentences):
            part = tmp_path / f"part{n}-{i}.wav"
            _espeak(sentence, part)
            with wave.open(str(part), "rb") as reader:
                params = reader.getparams()
                if i and silence:
                    gap = int(params.framerate * silence)
                    frames.append(b"\x00" * gap * params.sampwidth * params.nchannels)
                frames.append(reader.readframes(reader.getnframes()))
        assert params is not None
        out = tmp_path / f"speech{n}.wav"
        with wave.open(str(out), "wb") as writer:
            writer.setparams(params)
            writer.writeframes(b"".join(frames))
        return out

    return make
