"""A small synthetic assignment, and solutions written as source text."""

from __future__ import annotations

from pathlib import Path

import numpy as np

# Users 1-3 have history, user 4 has none (cold). Answers: 1 -> {11, 12}, 2 -> {13}, 3 -> {10},
# 4 -> {10, 14}.
HISTORY = """user_id,job_id,timestamp,event
1,10,100,click
1,13,110,apply
2,10,120,click
2,11,130,save
3,11,140,click
3,12,150,click
"""
USERS = "user_id\n1\n2\n3\n4\n"
ANSWERS = "user_id,job_id\n1,11\n1,12\n2,13\n3,10\n4,10\n4,14\n"
ANSWERS_MARKER = "4,14"

SPEC = """title = "Tiny next job"
brief = "brief.md"
duration_days = 2

[contract]
entrypoint = "predict.py"
k = 2
input = "hidden/input"
history = "history.csv"
users = "users.csv"
answers = "hidden/answers.csv"

[metrics]
ks = [1, 2]

[limits]
wall_seconds = {wall}
memory_mb = 512
processes = 16
disk_mb = 16

[check]
reference = "solutions/reference"
naive = "solutions/naive"
broken = "solutions/broken"
reference_min = {{ "ndcg@2" = 0.5 }}
"""

# The known best lists for the answers above: a perfect score at k=2 for users 1, 2 and 4.
REFERENCE = """import argparse, csv
p = argparse.ArgumentParser()
p.add_argument("--input"); p.add_argument("--output"); p.add_argument("--k", type=int)
a = p.parse_args()
best = {1: [11, 12], 2: [13, 10], 3: [10, 12], 4: [10, 14]}
with open(a.output, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["user_id", "job_id", "rank"])
    for user, jobs in best.items():
        for rank, job in enumerate(jobs[: a.k], start=1):
            w.writerow([user, job, rank])
"""

NAIVE = """import argparse, csv
p = argparse.ArgumentParser()
p.add_argument("--input"); p.add_argument("--output"); p.add_argument("--k", type=int)
a = p.parse_args()
with open(a.output, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["user_id", "job_id", "rank"])
    for user in (1, 2, 3, 4):
        w.writerow([user, 10, 1])
        w.writerow([user, 11, 2])
"""

BROKEN = 'raise SystemExit("broken on purpose")\n'


def write_solution(folder: Path, source: str, **extra: str) -> Path:
    """A solution folder with predict.py and any extra files."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "predict.py").write_text(source)
    for name, text in extra.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


def make_assignment(root: Path, *, wall: float = 20, spec: str | None = None) -> Path:
    """A complete tiny assignment folder under `root`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "takehome.toml").write_text(spec if spec is not None else SPEC.format(wall=wall))
    (root / "brief.md").write_text("# Tiny\n\nPredict the next jobs.\n")
    (root / "public").mkdir()
    (root / "public" / "history.csv").write_text(HISTORY)
    (root / "hidden" / "input").mkdir(parents=True)
    (root / "hidden" / "input" / "history.csv").write_text(HISTORY)
    (root / "hidden" / "input" / "users.csv").write_text(USERS)
    (root / "hidden" / "answers.csv").write_text(ANSWERS)
    write_solution(root / "solutions" / "reference", REFERENCE)
    write_solution(root / "solutions" / "naive", NAIVE)
    write_solution(root / "solutions" / "broken", BROKEN)
    write_solution(root / "baselines" / "popularity", NAIVE)
    return root


def independent_metrics(
    ranked: dict[int, list[int]], answers: dict[int, set[int]], k: int
) -> dict[str, float]:
    """The same four metrics from a hit matrix, computed with numpy in one go."""
    users = sorted(answers)
    hits = np.zeros((len(users), k))
    for row, user in enumerate(users):
        for col, job in enumerate(ranked.get(user, [])[:k]):
            hits[row, col] = job in answers[user]
    n_rel = np.array([len(answers[u]) for u in users], dtype=float)
    positions = np.arange(1, k + 1)
    discounts = 1 / np.log2(positions + 1)
    ideal = np.array([discounts[: int(min(k, n))].sum() for n in n_rel])
    ap = (np.cumsum(hits, axis=1) / positions * hits).sum(axis=1) / np.minimum(k, n_rel)
    return {
        f"precision@{k}": float((hits.sum(axis=1) / k).mean()),
        f"recall@{k}": float((hits.sum(axis=1) / n_rel).mean()),
        f"map@{k}": float(ap.mean()),
        f"ndcg@{k}": float(((hits * discounts).sum(axis=1) / ideal).mean()),
    }
