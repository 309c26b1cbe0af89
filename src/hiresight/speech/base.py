"""The one interface every speech-to-text engine implements."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from hiresight.speech.types import Transcript


@runtime_checkable
class Transcriber(Protocol):
    """Turns an audio file (WAV, Opus/WebM, MP3, ...) into a timed transcript."""

    name: str

    def transcribe(self, path: Path) -> Transcript:
        """Transcribe the file; raise `AudioFileError` when it is missing or undecodable."""
        ...
