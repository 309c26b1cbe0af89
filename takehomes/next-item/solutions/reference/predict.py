"""Write the top-k next jobs of each user: python predict.py --input DIR --output FILE --k 10."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from recommend import read_history, read_users, recommend


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()
    history = read_history(args.input / "history.csv.gz")
    targets = read_users(args.input / "users.csv")
    ranked = recommend(*history, targets, args.k)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with open(args.output, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["user_id", "job_id", "rank"])
        for user in targets:
            for rank, job in enumerate(ranked[user], start=1):
                writer.writerow([user, job, rank])


if __name__ == "__main__":
    main()
