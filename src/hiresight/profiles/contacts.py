"""Contact details: name, email, phone, location and profile links."""

from __future__ import annotations

import re

from hiresight.profiles.parsed import Contact, Section
from hiresight.profiles.sections import heading_kind, known_heading

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}\b", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d\s().\-/]{6,20}\d(?![\w])")
_PHONE_LABEL = re.compile(r"\b(?:tel|phone|mobile|mob|cell|telefon|handy)\b", re.IGNORECASE)
_GITHUB = re.compile(r"(?:https?://)?(?:www\.)?github\.com/([A-Za-z0-9](?:[\w-]*[\w])?)", re.I)
_LINKEDIN = re.compile(
    r"(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/(in|pub)/([\w%-]+)", re.IGNORECASE
)
_TLDS = (
    "dev|io|com|net|org|me|co|app|page|site|tech|blog|xyz|info|codes|engineer|name|"
    "de|uk|fr|nl|se|no|dk|es|it|pl|tr|vn|ae|ca|au|in|br|ch|at|be|fi|ie|pt"
)
_SITE = re.compile(
    rf"(?<![@\w./-])(?:https?://)?(?:www\.)?((?:[a-z0-9][a-z0-9-]*\.)+(?:{_TLDS}))"
    r"(/[\w./%~-]*)?(?![\w@-])",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*(?:\||·|•|◦|▪|/{2}|;|\s[—–-]\s|\s{3,})\s*")
_LOCATION = re.compile(
    r"^(?:(?:location|based in|address)\s*:?\s*)?"
    r"([^\W\d_][\w'’.\- ]*(?:,\s*[^\W\d_][\w'’.\- ]*){1,2})$",
    re.IGNORECASE,
)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _looks_like_years(text: str) -> bool:
    """A date range such as "2019 - 2021" or "03/2019 - 11/2020" is not a phone number."""
    groups = re.findall(r"\d+", text)
    return all(len(g) in (1, 2, 4) for g in groups) and any(
        re.fullmatch(r"(19|20)\d\d", g) for g in groups
    )


def find_phone(lines: list[str]) -> str | None:
    """The first phone-like number: 8-15 digits, not a date range; labelled ones first."""
    found: list[tuple[int, int, str]] = []
    for number, line in enumerate(lines):
        for match in _PHONE.finditer(line):
            candidate = match.group(0).strip(" .-/")
            digits = _digits(candidate)
            if not 8 <= len(digits) <= 15 or _looks_like_years(candidate):
                continue
            labelled = bool(_PHONE_LABEL.search(line)) or candidate.startswith(("+", "("))
            found.append((0 if labelled else 1, number, candidate))
    return min(found)[2] if found else None


def normalise_phone(phone: str) -> str:
    """Digits with a leading + when the number is international, for comparison."""
    digits = _digits(phone)
    if phone.strip().startswith("00"):
        return "+" + digits[2:]
    return ("+" if phone.strip().startswith("+") else "") + digits


def find_links(text: str) -> tuple[str | None, str | None, str | None]:
    """GitHub, LinkedIn and personal-site URLs, normalised to https:// without a trailing /."""
    github = _GITHUB.search(text)
    linkedin = _LINKEDIN.search(text)
    website = None
    for match in _SITE.finditer(text):
        host = match.group(1).lower()
        if re.search(r"(^|\.)(github|linkedin|gmail|outlook|hotmail|yahoo)\.", host + "."):
            continue
        if not match.group(0).lower().startswith(("http", "www")) and host.count(".") < 1:
            continue
        path = (match.group(2) or "").rstrip("/.")
        website = f"https://{host}{path}"
        break
    return (
        f"https://github.com/{github.group(1)}" if github else None,
        f"https://linkedin.com/{linkedin.group(1).lower()}/{linkedin.group(2)}"
        if linkedin
        else None,
        website,
    )


def _segments(lines: list[str]) -> list[str]:
    return [seg.strip() for line in lines for seg in _SEPARATORS.split(line) if seg.strip()]


def _is_contact_bit(segment: str) -> bool:
    return bool(
        _EMAIL.search(segment)
        or _SITE.search(segment)
        or len(_digits(segment)) >= 6
        or re.search(r"https?://|github|linkedin", segment, re.IGNORECASE)
    )


def find_name(lines: list[str], *, capitals_may_be_a_name: bool = True) -> str | None:
    """The first short line of letters at the top that is neither contact data nor a heading.

    A name in capitals ("AMARA OKAFOR") is read as written unless `capitals_may_be_a_name` is
    off (lines that `sections` did not keep as the header, where capitals mean a heading);
    a heading by its wording ("SUMMARY", "CURRICULUM VITAE") never is a name.
    """
    is_heading = known_heading if capitals_may_be_a_name else heading_kind
    for line in lines[:6]:
        first = _SEPARATORS.split(line.strip())[0].strip(" ,")
        words = first.split()
        if not 2 <= len(words) <= 5 or _is_contact_bit(first) or is_heading(first):
            continue
        if all(re.fullmatch(r"[^\W\d_][\w'’.\-]*", w) for w in words) and first[0].isupper():
            return first
    return None


def find_location(lines: list[str], name: str | None) -> str | None:
    """A "City, Country" (or "Remote") segment near the top."""
    for segment in _segments(lines[:8]):
        if segment == name or _is_contact_bit(segment):
            continue
        if segment.lower() in ("remote", "remote (worldwide)"):
            return segment
        match = _LOCATION.match(segment)
        if match and len(segment.split()) <= 6 and match.group(1)[0].isupper():
            return match.group(1).strip()
    return None


def extract_contact(sections: list[Section], text: str) -> Contact:
    """Contact details from the header and contact sections, falling back to the whole text."""
    top = [line for s in sections if s.kind in ("header", "contact") for line in s.lines]
    if not top:
        top = text.split("\n")[:8]
    email = _EMAIL.search("\n".join(top)) or _EMAIL.search(text)
    github, linkedin, website = find_links("\n".join(top))
    if github is None or linkedin is None:
        all_github, all_linkedin, _ = find_links(text)
        github, linkedin = github or all_github, linkedin or all_linkedin
    name = find_name(top) or find_name(text.split("\n")[:3], capitals_may_be_a_name=False)
    return Contact(
        name=name,
        email=email.group(0) if email else None,
        # Joined lines too: a narrow sidebar can wrap "+47" and "912 34 567" apart.
        phone=find_phone(top) or find_phone([" ".join(top)]) or find_phone(text.split("\n")[:15]),
        location=find_location(top, name),
        github=github,
        linkedin=linkedin,
        website=website,
    )
