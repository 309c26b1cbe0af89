"""Roles (employer, title, dates, months) and projects from their sections, and total experience."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field

from hiresight.profiles.dates import (
    DateRange,
    YearMonth,
    find_date_ranges,
    find_single_date,
    union_months,
)
from hiresight.profiles.parsed import Project, Role
from hiresight.profiles.sections import BULLET

_TITLE_WORDS = re.compile(
    r"\b(?:engineer|engineering|developer|programmer|architect|manager|lead|head|director|"
    r"intern|internship|analyst|scientist|consultant|designer|administrator|admin|specialist|"
    r"officer|cto|ceo|cio|vp|president|founder|co-founder|sre|devops|researcher|assistant|"
    r"associate|technician|tester|owner|principal|staff|fellow|contractor|freelance|freelancer|"
    r"trainee|apprentice|werkstudent|entwickler|ingenieur|teaching|student|research)\b",
    re.IGNORECASE,
)
_PIECE_SPLIT = re.compile(r"\s*(?:\||—|–|\s-\s|·|•|@|\bat\b|\s{3,}|,|\(|\)|;)\s*")
_COMPANY_SUFFIX = re.compile(
    r"^(?:inc|inc\.|ltd|ltd\.|llc|gmbh|ag|sa|s\.a\.|bv|b\.v\.|plc|co\.|corp\.?|se|oy|ab|as)$",
    re.IGNORECASE,
)
_WORK_MODE = re.compile(r"^(?:remote|hybrid|on-?site|full-?time|part-?time|contract)$", re.I)


@dataclass
class _Entry:
    header: list[str]
    date_range: DateRange | None
    body: list[str] = field(default_factory=list)


def is_bullet(line: str) -> bool:
    """True for a list item ("- ", "• ", "1. ")."""
    return bool(BULLET.match(line))


def strip_bullet(line: str) -> str:
    """The line without its list marker."""
    return BULLET.sub("", line, count=1).strip()


def _ends_sentence(line: str) -> bool:
    """A final "." or ";" that is not part of "Inc." or an initial."""
    text = line.rstrip()
    if text.endswith(";"):
        return True
    if not text.endswith("."):
        return False
    last = text.rsplit(None, 1)[-1]
    return not (_COMPANY_SUFFIX.match(last) or re.fullmatch(r"(?:[A-Z]\.)+", last))


def _could_be_header(line: str) -> bool:
    """Short, not a sentence, and looks like a title or "Employer | Title"."""
    if len(line) > 80 or _ends_sentence(line) or is_bullet(line):
        return False
    words = list(re.findall(r"[^\W\d_][\w'’&.-]*", line))
    capitalised = sum(1 for w in words if w[0].isupper())
    return bool(_TITLE_WORDS.search(line)) or (bool(words) and capitalised / len(words) >= 0.6)


def _pieces(text: str) -> list[str]:
    """Header text split at separators, company suffixes ("Inc.") kept with their name."""
    pieces: list[str] = []
    for piece in _PIECE_SPLIT.split(text):
        piece = piece.strip(" .,:-–—")
        if not piece or re.fullmatch(r"(?i)present|current|now|to|since", piece):
            continue
        if pieces and _COMPANY_SUFFIX.match(piece):
            pieces[-1] = f"{pieces[-1]}, {piece}"
        else:
            pieces.append(piece)
    return pieces


def _role_from(entry: _Entry) -> Role:
    """Title, employer and location from the header lines of one entry."""
    text = " | ".join(entry.header)
    pieces = _pieces(text)
    location_bits = [p for p in pieces if _WORK_MODE.match(p)]
    pieces = [p for p in pieces if p not in location_bits]
    title = next((p for p in pieces if _TITLE_WORDS.search(p)), None)
    rest = [p for p in pieces if p != title]
    if title is None and rest:
        title, rest = rest[0], rest[1:]
    employer = rest[0] if rest else None
    location = ", ".join(rest[1:] + location_bits) or None
    date_range = entry.date_range
    return Role(
        title=title,
        employer=employer,
        location=location,
        start=date_range.start.to_date() if date_range else None,
        end=date_range.end.to_date() if date_range else None,
        current=date_range.current if date_range else False,
        months=date_range.months if date_range else 0,
        header=text,
        bullets=[strip_bullet(line) for line in entry.body],
    )


def _date_of(line: str, today: dt.date) -> DateRange | None:
    """The role dates on a header line: a range, or a lone season/month on a titled line."""
    if is_bullet(line) or len(line) > 140:
        return None
    ranges = find_date_ranges(line, today)
    if ranges:
        return ranges[0]
    if _could_be_header(line) and _TITLE_WORDS.search(line):
        return find_single_date(line)
    return None


def _without(line: str, span: tuple[int, int]) -> str:
    return (line[: span[0]] + "   " + line[span[1] :]).strip(" |,–—-()")


def _entries(lines: list[str], today: dt.date) -> list[_Entry]:
    """Group section lines into dated entries; undated leading lines are dropped."""
    entries: list[_Entry] = []
    pending: list[str] = []
    for line in lines:
        date_range = _date_of(line, today)
        if date_range is not None:
            header: list[str] = []
            while pending and len(header) < 2 and _could_be_header(pending[-1]):
                header.insert(0, pending.pop())
            if entries:
                entries[-1].body.extend(pending)
            remainder = _without(line, date_range.span)
            entries.append(_Entry(header + ([remainder] if remainder else []), date_range))
            pending = []
            continue
        latest = entries[-1] if entries else None
        header_open = latest is not None and not latest.body and len(latest.header) < 2
        if latest and header_open and not pending and _could_be_header(line):
            latest.header.append(line)  # "Jan 2020 – Present" then "Title, Employer"
            continue
        if is_bullet(line) or not _could_be_header(line):
            if entries:
                entries[-1].body.extend([*pending, line])
            pending = []
        else:
            pending.append(line)
    if entries:
        entries[-1].body.extend(pending)
    return entries


def parse_roles(lines: list[str], today: dt.date) -> list[Role]:
    """Roles from the experience section, in document order."""
    roles = [_role_from(entry) for entry in _entries(lines, today) if entry.header]
    for previous, role in itertools.pairwise(roles):
        # Promotions listed under one employer: "Acme" / "Senior Engineer 2022 –" /
        # "Engineer 2019 – 2021"; a title-only role right after a bullet-less one shares it.
        if role.employer is None and previous.employer and not previous.bullets:
            role.employer = previous.employer
    return roles


def parse_projects(lines: list[str], today: dt.date) -> list[Project]:
    """Projects: a name line (optionally dated) followed by its description lines."""
    projects: list[Project] = []
    for line in lines:
        # Project names are often lower-case repository names, so any short non-sentence counts.
        if not is_bullet(line) and len(line) <= 80 and not line.rstrip().endswith((".", ";")):
            ranges = find_date_ranges(line, today)
            date_range = ranges[0] if ranges else None
            name_part = _without(line, date_range.span) if date_range else line
            name = re.split(r"\s+[—–|-]\s+|:\s", name_part, maxsplit=1)[0].strip()
            projects.append(
                Project(
                    name=name or line,
                    start=date_range.start.to_date() if date_range else None,
                    end=date_range.end.to_date() if date_range else None,
                    bullets=[line] if name_part != name else [],
                )
            )
        elif projects:
            projects[-1].bullets.append(strip_bullet(line))
        else:
            projects.append(Project(name=strip_bullet(line)[:60], bullets=[strip_bullet(line)]))
    return projects


def role_range(role: Role) -> DateRange | None:
    """The role's months as a range, for unions."""
    if role.start is None or role.end is None:
        return None
    return DateRange(
        YearMonth.from_date(role.start), YearMonth.from_date(role.end), role.current, (0, 0)
    )


# A role held beside a main job: part-time work and teaching ("Adjunct Lecturer", "Tutor").
_SECONDARY = re.compile(
    r"\b(?:part[- ]?time|teaching|adjunct|lecturer|tutor|tutoring|instructor)\b", re.IGNORECASE
)


def is_secondary(role: Role) -> bool:
    """A part-time or teaching role, by its title or header."""
    return bool(_SECONDARY.search(f"{role.title or ''} {role.header}"))


def _overlap(a: DateRange, b: DateRange) -> bool:
    return a.start.index <= b.end.index and b.start.index <= a.end.index


def total_experience_months(roles: list[Role]) -> int:
    """Months of work: overlapping roles count once (a union of intervals), and a part-time or
    teaching role that overlaps a full-time one adds nothing at all, not even its months
    outside the overlap (an evening lectureship beside a day job is not more experience).
    """
    main = [r for r in roles if not is_secondary(r)]
    main_ranges = [r for r in map(role_range, main) if r is not None]
    side_ranges = [
        side
        for side in (role_range(r) for r in roles if is_secondary(r))
        if side is not None and not any(_overlap(side, full) for full in main_ranges)
    ]
    return union_months(main_ranges + side_ranges)


def headline_role(roles: list[Role]) -> Role | None:
    """The role a profile's headline names: the latest main role, current ones first.

    Résumés list roles newest first or oldest first, so document order decides nothing; a
    part-time or teaching role is named only when there is no other.
    """
    if not roles:
        return None

    def rank(role: Role) -> tuple[bool, bool, dt.date, dt.date]:
        return (
            not is_secondary(role),
            role.current,
            role.end or role.start or dt.date.min,
            role.start or dt.date.min,
        )

    # max() keeps the first of equals, so document order breaks exact ties.
    return max(roles, key=rank)
