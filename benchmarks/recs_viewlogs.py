"""Every recommender on simulated job-view logs, both fixed halves, warm and cold rows.

    .venv/bin/python benchmarks/recs_viewlogs.py --out /tmp/viewlogs [--logs dense,sparse]
        [--repeats] [--embedder hash] [--seed 0] [--half tune|report]

Writes each log (log.csv, jobs.jsonl) under --out and runs `compare_on_log` on it once, as
`hiresight recs evaluate --log ... --jobs ...` does, then judges the fitted models on the
tuning and the reporting half of the test users (fixed by `half_of`, a hash of the user id).
The logs: `dense`, `sparse` and `very_sparse` from matching/lab/viewlog.py (title, company
and city only, like a public job-view log) and `text_dense`, `text_sparse` from
matching/lab/textmarket.py (the marketplace simulator's clicks with text-only jobs).
Prints one Markdown table per log and half (NDCG, precision, recall and MAP at 10 for all,
warm and cold test users) and the ratios of the best session model and of the hybrid to
TF-IDF and popularity, for all, warm and cold users.
`--seed` writes fresh logs of the same shapes (another seed, another folder): the hybrid's
settings are tuned on the tuning half of such logs, never on the figures of the fixed seed-0
logs' reporting halves. `--half tune` prints the tuning half only.
`--embedder hash` swaps the MiniLM embedder for a hashed bag of words (fast; it changes
only the embedding-based models: content, lightgbm, embedding, hybrid).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import load_average, machine

from hiresight.embeddings import Embedder, Vectors
from hiresight.matching.lab.comparison import compare_on_log
from hiresight.matching.lab.content import TfidfScorer, scorer_fn
from hiresight.matching.lab.evaluate import (
    LogRow,
    RecommendFn,
    Split,
    evaluate_models,
    matrix_model_fn,
    read_log_csv,
    segments,
    temporal_split,
)
from hiresight.matching.lab.recommenders import PopularityRecommender
from hiresight.matching.lab.records import JobFile, read_job_file
from hiresight.matching.lab.textmarket import simulate_shape, write_text_log
from hiresight.matching.lab.viewlog import simulate_views, write_view_log

LOGS = ("dense", "sparse", "very_sparse", "text_dense", "text_sparse")
NEW = ("session", "city_popularity", "recent_review")
GROUPS = ("all", "warm", "cold")
METRICS = ("ndcg", "precision", "recall", "map")


class HashEmbedder:
    """Hashed bag of words: texts sharing words get similar vectors (no model loaded)."""

    name, dim = "hash", 64

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, hashlib.sha256(word.encode()).digest()[0] % self.dim] += 1.0
        unit: Vectors = out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return unit

    def clip(self, text: str, max_tokens: int) -> str:
        return text


def _embedder(kind: str) -> Embedder:
    if kind == "hash":
        return HashEmbedder()  # type: ignore[return-value]
    from hiresight.cli_support import load_root
    from hiresight.embeddings import get_embedder

    load_root()
    return get_embedder()


def write_log(name: str, out: Path, seed: int = 0) -> Path:
    """Generate one named log into out/name (out/name-seedN) unless it is there already."""
    directory = out / (name if seed == 0 else f"{name}-seed{seed}")
    if not (directory / "log.csv").exists():
        if name.startswith("text_"):
            shape = "dense" if name == "text_dense" else "sparse"
            write_text_log(simulate_shape(shape, seed), directory)
        else:
            write_view_log(simulate_views(name, seed), directory)  # type: ignore[arg-type]
    return directory


@dataclass(frozen=True)
class HashedLog:
    """A named log read back with the hash embedder, split in time, with its two baselines."""

    rows: list[LogRow]
    jobs: JobFile
    split: Split
    baselines: dict[str, RecommendFn]


def hashed_log(name: str, out: Path, seed: int = 0) -> HashedLog:
    """`write_log`, then the log and jobs read (hash embedder), the time split, and popularity
    and TF-IDF fitted on its training window: what the side studies (oracle, feature sets)
    compare against."""
    directory = write_log(name, out, seed)
    rows = read_log_csv(directory / "log.csv")
    jobs = read_job_file(directory / "jobs.jsonl", HashEmbedder)  # type: ignore[arg-type]
    split = temporal_split(rows)
    baselines: dict[str, RecommendFn] = {
        "popularity": matrix_model_fn(PopularityRecommender().fit(split.train), split),
        "tfidf": scorer_fn(TfidfScorer(split, jobs.texts), split),
    }
    return HashedLog(rows, jobs, split, baselines)


def _ratio(value: float, base: float, name: str) -> str:
    return f"{value / base:.2f}x {name}" if base > 0 else f"{name} is 0"


def run(name: str, out: Path, embedder: str, repeats: bool, seed: int, halves: list[str]) -> None:
    directory = write_log(name, out, seed)
    started = time.perf_counter()
    rows = read_log_csv(directory / "log.csv")
    jobs = read_job_file(directory / "jobs.jsonl", lambda: _embedder(embedder))
    comparison = compare_on_log(
        rows, (10,), jobs=jobs.postings, job_texts=jobs.texts, repeats=repeats
    )
    seconds = time.perf_counter() - started
    split = comparison.split
    print(f"\n## {name} (seed {seed}): {len(rows)} views, {len(split.items)} jobs, "
          f"{len(split.users)} users, {len(split.relevant)} test users "
          f"({seconds:.0f} s, load {load_average()})")  # fmt: skip
    for note in comparison.notes:
        print(f"note: {note}")
    for half in halves:
        groups = segments(split, half)
        table = {g: evaluate_models(comparison.models, split, (10,), u) for g, u in groups.items()}
        counts = ", ".join(f"{g} {len(u)}" for g, u in groups.items())
        print(f"\n### {name}, {half} half ({counts})\n")
        print("| model | " + " | ".join(f"{m}@10 all / warm / cold" for m in METRICS) + " |")
        print("|---|" + "---|" * len(METRICS))
        for model in comparison.models:
            cells = [
                " / ".join(f"{table[g][model][f'{m}@10']:.4f}" for g in ("all", "warm", "cold"))
                for m in METRICS
            ]
            print(f"| {model} | " + " | ".join(cells) + " |")
        ndcg = {g: {m: table[g][m]["ndcg@10"] for m in comparison.models} for g in GROUPS}
        best = max(NEW, key=lambda m: ndcg["all"][m])
        print()
        for model in (best, "hybrid"):
            if model not in comparison.models:
                continue
            cells = [
                f"{g} {ndcg[g][model]:.4f} ("
                + ", ".join(_ratio(ndcg[g][model], ndcg[g][b], b) for b in ("tfidf", "popularity"))
                + ")"
                for g in GROUPS
                if groups[g]
            ]
            print(f"- {model}: " + "; ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/hiresight-viewlogs"))
    parser.add_argument("--logs", default=",".join(LOGS))
    parser.add_argument("--embedder", choices=("minilm", "hash"), default="minilm")
    parser.add_argument("--repeats", action="store_true", help="count re-views as relevant")
    parser.add_argument("--seed", type=int, default=0, help="another seed: fresh logs to tune on")
    parser.add_argument("--half", choices=("tune", "report", "both"), default="both")
    args = parser.parse_args()
    halves = ["tune", "report"] if args.half == "both" else [args.half]
    print(f"# view logs, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {machine()}")
    print(f"embedder: {args.embedder}; repeats counted: {args.repeats}; seed {args.seed}")
    for name in args.logs.split(","):
        run(name, args.out, args.embedder, args.repeats, args.seed, halves)


if __name__ == "__main__":
    main()
