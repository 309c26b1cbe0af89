"""Split résumé text into sections by their headings, tolerating unusual wording."""

from __future__ import annotations

import re

from hiresight.profiles.dates import MONTH_NAME
from hiresight.profiles.parsed import Section, SectionKind

# A list item: "- ", "• ", "1. " and the other markers résumé templates use.
BULLET = re.compile(r"^\s*(?:[-•*·▪◦–—➢►✓‣⁃]|\d{1,2}[.)])\s+")

# Exact heading texts (lower case, "&" read as "and"). Unusual but real wordings are the point:
# candidates write "Where I've worked" and "Toolbox" as often as "Experience" and "Skills".
_SYNONYMS: dict[SectionKind, tuple[str, ...]] = {
    "summary": (
        "summary", "profile", "professional summary", "about", "about me", "objective",
        "career objective", "personal statement", "overview", "introduction", "who i am",
        "executive summary", "career summary", "professional profile", "bio", "in short",
        "personal profile", "profil", "kurzprofil", "über mich", "a bit about me", "highlights",
        "summary of qualifications", "at a glance",
    ),
    "experience": (
        "experience", "work experience", "professional experience", "employment",
        "employment history", "work history", "career history", "career", "positions",
        "professional background", "where i've worked", "where i have worked", "where ive worked",
        "positions held", "relevant experience", "industry experience", "work", "jobs",
        "berufserfahrung", "berufspraxis", "expérience professionnelle", "experiencia laboral",
        "professional history", "technical experience", "engineering experience",
        "experience and employment", "employment and experience", "what i've done",
        "roles", "my journey", "career path", "places i've worked",
    ),
    "education": (
        "education", "academic background", "academics", "education and training", "studies",
        "degrees", "schooling", "where i studied", "ausbildung", "studium", "bildung",
        "formation", "educación", "academic history", "education and certifications",
        "qualifications", "academic qualifications", "learning",
    ),
    "projects": (
        "projects", "personal projects", "side projects", "selected projects", "key projects",
        "open source", "open-source", "open source contributions", "open-source contributions",
        "portfolio", "things i've built", "what i've built", "projekte", "projets",
        "notable projects", "selected work", "open source work", "hobby projects",
    ),
    "skills": (
        "skills", "technical skills", "core skills", "key skills", "skills and tools", "toolbox",
        "my toolbox", "tech stack", "technologies", "tools", "tools and technologies",
        "technologies and tools", "competencies", "core competencies", "expertise",
        "areas of expertise", "technical expertise", "stack", "my stack", "what i use",
        "languages and frameworks", "kenntnisse", "fähigkeiten", "compétences", "habilidades",
        "technical proficiencies", "proficiencies", "skill set", "skillset",
        "programming languages", "tools i use", "tooling", "technical toolbox",
        "skills and technologies", "technologies i use", "tech", "toolkit", "it skills",
        "stuff i know", "things i know", "what i know", "what i work with", "i work with",
        "technical summary", "technical knowledge", "software", "languages and tools",
    ),
    "certifications": (
        "certifications", "certificates", "licenses", "licenses and certifications",
        "licences and certifications", "courses", "training", "zertifikate", "certification",
    ),
    "languages": ("languages", "spoken languages", "language skills", "sprachen", "langues"),
    "awards": (
        "awards", "honors", "honours", "achievements", "awards and honors", "awards and honours",
    ),
    "publications": ("publications", "papers", "talks", "talks and publications", "speaking"),
    "interests": ("interests", "hobbies", "hobbies and interests", "outside work", "interessen"),
    "contact": (
        "contact", "contact details", "contact information", "contact info", "personal details",
        "links", "kontakt", "find me", "get in touch",
    ),
    "other": ("volunteering", "volunteer experience", "references", "community", "misc"),
}  # fmt: skip
_BY_TEXT = {text: kind for kind, texts in _SYNONYMS.items() for text in texts}
# When a short heading is not listed, its last word often still says what it is
# ("Selected Experience", "Relevant Skills").
_LAST_WORD: dict[str, SectionKind] = {
    "experience": "experience", "employment": "experience", "education": "education",
    "projects": "projects", "skills": "skills", "summary": "summary", "profile": "summary",
    "certifications": "certifications", "publications": "publications", "awards": "awards",
}  # fmt: skip
# "Stack: Go, Kafka" inside a job is that job's detail, not a new skills section.
_ENTRY_LABELS = frozenset(
    {"stack", "tech stack", "technologies", "tools", "tech", "tooling", "toolkit", "my stack"}
)
_SECTION_SWITCHERS = frozenset({"experience", "education", "projects", "summary"})
_DECORATION = re.compile(r"^[\s#*_=\-–—•■▪◆●|:>]+|[\s*_=\-–—•■▪◆●|:<]+$")
_INLINE = re.compile(r"^\s*([^:|]{2,40}?)\s*[:|]\s+(\S.*)$")

# A document's own title, never a name: it opens the header ("CURRICULUM VITAE" / "Amara ...").
_DOCUMENT_TITLES = frozenset(
    {"curriculum vitae", "cv", "resume", "résumé", "lebenslauf", "curriculum vitae et studiorum"}
)

MAIN_KINDS: frozenset[SectionKind] = frozenset(
    {"summary", "experience", "education", "projects", "skills"}
)


def _normalise_heading(line: str) -> str:
    text = _DECORATION.sub("", line).replace("&", " and ").replace("’", "'")
    return re.sub(r"\s+", " ", text).strip().lower()


def known_heading(line: str) -> SectionKind | None:
    """The section a line opens by its wording (a synonym, a telling last word, or a document
    title such as "Curriculum Vitae", which opens the header), else None."""
    if len(line) > 60:
        return None
    text = _normalise_heading(line)
    if not text or re.search(r"\d|[.,;@]", text):
        return None
    words = text.split()
    stripped = _DECORATION.sub("", line).strip()
    if text in _DOCUMENT_TITLES and stripped[:1].isupper():  # not a wrapped link's "cv"
        return "header"
    if text in _BY_TEXT:
        return _BY_TEXT[text]
    if len(words) <= 4 and words[-1] in _LAST_WORD and stripped[:1].isupper():
        return _LAST_WORD[words[-1]]
    return None


def _capitals_only(line: str) -> bool:
    """Up to four words of letters, all in capitals ("AMARA OKAFOR", "TECHNICAL LEADERSHIP")."""
    if len(line) > 60:
        return False
    text = _normalise_heading(line)
    if not text or re.search(r"\d|[.,;@]", text):
        return False
    letters = [ch for ch in _DECORATION.sub("", line) if ch.isalpha()]
    return len(text.split()) <= 4 and len(letters) >= 4 and all(ch.isupper() for ch in letters)


def heading_kind(line: str) -> SectionKind | None:
    """The section a line opens, or None when the line is content."""
    kind = known_heading(line)
    if kind is None and _capitals_only(line):
        return "other"  # an unknown ALL-CAPS heading still ends the previous section
    return kind


def _top_line_in_capitals(sections: list[Section], line: str) -> bool:
    """An unknown line in capitals at the very top is the name (or the headline under it),
    not a heading: "AMARA OKAFOR" / "SENIOR DATA ENGINEER" above the contact line."""
    header = sections[-1]
    return (
        header.kind == "header"
        and len(header.lines) < 2
        and all(_capitals_only(previous) for previous in header.lines)
        and known_heading(line) is None
        and _capitals_only(line)
    )


_OPEN_END = re.compile(r"(?:[-–—,&/]|\b(?:to|of|and|in|for|at|the|with|per))$", re.IGNORECASE)
_DATE_END = re.compile(rf"(?:\b(?:19|20)\d\d|\b{MONTH_NAME})\.?$", re.IGNORECASE)
_DATE_DASH_START = re.compile(r"^[-–—]\s+(?:\w+\s+)?(?:(?:19|20)\d\d|present|current|now)\b", re.I)
_MONTH_END = re.compile(rf"\b{MONTH_NAME}\.?$", re.IGNORECASE)
_URL_END = re.compile(r"(?:https?://|www\.|\b[\w-]+\.[a-z]{2,}/)\S*[\w-]$", re.IGNORECASE)
_URL_PIECE = re.compile(r"^[a-z0-9][\w\-/%~]*$")  # no dot: a new domain starts a new link
_LINK_START = re.compile(r"^(?:https?://|www\.|[\w.+-]+@|[\w-]+\.[a-z]{2,}\b)", re.I)
_RANGE = re.compile(r"(?:19|20)\d\d\S*\s*[-–—]|[-–—]\s*(?:present|current|now)", re.I)


def _url_continues(previous: str, line: str) -> bool:
    """A long URL broken mid-word by a narrow column: "linkedin.com/in/grace-adey" + "emi"."""
    return bool(_URL_END.search(previous) and _URL_PIECE.match(line))


def _continues(previous: str, line: str) -> bool:
    """Whether `line` is the wrapped tail of `previous` (PDF and narrow-column line breaks)."""
    if _DATE_DASH_START.match(line) and _DATE_END.search(previous):
        return True  # "... | Mar 2026" + "– Present"
    year_first = re.match(r"(?:19|20)\d\d\b", line)
    if year_first and _MONTH_END.search(previous) and not _RANGE.search(line):
        return True  # "Nov 2020 – Dec" + "2023)"
    if BULLET.match(line):
        return False
    if _OPEN_END.search(previous):
        return True
    # A lower-case (or numeric) start after an unfinished bullet or long line is a wrapped
    # sentence, unless it is a dated line of its own or a link/email on its own line.
    if _LINK_START.match(line):
        return False
    return (
        (line[:1].islower() or line[:1].isdigit() or line[:1] == "(")
        and not _RANGE.search(line)
        and not previous.endswith((".", ":", ";"))
        and (bool(BULLET.match(previous)) or len(previous) >= 40)
    )


def split_sections(text: str) -> list[Section]:
    """Sections in document order; text before the first heading is the "header"."""
    sections = [Section(kind="header", heading="")]
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        kind = heading_kind(line)
        if kind is not None and not _top_line_in_capitals(sections, line):
            sections.append(Section(kind=kind, heading=_DECORATION.sub("", line).strip()))
            continue
        inline = _INLINE.match(line)
        label = _normalise_heading(inline.group(1)) if inline else ""
        current = sections[-1].kind
        inside_entry = current in ("experience", "projects") and label in _ENTRY_LABELS
        # In a skills section "Languages: Java, Go" and "Tools: ..." are skill groups.
        inside_entry = inside_entry or (
            current == "skills" and _BY_TEXT.get(label) not in _SECTION_SWITCHERS
        )
        if inline and label in _BY_TEXT and _BY_TEXT[label] != "other" and not inside_entry:
            sections.append(
                Section(kind=_BY_TEXT[label], heading=inline.group(1), lines=[inline.group(2)])
            )
            continue
        lines = sections[-1].lines
        if lines and _url_continues(lines[-1], line):
            lines[-1] += line
        elif lines and _continues(lines[-1], line):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return [s for s in sections if s.lines or s.kind != "header"]


def lines_of(sections: list[Section], kind: SectionKind) -> list[str]:
    """All lines of every section of one kind, in order."""
    return [line for section in sections if section.kind == kind for line in section.lines]
