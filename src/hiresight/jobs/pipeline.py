"""A job's hiring pipeline: the ordered stages an application moves through, and their rules.

Pure: no database. A pipeline is a list of stages; each stage has a kind (and, for a panel
interview, the panel's kind) and a key derived from its place in the list, which is what an
application stores as its current stage.
"""

from __future__ import annotations

import enum
from collections import Counter
from typing import Annotated, Any

from pydantic import BaseModel, Field, model_validator


class StageType(enum.StrEnum):
    """What happens at a stage of a job's pipeline."""

    ai_screening = "ai_screening"
    portfolio_review = "portfolio_review"
    takehome = "takehome"
    panel = "panel"
    offer = "offer"


class PanelKind(enum.StrEnum):
    """What a panel interview is about."""

    presentation = "presentation"
    culture = "culture"


STAGE_TITLES = {
    StageType.ai_screening: "AI screening",
    StageType.portfolio_review: "Portfolio review",
    StageType.takehome: "Take-home",
    StageType.offer: "Offer",
}
PANEL_TITLES = {
    PanelKind.presentation: "Panel: presentation and Q&A",
    PanelKind.culture: "Panel: culture and leadership",
}


class StageSpec(BaseModel):
    """One stage as a recruiter chooses it: a kind, and a panel's kind for a panel interview."""

    kind: StageType
    panel_kind: PanelKind | None = None

    @model_validator(mode="after")
    def _panel_kind_only_for_panels(self) -> StageSpec:
        if self.kind is StageType.panel and self.panel_kind is None:
            raise ValueError("a panel interview needs its panel_kind (presentation or culture)")
        if self.kind is not StageType.panel and self.panel_kind is not None:
            raise ValueError("only a panel interview has a panel_kind")
        return self


# The stage form's choices: "kind", or "panel:<panel kind>" for a panel interview.
STAGE_CHOICES: list[tuple[str, str]] = [
    *((kind.value, title) for kind, title in STAGE_TITLES.items() if kind is not StageType.offer),
    *((f"{StageType.panel.value}:{k.value}", title) for k, title in PANEL_TITLES.items()),
    (StageType.offer.value, STAGE_TITLES[StageType.offer]),
]


def spec_from_choice(value: str) -> StageSpec:
    """The stage a form's choice names (ValueError for one that is not in STAGE_CHOICES)."""
    if value not in dict(STAGE_CHOICES):
        raise ValueError(f"unknown stage {value!r}")
    kind, _, panel_kind = value.partition(":")
    return StageSpec(kind=StageType(kind), panel_kind=PanelKind(panel_kind) if panel_kind else None)


class Stage(StageSpec):
    """A stage of a stored pipeline, with its key and the title the pages show."""

    key: str
    title: str


PipelineSpec = Annotated[list[StageSpec], Field(min_length=1, max_length=12)]


def check(specs: list[StageSpec]) -> None:
    """Refuse a pipeline that breaks the rules (ValueError with the reason).

    At least one stage; every kind at most once except panel interviews; an offer, if there is
    one, comes last.
    """
    if not specs:
        raise ValueError("a pipeline needs at least one stage")
    counts = Counter(s.kind for s in specs if s.kind is not StageType.panel)
    repeated = sorted(kind.value for kind, n in counts.items() if n > 1)
    if repeated:
        raise ValueError(f"only panel interviews may repeat; repeated: {', '.join(repeated)}")
    offers = [i for i, s in enumerate(specs) if s.kind is StageType.offer]
    if offers and offers[0] != len(specs) - 1:
        raise ValueError("the offer must be the last stage")


def build(specs: list[StageSpec]) -> list[Stage]:
    """The stored stages of a checked pipeline: keys are the kind (`panel_<kind>` for panels),
    with `_2`, `_3` … for the second and later panel of the same kind."""
    check(specs)
    seen: Counter[str] = Counter()
    stages = []
    for spec in specs:
        base = spec.kind.value if spec.panel_kind is None else f"panel_{spec.panel_kind.value}"
        seen[base] += 1
        key = base if seen[base] == 1 else f"{base}_{seen[base]}"
        title = (
            STAGE_TITLES[spec.kind] if spec.panel_kind is None else PANEL_TITLES[spec.panel_kind]
        )
        if seen[base] > 1:
            title = f"{title} ({seen[base]})"
        stages.append(Stage(kind=spec.kind, panel_kind=spec.panel_kind, key=key, title=title))
    return stages


def to_json(stages: list[Stage]) -> list[dict[str, Any]]:
    """The stages as stored in `jobs.pipeline`."""
    return [s.model_dump(mode="json") for s in stages]


def from_json(stored: list[dict[str, Any]]) -> list[Stage]:
    """A stored pipeline's stages."""
    return [Stage.model_validate(item) for item in stored]


DEFAULT_SPECS = [
    StageSpec(kind=StageType.ai_screening),
    StageSpec(kind=StageType.panel, panel_kind=PanelKind.presentation),
    StageSpec(kind=StageType.offer),
]
# Every job gets it unless its recruiter chooses another (and the migration gives it to the
# jobs that existed before pipelines): the AI interview, one panel, an offer.
DEFAULT_PIPELINE = to_json(build(DEFAULT_SPECS))
FIRST_DEFAULT_KEY = DEFAULT_PIPELINE[0]["key"]
