"""Popularity baseline: the most engaged-with jobs each user has not engaged with yet."""

import argparse
import csv
import gzip
from collections import Counter, defaultdict
from pathlib import Path

parser = argparse.ArgumentParser()
parser.add_argument("--input", type=Path, required=True)
parser.add_argument("--output", type=Path, required=True)
parser.add_argument("--k", type=int, default=10)
args = parser.parse_args()

with gzip.open(args.input / "history.csv.gz", "rt", newline="") as f:
    rows = list(csv.DictReader(f))
seen = defaultdict(set)
for r in rows:
    seen[int(r["user_id"])].add(int(r["job_id"]))
ranked = [int(job) for job, _ in Counter(r["job_id"] for r in rows).most_common()]
with open(args.input / "users.csv", newline="") as f:
    users = [int(r["user_id"]) for r in csv.DictReader(f)]
with open(args.output, "w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["user_id", "job_id", "rank"])
    for user in users:
        top = [job for job in ranked if job not in seen[user]][: args.k]
        for rank, job in enumerate(top, start=1):
            writer.writerow([user, job, rank])
