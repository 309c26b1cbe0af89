"""Recommendation benchmark: end-to-end latency, ANN recall and build cost, training time.

    .venv/bin/python benchmarks/recs.py --sizes 10000,100000 [--train-events 1000000]

For each catalogue size: synthetic 384-d job embeddings (low-rank + noise, normalised), an HNSW
index built in-process, 20k logged engagement events, then single-query top-20
recommendations (retrieval + features + LightGBM ranking + diversity + explanations) for
held-out candidates. Baselines measured in the same run: exact brute-force inner-product
search against the ANN query. Writes the "## Recommendations" section of docs/benchmarks.md
(other sections are left untouched).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import resource
import time
from pathlib import Path

import numpy as np

from hiresight.matching.entities import CandidateProfile, Event, EventKind, JobPosting
from hiresight.matching.rankers import LightGBMRanker
from hiresight.matching.recommend import Recommender
from hiresight.matching.retrieval import ExactIndex
from hiresight.matching.simulator import CITIES, SKILLS, simulate
from hiresight.matching.training import TrainingInputs, build_training_data

DIM = 384
DAY = 86_400.0
NOW = 100 * DAY
DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def rss_mib() -> float:
    """Current resident set size of this process."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def machine() -> str:
    """nproc, CPU model, RAM, Python."""
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    return (
        f"nproc {os.cpu_count()}, {cpu}, RAM {mem_kib / 2**20:.1f} GiB, "
        f"Python {platform.python_version()}"
    )


def embeddings(n: int, rng: np.random.Generator, basis: np.ndarray) -> np.ndarray:
    """Unit vectors with a 32-d latent structure plus isotropic noise.

    Sentence embeddings live near a low-dimensional manifold; i.i.d. Gaussian 384-d vectors
    would be an unrealistically hard case for any ANN index (all distances nearly equal).
    """
    out = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 100_000):
        stop = min(n, start + 100_000)
        z = rng.standard_normal((stop - start, basis.shape[0]), dtype=np.float32)
        x = z @ basis + 0.3 * rng.standard_normal((stop - start, DIM), dtype=np.float32) / np.sqrt(
            DIM
        )
        out[start:stop] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out


def make_jobs(n: int, rng: np.random.Generator, basis: np.ndarray) -> list[JobPosting]:
    """n synthetic open jobs."""
    vecs = embeddings(n, rng, basis)
    skills = rng.integers(len(SKILLS), size=(n, 6))
    seniority = rng.integers(0, 4, size=n)
    salary = 45_000 + 22_000 * seniority + 8_000 * rng.standard_normal(n)
    posted = rng.uniform(NOW - 60 * DAY, NOW, size=n)
    company = rng.integers(max(n // 20, 1), size=n)
    city = rng.integers(len(CITIES), size=n)
    remote = rng.random(n) < 0.3
    return [
        JobPosting(
            id=i + 1,
            company_id=int(company[i]) + 1,
            vector=vecs[i],
            required_skills=frozenset(SKILLS[s] for s in skills[i, :4]),
            preferred_skills=frozenset(SKILLS[s] for s in skills[i, 4:]),
            seniority=int(seniority[i]),
            min_years=float(2 * seniority[i]),
            location=CITIES[city[i]],
            remote=bool(remote[i]),
            salary_min=float(salary[i] * 0.9),
            salary_max=float(salary[i] * 1.1),
            posted_at=float(posted[i]),
        )
        for i in range(n)
    ]


def make_candidates(
    n: int, rng: np.random.Generator, basis: np.ndarray, first_id: int
) -> list[CandidateProfile]:
    """n synthetic candidates."""
    vecs = embeddings(n, rng, basis)
    return [
        CandidateProfile(
            id=first_id + i,
            vector=vecs[i],
            skills=frozenset(SKILLS[s] for s in rng.integers(len(SKILLS), size=5)),
            location=CITIES[int(rng.integers(len(CITIES)))],
            remote_ok=bool(rng.random() < 0.6),
            salary_expectation=float(60_000 + 20_000 * rng.random()),
            seniority=int(rng.integers(0, 4)),
            years=float(rng.uniform(0, 10)),
            interview_score=float(rng.random()),
        )
        for i in range(n)
    ]


def pct(values: list[float], q: float) -> float:
    """Percentile of a list."""
    return float(np.percentile(values, q))


def train_ranker() -> LightGBMRanker:
    """The ranker served in the benchmark: trained on the default simulator."""
    m = simulate(random_state=0)
    data = build_training_data(
        TrainingInputs({c.id: c for c in m.candidates}, m.jobs, m.impressions, m.events)
    )
    return LightGBMRanker(random_state=0).fit(data.x, data.y, data.groups, data.weights)


def bench_size(n: int, ranker: LightGBMRanker, queries: int, threads: int) -> dict[str, float]:
    """All serving figures for one catalogue size."""
    rng = np.random.default_rng(n)
    basis = rng.standard_normal((32, DIM)).astype(np.float32) / np.sqrt(32)  # latent basis
    jobs = make_jobs(n, rng, basis)
    rec = Recommender(DIM, ranker=ranker, latency_budget_ms=1e9)
    rss0 = rss_mib()
    t0 = time.perf_counter()
    rec.add_jobs(jobs, num_threads=threads)
    build_s = time.perf_counter() - t0
    index_mib = rss_mib() - rss0
    # Engagement so that popularity and per-candidate history are non-trivial.
    history = make_candidates(500, rng, basis, first_id=1)
    picks = rng.integers(n, size=20_000)
    kinds = rng.choice(
        [EventKind.IMPRESSION, EventKind.CLICK, EventKind.DISMISS], p=[0.8, 0.15, 0.05], size=20_000
    )
    for i, (j, k) in enumerate(zip(picks, kinds, strict=True)):
        rec.record_event(Event(history[i % 500].id, int(j) + 1, EventKind(k), NOW - 1000 + i))
    queries_c = history[: queries // 2] + make_candidates(
        queries - queries // 2, rng, basis, first_id=10_000
    )
    for c in queries_c[:20]:
        rec.recommend(c, 20, now=NOW)
    wall, cpu, fallbacks = [], [], 0
    for c in queries_c:
        w0, c0 = time.perf_counter(), time.thread_time()
        result = rec.recommend(c, 20, now=NOW)
        cpu.append((time.thread_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
        fallbacks += result.fallback
    # Recall and latency of ANN against exact search on the same vectors.
    exact = ExactIndex(DIM)
    exact.add(np.arange(1, n + 1, dtype=np.int64), rec.catalog.vectors[:n])
    probes = embeddings(100, rng, basis)
    recalls, ann_ms, exact_ms = [], [], []
    for q in probes:
        t = time.perf_counter()
        got = rec.ann.search(q, 100)[0]
        ann_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        truth = exact.search(q, 100)[0]
        exact_ms.append((time.perf_counter() - t) * 1000)
        recalls.append(len(set(got.tolist()) & set(truth.tolist())) / 100)
    return {
        "n": n,
        "build_s": build_s,
        "index_mib": index_mib,
        "p50": pct(wall, 50),
        "p95": pct(wall, 95),
        "p99": pct(wall, 99),
        "cpu_p50": pct(cpu, 50),
        "cpu_p99": pct(cpu, 99),
        "fallbacks": fallbacks,
        "recall": float(np.mean(recalls)),
        "ann_p50": pct(ann_ms, 50),
        "ann_p99": pct(ann_ms, 99),
        "exact_p50": pct(exact_ms, 50),
        "exact_p99": pct(exact_ms, 99),
    }


def bench_training(target_events: int) -> dict[str, float]:
    """Time to turn ~target_events logged events into features and train LambdaRank."""
    sessions = int(target_events / 11.5)  # the simulator logs ~11.5 events per session
    m = simulate(
        n_candidates=5000, n_jobs=5000, n_companies=300, n_sessions=sessions, random_state=1
    )
    inputs = TrainingInputs({c.id: c for c in m.candidates}, m.jobs, m.impressions, m.events)
    t0 = time.perf_counter()
    data = build_training_data(inputs)
    features_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    LightGBMRanker(random_state=0).fit(data.x, data.y, data.groups, data.weights)
    fit_s = time.perf_counter() - t0
    return {
        "events": len(m.events),
        "rows": data.x.shape[0],
        "features_s": features_s,
        "fit_s": fit_s,
    }


def render(
    results: list[dict[str, float]], training: dict[str, float] | None, queries: int, threads: int
) -> str:
    """The Markdown section."""
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        "## Recommendations",
        "",
        f"Measured by `benchmarks/recs.py` on {when}; machine: {machine()}.",
        f"Load average at the end of the run: {load} (the box is shared, so wall-clock tails",
        "are noisy; CPU time per query is given too). Single query, top 20, end to end:",
        "retrieval (HNSW k=200 + skill index + cached fresh/popular pool) + 20 features +",
        "LightGBM LambdaRank (300 trees, 7 leaves) + diversity + explanations;",
        f"{queries} queries after 20 warm-up, half from candidates with engagement history.",
        "Synthetic 384-d job vectors (32-d latent structure + noise); HNSW M=16,",
        f"ef_construction=200, ef=256, built with {threads} threads.",
        "Targets: p99 ≤ 30 ms at 100k, ≤ 50 ms at 1M jobs, ANN recall@100 ≥ 0.95.",
        "",
        "| open jobs | p50 ms | p95 ms | p99 ms | CPU p50 / p99 ms | fallbacks | "
        "ANN recall@100 | ANN p50 / p99 ms | exact p50 / p99 ms | exact / ANN (p50) | "
        "index build s | RSS growth MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {int(r['n']):,} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | "
            f"{r['cpu_p50']:.1f} / {r['cpu_p99']:.1f} | {int(r['fallbacks'])} | "
            f"{r['recall']:.3f} | {r['ann_p50']:.2f} / {r['ann_p99']:.2f} | "
            f"{r['exact_p50']:.1f} / {r['exact_p99']:.1f} | "
            f"{r['exact_p50'] / r['ann_p50']:.0f}x | {r['build_s']:.1f} | "
            f"{r['index_mib']:.0f} |"
        )
    sizes = {int(r["n"]) for r in results}
    if 1_000_000 not in sizes:
        lines += [
            "",
            "1M jobs was not measured in this run "
            "(`benchmarks/recs.py --sizes 1000000` measures it).",
        ]
    if training is not None:
        lines += [
            "",
            f"Training on {int(training['events']):,} simulated events "
            f"({int(training['rows']):,} impression rows): feature replay "
            f"{training['features_s']:.1f} s, LightGBM fit (1 thread) "
            f"{training['fit_s']:.1f} s.",
        ]
    return "\n".join(lines) + "\n"


def write_section(section: str) -> None:
    """Replace (or append) the Recommendations section of docs/benchmarks.md."""
    text = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n"
    pattern = re.compile(r"^## Recommendations\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOCS.write_text(text.rstrip("\n") + "\n")


def main() -> None:
    """Parse arguments, run, print and record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--train-events", type=int, default=1_000_000, help="0 skips the training benchmark"
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    ranker = train_ranker()
    results: list[dict[str, float]] = []
    training: dict[str, float] | None = None
    for n in sorted(int(s) for s in args.sizes.split(",")):
        if n > 100_000 and training is None and args.train_events:
            training = bench_training(args.train_events)
        r = bench_size(n, ranker, args.queries, args.threads)
        print({k: round(v, 3) for k, v in r.items()}, flush=True)
        results.append(r)
        if not args.no_write:  # record as we go: the 1M run may outlive the session
            write_section(render(results, training, args.queries, args.threads))
    if training is None and args.train_events:
        training = bench_training(args.train_events)
    section = render(results, training, args.queries, args.threads)
    print(section)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    if not args.no_write:
        write_section(section)


if __name__ == "__main__":
    main()
