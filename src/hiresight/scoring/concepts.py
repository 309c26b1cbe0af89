"""Concept families that tie abstract rubric points to the concrete ways people say they did them.

See `data/concepts.toml`: a rubric point's text (and the model-answer lines nearest to it) picks
its concepts through trigger stems; an answer sentence shows a concept through its indicators.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Concept:
    """One concept: the stems that call for it and the phrases that show it."""

    id: str
    triggers: tuple[re.Pattern[str], ...]
    indicators: tuple[re.Pattern[str], ...]


@cache
def all_concepts() -> tuple[Concept, ...]:
    """Every concept in the shipped data file, compiled once."""
    path = resources.files("hiresight.scoring").joinpath("data", "concepts.toml")
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(
        Concept(
            id=c["id"],
            triggers=tuple(re.compile(rf"\b{t}", re.I) for t in c["triggers"]),
            indicators=tuple(re.compile(i, re.I) for i in c["indicators"]),
        )
        for c in raw["concept"]
    )


def called_for(*texts: str) -> tuple[Concept, ...]:
    """The concepts a rubric point (and its example lines) asks for."""
    return tuple(
        c for c in all_concepts() if any(t.search(text) for t in c.triggers for text in texts)
    )


def shown(sentence: str, wanted: tuple[Concept, ...]) -> list[str]:
    """Ids of the wanted concepts the sentence shows."""
    return [c.id for c in wanted if any(i.search(sentence) for i in c.indicators)]
