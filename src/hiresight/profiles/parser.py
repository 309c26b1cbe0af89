"""`parse_resume`: bytes in, structured profile out. Pure: no database, no network."""

from __future__ import annotations

import datetime as dt

from hiresight.profiles.claims import extract_claims, sentences
from hiresight.profiles.contacts import extract_contact
from hiresight.profiles.education import parse_education
from hiresight.profiles.errors import ResumeNoSectionsError
from hiresight.profiles.experience import (
    parse_projects,
    parse_roles,
    strip_bullet,
    total_experience_months,
)
from hiresight.profiles.extract import extract_text
from hiresight.profiles.filetypes import FileType, check_extension, check_size, sniff_file_type
from hiresight.profiles.parsed import ParsedResume, Project, Role, Section, SectionKind
from hiresight.profiles.sections import MAIN_KINDS, lines_of, split_sections
from hiresight.profiles.skills import Unit, collect_skills

# Sections whose text is read for skills but only counts as a mention.
_MENTION_KINDS: tuple[SectionKind, ...] = (
    "certifications", "awards", "publications", "education", "other",
)  # fmt: skip


def _units(sections: list[Section], roles: list[Role], projects: list[Project]) -> list[Unit]:
    """Every sentence-sized piece of text, tagged with where it came from."""
    # Sentences, not lines, so evidence quotes exactly the sentence that names the skill.
    units = [Unit(strip_bullet(line), "skills") for line in lines_of(sections, "skills")]
    units += [
        Unit(sentence, "summary")
        for line in lines_of(sections, "summary")
        for sentence in sentences(strip_bullet(line))
    ]
    for index, role in enumerate(roles):
        units += [
            Unit(sentence, "role", role_index=index)
            for bullet in role.bullets
            for sentence in sentences(bullet)
        ]
    for index, project in enumerate(projects):
        units += [
            Unit(sentence, "project", project_index=index)
            for text in [project.name, *project.bullets]
            for sentence in sentences(text)
        ]
    for kind in _MENTION_KINDS:
        units += [Unit(strip_bullet(line), "other") for line in lines_of(sections, kind)]
    return units


def parse_text(
    text: str, file_type: FileType = "txt", *, today: dt.date | None = None
) -> ParsedResume:
    """Parse already-extracted résumé text (used by `parse_resume` and tests)."""
    today = today or dt.date.today()
    sections = split_sections(text)
    if not any(section.kind in MAIN_KINDS for section in sections):
        raise ResumeNoSectionsError()
    roles = parse_roles(lines_of(sections, "experience"), today)
    projects = parse_projects(lines_of(sections, "projects"), today)
    units = _units(sections, roles, projects)
    return ParsedResume(
        file_type=file_type,
        text=text,
        contact=extract_contact(sections, text),
        sections=sections,
        roles=roles,
        total_experience_months=total_experience_months(roles),
        education=parse_education(lines_of(sections, "education")),
        projects=projects,
        skills=collect_skills(units, roles, projects),
        claims=extract_claims(units, [r.label for r in roles], [p.name for p in projects]),
    )


def parse_resume(
    data: bytes, filename: str | None = None, *, today: dt.date | None = None
) -> ParsedResume:
    """Parse a résumé file (PDF, DOCX, TXT or Markdown, sniffed by content) into a profile.

    `filename` is only a hint: a known extension that contradicts the content is refused.
    `today` fixes what "Present" means (defaults to the current date). Raises a `ResumeError`
    subclass with a stable `code` for anything the uploader can fix.
    """
    check_size(data)
    kind = sniff_file_type(data)
    check_extension(kind, filename)
    return parse_text(extract_text(data, kind), kind, today=today)
