"""Reading an audio file into 16 kHz mono samples, with a clear error for a bad file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from hiresight.speech.errors import AudioFileError

SAMPLE_RATE = 16_000


def check_file(path: Path) -> None:
    """Raise `AudioFileError` unless `path` is a non-empty regular file."""
    if not path.exists():
        raise AudioFileError(f"audio file not found: {path}")
    if not path.is_file():
        raise AudioFileError(f"not a file: {path}")
    if path.stat().st_size == 0:
        raise AudioFileError(f"audio file is empty: {path}")


def decode(path: Path) -> npt.NDArray[np.float32]:
    """The file's audio as 16 kHz mono float32 samples (PyAV/FFmpeg decodes any common format)."""
    check_file(path)
    from faster_whisper.audio import decode_audio  # imported here: PyAV loads FFmpeg

    try:
        samples = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except Exception as exc:  # PyAV raises its own error family (InvalidDataError, EOFError...)
        raise AudioFileError(f"cannot decode audio file {path.name}: {exc}") from exc
    if not isinstance(samples, np.ndarray) or samples.size == 0:
        raise AudioFileError(f"audio file {path.name} holds no sound")
    return samples.astype(np.float32, copy=False)
