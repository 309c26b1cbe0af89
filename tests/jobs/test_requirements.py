"""Job requirements parsed from text: known answers for skills, level, years, remote and pay."""

from __future__ import annotations

import pytest

from hiresight.jobs.requirements import parse_requirements, parse_salary


def test_required_and_preferred_skills_are_told_apart() -> None:
    """Skills in "nice to have" sentences are preferred; the rest are required."""
    r = parse_requirements(
        "Backend Engineer",
        "You build APIs with FastAPI on PostgreSQL. Nice to have: Kafka and Kubernetes.",
        ["Python", "Docker"],
    )
    assert r.required_skills == ["Python", "Docker", "FastAPI", "PostgreSQL"]
    assert r.preferred_skills == ["Apache Kafka", "Kubernetes"]


def test_level_years_and_remote_policy() -> None:
    """Title seniority wins; the smallest year count is the minimum; hybrid is detected."""
    r = parse_requirements(
        "Senior Platform Engineer", "5+ years with Terraform, 2 years on call. Hybrid in Berlin."
    )
    assert (r.seniority, r.years_min, r.remote_policy) == ("senior", 2, "hybrid")


def test_remote_flag_fills_an_unspecified_policy() -> None:
    """A job marked remote without words about it is remote."""
    assert parse_requirements("Engineer", "Build things.", remote=True).remote_policy == "remote"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pay: €70k–90k", (70_000, 90_000, "EUR")),
        ("$120,000 - $150,000 USD", (120_000, 150_000, "USD")),
        ("£55k to £65k", (55_000, 65_000, "GBP")),
        ("Teams of 10-20 people", None),
    ],
)
def test_salary_ranges(text: str, expected: tuple[int, int, str] | None) -> None:
    """Salary ranges with a currency or a k are read; other number ranges are not."""
    assert parse_salary(text) == expected
