"""Hybrid feature sets on the tuning halves of fresh logs: how a feature is kept or dropped.

    .venv/bin/python benchmarks/recs_hybrid_features.py --out /tmp/hiresight-viewlogs
        --logs text_dense --seeds 1,2 [--variants base,+view_rate,...]

Writes (or reuses) each log as benchmarks/recs_viewlogs.py does (hash embedder), fits the
hybrid once per feature set on its time split, and prints NDCG@10 on the tuning half of the
test users only, beside popularity and TF-IDF. A feature is kept only if it helps the tuning
halves of fresh seeds (not 0) and does not hurt the other logs' tuning halves; the seed-0
reporting halves are for the figures, never for this choice, so this script never reads them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import load_average, machine
from recs_viewlogs import hashed_log

from hiresight.matching.lab.evaluate import RecommendFn, evaluate_models, segments
from hiresight.matching.lab.hybrid import FEATURES, HybridInputs, HybridRanker

VARIANTS: dict[str, tuple[str, ...]] = {
    "base": FEATURES,
    "+view_rate": (*FEATURES, "view_rate"),
    "+company_rate": (*FEATURES, "company_rate"),
    "+same_level": (*FEATURES, "same_level"),
    "+rates": (*FEATURES, "view_rate", "company_rate"),
    "+all3": (*FEATURES, "view_rate", "company_rate", "same_level"),
}


def run(name: str, out: Path, seed: int, variants: list[str]) -> None:
    log = hashed_log(name, out, seed)
    rows, jobs, split = log.rows, log.jobs, log.split
    companies = {j.id: j.company_id for j in jobs.postings}
    vectors = {j.id: j.vector for j in jobs.postings}
    inputs = HybridInputs(jobs.texts, vectors, {}, {}, companies, jobs.postings)
    models: dict[str, RecommendFn] = dict(log.baselines)
    for variant in variants:
        hybrid = HybridRanker(seed=0, features=VARIANTS[variant]).fit(rows, split, inputs)
        models[variant] = hybrid.recommend_fn()
    users = segments(split, "tune")["all"]
    ndcg = {m: r["ndcg@10"] for m, r in evaluate_models(models, split, (10,), users).items()}
    cells = " | ".join(f"{ndcg[m]:.4f}" for m in models)
    print(f"| {name} | {seed} | {len(users)} | {cells} |  (load {load_average()})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/hiresight-viewlogs"))
    parser.add_argument("--logs", default="text_dense")
    parser.add_argument("--seeds", default="1,2", help="fresh seeds, comma-separated")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    variants = args.variants.split(",")
    now = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"# hybrid feature sets, tuning halves, {now}")
    print(f"{machine()}\n")
    print("| log | seed | tune users | popularity | tfidf | " + " | ".join(variants) + " |")
    print("|---|---|---|---|---|" + "---|" * len(variants))
    for seed in seeds:
        for name in args.logs.split(","):
            run(name, args.out, seed, variants)


if __name__ == "__main__":
    main()
