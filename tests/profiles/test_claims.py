"""Claims: kinds, specificity scores (known answers) and the vague-line filter."""

from __future__ import annotations

import datetime as dt

import pytest

from hiresight.profiles.claims import specificity, top_claims, vague_claims
from hiresight.profiles.parser import parse_text
from hiresight.profiles.skills import find_skills


@pytest.mark.parametrize(
    ("text", "score"),
    [
        # metric 0.35 + two skills 0.25 + verb 0.2 + scope ("across 14 services") 0.2
        (
            "Led the migration from RabbitMQ to Kafka across 14 services, "
            "cutting p99 latency by 30%.",
            1.0,
        ),
        # two skills 0.25 + verb 0.2
        ("Built an idempotent ledger service in Go with PostgreSQL.", 0.45),
        # one skill 0.125 + verb 0.2
        ("Designed the billing schema in PostgreSQL.", 0.325),
        # filler only
        ("Worked with backend.", 0.0),
        ("Familiar with cloud.", 0.0),
    ],
)
def test_specificity_known_answers(text: str, score: float) -> None:
    """The score is the documented sum of checkable signals."""
    assert specificity(text, find_skills(text, "role")) == score


TEXT = """Ana Lima
SUMMARY
Backend engineer at heart. Passionate about clean code.
EXPERIENCE
Senior Engineer, Acme — Jan 2022 – Present
- Led the migration to Kafka, cutting p99 latency by 30%.
- Owned the release process for the mobile team.
- Built the ledger in Go with PostgreSQL.
- Worked with backend.
Engineer, Initech — Jan 2019 – Dec 2021
- Helped with various tasks.
- Familiar with cloud.
"""


@pytest.fixture(scope="module")
def parsed():  # type: ignore[no-untyped-def]
    """TEXT parsed once."""
    return parse_text(TEXT, today=dt.date(2026, 11, 1))


def test_claim_kinds_and_roles(parsed) -> None:  # type: ignore[no-untyped-def]
    """Metrics, ownership and technology claims are told apart and tied to their role."""
    by_text = {c.text: c for c in parsed.claims}
    metric = by_text["Led the migration to Kafka, cutting p99 latency by 30%."]
    assert (metric.kind, metric.skills, metric.role) == (
        "metric",
        ["Apache Kafka"],
        "Senior Engineer at Acme",
    )
    assert by_text["Owned the release process for the mobile team."].kind == "ownership"
    assert by_text["Built the ledger in Go with PostgreSQL."].kind == "technology"


def test_top_claims_are_the_most_specific(parsed) -> None:  # type: ignore[no-untyped-def]
    """top_claims orders concrete claims by specificity and honours n."""
    top = top_claims(parsed, 2)
    assert [c.text for c in top] == [
        "Led the migration to Kafka, cutting p99 latency by 30%.",
        "Built the ledger in Go with PostgreSQL.",
    ]
    assert all(not c.vague for c in top_claims(parsed, 10))


def test_vague_lines_are_kept_and_marked(parsed) -> None:  # type: ignore[no-untyped-def]
    """Filler lines are not dropped: they are the questions to ask."""
    assert [c.text for c in vague_claims(parsed)] == [
        "Backend engineer at heart.",
        "Passionate about clean code.",
        "Worked with backend.",
        "Helped with various tasks.",
        "Familiar with cloud.",
    ]
