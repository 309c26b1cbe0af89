"""Section headings, including unusual wording, inline headings and wrapped lines."""

from __future__ import annotations

import pytest

from hiresight.profiles.sections import heading_kind, split_sections


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Where I've worked", "experience"),
        ("WORK EXPERIENCE", "experience"),
        ("Berufserfahrung", "experience"),
        ("## Toolbox", "skills"),
        ("Tech Stack:", "skills"),
        ("Academic Background", "education"),
        ("Side Projects", "projects"),
        ("About me", "summary"),
        ("Selected Experience", "experience"),
        ("VOLUNTEERING", "other"),
        ("AWARDS & HONOURS", "awards"),
    ],
)
def test_heading_synonyms(line: str, kind: str) -> None:
    """Common and unusual headings map to the canonical section kind."""
    assert heading_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    ["Experience with Kafka and Go", "Senior Software Engineer", "Built 3 services.", "Python"],
)
def test_content_lines_are_not_headings(line: str) -> None:
    """Sentences and job titles are content."""
    assert heading_kind(line) is None


def test_sections_keep_document_order() -> None:
    """Header first, then sections as written."""
    sections = split_sections("Ana Lima\nSKILLS\nPython\nEXPERIENCE\nDev, Acme 2019 – 2020")
    assert [(s.kind, s.lines) for s in sections] == [
        ("header", ["Ana Lima"]),
        ("skills", ["Python"]),
        ("experience", ["Dev, Acme 2019 – 2020"]),
    ]


def test_inline_heading_opens_a_section() -> None:
    """ "Skills: Python, Go" is a heading with its content on the same line."""
    sections = split_sections("Ana\nSkills: Python, Go")
    assert sections[-1].kind == "skills"
    assert sections[-1].lines == ["Python, Go"]


def test_stack_line_inside_a_role_stays_in_the_role() -> None:
    """ "Stack: ..." under a job is that job's detail, not a new skills section."""
    sections = split_sections("EXPERIENCE\nDev, Acme 2019 – 2020\nStack: Go, Kafka")
    assert sections[-1].kind == "experience"
    assert sections[-1].lines[-1] == "Stack: Go, Kafka"


def test_wrapped_lines_are_rejoined() -> None:
    """A date range or sentence broken by a narrow column is joined back together."""
    text = (
        "EXPERIENCE\nAcme | Engineer | Mar 2026\n– Present\n"
        "• Served 1 million requests per\nminute."
    )
    (experience,) = split_sections(text)
    assert experience.lines == [
        "Acme | Engineer | Mar 2026 – Present",
        "• Served 1 million requests per minute.",
    ]


def test_labelled_groups_inside_skills_stay_skills() -> None:
    """ "Languages: Java, Go" under Skills is a skill group, not the spoken-languages section."""
    sections = split_sections("SKILLS\nLanguages: Java, Go\nCloud: AWS\nEDUCATION\nBSc, MIT")
    assert [(s.kind, s.lines) for s in sections] == [
        ("skills", ["Languages: Java, Go", "Cloud: AWS"]),
        ("education", ["BSc, MIT"]),
    ]


def test_a_link_on_its_own_line_is_not_a_wrapped_sentence() -> None:
    """A URL line after a long contact line stays separate."""
    (header,) = split_sections("ana@example.com • 555-123-4567 • Brooklyn, NY, USA\nhttps://ana.io")
    assert header.lines == ["ana@example.com • 555-123-4567 • Brooklyn, NY, USA", "https://ana.io"]


def test_a_name_in_capitals_at_the_top_stays_in_the_header() -> None:
    """ "AMARA OKAFOR" and the headline in capitals under it are the header, not headings;
    the next heading in capitals still opens a section."""
    text = "AMARA OKAFOR\nSENIOR DATA ENGINEER\nLagos, Nigeria\nKEY ACHIEVEMENTS\n• Cut costs 30%."
    sections = split_sections(text)
    assert [(s.kind, s.heading) for s in sections] == [
        ("header", ""), ("other", "KEY ACHIEVEMENTS"),
    ]  # fmt: skip
    assert sections[0].lines == ["AMARA OKAFOR", "SENIOR DATA ENGINEER", "Lagos, Nigeria"]


def test_a_heading_in_capitals_after_a_name_is_a_heading() -> None:
    """Under a name in ordinary case, an unknown line in capitals opens a section."""
    sections = split_sections("Amara Okafor\nKEY ACHIEVEMENTS\n• Cut costs 30%.")
    assert [s.kind for s in sections] == ["header", "other"]


@pytest.mark.parametrize("title", ["CURRICULUM VITAE", "Curriculum Vitae", "RÉSUMÉ", "CV"])
def test_a_document_title_opens_the_header(title: str) -> None:
    """A document title is neither a name nor a section of its own: the header follows it."""
    sections = split_sections(f"{title}\nAMARA OKAFOR\namara@example.com\nSKILLS\nPython")
    assert [(s.kind, s.lines) for s in sections] == [
        ("header", ["AMARA OKAFOR", "amara@example.com"]), ("skills", ["Python"]),
    ]  # fmt: skip


def test_a_wrapped_link_ending_in_cv_is_not_a_title() -> None:
    """ "linkedin.com/in/camille-" + "cv" is one link broken by a narrow column."""
    sections = split_sections("Camille Dubois\nlinkedin.com/in/camille-\ncv\nSKILLS\nPython")
    assert sections[0].lines == ["Camille Dubois", "linkedin.com/in/camille-cv"]
