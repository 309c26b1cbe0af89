"""Speech to text, offline by default, and the fluency measures read from word timestamps.

`get_transcriber(SpeechSettings(...))` gives a `Transcriber`: the bundled Whisper tiny.en on
faster-whisper (CPU, int8, the model file's SHA-256 checked at load, never a hub download), or
an OpenAI-compatible `/audio/transcriptions` endpoint. `fluency.measure(transcript)` turns the
word timings into speech rate, articulation rate, pauses, mean length of run and filled pauses,
with the evidence for each.
"""

from hiresight.speech.base import Transcriber
from hiresight.speech.factory import get_transcriber
from hiresight.speech.settings import SpeechSettings
from hiresight.speech.types import Segment, Transcript, Word

__all__ = ["Segment", "SpeechSettings", "Transcriber", "Transcript", "Word", "get_transcriber"]
