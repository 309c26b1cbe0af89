"""Skill matching (word boundaries, ambiguous names) and evidence strength."""

from __future__ import annotations

import datetime as dt

import pytest

from hiresight.profiles.corrections import EditRole, apply_corrections
from hiresight.profiles.parser import parse_text
from hiresight.profiles.skills import find_skills


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A good engineer who goes to great lengths", []),
        ("Built dashboards in React and Redux", ["React", "Redux"]),
        ("Wrote C++ and C# services on .NET", ["C++", "C#", ".NET"]),
        ("APIs in Node.js and Vue.js", ["Node.js", "Vue.js"]),
        ("Ported the parser from C to Rust", ["C", "Rust"]),
        ("Objective-C and Swift apps", ["Objective-C", "Swift"]),
        ("Ran k8s clusters with postgres", ["Kubernetes", "PostgreSQL"]),
        ("CI/CD for HTML/CSS pages", ["CI/CD", "HTML", "CSS"]),
        ("Ruby on  Rails monolith", ["Ruby on Rails"]),
    ],
)
def test_word_boundary_aware_matching(text: str, expected: list[str]) -> None:
    """Skills are found as whole names, including symbols, never inside other words."""
    assert find_skills(text, "role") == expected


@pytest.mark.parametrize(
    "text",
    [
        "Spring 2019 hackathon winner for an R&D prototype",
        "Organised a go-to-market workshop",
        "Go live next week with the new Spring campaign",
        "Rust on the old bridge was repaired",
        "We go to conferences every spring",
        "Led a C-level reporting project",
    ],
)
def test_ambiguous_names_without_tech_context_are_not_skills(text: str) -> None:
    """Season, verb and everyday meanings of Spring, Go, Rust, R and C are ignored."""
    assert find_skills(text, "role") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Built microservices in Go", ["Microservices", "Go"]),
        ("Spring and Hibernate backend services", ["Spring", "Hibernate"]),
        ("Wrote statistical models in R", ["R"]),
        ("Services written in Rust", ["Rust"]),
    ],
)
def test_ambiguous_names_in_tech_context_are_skills(text: str, expected: list[str]) -> None:
    """Capitalised names next to other skills or programming words count."""
    assert find_skills(text, "role") == expected


def test_skills_section_accepts_ambiguous_names_in_any_case() -> None:
    """A skills list is context enough: "go, r" there means the languages."""
    assert find_skills("go, r, spring", "skills") == ["Go", "R", "Spring"]


RESUME = """Ana Lima
SUMMARY
Engineer who likes Kafka.
EXPERIENCE
Senior Engineer, Acme — Jan 2022 – Present
- Cut p99 latency by 30% with Redis caching.
- Built services in Python.
Engineer, Initech — Jan 2019 – Dec 2021
- Built services in Python and Go.
PROJECTS
tinyqueue — 2020 – 2021
- A queue in Rust.
SKILLS
Python, Go, Terraform
"""


@pytest.fixture(scope="module")
def skills() -> dict[str, object]:
    """The parsed skills of RESUME keyed by name."""
    parsed = parse_text(RESUME, today=dt.date(2026, 11, 1))
    return {s.name: s for s in parsed.skills}


def test_evidence_strength_levels(skills: dict[str, object]) -> None:
    """Numbers in a role > used in a role > used in a project > mentioned > listed only."""
    strengths = {name: s.strength for name, s in skills.items()}  # type: ignore[attr-defined]
    assert strengths["Redis"] == "quantified"
    assert strengths["Python"] == "used-in-role"
    assert strengths["Rust"] == "used-in-project"
    assert strengths["Apache Kafka"] == "mentioned"
    assert strengths["Terraform"] == "listed-only"


def test_months_are_the_union_of_roles_mentioning_the_skill(skills: dict[str, object]) -> None:
    """Python is in both roles (36 + 59 months), Go only in the earlier one."""
    assert skills["Python"].months == 95  # type: ignore[attr-defined]
    assert skills["Go"].months == 36  # type: ignore[attr-defined]


def test_last_used_is_the_latest_role_or_project_end(skills: dict[str, object]) -> None:
    """A current role means "used until today"; a project end counts too."""
    assert skills["Python"].last_used == dt.date(2026, 11, 1)  # type: ignore[attr-defined]
    assert skills["Go"].last_used == dt.date(2021, 12, 1)  # type: ignore[attr-defined]
    assert skills["Rust"].last_used == dt.date(2021, 1, 1)  # type: ignore[attr-defined]


def test_listed_only_skills_have_zero_months_and_say_so(skills: dict[str, object]) -> None:
    """A skill only in the skills section gets 0 months and "listed in skills" evidence."""
    terraform = skills["Terraform"]
    assert (terraform.months, terraform.evidence, terraform.last_used) == (  # type: ignore[attr-defined]
        0,
        ["listed in skills"],
        None,
    )


def test_evidence_quotes_the_strongest_sentence_first(skills: dict[str, object]) -> None:
    """The evidence list starts with a role bullet, not the skills list."""
    assert skills["Go"].evidence == ["Built services in Python and Go."]  # type: ignore[attr-defined]


def test_evidence_is_the_sentence_not_the_whole_paragraph() -> None:
    """A multi-sentence bullet is quoted only where the skill appears."""
    text = (
        "EXPERIENCE\nEngineer, Acme — Jan 2020 – Dec 2020\n"
        "- Led the payments team. Migrated billing to Kafka."
    )
    parsed = parse_text(text, today=dt.date(2026, 11, 1))
    kafka = next(s for s in parsed.skills if s.name == "Apache Kafka")
    assert kafka.evidence == ["Migrated billing to Kafka."]


def test_sentence_initial_go_live_is_the_verb_even_near_a_skill() -> None:
    """ "Go live with ... Kubernetes" names Kubernetes, not Go."""
    assert find_skills("Go live with the Kubernetes cluster next week", "role") == ["Kubernetes"]


def test_a_name_followed_by_a_surname_is_a_person() -> None:
    """ "Julia Roberts" is a colleague; "Julia" in a stack is the language."""
    assert find_skills("Paired with Julia Roberts on Python services", "role") == ["Python"]
    assert find_skills("Rewrote the solver in Julia", "role") == ["Julia"]


CURRENT_AND_PAST = """Ada Lovelace
ada@example.com

EXPERIENCE
Backend Engineer, Paylane — Jan 2022 – Present
• Built the ledger service in Go on PostgreSQL.

Developer, Initech — Jan 2018 – Dec 2021
• Wrote Django views in Python and ran PostgreSQL.

SKILLS
Go, Python, Django, PostgreSQL, Terraform
"""


def test_skills_of_the_current_role_are_current() -> None:
    """A skill used in a role held now is current; one used only before, or only listed, is
    not."""
    parsed = parse_text(CURRENT_AND_PAST, today=dt.date(2026, 11, 1))
    current = {s.name: s.current for s in parsed.skills}
    assert current == {
        "Go": True, "PostgreSQL": True, "Python": False, "Django": False, "Terraform": False,
    }  # fmt: skip


def test_ending_the_current_role_by_correction_clears_current() -> None:
    """A role edited to have ended takes its skills' "current" with it; one edited to be
    current gives it."""
    parsed = parse_text(CURRENT_AND_PAST, today=dt.date(2026, 11, 1))
    ended = EditRole(match_employer="Paylane", end=dt.date(2025, 6, 1), current=False)
    result = apply_corrections(parsed, [ended], today=dt.date(2026, 11, 1))
    assert [s.name for s in result.profile.skills if s.current] == []
    back = EditRole(match_employer="Initech", current=True)
    result = apply_corrections(parsed, [ended, back], today=dt.date(2026, 11, 1))
    assert sorted(s.name for s in result.profile.skills if s.current) == [
        "Django", "PostgreSQL", "Python",
    ]  # fmt: skip
