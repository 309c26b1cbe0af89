"""Summaries of a parsed résumé for the interview: main programming languages and seniority."""

from __future__ import annotations

import re
from typing import Literal

from hiresight.profiles.parsed import ParsedResume

Seniority = Literal["junior", "mid", "senior", "staff"]

# How much one piece of evidence says about hands-on use of a language.
_STRENGTH_WEIGHT = {
    "listed-only": 1.0,
    "mentioned": 1.5,
    "used-in-project": 2.0,
    "used-in-role": 3.0,
    "quantified": 4.0,
}
# Query languages and markup say little about which code-review challenge suits someone.
_NOT_GENERAL_PURPOSE = frozenset({"SQL", "PL/SQL", "T-SQL", "HCL", "GLSL", "Bash", "Zsh"})
_STAFF_TITLE = re.compile(
    r"\b(?:staff|principal|distinguished|architect|head of|director|vp|cto|chief)\b", re.I
)
_SENIOR_TITLE = re.compile(r"\b(?:senior|sr\.?|lead|manager)\b", re.IGNORECASE)
_JUNIOR_TITLE = re.compile(
    r"\b(?:intern|internship|trainee|apprentice|junior|jr\.?|student)\b", re.I
)


def primary_languages(parsed: ParsedResume) -> dict[str, float]:
    """Programming languages weighted by evidence and months of use; weights sum to 1."""
    weights: dict[str, float] = {}
    for skill in parsed.skills:
        if skill.category != "language" or skill.name in _NOT_GENERAL_PURPOSE:
            continue
        weights[skill.name] = _STRENGTH_WEIGHT[skill.strength] * (1 + skill.months / 12)
    total = sum(weights.values())
    if total == 0:
        return {}
    ordered = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    return {name: round(weight / total, 4) for name, weight in ordered}


def seniority_estimate(parsed: ParsedResume) -> Seniority:
    """Junior/mid/senior/staff from total experience, corrected by the titles held."""
    years = parsed.total_experience_months / 12
    titles = " ".join(r.title or "" for r in parsed.roles)
    professional = [r for r in parsed.roles if not _JUNIOR_TITLE.search(r.title or "")]
    if not professional or years < 2:
        return "junior"
    if years >= 8 and _STAFF_TITLE.search(titles):
        return "staff"
    if years >= 5 or (years >= 3.5 and _SENIOR_TITLE.search(titles)):
        return "senior"
    return "mid"
