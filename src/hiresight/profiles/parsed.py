"""The structured profile a résumé parses into (JSON-serialisable pydantic models)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field, computed_field

SectionKind = Literal[
    "header", "summary", "experience", "education", "projects", "skills", "certifications",
    "languages", "awards", "publications", "interests", "contact", "other",
]  # fmt: skip
EvidenceStrength = Literal[
    "listed-only", "mentioned", "used-in-project", "used-in-role", "quantified"
]
ClaimKind = Literal["metric", "ownership", "technology", "statement"]

# Weakest to strongest; the position is the rank used for sorting and comparisons.
STRENGTH_ORDER: tuple[EvidenceStrength, ...] = (
    "listed-only", "mentioned", "used-in-project", "used-in-role", "quantified",
)  # fmt: skip


class Contact(BaseModel):
    """Who the candidate is and how to reach them."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    location: str | None = None
    github: str | None = None
    linkedin: str | None = None
    website: str | None = None

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented pattern
    @property
    def links(self) -> list[str]:
        """Every profile link found, GitHub then LinkedIn then the personal site."""
        return [u for u in (self.github, self.linkedin, self.website) if u]


class Section(BaseModel):
    """One résumé section, in document order."""

    kind: SectionKind
    heading: str
    lines: list[str] = Field(default_factory=list)


class Role(BaseModel):
    """One job (or internship) from the experience section."""

    title: str | None = None
    employer: str | None = None
    location: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    current: bool = False
    months: int = 0
    header: str = ""
    bullets: list[str] = Field(default_factory=list)

    @property
    def label(self) -> str:
        """ "Title at Employer", or whichever part is known."""
        if self.title and self.employer:
            return f"{self.title} at {self.employer}"
        return self.title or self.employer or self.header


class Project(BaseModel):
    """One entry of the projects section."""

    name: str
    start: dt.date | None = None
    end: dt.date | None = None
    bullets: list[str] = Field(default_factory=list)


class Education(BaseModel):
    """One degree, diploma or course of study."""

    institution: str | None = None
    degree: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    text: str = ""


class SkillEvidence(BaseModel):
    """A taxonomy skill found on the résumé and how concretely it is backed."""

    name: str
    category: str
    strength: EvidenceStrength
    evidence: list[str] = Field(default_factory=list)
    mentions: int = 0
    months: int = 0
    last_used: dt.date | None = None
    # Used in a role still held (no end date, "present").
    current: bool = False


class Claim(BaseModel):
    """A statement worth probing in the interview, or a vague one worth asking about."""

    kind: ClaimKind
    text: str
    skills: list[str] = Field(default_factory=list)
    role: str | None = None
    role_index: int | None = None
    specificity: float = Field(ge=0.0, le=1.0)
    vague: bool = False


class ParsedResume(BaseModel):
    """Everything the parser learned from one résumé."""

    file_type: Literal["pdf", "docx", "txt", "md"]
    text: str
    contact: Contact
    sections: list[Section]
    roles: list[Role]
    total_experience_months: int
    education: list[Education]
    projects: list[Project]
    skills: list[SkillEvidence]
    claims: list[Claim]
