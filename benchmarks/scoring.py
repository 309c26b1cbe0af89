"""Benchmark scoring a full interview with the rubric provider; update docs/benchmarks.md.

Run: .venv/bin/python benchmarks/scoring.py [--iterations 20] [--no-write]

One interview = English multiple choice (15 items) + writing sample, 3 résumé answers, a code review
(flags, grader result, explanation), a system-design answer and a behavioural answer, taken from
the shipped calibration set. Measures, in one run: cold start (a fresh process importing the
library, loading every model and scoring one interview), warm p50/p95 with the embedding cache
cleared before every iteration (so no answer is ever a cache hit), and as the baseline the same
embedding calls alone (batch for batch; the writing sample's relevance check excluded), so the
ratio travels between machines.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from common import load_average, machine, write_section

SECTION = "## Scoring"
TARGET_S = 2.0


def build_interview() -> dict[str, Any]:
    """The interview's inputs: calibration cases' strong answers plus code-review inputs."""
    from hiresight.scoring import calibration
    from hiresight.scoring.codereview import BugSpec, CandidateFlag, PatchResult
    from hiresight.scoring.english import MCResponse
    from hiresight.scoring.types import Answer

    cases = {c.id: c for c in calibration.load_cases()}

    def strong(case_id: str) -> tuple[Any, Any, Any]:
        case = cases[case_id]
        text = next(a.text for a in case.answers if a.level == "strong")
        return case.to_question(), Answer(text=text), case.rubric()

    return {
        "mc": [MCResponse(difficulty=-2 + 0.3 * i, correct=i % 3 != 2) for i in range(15)],
        "writing": strong("english-project")[1].text,
        "answers": [
            strong("resume-cache"),
            strong("resume-migration"),
            strong("resume-oncall"),
            strong("design-rate-limiter"),
            strong("behavioural-conflict"),
            strong("review-double-charge"),
        ],
        "bugs": [
            BugSpec(id="idem", file="pay.py", start_line=20, end_line=31, bug_class="idempotency",
                    severity="critical"),
            BugSpec(id="leak", file="pay.py", start_line=50, end_line=52, bug_class="resource-leak",
                    severity="medium"),
        ],
        "flags": [
            CandidateFlag(file="pay.py", start_line=24, end_line=26, bug_class="idempotency"),
            CandidateFlag(file="pay.py", start_line=70, end_line=71, bug_class="race"),
        ],
        "patch": PatchResult.model_validate(
            {"bugs": [{"id": "idem", "fixed": True}, {"id": "leak", "fixed": False}],
             "regressions": [], "minimality_ratio": 1.2}
        ),
    }  # fmt: skip


def score_interview(provider: Any, interview: dict[str, Any]) -> float:
    """Score every part of one interview; return the mean answer score (keeps the work live)."""
    from hiresight.scoring import codereview, english

    english.assess_english(interview["mc"], interview["writing"])
    codereview.match_flags(interview["flags"], interview["bugs"])
    codereview.patch_score(interview["patch"], interview["bugs"])
    values: list[float] = [
        provider.score_answer(q.kind, q, a, r).value for q, a, r in interview["answers"]
    ]
    return sum(values) / len(values)


def embedding_batches(interview: dict[str, Any]) -> list[list[str]]:
    """The embedding calls the scorers make for one interview, batch for batch (the baseline)."""
    from hiresight.scoring import nlp, text
    from hiresight.scoring.types import AnswerKind

    batches: list[list[str]] = []
    for q, a, r in interview["answers"]:
        sentences = [s.text for s in nlp.sentences(a.text)]
        claim = [q.claim] if q.claim else []
        if q.kind is AnswerKind.CODE_REVIEW:  # `text.coverage`
            points = [p.text for p in r or text.rubric_from_reference(q)]
            contexts = [q.text, q.reference_answer or q.text, *claim]
            batches.append([*points, *contexts, a.text.strip(), *sentences])
        else:  # `freetext.coverage`: anchors, the question (and claim), the answer, sentences
            anchors = [p.text for p in r] + list(q.outline) + list((q.star or {}).values())
            batches.append([*anchors, q.text, *claim, a.text.strip(), *sentences])
    return batches


def cold_start_s() -> float:
    """Wall seconds for a fresh process to import, load every model and score one interview."""
    code = (
        "import time; t=time.perf_counter();"
        "import sys; sys.path.insert(0, 'benchmarks');"
        "import scoring as b; from hiresight.scoring.providers import RubricProvider;"
        "b.score_interview(RubricProvider(), b.build_interview());"
        "print(time.perf_counter()-t)"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, check=True, capture_output=True, text=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def run(iterations: int) -> str:
    """Measure everything and return the Markdown section."""
    from hiresight.embeddings import get_embedder
    from hiresight.scoring.providers import RubricProvider

    # Cold start varies most with the shared machine's load: report the median of three.
    colds = sorted(cold_start_s() for _ in range(3))
    cold = colds[1]
    provider = RubricProvider()
    interview = build_interview()
    # The scorers' own embedder (fp32 whatever the configured precision), so clearing its cache
    # really makes every iteration cold and the baseline embeds exactly as they do.
    embedder = get_embedder(purpose="scoring")
    clear = getattr(embedder, "clear_cache", lambda: None)
    batches = embedding_batches(interview)
    for _ in range(2):  # warm-up: models loaded, code paths hot
        score_interview(provider, interview)
    full: list[float] = []
    base: list[float] = []
    for _ in range(iterations):
        clear()
        t = time.perf_counter()
        score_interview(provider, interview)
        full.append(time.perf_counter() - t)
        clear()
        t = time.perf_counter()
        for batch in batches:
            embedder.embed(batch)
        base.append(time.perf_counter() - t)
    clear()
    p50, p95 = statistics.median(full), percentile(full, 95)
    b50 = statistics.median(base)
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            SECTION,
            "",
            f"Run {date} on {machine()};"
            f" load average {load_average()} (shared machine);"
            f" `benchmarks/scoring.py --iterations {iterations}`.",
            "One full interview with the rubric provider: English MC (15 items) and writing "
            "sample, 3 résumé answers, code review (flags, grader result, explanation), one "
            "system-design and one behavioural answer. Embedding cache cleared before every "
            "iteration.",
            "",
            "| measure | value |",
            "|---|---|",
            f"| full interview p50 (warm) | {p50:.3f} s |",
            f"| full interview p95 (warm) | {p95:.3f} s |",
            f"| target p50 and p95 ≤ {TARGET_S:.1f} s | "
            f"{'met' if p95 <= TARGET_S else 'p50 only' if p50 <= TARGET_S else 'NOT met'} |",
            "| cold start, median of 3 (fresh process: imports, model loads, one interview) "
            f"| {cold:.2f} s (range {colds[0]:.2f}–{colds[2]:.2f} s) |",
            f"| baseline: the same embedding calls alone, p50 ({len(batches)} batches, "
            f"{sum(map(len, batches))} texts) | {b50:.3f} s |",
            f"| ratio full / embeddings alone | {p50 / b50:.2f}x |",
            "",
        ]
    )


def main() -> None:
    """Parse arguments, run, print and record."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    section = run(args.iterations)
    print(section)
    if not args.no_write:
        write_section(section, SECTION)


if __name__ == "__main__":
    main()
