"""The validity set: strong/weak answer twins and STAR-labelled stories, measured blind.

Each pair is one question answered twice, a strong answer and a weaker twin of a named kind
(vague, keyword-stuffed, fluent but off topic...). The scorer is valid for a kind when strong
answers win clearly: a gap of at least `WIN_MARGIN` points on nearly every pair, strong answers
scoring high and weak ones low. Stories carry a STAR label per segment, so the detector's
precision and recall can be measured per part.

Every item falls for good in one half by a fixed hash of its id: the `tune` half may be looked at
while the scorer is developed, the `report` half is only ever measured. Figures quoted for the
scorer come from the report half.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from pathlib import Path
from statistics import fmean
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from hiresight.interviews.banks.loader import (
    behavioral_material,
    prompt_by_id,
    system_design_material,
)
from hiresight.interviews.banks.models import BehavioralPrompt
from hiresight.scoring import star
from hiresight.scoring.errors import ValidityDataError
from hiresight.scoring.rubrics import free_text_inputs
from hiresight.scoring.types import Answer, AnswerKind, Question, RubricPoint, Score

Half = Literal["tune", "report"]
HALVES: tuple[Half, ...] = ("tune", "report")
# Changing the salt re-deals every item between the halves, which would let the report half be
# seen while tuning: it is fixed for the life of the set.
SPLIT_SALT = "hiresight-validity-v1:"

PAIR_KINDS: tuple[AnswerKind, ...] = (
    AnswerKind.RESUME,
    AnswerKind.BEHAVIOURAL,
    AnswerKind.SYSTEM_DESIGN,
)
WEAK_TYPES = (
    "vague_short",
    "generic_long",
    "keyword_stuffed",
    "off_topic_fluent",
    "evasive",
    "partial",
    "buzzword_confident",
    "hypothetical",
)
STAR_PARTS: tuple[str, ...] = star.PARTS

# The targets, measured on the report half.
WIN_MARGIN = 20.0
TARGET_WIN_RATE = 0.95
TARGET_MEAN_STRONG = 60.0
TARGET_MEAN_WEAK = 35.0
TARGET_STAR_PRECISION = 0.9
TARGET_STAR_RECALL = 0.9

_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Scorer = Callable[[Question, Answer, list[RubricPoint]], Score]
StarDetector = Callable[[str], Mapping[str, bool]]


def half(item_id: str) -> Half:
    """The half an item belongs to for good: the parity of the first byte of a salted SHA-256."""
    digest = hashlib.sha256((SPLIT_SALT + item_id).encode()).digest()
    return "tune" if digest[0] % 2 == 0 else "report"


class Pair(BaseModel):
    """One question answered twice: a strong answer and its weaker twin."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID_PATTERN, max_length=120)
    kind: AnswerKind
    prompt_id: str | None = None
    question: str = Field(min_length=1)
    claim: str | None = None
    points: list[str] = Field(default_factory=list)
    reference: str = ""
    weak_type: Literal[
        "vague_short",
        "generic_long",
        "keyword_stuffed",
        "off_topic_fluent",
        "evasive",
        "partial",
        "buzzword_confident",
        "hypothetical",
    ]
    strong: str = Field(min_length=1)
    weak: str = Field(min_length=1)

    @field_validator("kind")
    @classmethod
    def _pair_kind(cls, value: AnswerKind) -> AnswerKind:
        if value not in PAIR_KINDS:
            raise ValueError(f"kind must be one of {', '.join(k.value for k in PAIR_KINDS)}")
        return value

    @model_validator(mode="after")
    def _scored_against_something(self) -> Pair:
        # A bank prompt brings its own rubric: points or a reference beside it would be ignored.
        if self.prompt_id is not None and (self.points or self.reference):
            raise ValueError("points and reference are only read when there is no prompt_id")
        if self.prompt_id is None and not (self.points or self.reference):
            raise ValueError("a pair without prompt_id needs points or a reference")
        if self.strong.strip() == self.weak.strip():
            raise ValueError("strong and weak are the same answer")
        return self


class Segment(BaseModel):
    """Whole sentences of a story and the STAR part they tell (`none` for none)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    part: Literal["situation", "task", "action", "result", "none"]
    text: str = Field(min_length=1)


class Story(BaseModel):
    """A behavioural story split into STAR-labelled segments."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID_PATTERN, max_length=120)
    labelled: bool = False
    paragraphs: bool = False
    segments: list[Segment] = Field(min_length=1)

    @property
    def text(self) -> str:
        """The story as the candidate wrote it."""
        return ("\n\n" if self.paragraphs else " ").join(s.text for s in self.segments)

    def truth(self) -> dict[str, bool]:
        """Which STAR parts the story tells: a part is present when any segment tells it."""
        told = {s.part for s in self.segments}
        return {part: part in told for part in STAR_PARTS}


class ValiditySet(BaseModel):
    """Every pair and story of the set."""

    pairs: list[Pair] = Field(default_factory=list)
    stories: list[Story] = Field(default_factory=list)

    def only(self, halves: Iterable[Half]) -> ValiditySet:
        """The items of `halves` alone (so a run on one half does not score the other)."""
        keep = set(halves)
        return ValiditySet(
            pairs=[p for p in self.pairs if half(p.id) in keep],
            stories=[s for s in self.stories if half(s.id) in keep],
        )


def default_dir() -> Path:
    """The validity folder shipped with the package."""
    return Path(str(resources.files("hiresight.scoring").joinpath("data", "validity")))


def _rows(model: type[Pair] | type[Story], raw: Any, file: str, table: str) -> list[Any]:
    """Validate one file's rows; report every problem as `file: table[n] id='x' field: msg`."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ValidityDataError(f"{file}: {table} must be an array of tables ([[{table}]])")
    out = []
    problems = []
    for index, row in enumerate(raw):
        try:
            out.append(model.model_validate(row))
        except ValidationError as exc:
            item_id = row.get("id", "?") if isinstance(row, dict) else "?"
            for err in exc.errors():
                field = ".".join(str(part) for part in err["loc"]) or "(row)"
                problems.append(f"{file}: {table}[{index}] id={item_id!r} {field}: {err['msg']}")
    if problems:
        raise ValidityDataError("; ".join(problems))
    return out


def _check_prompt(pair: Pair, file: str) -> None:
    if pair.prompt_id is None:
        return
    prompt = prompt_by_id(pair.prompt_id)
    if prompt is None:
        raise ValidityDataError(
            f"{file}: pair {pair.id!r}: unknown prompt_id {pair.prompt_id!r} "
            "(not in the system-design or behavioural bank)"
        )
    behavioural = isinstance(prompt, BehavioralPrompt)
    wanted = AnswerKind.BEHAVIOURAL if behavioural else AnswerKind.SYSTEM_DESIGN
    if pair.kind is not wanted:
        raise ValidityDataError(
            f"{file}: pair {pair.id!r}: prompt {pair.prompt_id!r} is a {wanted.value} prompt, "
            f"but the pair's kind is {pair.kind.value}"
        )


def load_set(directory: Path | None = None) -> ValiditySet:
    """Read every validity TOML file in `directory` (default: the shipped set) and check it."""
    folder = directory or default_dir()
    files = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    if not files:
        raise ValidityDataError(f"no validity files (*.toml) in {folder}")
    pairs: list[Pair] = []
    stories: list[Story] = []
    seen: dict[str, str] = {}
    for path in files:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ValidityDataError(f"{path.name}: not valid TOML: {exc}") from exc
        unknown = sorted(set(raw) - {"pair", "story"})
        if unknown:
            raise ValidityDataError(
                f"{path.name}: unknown tables {unknown} (expected [[pair]] or [[story]])"
            )
        file_pairs: list[Pair] = _rows(Pair, raw.get("pair"), path.name, "pair")
        file_stories: list[Story] = _rows(Story, raw.get("story"), path.name, "story")
        for item_id in [p.id for p in file_pairs] + [s.id for s in file_stories]:
            if item_id in seen:
                raise ValidityDataError(
                    f"{path.name}: id {item_id!r} is used more than once (also in {seen[item_id]})"
                )
            seen[item_id] = path.name
        for pair in file_pairs:
            _check_prompt(pair, path.name)
        pairs.extend(file_pairs)
        stories.extend(file_stories)
    return ValiditySet(pairs=pairs, stories=stories)


def private_material(pair: Pair) -> dict[str, Any]:
    """The private rubric material a live attempt would store for this pair's question."""
    if pair.prompt_id is None:
        return {
            "rubric": list(pair.points),
            "reference_outline": [pair.reference] if pair.reference else [],
        }
    prompt = prompt_by_id(pair.prompt_id)
    if prompt is None:
        raise ValidityDataError(f"pair {pair.id!r}: unknown prompt_id {pair.prompt_id!r}")
    if isinstance(prompt, BehavioralPrompt):
        return behavioral_material(prompt, pair.claim)
    return system_design_material(prompt)


def inputs(pair: Pair) -> tuple[Question, list[RubricPoint]]:
    """The scorer's question and rubric points for a pair, built as for a stored attempt."""
    return free_text_inputs(pair.kind, pair.question, private_material(pair), claim=pair.claim)


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
