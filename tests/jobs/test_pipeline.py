"""Pipeline rules (pure): known kinds, at least one stage, offer last, only panels repeat."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from hiresight.jobs import pipeline
from hiresight.jobs.pipeline import PanelKind, StageSpec, StageType


def _specs(*kinds: str) -> list[StageSpec]:
    out = []
    for k in kinds:
        kind, _, panel = k.partition(":")
        out.append(StageSpec(kind=StageType(kind), panel_kind=PanelKind(panel) if panel else None))
    return out


def test_keys_and_titles_follow_the_order() -> None:
    """Keys are the kind, panels `panel_<kind>`, a repeated panel `_2`; titles say the same."""
    stages = pipeline.build(
        _specs("ai_screening", "panel:presentation", "panel:culture", "panel:presentation", "offer")
    )
    assert [s.key for s in stages] == [
        "ai_screening", "panel_presentation", "panel_culture", "panel_presentation_2", "offer",
    ]  # fmt: skip
    assert stages[3].title == "Panel: presentation and Q&A (2)"
    assert stages[2].title == "Panel: culture and leadership"


@pytest.mark.parametrize(
    ("kinds", "reason"),
    [
        ((), "at least one stage"),
        (("offer", "ai_screening"), "offer must be the last"),
        (("takehome", "ai_screening", "takehome"), "repeated: takehome"),
    ],
)
def test_broken_pipelines_are_refused(kinds: tuple[str, ...], reason: str) -> None:
    """Each rule refuses its case with a reason that names it."""
    with pytest.raises(ValueError, match=reason):
        pipeline.check(_specs(*kinds))


def test_a_panel_needs_its_kind_and_only_a_panel_has_one() -> None:
    """A panel without panel_kind, or a take-home with one, is invalid."""
    with pytest.raises(ValidationError):
        StageSpec(kind=StageType.panel)
    with pytest.raises(ValidationError):
        StageSpec(kind=StageType.takehome, panel_kind=PanelKind.culture)


def test_the_default_is_screening_panel_offer() -> None:
    """Jobs without a chosen pipeline get AI screening, a presentation panel, an offer."""
    assert [s["key"] for s in pipeline.DEFAULT_PIPELINE] == [
        "ai_screening", "panel_presentation", "offer",
    ]  # fmt: skip
    assert pipeline.from_json(pipeline.DEFAULT_PIPELINE) == pipeline.build(pipeline.DEFAULT_SPECS)
