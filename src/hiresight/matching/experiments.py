"""A/B tests: stable assignment, exposure records and per-variant rates with confidence.

Assignment hashes (experiment, candidate id) with SHA-256, so it is stable across processes
and releases (Python's hash() is salted per process) and independent between experiments.
Intervals are Wilson score intervals (scipy's `binomtest(...).proportion_ci(method="wilson")`);
the difference between two variants uses Newcombe's hybrid score method (Newcombe 1998,
"Interval estimation for the difference between independent proportions", method 10),
which keeps good coverage for small counts where the Wald interval fails.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from hiresight.matching.errors import InvalidExperimentError, InvalidLogError

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Experiment:
    """Named experiment with variant weights (relative, need not sum to 1)."""

    name: str
    variants: Mapping[str, float]

    def __post_init__(self) -> None:
        if not self.variants or any(w <= 0 for w in self.variants.values()):
            raise InvalidExperimentError(
                f"experiment {self.name!r} needs at least one variant, all weights > 0"
            )


def parse_experiment(text: str) -> Experiment:
    """`name:variant=weight,...` (the HIRESIGHT_RECS_EXPERIMENT format) as an Experiment."""
    name, sep, arms = text.strip().partition(":")
    variants: dict[str, float] = {}
    try:
        for arm in arms.split(","):
            variant, eq, weight = arm.partition("=")
            if not eq or not variant.strip() or variant.strip() in variants:
                raise ValueError(arm)
            variants[variant.strip()] = float(weight)
    except ValueError:
        raise InvalidExperimentError(
            f"experiment {text!r} must look like name:variant=weight,... "
            "with distinct variant names"
        ) from None
    if not sep or not name.strip():
        raise InvalidExperimentError(f"experiment {text!r} has no name before ':'")
    return Experiment(name.strip(), variants)


def bucket(experiment: str, candidate_id: int) -> float:
    """A uniform number in [0, 1) fixed by (experiment, candidate id)."""
    digest = hashlib.sha256(f"{experiment}:{candidate_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def assign(experiment: Experiment, candidate_id: int) -> str:
    """The variant a candidate sees; the same answer every time, in every process."""
    point = bucket(experiment.name, candidate_id) * sum(experiment.variants.values())
    cumulative = 0.0
    for variant, weight in experiment.variants.items():
        cumulative += weight
        if point < cumulative:
            return variant
    return next(reversed(list(experiment.variants)))  # float round-off at the very top


@dataclass(frozen=True)
class Exposure:
    """A candidate saw a variant; did they click, did they apply."""

    experiment: str
    variant: str
    candidate_id: int
    clicked: bool = False
    applied: bool = False


@dataclass(frozen=True)
class Rate:
    """A proportion with its Wilson 95% interval."""

    successes: int
    trials: int
    value: float
    low: float
    high: float


def wilson(successes: int, trials: int) -> Rate:
    """Proportion and Wilson score 95% interval (0/0 gives the uninformative [0, 1])."""
    if trials == 0:
        return Rate(0, 0, 0.0, 0.0, 1.0)
    # Imported here: scipy.stats takes a third of a second, on every start of the web app.
    from scipy.stats import binomtest

    ci = binomtest(successes, trials).proportion_ci(confidence_level=0.95, method="wilson")
    return Rate(successes, trials, successes / trials, float(ci.low), float(ci.high))


def difference(a: Rate, b: Rate) -> tuple[float, float, float]:
    """(b - a, low, high): Newcombe's hybrid score 95% interval for the difference."""
    delta = b.value - a.value
    low = delta - math.sqrt((b.value - b.low) ** 2 + (a.high - a.value) ** 2)
    high = delta + math.sqrt((b.high - b.value) ** 2 + (a.value - a.low) ** 2)
    return delta, low, high


@dataclass(frozen=True)
class VariantReport:
    """Per-variant outcome; the differences are against the first (control) variant."""

    variant: str
    exposures: int
    ctr: Rate
    apply_rate: Rate
    ctr_diff: tuple[float, float, float] | None
    apply_diff: tuple[float, float, float] | None


def report(exposures: Iterable[Exposure], experiment: str) -> list[VariantReport]:
    """Per-variant CTR and apply rate; variants in first-seen order, the first is control.

    Each candidate counts once per variant (their exposures are OR-ed), so a heavy user
    cannot dominate a rate and the binomial model's independence assumption holds.
    """
    per_variant: dict[str, dict[int, tuple[bool, bool]]] = {}
    for e in exposures:
        if e.experiment != experiment:
            continue
        users = per_variant.setdefault(e.variant, {})
        clicked, applied = users.get(e.candidate_id, (False, False))
        users[e.candidate_id] = (clicked or e.clicked, applied or e.applied)
    rows: list[VariantReport] = []
    control: tuple[Rate, Rate] | None = None
    for variant, users in per_variant.items():
        n = len(users)
        ctr = wilson(sum(c for c, _ in users.values()), n)
        apply_rate = wilson(sum(a for _, a in users.values()), n)
        if control is None:
            control = (ctr, apply_rate)
            rows.append(VariantReport(variant, n, ctr, apply_rate, None, None))
        else:
            rows.append(
                VariantReport(
                    variant,
                    n,
                    ctr,
                    apply_rate,
                    difference(control[0], ctr),
                    difference(control[1], apply_rate),
                )
            )
    return rows


def _flag(value: object) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes"}


def read_exposures(path: Path) -> list[Exposure]:
    """Exposure log from .json (a list of objects) or .csv, with fields
    experiment,variant,candidate_id,clicked,applied (flags: 1/0, true/false)."""
    try:
        if path.suffix.lower() == ".json":
            records = json.loads(path.read_text())
            if not isinstance(records, list):
                raise InvalidLogError(f"{path}: expected a JSON list of exposure objects")
        else:
            with open(path, newline="") as f:
                records = list(csv.DictReader(f))
        return [
            Exposure(
                str(r["experiment"]),
                str(r["variant"]),
                int(r["candidate_id"]),
                _flag(r.get("clicked", False)),
                _flag(r.get("applied", False)),
            )
            for r in records
        ]
    except OSError as exc:
        raise InvalidLogError(f"cannot read {path}: {exc.strerror}") from None
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise InvalidLogError(f"{path}: bad exposure record ({exc!r})") from None


def format_report(rows: list[VariantReport]) -> str:
    """A Markdown table of a report."""

    def pct(r: Rate) -> str:
        return f"{100 * r.value:.2f}% [{100 * r.low:.2f}, {100 * r.high:.2f}]"

    def diff(d: tuple[float, float, float] | None) -> str:
        return (
            "control"
            if d is None
            else f"{100 * d[0]:+.2f} pp [{100 * d[1]:+.2f}, {100 * d[2]:+.2f}]"
        )

    lines = [
        "| variant | candidates | CTR (95% CI) | Δ CTR | apply rate (95% CI) | Δ apply |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.variant} | {r.exposures} | {pct(r.ctr)} | {diff(r.ctr_diff)} | "
            f"{pct(r.apply_rate)} | {diff(r.apply_diff)} |"
        )
    return "\n".join(lines)
