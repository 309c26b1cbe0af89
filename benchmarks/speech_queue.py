"""Benchmark spoken answers through the background work: transcription throughput of a worker.

Run: .venv/bin/python benchmarks/speech_queue.py [--clips 6] [--workers 1] [--cores 2]

Speaks a ~25 s answer with espeak-ng, pins this process to `--cores` CPUs, loads the model once
(timed apart), then finishes `--clips` recordings at once on a fresh SQLite database, each on
its own attempt, exactly as the room does: the stitched file is stored, `transcribe` work is
recorded in the outbox and the in-process task backend (`--workers` threads, one claimed
piece of work each) runs it. Prints the wall time until every transcript is stored, the
real-time factor over all the audio (wall seconds per second of audio), the throughput in
minutes of audio per minute, and the wait from finishing to a stored transcript (median, p95).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from common import load_average, machine
from sqlalchemy import select

from hiresight import migrate
from hiresight.accounts.models import Role, User
from hiresight.db import create_db_engine, make_session_factory, transaction, utcnow
from hiresight.interviews.config import DEFAULT_TEMPLATE, StageKind
from hiresight.interviews.models import (
    AttemptState,
    InterviewSession,
    SessionState,
    StageAttempt,
)
from hiresight.interviews.voice import transcription
from hiresight.interviews.voice.models import AnswerRecording, RecordingState, VoiceConsent
from hiresight.interviews.voice.notice import NOTICE_VERSION
from hiresight.interviews.voice.service import TRANSCRIBE
from hiresight.speech.whisper import WhisperTranscriber, load_model
from hiresight.tasks import outbox
from hiresight.tasks import service as tasks
from hiresight.tasks.outbox import WorkConfig
from speech import ANSWER, percentile, speak


def _queue(factory: object, clip: bytes, n: int) -> None:
    """One candidate, interview and attempt per clip; the finished recording and its work."""
    now = utcnow()
    for i in range(n):
        with transaction(factory) as session:  # type: ignore[arg-type]
            user = User(email=f"bench{i}@example.com", full_name=f"Bench {i}",
                        password_hash="-", role=Role.candidate)  # fmt: skip
            session.add(user)
            session.flush()
            interview = InterviewSession(
                candidate_id=user.id, config=DEFAULT_TEMPLATE.model_dump(mode="json"),
                state=SessionState.in_progress, started_at=now,
                deadline_at=now + dt.timedelta(hours=1),
            )  # fmt: skip
            session.add(interview)
            session.flush()
            attempt = StageAttempt(
                session_id=interview.id, candidate_id=user.id, stage=StageKind.behavioral,
                state=AttemptState.active, deadline_at=now + dt.timedelta(hours=1),
                content={"questions": [{"id": "b1", "type": "text", "text": "Tell us."}]},
            )  # fmt: skip
            consent = VoiceConsent(candidate_id=user.id, notice_version=NOTICE_VERSION)
            session.add_all([attempt, consent])
            session.flush()
            session.add(AnswerRecording(
                attempt_id=attempt.id, question_id="b1", consent_id=consent.id,
                mime_type="audio/wav", state=RecordingState.queued, chunk_count=1,
                size_bytes=len(clip), audio=clip, finished_at=utcnow(),
            ))  # fmt: skip
            outbox.record(session, kind=TRANSCRIBE, attempt_id=attempt.id)


def main() -> None:
    """Measure and print the Markdown section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clips", type=int, default=6)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--cores", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("espeak-ng") is None:
        sys.exit("espeak-ng is needed: apt-get install espeak-ng")
    cpus = sorted(os.sched_getaffinity(0))[: args.cores]
    os.sched_setaffinity(0, cpus)
    threads = max(1, args.cores // args.workers)
    with tempfile.TemporaryDirectory() as tmp:
        clip = speak(ANSWER[:5], Path(tmp)).read_bytes()
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        migrate.upgrade(url)
        engine = create_db_engine(url)
        factory = make_session_factory(engine)
        start = time.perf_counter()
        load_model(threads)
        load_s = time.perf_counter() - start
        engine_ = WhisperTranscriber(threads=threads)
        transcription.transcriber = lambda: engine_  # the bundled model, `threads` threads each
        outbox.configure(WorkConfig(lease_seconds=120.0))
        backend = tasks.configure(tasks.InlineBackend(engine, workers=args.workers))
        wall0 = time.perf_counter()
        _queue(factory, clip, args.clips)
        backend.wait(3600)
        wall = time.perf_counter() - wall0
        with factory() as session:
            rows = list(session.scalars(select(AnswerRecording)))
        backend.shutdown()
        engine.dispose()
    done = [r for r in rows if r.state is RecordingState.transcribed]
    assert len(done) == args.clips, [(r.state, r.error) for r in rows]
    duration = statistics.median((r.transcript or {}).get("duration", 0.0) for r in done)
    audio = duration * len(done)
    waits = [(r.transcribed_at - r.finished_at).total_seconds() for r in done  # type: ignore[operator]
             if r.transcribed_at and r.finished_at]  # fmt: skip
    print(f"""## Spoken answers through the background work

Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}; load average {load_average()}.
{args.clips} recordings of a {duration:.1f} s espeak-ng answer finished at once on SQLite, each
with its `transcribe` work in the outbox, run by the in-process backend with {args.workers}
worker(s) of {threads} thread(s), the process pinned to CPUs {cpus}; Whisper tiny.en, CPU int8,
model loaded once beforehand ({load_s:.2f} s).

| measure | value |
|---|---|
| wall time, first finish to last transcript | {wall:.1f} s for {audio:.0f} s of audio |
| real-time factor over the queue | {wall / audio:.3f} |
| throughput | {audio / wall:.1f} min of audio per minute |
| wait from finishing to transcript, median | {statistics.median(waits):.1f} s |
| wait from finishing to transcript, p95 | {percentile(waits, 0.95):.1f} s |""")


if __name__ == "__main__":
    main()
