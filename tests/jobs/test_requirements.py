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


@pytest.mark.parametrize(
    ("title", "description", "company", "required"),
    [
        # The employer named in the title or the text, or passed in: never a skill.
        ("Backend Engineer at Oracle", "As a backend engineer at Oracle you build APIs in Python.",
         None, ["Python"]),
        ("Backend Engineer", "Join Stripe to build APIs with Python.", None, ["Python"]),
        ("Backend Engineer", "Stripe is hiring. You build APIs with Ruby.", None, ["Ruby"]),
        ("Engineer", "At Stripe you build APIs in Python.", "Stripe", ["Python"]),
        ("Engineer", "Go1 is a learning platform. You build APIs in TypeScript.", "Go1",
         ["TypeScript"]),
        ("Data Engineer", "Spark Networks runs dating apps on Java services.", "Spark Networks",
         ["Java"]),
        ("Data Engineer", "About Spark Networks: pipelines in Python.", None, ["Python"]),
        # Skills in the text still count, the employer's namesakes included.
        ("Engineer", "Spark Networks runs dating apps. We use Go and Spark.", "Spark Networks",
         ["Go", "Apache Spark"]),
        ("Engineer at Oracle", "We run Oracle Database and APIs in Java.", None,
         ["Oracle Database", "Java"]),
        ("Engineer", "You build APIs in Python. Card charges go through Stripe.", "Acme",
         ["Python", "Stripe"]),
        ("Engineer", "Our stack: Go, Spark and R.", None, ["Go", "Apache Spark", "R"]),
    ],
)  # fmt: skip
def test_the_employers_name_is_not_a_skill(
    title: str, description: str, company: str | None, required: list[str]
) -> None:
    """Oracle, Stripe, Go1 and Spark Networks as employers are not Oracle, Stripe, Go, Spark."""
    parsed = parse_requirements(title, description, company=company)
    assert parsed.required_skills == required


def test_a_sentence_without_a_tool_cue_keeps_ambiguous_words_as_words() -> None:
    """Without "we use" or "our stack", "We go to market" and "Spring is coming" name nothing."""
    parsed = parse_requirements("Engineer", "We go to market fast. Spring is coming.")
    assert parsed.required_skills == []
