"""What a recruiter reads about one version: the metric table beside the baselines, and the rest.

Built from the stored evaluation report only (`schemas.EvaluationReport`), so the page, the API
and the question kit show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hiresight.takehome.schemas import EvaluationReport, RunReport

SEGMENTS = ("all", "warm", "cold")
MIB = 1024 * 1024


@dataclass(frozen=True)
class MetricLine:
    """One solution's row of the table: status, values per segment and metric, cost."""

    name: str
    status: str
    values: dict[str, dict[str, float]]  # segment -> metric@k -> value
    users: dict[str, int]
    wall_seconds: float
    peak_mib: float | None


@dataclass(frozen=True)
class ReviewTable:
    """The table: the metric columns in order and one line per solution (submission first)."""

    columns: list[str]
    lines: list[MetricLine] = field(default_factory=list)


def _line(name: str, run: RunReport) -> MetricLine:
    values: dict[str, dict[str, float]] = {}
    users: dict[str, int] = {}
    if run.scores is not None:
        for segment in SEGMENTS:
            row = getattr(run.scores, segment)
            values[segment] = dict(row.values)
            users[segment] = row.users
    peak = run.peak_memory_bytes / MIB if run.peak_memory_bytes is not None else None
    return MetricLine(name, run.status, values, users, run.wall_ms / 1000, peak)


def metric_table(report: EvaluationReport) -> ReviewTable:
    """The submission's line, then each baseline's, over the report's metric columns."""
    lines = [_line("submission", report.run)]
    lines += [_line(f"baseline: {name}", run) for name, run in sorted(report.baselines.items())]
    columns: list[str] = []
    for line in lines:
        for metric in line.values.get("all", {}):
            if metric not in columns:
                columns.append(metric)
    return ReviewTable(columns=columns, lines=lines)


def headline(report: EvaluationReport) -> str:
    """The headline metric: NDCG at the first cut-off if measured, else the first column."""
    columns = metric_table(report).columns
    preferred = f"ndcg@{report.cutoffs[0]}" if report.cutoffs else ""
    if preferred in columns:
        return preferred
    return columns[0] if columns else ""


def file_tree(paths: list[str]) -> list[tuple[int, str, str | None]]:
    """Sorted paths as (depth, name, path or None for a folder) lines of a tree."""
    out: list[tuple[int, str, str | None]] = []
    seen: set[str] = set()
    for path in sorted(paths):
        parts = path.split("/")
        for depth in range(len(parts) - 1):
            folder = "/".join(parts[: depth + 1])
            if folder not in seen:
                seen.add(folder)
                out.append((depth, parts[depth] + "/", None))
        out.append((len(parts) - 1, parts[-1], path))
    return out
