"""Structured requirements parsed from a job's text: skills (required/preferred), level, years,
remote policy and salary. Pure: no database. Recruiters can correct the result (see service).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from hiresight.profiles.skills import find_skills
from hiresight.profiles.taxonomy import load_taxonomy

RemotePolicy = Literal["remote", "hybrid", "onsite", "unspecified"]
SeniorityLevel = Literal["intern", "junior", "mid", "senior", "staff", "principal"]
PARSER_VERSION = "jobreq-2"

_PREFERRED = re.compile(
    r"\b(?:nice to have|nice-to-have|preferred|bonus|a plus|plus if|ideally|desirable|"
    r"good to have|familiarity with)\b",
    re.IGNORECASE,
)
_YEARS = re.compile(
    r"(\d{1,2})\s*(?:\+|or more)?\s*(?:-|–|to)?\s*(?:\d{1,2}\s*)?(?:years?|yrs?)\b", re.IGNORECASE
)
_SENIORITY: list[tuple[SeniorityLevel, re.Pattern[str]]] = [
    ("principal", re.compile(r"\bprincipal\b", re.IGNORECASE)),
    ("staff", re.compile(r"\bstaff\b", re.IGNORECASE)),
    ("senior", re.compile(r"\b(?:senior|sr\.?|lead)\b", re.IGNORECASE)),
    ("junior", re.compile(r"\b(?:junior|jr\.?|graduate|entry[- ]level)\b", re.IGNORECASE)),
    ("intern", re.compile(r"\b(?:intern|internship)\b", re.IGNORECASE)),
]
_REMOTE: list[tuple[RemotePolicy, re.Pattern[str]]] = [
    ("hybrid", re.compile(r"\bhybrid\b", re.IGNORECASE)),
    ("remote", re.compile(r"\b(?:fully remote|remote[- ]first|remote)\b", re.IGNORECASE)),
    ("onsite", re.compile(r"\b(?:on[- ]?site|in[- ]office|in the office)\b", re.IGNORECASE)),
]
_MONEY = re.compile(
    r"(?P<cur>[$€£])?\s?(?P<lo>\d{2,3}(?:[,.]\d{3})?)\s?(?P<k1>k)?\s*(?:-|–|to)\s*"
    r"(?P<cur2>[$€£])?\s?(?P<hi>\d{2,3}(?:[,.]\d{3})?)\s?(?P<k2>k)?\s*(?P<code>USD|EUR|GBP)?",
    re.IGNORECASE,
)
_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP"}
# An employer's name is not a skill its jobs ask for: Oracle, Stripe, Spark Networks and Go1
# are companies before they are a database, a payments API, Apache Spark and Go. Besides the
# name the caller passes, a name is read where job ads put it: a title's "... at Oracle", and
# "Join Stripe", "About Spark Networks", "Stripe is hiring" in the text.
_NAME = r"[A-Z][\w&+-]*(?:\s+[A-Z][\w&+-]*){0,3}"
_TITLE_EMPLOYER = re.compile(rf"\s(?:at|@)\s+(?P<name>{_NAME})\s*$")
_TEXT_EMPLOYER = re.compile(
    rf"\b(?:Join|About)\s+(?P<name>{_NAME})|(?P<hiring>{_NAME})\s+(?:is|are)\s+hiring\b"
)
# Where a job ad lists its tools ("We use Go and Spark."), a name that is also a word ("Go",
# "Spark", "R") is the tool: what follows the cue is read as a skills list.
_TOOL_CUE = re.compile(
    r"\b(?:we(?:'re| are)? us(?:e|ing)|you(?:'ll| will)? (?:use|work with)|our (?:tech )?stack"
    r"(?: is| includes)?|tech stack|experience (?:with|in))\b:?",
    re.IGNORECASE,
)


class JobRequirements(BaseModel):
    """What a job asks for, in the taxonomy's terms."""

    required_skills: list[str] = Field(default_factory=list)
    preferred_skills: list[str] = Field(default_factory=list)
    seniority: SeniorityLevel | None = None
    years_min: int | None = Field(None, ge=0, le=40)
    remote_policy: RemotePolicy = "unspecified"
    salary_min: int | None = None
    salary_max: int | None = None
    salary_currency: str | None = None
    parser_version: str = PARSER_VERSION


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def _amount(raw: str, thousands: bool) -> int:
    value = int(re.sub(r"[,.]", "", raw))
    return value * 1000 if thousands or value < 1000 else value


def parse_salary(text: str) -> tuple[int, int, str | None] | None:
    """A salary range such as "€70k–90k" or "$120,000 - $150,000 USD"."""
    for match in _MONEY.finditer(text):
        has_unit = match["cur"] or match["cur2"] or match["k1"] or match["k2"] or match["code"]
        if not has_unit:
            continue
        low = _amount(match["lo"], bool(match["k1"] or match["k2"]))
        high = _amount(match["hi"], bool(match["k2"]))
        if low > high or high < 5_000:
            continue
        currency = match["code"] or _CURRENCY.get(match["cur"] or match["cur2"] or "")
        return low, high, currency.upper() if currency else None
    return None


def employer_names(title: str, description: str, company: str | None = None) -> list[str]:
    """The employer's names in a job: the one given, and those the title and text name."""
    names = [company.strip()] if company and company.strip() else []
    if found := _TITLE_EMPLOYER.search(title):
        names.append(found["name"])
    for found in _TEXT_EMPLOYER.finditer(description):
        names.append(found["name"] or found["hiring"])
    return list(dict.fromkeys(names))


def mask_employers(text: str, names: list[str]) -> str:
    """The text with each mention of the employer taken out, as "the employer".

    A longer skill name that starts with the employer's stays ("Oracle Database" at Oracle,
    "Stripe API" at Stripe): it names the product, not the company.
    """
    if not names:
        return text
    taxonomy = load_taxonomy()
    longer = [
        (m.start(), m.end())
        for m in taxonomy.matcher.finditer(text)
        if taxonomy.lookup(m.group(0)) is not None
    ]
    pattern = re.compile(
        r"(?<![\w+#])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        + r")(?![\w+#])"
    )  # fmt: skip

    def replace(m: re.Match[str]) -> str:
        if any(a <= m.start() and m.end() < b for a, b in longer):
            return m.group(0)
        return "the employer"

    return pattern.sub(replace, text)


def _sentence_skills(sentence: str) -> list[str]:
    """Skills a description sentence names; after a tool cue, read as a skills list."""
    found = find_skills(sentence, "role")
    if cue := _TOOL_CUE.search(sentence):
        found += find_skills(sentence[cue.end() :], "skills")
    return list(dict.fromkeys(found))


def parse_requirements(
    title: str,
    description: str,
    requirements: list[str] | None = None,
    *,
    remote: bool = False,
    company: str | None = None,
) -> JobRequirements:
    """Parse a job's title, description and listed requirements into structured requirements.

    `company` is the employer's name: it and the names the text gives the employer never
    count as skills (`employer_names`).
    """
    employers = employer_names(title, description, company)
    required: list[str] = []
    preferred: list[str] = []
    for line in requirements or []:
        target = preferred if _PREFERRED.search(line) else required
        target += [s for s in find_skills(mask_employers(line, employers), "skills")
                   if s not in target]  # fmt: skip
    for sentence in _sentences(mask_employers(description, employers)):
        target = preferred if _PREFERRED.search(sentence) else required
        target += [s for s in _sentence_skills(sentence) if s not in target]
    preferred = [s for s in preferred if s not in required]
    text = f"{title}\n{description}\n" + "\n".join(requirements or [])
    seniority = next((level for level, rx in _SENIORITY if rx.search(title)), None)
    seniority = seniority or next((level for level, rx in _SENIORITY if rx.search(text)), None)
    years = [int(m.group(1)) for m in _YEARS.finditer(text)]
    policy: RemotePolicy = next((p for p, rx in _REMOTE if rx.search(text)), "unspecified")
    if remote and policy == "unspecified":
        policy = "remote"
    salary = parse_salary(text)
    return JobRequirements(
        required_skills=required,
        preferred_skills=preferred,
        seniority=seniority,
        years_min=min(years) if years and min(years) <= 40 else None,
        remote_policy=policy,
        salary_min=salary[0] if salary else None,
        salary_max=salary[1] if salary else None,
        salary_currency=salary[2] if salary else None,
    )
