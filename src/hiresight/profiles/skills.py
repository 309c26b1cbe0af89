"""Find taxonomy skills in résumé text, decide ambiguous names from context, and weigh evidence."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

from hiresight.profiles.dates import DateRange, union_months
from hiresight.profiles.experience import role_range
from hiresight.profiles.parsed import STRENGTH_ORDER, EvidenceStrength, Project, Role, SkillEvidence
from hiresight.profiles.signals import has_metric
from hiresight.profiles.taxonomy import SurfaceForm, Taxonomy, load_taxonomy

Source = Literal["skills", "role", "project", "summary", "other"]

# Words that make an ambiguous name ("Go", "Rust", "Spring") a technology in this sentence.
_TECH_CONTEXT = re.compile(
    r"\b(?:programming|language|languages|code|coding|codebase|written in|rewrote|rewritten|"
    r"framework|frameworks|library|libraries|stack|backend|back-end|frontend|front-end|"
    r"services?|microservices?|apis?|sdk|tooling|scripts?|compiler|runtime|server|servers|"
    r"developer|engineer|developed in|implemented in|ported to|cli|binary|binaries|"
    r"database|cluster|deployments?|pipelines?|infrastructure)\b",
    re.IGNORECASE,
)
_EVIDENCE_LIMIT = 3
LISTED = "listed in skills"


@dataclass(frozen=True, slots=True)
class Unit:
    """One sentence or bullet and where it sits in the résumé."""

    text: str
    source: Source
    role_index: int | None = None
    project_index: int | None = None


@dataclass
class _Found:
    strength_rank: int = 0
    evidence: list[tuple[int, str]] = field(default_factory=list)
    mentions: int = 0
    roles: set[int] = field(default_factory=set)
    projects: set[int] = field(default_factory=set)


def _case_ok(form: SurfaceForm, matched: str) -> bool:
    """Ambiguous names must be written as a name: "Go" not "go", "Spark" not "spark"."""
    if form.is_canonical:
        return matched == form.text or (matched.isupper() and len(matched) > 2)
    return matched != matched.lower()


def _accept(form: SurfaceForm, unit: Unit, match: re.Match[str], has_anchor: bool) -> bool:
    """Whether an ambiguous form is a skill here (unambiguous forms always are)."""
    if not form.ambiguous:
        return True
    matched = re.sub(r"\s+", " ", match.group(0))
    text, end = unit.text, match.end()
    if re.match(r"['’&]|-\w|\s+(?:19|20)\d\d\b", text[end:]):
        return False  # "R&D", "Go-to-market", "Spring 2019"
    opens_sentence = not text[: match.start()].strip(" ,;:").split()[-1:]
    if opens_sentence and re.match(r"\s+(?:to|live|ahead|back|through)\b", text[end:]):
        return False  # "Go live with ..." opening a sentence is the verb
    if unit.source == "skills":
        return True
    if not _case_ok(form, matched):
        return False
    surname = re.match(r"\s+([A-Z][a-z]+)\b", text[end:])
    if surname and load_taxonomy().lookup(surname.group(1)) is None:
        return False  # "Julia Roberts", "Ruby Chen": a person, not the language
    # "in Rust", "with Go", "using Spring": a capitalised name after these reads as a tool.
    after_preposition = re.search(
        r"\b(?:in|with|using|on|to|from)\s+$", text[: match.start()], re.I
    )
    return has_anchor or bool(after_preposition) or bool(_TECH_CONTEXT.search(text))


def find_skills(text: str, source: Source = "other", taxonomy: Taxonomy | None = None) -> list[str]:
    """Canonical skill names mentioned in one piece of text, in order of first mention."""
    return list(dict.fromkeys(_skills_in(Unit(text, source), taxonomy or load_taxonomy())))


def _skills_in(unit: Unit, taxonomy: Taxonomy) -> list[str]:
    """Accepted skill names in a unit, one per mention."""
    matches = []
    for match in taxonomy.matcher.finditer(unit.text):
        form = taxonomy.lookup(match.group(0))
        if form is not None:
            matches.append((match, form))
    has_anchor = any(not form.ambiguous for _, form in matches)
    return [form.skill.name for match, form in matches if _accept(form, unit, match, has_anchor)]


def _strength(unit: Unit) -> EvidenceStrength:
    if unit.source == "skills":
        return "listed-only"
    if unit.source == "role":
        return "quantified" if has_metric(unit.text) else "used-in-role"
    if unit.source == "project":
        return "used-in-project"
    return "mentioned"


def _last_used(found: _Found, roles: list[Role], projects: list[Project]) -> dt.date | None:
    ends = [roles[i].end for i in found.roles] + [projects[i].end for i in found.projects]
    known = [end for end in ends if end is not None]
    return max(known) if known else None


def current_skill_names(roles: list[Role]) -> set[str]:
    """Skills named in the bullets of a role still held, for re-marking after a role edit."""
    taxonomy = load_taxonomy()
    return {
        name
        for role in roles
        if role.current
        for bullet in role.bullets
        for name in _skills_in(Unit(bullet, "role"), taxonomy)
    }


def collect_skills(
    units: list[Unit], roles: list[Role], projects: list[Project]
) -> list[SkillEvidence]:
    """Every skill with its evidence, strongest first."""
    taxonomy = load_taxonomy()
    found: dict[str, _Found] = {}
    for unit in units:
        strength = STRENGTH_ORDER.index(_strength(unit))
        for name in _skills_in(unit, taxonomy):
            entry = found.setdefault(name, _Found())
            entry.mentions += 1
            entry.strength_rank = max(entry.strength_rank, strength)
            if unit.source != "skills" and all(unit.text != t for _, t in entry.evidence):
                entry.evidence.append((strength, unit.text))
            if unit.role_index is not None:
                entry.roles.add(unit.role_index)
            if unit.project_index is not None:
                entry.projects.add(unit.project_index)
    result = []
    for name, entry in found.items():
        skill = taxonomy.by_name[name.lower()]
        ranges: list[DateRange] = [
            r for r in (role_range(roles[i]) for i in entry.roles) if r is not None
        ]
        # Strongest evidence first; sorted() is stable, so document order breaks ties.
        evidence = [text for _, text in sorted(entry.evidence, key=lambda e: -e[0])]
        result.append(
            SkillEvidence(
                name=name,
                category=skill.category,
                strength=STRENGTH_ORDER[entry.strength_rank],
                evidence=evidence[:_EVIDENCE_LIMIT] or [LISTED],
                mentions=entry.mentions,
                months=union_months(ranges),
                last_used=_last_used(entry, roles, projects),
                current=any(roles[i].current for i in entry.roles),
            )
        )
    result.sort(key=lambda s: (-STRENGTH_ORDER.index(s.strength), -s.months, -s.mentions, s.name))
    return result
