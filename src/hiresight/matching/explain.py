"""Human-readable reasons for a recommendation, and the per-company diversity cap."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from hiresight.matching import currency
from hiresight.matching.catalog import city
from hiresight.matching.entities import CandidateProfile, JobPosting

T = TypeVar("T")
MAX_LISTED_SKILLS = 5
SENIORITY_NAMES = ("junior", "mid-level", "senior", "staff")


@dataclass(frozen=True)
class Explanation:
    """A one-line summary and the notes it was built from."""

    summary: str
    notes: tuple[str, ...]


def _listing(skills: frozenset[str]) -> str:
    names = sorted(skills, key=str.casefold)
    shown = ", ".join(names[:MAX_LISTED_SKILLS])
    return shown + (", …" if len(names) > MAX_LISTED_SKILLS else "")


def _casefold_match(wanted: frozenset[str], have: frozenset[str]) -> frozenset[str]:
    folded = {s.casefold() for s in have}
    return frozenset(s for s in wanted if s.casefold() in folded)


def skill_note(candidate: CandidateProfile, job: JobPosting) -> str | None:
    """'matches 5 of 6 required skills: …; missing: Kafka' (None if the job lists none)."""
    if not job.required_skills:
        return None
    matched = _casefold_match(job.required_skills, candidate.skills)
    missing = job.required_skills - matched
    note = f"matches {len(matched)} of {len(job.required_skills)} required skills"
    if matched:
        note += f": {_listing(matched)}"
    if missing:
        note += f"; missing: {_listing(missing)}"
    return note


def place_note(candidate: CandidateProfile, job: JobPosting) -> str | None:
    """Remote or location fit."""
    if job.remote and candidate.remote_ok:
        return "remote role"
    if job.location and city(job.location) == city(candidate.location):
        return f"located in {job.location}"
    if job.location:
        return f"on-site in {job.location}" + (
            f" (you are in {candidate.location})" if candidate.location else ""
        )
    return None


def salary_note(candidate: CandidateProfile, job: JobPosting) -> str | None:
    """Whether the top of the band meets the expectation, in the expectation's currency.

    None when either is unknown, or when a currency is missing from the static table.
    """
    if job.salary_max is None or candidate.salary_expectation is None:
        return None
    top = currency.convert(job.salary_max, job.salary_currency, candidate.salary_currency)
    if top is None:
        return None
    want = candidate.salary_expectation
    verdict = "meets" if top >= want else "is below"
    unit = f" {candidate.salary_currency}" if candidate.salary_currency else ""
    converted = (
        f" ({job.salary_max:,.0f} {job.salary_currency})"
        if job.salary_currency and unit and job.salary_currency != candidate.salary_currency
        else ""
    )
    return (
        f"salary up to {top:,.0f}{unit}{converted} {verdict} your expectation of {want:,.0f}{unit}"
    )


def seniority_note(candidate: CandidateProfile, job: JobPosting) -> str | None:
    """Mention the level only when it differs from the candidate's."""
    if job.seniority == candidate.seniority:
        return None
    level = SENIORITY_NAMES[max(0, min(job.seniority, len(SENIORITY_NAMES) - 1))]
    return f"{level} role"


def explain(candidate: CandidateProfile, job: JobPosting) -> Explanation:
    """All applicable notes for a (candidate, job) pair, joined into one summary line."""
    notes = tuple(
        n
        for n in (
            skill_note(candidate, job),
            place_note(candidate, job),
            salary_note(candidate, job),
            seniority_note(candidate, job),
        )
        if n
    )
    # Only the first letter is raised: str.capitalize() would lower-case skill and city names.
    joined = "; ".join(notes)
    summary = joined[:1].upper() + joined[1:] if notes else "Similar to your profile"
    return Explanation(summary=summary, notes=notes)


def diversify(
    ranked: Sequence[T], company_of: Callable[[T], int], max_per_company: int, window: int = 10
) -> list[T]:
    """Reorder so no company has more than `max_per_company` items in the top `window`.

    Items pushed out of the window keep their relative order right after it, so nothing is
    lost; when too few companies exist to fill the window, deferred items fill it in order.
    """
    head: list[T] = []
    deferred: list[T] = []
    per_company: Counter[int] = Counter()
    rest = list(ranked)
    for i, item in enumerate(rest):
        if len(head) == window:
            return head + deferred + rest[i:]
        company = company_of(item)
        if per_company[company] < max_per_company:
            per_company[company] += 1
            head.append(item)
        else:
            deferred.append(item)
    return head + deferred
