"""Every recommender on simulated job-view logs, both fixed halves, warm and cold rows.

    .venv/bin/python benchmarks/recs_viewlogs.py --out /tmp/viewlogs [--logs dense,sparse]
        [--repeats] [--embedder hash]

Writes each log (log.csv, jobs.jsonl) under --out and runs `compare_on_log` on it once, as
`hiresight recs evaluate --log ... --jobs ...` does, then judges the fitted models on the
tuning and the reporting half of the test users (fixed by `half_of`, a hash of the user id).
The logs: `dense`, `sparse` and `very_sparse` from matching/lab/viewlog.py (title, company
and city only, like a public job-view log) and `text_dense`, `text_sparse` from
matching/lab/textmarket.py (the marketplace simulator's clicks with text-only jobs).
Prints one Markdown table per log and half (NDCG, precision, recall and MAP at 10 for all,
warm and cold test users) and the ratio of the best new model to TF-IDF and popularity.
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
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import load_average, machine

from hiresight.embeddings import Embedder, Vectors
from hiresight.matching.lab.comparison import compare_on_log
from hiresight.matching.lab.evaluate import evaluate_models, read_log_csv, segments
from hiresight.matching.lab.records import read_job_file
from hiresight.matching.lab.textmarket import simulate_shape, write_text_log
from hiresight.matching.lab.viewlog import simulate_views, write_view_log

LOGS = ("dense", "sparse", "very_sparse", "text_dense", "text_sparse")
NEW = ("session", "city_popularity", "recent_review")
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


def write_log(name: str, out: Path) -> Path:
    """Generate one named log into out/name (seed 0) unless it is there already."""
    directory = out / name
    if not (directory / "log.csv").exists():
        if name.startswith("text_"):
            write_text_log(simulate_shape("dense" if name == "text_dense" else "sparse"), directory)
        else:
            write_view_log(simulate_views(name), directory)  # type: ignore[arg-type]
    return directory


def run(name: str, out: Path, embedder: str, repeats: bool) -> None:
    directory = write_log(name, out)
    started = time.perf_counter()
    rows = read_log_csv(directory / "log.csv")
    jobs = read_job_file(directory / "jobs.jsonl", lambda: _embedder(embedder))
    comparison = compare_on_log(
        rows, (10,), jobs=jobs.postings, job_texts=jobs.texts, repeats=repeats
    )
    seconds = time.perf_counter() - started
    split = comparison.split
    print(f"\n## {name}: {len(rows)} views, {len(split.items)} jobs, {len(split.users)} users, "
          f"{len(split.relevant)} test users ({seconds:.0f} s, load {load_average()})")  # fmt: skip
    for note in comparison.notes:
        print(f"note: {note}")
    for half in ("tune", "report"):
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
        ndcg = {m: table["all"][m]["ndcg@10"] for m in comparison.models}
        best = max(NEW, key=lambda m: ndcg[m])
        ratios = [
            f"{ndcg[best] / ndcg[base]:.2f}x {base}" if ndcg[base] > 0 else f"{base} is 0"
            for base in ("tfidf", "popularity")
        ]
        print(f"\nbest new model: {best} ({ndcg[best]:.4f}): " + ", ".join(ratios))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/hiresight-viewlogs"))
    parser.add_argument("--logs", default=",".join(LOGS))
    parser.add_argument("--embedder", choices=("minilm", "hash"), default="minilm")
    parser.add_argument("--repeats", action="store_true", help="count re-views as relevant")
    args = parser.parse_args()
    print(f"# view logs, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {machine()}")
    print(f"embedder: {args.embedder}; repeats counted: {args.repeats}")
    for name in args.logs.split(","):
        run(name, args.out, args.embedder, args.repeats)


if __name__ == "__main__":
    main()
