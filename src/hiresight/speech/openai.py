"""Any OpenAI-compatible `/audio/transcriptions` endpoint (OpenAI, speaches, whisper.cpp server).

The file is posted with `response_format=verbose_json` and word and segment timestamps asked
for. Words carry a probability only when the endpoint sends one (OpenAI does not).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel, ValidationError

from hiresight.speech.audio import check_file
from hiresight.speech.errors import SpeechProviderError
from hiresight.speech.types import Segment, Transcript, Word


class _RemoteWord(BaseModel):
    word: str
    start: float
    end: float
    probability: float | None = None


class _RemoteSegment(BaseModel):
    text: str
    start: float
    end: float


class _RemoteTranscript(BaseModel):
    text: str = ""
    language: str | None = None
    duration: float | None = None
    words: list[_RemoteWord] | None = None
    segments: list[_RemoteSegment] | None = None


_LANGUAGES = {"english": "en"}


class OpenAITranscriber:
    """`Transcriber` on an OpenAI-compatible endpoint."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout: float = 120.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = base_url.rstrip("/") + "/audio/transcriptions"
        self.model = model
        self.name = f"openai:{model}"
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(timeout=timeout, headers=headers, transport=transport)

    def transcribe(self, path: Path) -> Transcript:
        """Post the file and read the verbose JSON reply into a `Transcript`."""
        check_file(path)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data: dict[str, Any] = {
            "model": self.model,
            "response_format": "verbose_json",
            "timestamp_granularities[]": ["word", "segment"],
        }
        try:
            with path.open("rb") as handle:
                response = self._client.post(
                    self.url, data=data, files={"file": (path.name, handle, mime)}
                )
        except httpx.HTTPError as exc:
            raise SpeechProviderError(f"transcription endpoint unreachable: {exc}") from exc
        if response.status_code != 200:
            raise SpeechProviderError(
                f"transcription endpoint answered HTTP {response.status_code}: "
                f"{response.text[:200]}"
            )
        try:
            body = _RemoteTranscript.model_validate_json(response.content)
        except ValidationError as exc:
            raise SpeechProviderError(f"transcription endpoint sent unusable JSON: {exc}") from exc
        if body.words is None:
            raise SpeechProviderError("transcription endpoint sent no word timestamps")
        words = [
            Word(
                text=w.word.strip(),
                start=max(0.0, w.start),
                end=max(0.0, w.start, w.end),
                probability=None if w.probability is None else min(1.0, max(0.0, w.probability)),
            )
            for w in body.words
            if w.word.strip()
        ]
        segments = [
            Segment(text=s.text.strip(), start=max(0.0, s.start), end=max(0.0, s.start, s.end))
            for s in body.segments or []
        ]
        if not segments and body.text.strip():
            end = words[-1].end if words else 0.0
            segments = [Segment(text=body.text.strip(), start=0.0, end=end)]
        language = (body.language or "en").lower()
        duration = body.duration
        if duration is None:
            duration = max([0.0] + [w.end for w in words] + [s.end for s in segments])
        return Transcript(
            words=words,
            segments=segments,
            language=_LANGUAGES.get(language, language),
            duration=max(0.0, duration),
            engine=self.name,
        )
