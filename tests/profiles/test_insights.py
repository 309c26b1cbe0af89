"""Primary programming languages and the seniority estimate."""

from __future__ import annotations

import datetime as dt

import pytest

from hiresight.profiles.insights import primary_languages, seniority_estimate
from hiresight.profiles.parser import parse_text

TODAY = dt.date(2026, 11, 1)


def _resume(roles: str, skills: str = "Git") -> str:
    return f"Ana Lima\nEXPERIENCE\n{roles}\nSKILLS\n{skills}\n"


def test_primary_languages_weigh_evidence_and_months() -> None:
    """Python used for 36 months with numbers outweighs JavaScript only listed (known answer)."""
    text = _resume(
        "Engineer, Acme — Jan 2020 – Dec 2022\n- Cut API latency by 40% in Python.",
        "Python, JavaScript, SQL",
    )
    weights = primary_languages(parse_text(text, today=TODAY))
    # Python: quantified 4.0 x (1 + 36/12) = 16; JavaScript: listed 1.0 x 1 = 1; SQL excluded.
    assert weights == {"Python": round(16 / 17, 4), "JavaScript": round(1 / 17, 4)}


def test_primary_languages_empty_without_languages() -> None:
    """No programming language on the résumé gives an empty mapping."""
    assert primary_languages(parse_text(_resume("Engineer, Acme — 2020 – 2021"), today=TODAY)) == {}


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ("Software Engineering Intern, Acme — Jun 2025 – Aug 2025", "junior"),
        ("Engineer, Acme — Jan 2023 – Present", "mid"),
        (
            "Senior Engineer, Acme — Jan 2022 – Present\nEngineer, Initech — 2020-01 – 2021-12",
            "senior",
        ),
        ("Engineer, Acme — Jan 2019 – Present", "senior"),
        (
            "Staff Engineer, Acme — Jan 2021 – Present\n"
            "Senior Engineer, Initech — 2014-01 – 2020-12",
            "staff",
        ),
        ("Engineer, Acme — Jan 2014 – Present", "senior"),
    ],
)
def test_seniority_from_years_and_titles(roles: str, expected: str) -> None:
    """Years set the level; staff needs both 8+ years and a staff-type title."""
    assert seniority_estimate(parse_text(_resume(roles), today=TODAY)) == expected
