"""Candidate corrections to a parsed résumé, re-applied to every later résumé version.

Corrections are stored as data, not as an edited copy of the parse, so that a new upload is
parsed fresh and the candidate's fixes (a skill added or removed, a role's dates or title
repaired) still hold afterwards. Roles are matched by employer and title, not by position,
because a new résumé may list them in another order.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from hiresight.profiles.experience import role_range, total_experience_months
from hiresight.profiles.parsed import ParsedResume, Role, SkillEvidence
from hiresight.profiles.skills import current_skill_names
from hiresight.profiles.taxonomy import load_taxonomy


class AddSkill(BaseModel):
    """The candidate has a skill the parser missed."""

    op: Literal["add_skill"] = "add_skill"
    name: str = Field(min_length=1, max_length=100)


class RemoveSkill(BaseModel):
    """The parser found a skill the candidate does not claim."""

    op: Literal["remove_skill"] = "remove_skill"
    name: str = Field(min_length=1, max_length=100)


class EditRole(BaseModel):
    """Fix a role's title, employer or dates; the role is found by its parsed employer/title."""

    op: Literal["edit_role"] = "edit_role"
    match_employer: str | None = Field(None, max_length=200)
    match_title: str | None = Field(None, max_length=200)
    title: str | None = Field(None, max_length=200)
    employer: str | None = Field(None, max_length=200)
    start: dt.date | None = None
    end: dt.date | None = None
    current: bool | None = None

    @model_validator(mode="after")
    def _check(self) -> EditRole:
        if not (self.match_employer or self.match_title):
            raise ValueError("say which role to edit: match_employer and/or match_title")
        if self.start and self.end and self.start > self.end:
            raise ValueError("a role cannot end before it starts")
        return self


Correction = Annotated[AddSkill | RemoveSkill | EditRole, Field(discriminator="op")]


class CorrectionResult(BaseModel):
    """A parse with corrections applied, and the corrections that matched nothing."""

    profile: ParsedResume
    unmatched: list[int] = Field(default_factory=list)


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def _canonical(name: str) -> tuple[str, str]:
    skill = load_taxonomy().get(name)
    return (skill.name, skill.category) if skill else (name.strip(), "other")


def _matches(role: Role, edit: EditRole) -> bool:
    if edit.match_employer and _norm(edit.match_employer) != _norm(role.employer):
        return False
    return not (edit.match_title and _norm(edit.match_title) != _norm(role.title))


def _edit_role(role: Role, edit: EditRole, today: dt.date) -> None:
    for field in ("title", "employer", "start", "end", "current"):
        value = getattr(edit, field)
        if value is not None:
            setattr(role, field, value)
    if role.current:
        role.end = dt.date(today.year, today.month, 1)
    span = role_range(role)
    role.months = span.months if span else 0


def apply_corrections(
    parsed: ParsedResume, corrections: list[Correction], *, today: dt.date | None = None
) -> CorrectionResult:
    """A copy of `parsed` with every correction applied in order."""
    today = today or dt.date.today()
    profile = parsed.model_copy(deep=True)
    unmatched: list[int] = []
    for index, correction in enumerate(corrections):
        if isinstance(correction, AddSkill):
            name, category = _canonical(correction.name)
            if not any(s.name.lower() == name.lower() for s in profile.skills):
                profile.skills.append(
                    SkillEvidence(
                        name=name,
                        category=category,
                        strength="listed-only",
                        evidence=["added by the candidate"],
                    )
                )
        elif isinstance(correction, RemoveSkill):
            name, _ = _canonical(correction.name)
            before = len(profile.skills)
            profile.skills = [s for s in profile.skills if s.name.lower() != name.lower()]
            if len(profile.skills) == before:
                unmatched.append(index)
        else:
            roles = [r for r in profile.roles if _matches(r, correction)]
            if not roles:
                unmatched.append(index)
            for role in roles:
                _edit_role(role, correction, today)
    if any(isinstance(c, EditRole) for c in corrections):
        # A role edit can start or end the current role: its skills follow.
        current = current_skill_names(profile.roles)
        for skill in profile.skills:
            skill.current = skill.name in current
    profile.total_experience_months = total_experience_months(profile.roles)
    return CorrectionResult(profile=profile, unmatched=unmatched)
