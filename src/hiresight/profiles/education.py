"""Degrees and institutions from the education section."""

from __future__ import annotations

import re

from hiresight.profiles.dates import find_years
from hiresight.profiles.experience import strip_bullet
from hiresight.profiles.parsed import Education

_INSTITUTION = re.compile(
    r"\b(?:(?i:university|universit[äaé]t?|universidad|università|college|institute|institut|"
    r"school|academy|akademie|polytechnic|hochschule|école|ecole|conservatory|bootcamp)|"
    r"[A-Z]{2,5}U|MIT|ETH|EPFL|KTH|NTNU|DTU|TU\s\w+)\b",
)
_DEGREE = re.compile(
    r"\b(?:ph\.?\s?d|doctorate|master(?:'s)?|m\.?sc|m\.?s\.|m\.?eng|mba|m\.?a\.|bachelor(?:'s)?|"
    r"b\.?sc|b\.?s\.|b\.?eng|b\.?a\.|b\.?tech|m\.?tech|diploma|diplom|licence|licenciatura|"
    r"associate(?:'s)? degree|certificate|a-levels|abitur|high school|baccalaur[ée]at|"
    r"degree|mphil|dphil)(?!\w)",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:\||—|–|\s-\s|·|•|,|;|\(|\))\s*")


def _fields(line: str) -> tuple[str | None, str | None]:
    """The institution and degree pieces of one line, if present."""
    institution = degree = None
    for piece in _SPLIT.split(line):
        piece = re.sub(r"(19|20)\d\d", "", piece).strip(" -–")
        if not piece:
            continue
        if institution is None and _INSTITUTION.search(piece):
            institution = piece
        elif degree is None and _DEGREE.search(piece):
            degree = piece
    return institution, degree


def parse_education(lines: list[str]) -> list[Education]:
    """One entry per degree; an institution line and a degree line pair up."""
    entries: list[Education] = []
    for raw in lines:
        line = strip_bullet(raw)
        institution, degree = _fields(line)
        years = find_years(line)
        current = entries[-1] if entries else None
        starts_new = current is None or (
            (institution and current.institution) or (degree and current.degree)
        )
        if (institution or degree) and starts_new:
            current = Education(text=line)
            entries.append(current)
        elif current is None:
            continue
        else:
            current.text = f"{current.text}\n{line}"
        current.institution = current.institution or institution
        current.degree = current.degree or degree
        if years:
            current.start_year = current.start_year or (years[0] if len(years) > 1 else None)
            current.end_year = years[-1]
    return entries
