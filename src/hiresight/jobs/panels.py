"""Panel interview scorecards (pure): the competencies each panel kind rates, 1 to 4.

People fill these, not Hiresight: the ratings sit apart from the AI interview's scores.
"""

from __future__ import annotations

from hiresight.jobs.pipeline import PanelKind

RATING_MIN, RATING_MAX = 1, 4
RATING_LABELS = {1: "Strong no", 2: "Lean no", 3: "Lean yes", 4: "Strong yes"}

COMPETENCIES: dict[PanelKind, dict[str, str]] = {
    PanelKind.presentation: {
        "technical_depth": "Technical depth",
        "communication": "Communication",
        "trade_off_reasoning": "Trade-off reasoning",
        "handling_questions": "Handling questions",
    },
    PanelKind.culture: {
        "ownership": "Ownership",
        "collaboration": "Collaboration",
        "learning_from_failure": "Learning from failure",
        "motivation": "Motivation",
    },
}
