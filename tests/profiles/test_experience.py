"""Roles from the experience section: header layouts, months and the overlap-free total."""

from __future__ import annotations

import datetime as dt

import pytest

from hiresight.profiles.experience import parse_projects, parse_roles, total_experience_months

TODAY = dt.date(2026, 11, 1)


@pytest.mark.parametrize(
    ("lines", "title", "employer", "location"),
    [
        (["Senior Engineer, Paylane — Jan 2021 – Present"], "Senior Engineer", "Paylane", None),
        (
            ["Paylane | Senior Engineer | Berlin | 2021-01 – now"],
            "Senior Engineer",
            "Paylane",
            "Berlin",
        ),
        (
            ["Senior Engineer", "Paylane, Berlin · Jan 2021 – Present"],
            "Senior Engineer",
            "Paylane",
            "Berlin",
        ),
        (["Jan 2021 – Present", "Senior Engineer at Paylane"], "Senior Engineer", "Paylane", None),
        (["Senior Engineer at Paylane (Jan 2021 – Present)"], "Senior Engineer", "Paylane", None),
        (
            ["Paylane, Inc. — Staff Engineer — Remote — 2021 – 2023"],
            "Staff Engineer",
            "Paylane, Inc",
            "Remote",
        ),
    ],
)
def test_role_header_layouts(
    lines: list[str], title: str, employer: str, location: str | None
) -> None:
    """Title, employer and location are separated whatever the header layout."""
    (role,) = parse_roles([*lines, "• Built the ledger."], TODAY)
    assert (role.title, role.employer, role.location) == (title, employer, location)
    assert role.bullets == ["Built the ledger."]


def test_bullets_belong_to_their_role() -> None:
    """Each role keeps its own bullets; months are inclusive."""
    lines = [
        "Engineer, Acme — Jan 2020 – Mar 2020",
        "- Built A.",
        "Developer, Initech — 2018-01 – 2019-12",
        "- Built B.",
        "- Built C.",
    ]
    first, second = parse_roles(lines, TODAY)
    assert (first.months, first.bullets) == (3, ["Built A."])
    assert (second.months, second.bullets) == (24, ["Built B.", "Built C."])


def test_current_role_runs_to_today() -> None:
    """ "Present" ends in the current month and marks the role current."""
    (role,) = parse_roles(["Engineer, Acme — Jan 2026 – Present"], TODAY)
    assert (role.current, role.end, role.months) == (True, dt.date(2026, 11, 1), 11)


def test_total_counts_overlapping_roles_once() -> None:
    """A side contract inside a full-time job adds no months to the total."""
    lines = [
        "Engineer, Acme — Jan 2020 – Dec 2021",
        "Freelance Developer, Self — Mar 2021 – Jun 2021",
        "Intern, Initech — Jun 2019 – Aug 2019",
    ]
    roles = parse_roles(lines, TODAY)
    assert [r.months for r in roles] == [24, 4, 3]
    assert total_experience_months(roles) == 27


def test_undated_lines_before_the_first_role_are_not_roles() -> None:
    """An intro paragraph in the experience section is not a job."""
    roles = parse_roles(["I have worked in fintech for years.", "Dev, Acme — 2019 – 2020"], TODAY)
    assert [r.employer for r in roles] == ["Acme"]


def test_projects_with_optional_dates() -> None:
    """A project is a name line (dated or not) with its description lines."""
    projects = parse_projects(
        ["tinyqueue — 2023 – 2024", "- A job queue in Rust.", "feedreader", "- RSS in Flask."],
        TODAY,
    )
    assert [(p.name, p.end, p.bullets) for p in projects] == [
        ("tinyqueue", dt.date(2024, 1, 1), ["A job queue in Rust."]),
        ("feedreader", None, ["RSS in Flask."]),
    ]


def test_employer_with_inc_suffix_above_title_and_dates() -> None:
    """ "Startup Inc." is a header line, not the end of a sentence."""
    lines = ["Startup Inc.", "Backend Developer", "June 2016 – December 2018", "Built the API."]
    (role,) = parse_roles(lines, TODAY)
    assert (role.title, role.employer, role.months) == ("Backend Developer", "Startup Inc", 31)


def test_promotions_under_one_employer_share_it() -> None:
    """Two titles listed under one employer line both belong to that employer."""
    lines = [
        "Acme Corp, Berlin",
        "Senior Engineer   Jan 2022 – Present",
        "Engineer   Mar 2019 – Dec 2021",
        "- Built the billing service.",
    ]
    senior, engineer = parse_roles(lines, TODAY)
    assert (senior.title, senior.employer, senior.location) == (
        "Senior Engineer",
        "Acme Corp",
        "Berlin",
    )
    assert (engineer.title, engineer.employer) == ("Engineer", "Acme Corp")
