"""The validity set: strong/weak answer twins and STAR-labelled stories, measured blind.

Each pair is one question answered twice, a strong answer and a weaker twin of a named kind
(vague, keyword-stuffed, fluent but off topic...). The scorer is valid for a kind when strong
answers win clearly: a gap of at least `WIN_MARGIN` points on nearly every pair, strong answers
scoring high and weak ones low. Stories carry a STAR label per segment, so the detector's
precision and recall can be measured per part.

Every item falls for good in one half by a fixed hash of its id: the `tune` half may be looked at
while the scorer is developed, the `report` half is only ever measured. Figures quoted for the
scorer come from the report half. This module loads the set and turns a pair into the
scorer's inputs; `validity_report` measures a scorer on it.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from hiresight.banks.loader import (
    behavioral_material,
    prompt_by_id,
    system_design_material,
)
from hiresight.banks.models import BehavioralPrompt
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
WeakType = Literal[
    "vague_short",
    "generic_long",
    "keyword_stuffed",
    "off_topic_fluent",
    "evasive",
    "partial",
    "buzzword_confident",
    "hypothetical",
]
WEAK_TYPES: tuple[str, ...] = get_args(WeakType)
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
    weak_type: WeakType
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
