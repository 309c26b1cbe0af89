"""Measuring a scorer on the validity set: pairs won, mean gaps, STAR precision and recall.

`evaluate` scores every pair of a `validity.ValiditySet` and reads every STAR story, per kind and
per half; `targets_met` lists each target the reporting half misses; `markdown` renders the
tables, naming failed items only on the tune half (the report half's stay counted, not shown,
so nobody tunes on them).
"""

from __future__ import annotations

from collections.abc import Iterable
from statistics import fmean

from pydantic import BaseModel, Field

from hiresight.scoring import star
from hiresight.scoring.types import Answer, AnswerKind, Score
from hiresight.scoring.validity import (
    HALVES,
    PAIR_KINDS,
    STAR_PARTS,
    TARGET_MEAN_STRONG,
    TARGET_MEAN_WEAK,
    TARGET_STAR_PRECISION,
    TARGET_STAR_RECALL,
    TARGET_WIN_RATE,
    WIN_MARGIN,
    Half,
    Scorer,
    StarDetector,
    Story,
    ValiditySet,
    half,
    inputs,
)


class PairResult(BaseModel):
    """Both scores of one pair."""

    id: str
    kind: AnswerKind
    half: Half
    weak_type: str
    strong: float
    weak: float
    gap: float
    won: bool
    fallback_reasons: list[str] = Field(default_factory=list)


class KindStats(BaseModel):
    """How clearly strong answers beat their twins, for one kind in one half."""

    kind: AnswerKind
    half: Half
    pairs: int
    won: int
    win_rate: float
    mean_gap: float
    mean_strong: float
    mean_weak: float
    lost_by_weak_type: dict[str, int] = Field(default_factory=dict)
    lost: list[PairResult] = Field(default_factory=list)


class Counts(BaseModel):
    """Confusion counts of STAR presence judgements, with precision and recall."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float:
        """Share of parts found that are there (1.0 when none were found and none missed)."""
        found = self.tp + self.fp
        return self.tp / found if found else float(self.fn == 0)

    @property
    def recall(self) -> float:
        """Share of parts there that were found (1.0 when none were there and none invented)."""
        there = self.tp + self.fn
        return self.tp / there if there else float(self.fp == 0)


class PartStats(BaseModel):
    """Precision and recall of one STAR part in one half."""

    part: str
    tp: int
    fp: int
    fn: int
    tn: int
    precision: float
    recall: float


class StarStats(BaseModel):
    """STAR presence detection over one half: every (story, part) judgement."""

    half: Half
    stories: int
    segments: int
    judgements: int
    tp: int
    fp: int
    fn: int
    tn: int
    precision: float
    recall: float
    # The same over stories without "Situation:"-style labels, where detection is harder.
    unlabelled_stories: int = 0
    unlabelled_precision: float = 0.0
    unlabelled_recall: float = 0.0
    parts: list[PartStats]
    # `story-id/part: found|missed` for every wrong judgement.
    errors: list[str] = Field(default_factory=list)


class ValidityReport(BaseModel):
    """The scorer measured against the validity set, per kind and per half."""

    # The provider that scored the answers (filled in by the caller that chose it).
    provider: str = ""
    pairs: list[PairResult] = Field(default_factory=list)
    kinds: list[KindStats] = Field(default_factory=list)
    star: list[StarStats] = Field(default_factory=list)
    fallbacks: int = 0
    # Every target missed, per half (see `targets_met`).
    targets_failed: dict[str, list[str]] = Field(default_factory=dict)

    def only(self, halves: Iterable[Half]) -> ValidityReport:
        """The report restricted to `halves`."""
        keep = set(halves)
        return ValidityReport(
            provider=self.provider,
            pairs=[p for p in self.pairs if p.half in keep],
            kinds=[k for k in self.kinds if k.half in keep],
            star=[s for s in self.star if s.half in keep],
            fallbacks=sum(len(p.fallback_reasons) for p in self.pairs if p.half in keep),
            targets_failed={h: v for h, v in self.targets_failed.items() if h in keep},
        )


def _kind_stats(kind: AnswerKind, which: Half, results: list[PairResult]) -> KindStats:
    lost = [r for r in results if not r.won]
    by_type: dict[str, int] = {}
    for r in lost:
        by_type[r.weak_type] = by_type.get(r.weak_type, 0) + 1
    return KindStats(
        kind=kind,
        half=which,
        pairs=len(results),
        won=len(results) - len(lost),
        win_rate=(len(results) - len(lost)) / len(results),
        mean_gap=round(fmean(r.gap for r in results), 2),
        mean_strong=round(fmean(r.strong for r in results), 2),
        mean_weak=round(fmean(r.weak for r in results), 2),
        lost_by_weak_type=dict(sorted(by_type.items())),
        lost=lost,
    )


def _star_stats(which: Half, stories: list[Story], detector: StarDetector) -> StarStats:
    total = Counts()
    unlabelled = Counts()
    per_part = {part: Counts() for part in STAR_PARTS}
    errors: list[str] = []
    for story in stories:
        truth = story.truth()
        found = detector(story.text)
        for part in STAR_PARTS:
            there, said = truth[part], bool(found.get(part, False))
            tallies = [total, per_part[part]] + ([] if story.labelled else [unlabelled])
            for counts in tallies:
                if there and said:
                    counts.tp += 1
                elif said:
                    counts.fp += 1
                elif there:
                    counts.fn += 1
                else:
                    counts.tn += 1
            if there != said:
                errors.append(f"{story.id}/{part}: {'found, not there' if said else 'missed'}")
    return StarStats(
        half=which,
        stories=len(stories),
        segments=sum(len(s.segments) for s in stories),
        judgements=len(stories) * len(STAR_PARTS),
        **total.model_dump(),
        precision=round(total.precision, 4),
        recall=round(total.recall, 4),
        unlabelled_stories=sum(not s.labelled for s in stories),
        unlabelled_precision=round(unlabelled.precision, 4),
        unlabelled_recall=round(unlabelled.recall, 4),
        parts=[
            PartStats(
                part=part,
                **c.model_dump(),
                precision=round(c.precision, 4),
                recall=round(c.recall, 4),
            )
            for part, c in per_part.items()
        ],
        errors=errors,
    )


def _reasons(score: Score, which: str) -> list[str]:
    return [f"{which}: {score.fallback_reason or 'fallback'}"] if score.fallback else []


def evaluate(
    items: ValiditySet, scorer: Scorer, star_detector: StarDetector = star.present
) -> ValidityReport:
    """Score both answers of every pair and detect STAR parts in every story, per half."""
    results: list[PairResult] = []
    for pair in items.pairs:
        question, rubric = inputs(pair)
        strong = scorer(question, Answer(text=pair.strong), list(rubric))
        weak = scorer(question, Answer(text=pair.weak), list(rubric))
        gap = strong.value - weak.value
        results.append(
            PairResult(
                id=pair.id,
                kind=pair.kind,
                half=half(pair.id),
                weak_type=pair.weak_type,
                strong=round(strong.value, 2),
                weak=round(weak.value, 2),
                gap=round(gap, 2),
                won=gap >= WIN_MARGIN,
                fallback_reasons=_reasons(strong, "strong") + _reasons(weak, "weak"),
            )
        )
    kinds = []
    star_stats = []
    for which in HALVES:
        for kind in PAIR_KINDS:
            chosen = [r for r in results if r.kind is kind and r.half == which]
            if chosen:
                kinds.append(_kind_stats(kind, which, chosen))
        stories = [s for s in items.stories if half(s.id) == which]
        if stories:
            star_stats.append(_star_stats(which, stories, star_detector))
    report = ValidityReport(
        pairs=results,
        kinds=kinds,
        star=star_stats,
        fallbacks=sum(len(r.fallback_reasons) for r in results),
    )
    report.targets_failed = {which: targets_met(report, which) for which in HALVES}
    return report


def targets_met(report: ValidityReport, half: Half = "report") -> list[str]:
    """Every target the scorer misses on `half`; an empty list means all are met.

    A kind or the STAR stories absent from the half count as missed: a target is only met when
    it was measured.
    """
    failed: list[str] = []
    for kind in PAIR_KINDS:
        stats = next((k for k in report.kinds if k.kind is kind and k.half == half), None)
        if stats is None:
            failed.append(f"{kind.value}: no pairs in the {half} half")
            continue
        if stats.win_rate < TARGET_WIN_RATE:
            failed.append(
                f"{kind.value}: win rate {stats.win_rate:.1%} < {TARGET_WIN_RATE:.0%} "
                f"({stats.won} of {stats.pairs} pairs won by >= {WIN_MARGIN:.0f} points)"
            )
        if stats.mean_strong < TARGET_MEAN_STRONG:
            failed.append(
                f"{kind.value}: mean strong {stats.mean_strong:.1f} < {TARGET_MEAN_STRONG:.0f}"
            )
        if stats.mean_weak > TARGET_MEAN_WEAK:
            failed.append(f"{kind.value}: mean weak {stats.mean_weak:.1f} > {TARGET_MEAN_WEAK:.0f}")
    star_stats = next((s for s in report.star if s.half == half), None)
    if star_stats is None:
        failed.append(f"star: no stories in the {half} half")
    else:
        if star_stats.precision < TARGET_STAR_PRECISION:
            failed.append(
                f"star: precision {star_stats.precision:.1%} < {TARGET_STAR_PRECISION:.0%}"
            )
        if star_stats.recall < TARGET_STAR_RECALL:
            failed.append(f"star: recall {star_stats.recall:.1%} < {TARGET_STAR_RECALL:.0%}")
    return failed


def markdown(report: ValidityReport, halves: Iterable[Half] = HALVES) -> str:
    """The report as Markdown: pair and STAR tables, lost pairs, and the targets missed."""
    wanted = [h for h in HALVES if h in set(halves)]
    lines = [f"Provider: {report.provider}", ""] if report.provider else []
    lines += [
        "## Answer pairs",
        "",
        "| half | kind | pairs | won | win rate | mean strong | mean weak | mean gap |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for k in report.kinds:
        if k.half in wanted:
            lines.append(
                f"| {k.half} | {k.kind.value} | {k.pairs} | {k.won} | {k.win_rate:.1%} "
                f"| {k.mean_strong:.1f} | {k.mean_weak:.1f} | {k.mean_gap:.1f} |"
            )
    # Items of the report half are named only in --json: a table read while tuning must not
    # point at the report half's failures one by one.
    lost = [p for k in report.kinds if k.half == "tune" and k.half in wanted for p in k.lost]
    if lost:
        lines += ["", f"Tune-half pairs lost (gap < {WIN_MARGIN:.0f}):"]
        lines += [
            f"- {p.kind.value} {p.id} ({p.weak_type}): strong {p.strong:.1f}, "
            f"weak {p.weak:.1f}, gap {p.gap:.1f}"
            for p in lost
        ]
    blind = [k for k in report.kinds if k.half == "report" and k.half in wanted and k.lost]
    if blind:
        lines += ["", "Report-half pairs lost, by weak answer type (ids withheld; see --json):"]
        lines += [
            f"- {k.kind.value}: "
            + ", ".join(f"{name} {n}" for name, n in k.lost_by_weak_type.items())
            for k in blind
        ]
    lines += [
        "",
        "## STAR parts",
        "",
        "| half | stories | segments | precision | recall | unlabelled P/R | "
        + " | ".join(f"{p} P/R" for p in STAR_PARTS)
        + " |",
        "|---|---|---|---|---|---|" + "---|" * len(STAR_PARTS),
    ]
    for s in report.star:
        if s.half in wanted:
            per_part = " | ".join(f"{p.precision:.2f}/{p.recall:.2f}" for p in s.parts)
            lines.append(
                f"| {s.half} | {s.stories} | {s.segments} | {s.precision:.1%} | {s.recall:.1%} "
                f"| {s.unlabelled_precision:.2f}/{s.unlabelled_recall:.2f} "
                f"({s.unlabelled_stories}) | {per_part} |"
            )
    blind_errors = sum(
        len(s.errors) for s in report.star if s.half == "report" and s.half in wanted
    )
    if blind_errors:
        lines += ["", f"Report-half STAR judgements wrong: {blind_errors} (see --json)."]
    errors = [e for s in report.star if s.half == "tune" and s.half in wanted for e in s.errors]
    if errors:
        lines += ["", "Tune-half STAR judgements wrong:"] + [f"- {e}" for e in errors]
    fallbacks = [
        f"{p.id} {reason}"
        for p in report.pairs
        if p.half in wanted
        for reason in p.fallback_reasons
    ]
    if fallbacks:
        lines += ["", f"Provider fell back to the rubric engine {len(fallbacks)} times:"]
        lines += [f"- {f}" for f in fallbacks]
    for which in wanted:
        missed = targets_met(report, which)
        verdict = "all met." if not missed else f"{len(missed)} missed:"
        lines += ["", f"Targets on the {which} half: {verdict}"]
        lines += [f"- MISSED {m}" for m in missed]
    return "\n".join(lines)
