"""The ceiling of the simulated text-only logs: oracles that read the simulator's hidden state.

    .venv/bin/python benchmarks/recs_oracle.py --out /tmp/hiresight-viewlogs
        [--logs text_dense,text_sparse] [--seeds 0]

Writes (or reuses) each textmarket log as benchmarks/recs_viewlogs.py does, fits popularity
and TF-IDF on its time split as `hiresight recs evaluate` does, and ranks the same test users'
candidate jobs by the oracles of matching/lab/oracle.py (the true chance of a view in the test
window, the true utility at the cutoff, and the best list shared by all users). Prints NDCG@10
per half and each oracle's ratio to popularity and TF-IDF: if the best oracle is below 3x
popularity on a log, no model reading that log can reach 3x there.
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
from hiresight.matching.lab.oracle import ORACLES, oracle_models
from hiresight.matching.lab.textmarket import simulate_shape

SHAPES = {"text_dense": "dense", "text_sparse": "sparse"}


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base > 0 else "-"


def run(name: str, out: Path, seed: int) -> None:
    log = hashed_log(name, out, seed)
    rows, split = log.rows, log.split
    market = simulate_shape(SHAPES[name], seed)  # type: ignore[arg-type]
    models: dict[str, RecommendFn] = {**log.baselines, **oracle_models(market, split)}
    print(f"\n## {name} (seed {seed}): {len(rows)} views, {len(split.items)} jobs, "
          f"{len(split.relevant)} test users (load {load_average()})\n")  # fmt: skip
    ratios = [f"{o} ÷ popularity" for o in ORACLES] + ["oracle_choice ÷ tfidf"]
    print("| half (users) | popularity | tfidf | " + " | ".join([*ORACLES, *ratios]) + " |")
    print("|---|" + "---|" * (3 + 2 * len(ORACLES)))
    for half in ("tune", "report"):
        users = segments(split, half)["all"]
        ndcg = {m: r["ndcg@10"] for m, r in evaluate_models(models, split, (10,), users).items()}
        cells = [f"{ndcg[m]:.4f}" for m in ("popularity", "tfidf", *ORACLES)]
        cells += [_ratio(ndcg[o], ndcg["popularity"]) for o in ORACLES]
        cells.append(_ratio(ndcg["oracle_choice"], ndcg["tfidf"]))
        print(f"| {half} ({len(users)}) | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/hiresight-viewlogs"))
    parser.add_argument("--logs", default="text_dense,text_sparse")
    parser.add_argument("--seeds", default="0", help="comma-separated seeds")
    args = parser.parse_args()
    print(f"# oracle ceilings, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {machine()}")
    for seed in (int(s) for s in args.seeds.split(",")):
        for name in args.logs.split(","):
            run(name, args.out, seed)


if __name__ == "__main__":
    main()
