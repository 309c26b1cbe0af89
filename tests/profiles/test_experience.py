"""Roles from the experience section: header layouts, months and the overlap-free total."""

from __future__ import annotations

import datetime as dt

import pytest

from hiresight.profiles.experience import (
    headline_role,
    is_secondary,
    parse_projects,
    parse_roles,
    total_experience_months,
)

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


@pytest.mark.parametrize(
    ("lines", "months"),
    [
        # Full-time 2019-01 – 2022-12 (48 months); the lectureship began three years earlier.
        (["Backend Engineer, Acme — Jan 2019 – Dec 2022",
          "Adjunct Lecturer, City University — Jan 2016 – Dec 2022"], 48),
        # Part-time work straddling the start of a full-time job adds none of its months.
        (["Engineer, Acme — Jan 2020 – Dec 2021",
          "Support Assistant (part-time), Initech — Jan 2018 – Jun 2020"], 24),
        # A tutor beside a full-time job, fully inside it.
        (["Developer, Acme — Jan 2020 – Dec 2020", "Tutor, Code Club — Mar 2020 – May 2020"], 12),
        # Teaching that overlaps nothing is work like any other.
        (["Teaching Assistant, TU Berlin — Jan 2016 – Dec 2016",
          "Engineer, Acme — Jan 2018 – Dec 2018"], 24),
        # Two full-time roles that overlap still count once, as a merged interval.
        (["Engineer, Acme — Jan 2020 – Dec 2021", "Engineer, Initech — Jul 2021 – Jun 2022"], 30),
    ],
)  # fmt: skip
def test_side_roles_beside_full_time_work_add_nothing(lines: list[str], months: int) -> None:
    """Part-time and teaching roles that overlap a full-time role add no months at all."""
    assert total_experience_months(parse_roles(lines, TODAY)) == months


@pytest.mark.parametrize(
    ("header", "secondary"),
    [
        ("Adjunct Lecturer, City University — 2016 – 2022", True),
        ("Lecturer in Computing, Open University — 2016 – 2022", True),
        ("Part-time Developer, Initech — 2016 – 2022", True),
        ("Python Tutor, Code Club — 2016 – 2022", True),
        ("Teaching Assistant, TU Berlin — 2016 – 2022", True),
        ("Senior Engineer, Acme — 2016 – 2022", False),
        ("Engineering Manager, Tutorly — 2016 – 2022", False),
    ],
)
def test_part_time_and_teaching_roles_are_told_apart(header: str, secondary: bool) -> None:
    """The words part-time, teaching, adjunct, lecturer, tutor and instructor mark a side role;
    an employer's name that only contains one ("Tutorly") does not."""
    (role,) = parse_roles([header], TODAY)
    assert is_secondary(role) is secondary


def test_headline_role_is_the_newest_main_role_in_any_order() -> None:
    """Oldest-first listings, and a current lectureship listed first, still name the newest
    full-time role."""
    oldest_first = parse_roles(
        ["Junior Developer, Acme — 2015 – 2018", "Staff Engineer, Initech — 2018 – 2024"], TODAY
    )
    assert headline_role(oldest_first) is oldest_first[1]
    with_teaching = parse_roles(
        ["Adjunct Lecturer, City University — 2021 – Present",
         "Staff Engineer, Initech — 2019 – Present",
         "Engineer, Acme — 2015 – 2019"],
        TODAY,
    )  # fmt: skip
    assert headline_role(with_teaching) is with_teaching[1]
    (only_teaching,) = parse_roles(["Tutor, Code Club — 2021 – Present"], TODAY)
    assert headline_role([only_teaching]) is only_teaching
    assert headline_role([]) is None
