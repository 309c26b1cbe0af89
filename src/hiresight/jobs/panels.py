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

# What an interviewer asks for each competency. The culture and leadership panel asks for STAR
# stories (situation, task, action, result): one real event, the candidate's own part in it, and
# what changed, which is what the rating's evidence should quote. The presentation panel's
# questions about the submission itself come from the take-home's kit (takehome/kit.py).
PROMPTS: dict[PanelKind, dict[str, str]] = {
    PanelKind.presentation: {
        "technical_depth": "Walk us through the one design choice you would defend hardest, and "
        "what you measured to choose it.",
        "communication": "Explain your approach in two minutes to someone who has not read the "
        "brief.",
        "trade_off_reasoning": "What does your model cost (time, memory) against the simplest "
        "baseline, and when is that worth it? How would it scale to 10x the data?",
        "handling_questions": "Which question about this work would you least like to be asked? "
        "Answer it.",
    },
    PanelKind.culture: {
        "ownership": "Tell us about a time you took on a problem nobody owned. What was the "
        "situation, what did you do yourself, and what was the result?",
        "collaboration": "Tell us about a disagreement with a colleague on a technical decision: "
        "the situation, what you did, and how it ended.",
        "learning_from_failure": "Tell us about something that failed because of you. What "
        "happened, what did you do next, and what do you do differently now?",
        "motivation": "Why this team and this role, and what would make you leave it in a year?",
    },
}
