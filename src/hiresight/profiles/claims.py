"""Claims: the concrete statements on a résumé worth probing, and the vague ones worth asking about.

Specificity is a transparent sum of what an interviewer can check — a number (0.35), named
technologies (0.25 for two or more), an action verb (0.2) and stated scope (0.2) — less 0.25 for
filler phrases ("worked with", "familiar with"). A line is vague below 0.2 (no number, no named
technology, no action verb), or when it leans on filler without any number.
"""

from __future__ import annotations

import re

from hiresight.profiles.parsed import Claim, ClaimKind, ParsedResume
from hiresight.profiles.signals import ACTION, OWNERSHIP, SCOPE, VAGUE, has_metric
from hiresight.profiles.skills import Unit, find_skills

VAGUE_BELOW = 0.2
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def specificity(text: str, skills: list[str]) -> float:
    """0..1: how checkable the statement is (numbers, technologies, verbs, scope, no filler)."""
    score = 0.35 * has_metric(text)
    score += 0.25 * min(1.0, len(skills) / 2)
    score += 0.2 * bool(ACTION.search(text) or OWNERSHIP.search(text))
    score += 0.2 * bool(SCOPE.search(text))
    score -= 0.25 * bool(VAGUE.search(text))
    return round(min(1.0, max(0.0, score)), 3)


def _kind(text: str, skills: list[str]) -> ClaimKind:
    if has_metric(text):
        return "metric"
    if OWNERSHIP.search(text):
        return "ownership"
    if skills:
        return "technology"
    return "statement"


def sentences(text: str) -> list[str]:
    """A paragraph split into sentences (bullets are usually one already)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def extract_claims(
    units: list[Unit], role_labels: list[str], project_names: list[str]
) -> list[Claim]:
    """One claim per bullet or sentence of roles, projects and the summary."""
    claims = []
    for unit in units:
        if unit.source not in ("role", "project", "summary"):
            continue
        for text in sentences(unit.text):
            if len(text.split()) < 3:
                continue
            skills = find_skills(text, unit.source)
            score = specificity(text, skills)
            vague = score < VAGUE_BELOW or (bool(VAGUE.search(text)) and not has_metric(text))
            if unit.role_index is not None:
                label: str | None = role_labels[unit.role_index]
            elif unit.project_index is not None:
                label = project_names[unit.project_index]
            else:
                label = None
            claims.append(
                Claim(
                    kind=_kind(text, skills),
                    text=text,
                    skills=skills,
                    role=label,
                    role_index=unit.role_index,
                    specificity=score,
                    vague=vague,
                )
            )
    return claims


def top_claims(parsed: ParsedResume, n: int = 5) -> list[Claim]:
    """The n most specific non-vague claims, most specific first (document order on ties)."""
    concrete = [c for c in parsed.claims if not c.vague]
    return sorted(concrete, key=lambda c: -c.specificity)[:n]


def vague_claims(parsed: ParsedResume) -> list[Claim]:
    """Lines too vague to check, in document order: each is a question to ask."""
    return [c for c in parsed.claims if c.vague]
