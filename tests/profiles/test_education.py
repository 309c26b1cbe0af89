"""Education entries: institution, degree and years."""

from __future__ import annotations

from hiresight.profiles.education import parse_education


def test_degree_and_institution_on_one_line() -> None:
    """ "BSc ..., University ..., 2013 – 2017" is one entry with both years."""
    (entry,) = parse_education(["BSc Computer Science, Boğaziçi University, 2013 – 2017"])
    assert (entry.degree, entry.institution) == ("BSc Computer Science", "Boğaziçi University")
    assert (entry.start_year, entry.end_year) == (2013, 2017)


def test_institution_and_degree_on_two_lines_pair_up() -> None:
    """An institution line followed by its degree line makes one entry."""
    entries = parse_education(
        [
            "Technical University of Munich",
            "M.Sc. Informatics (2018 - 2020)",
            "ETH Zürich — MSc Data Science, 2019",
        ]
    )
    assert [(e.institution, e.degree, e.end_year) for e in entries] == [
        ("Technical University of Munich", "M.Sc. Informatics", 2020),
        ("ETH Zürich", "MSc Data Science", 2019),
    ]


def test_lines_without_degree_or_institution_are_details() -> None:
    """Notes under an entry are attached to it, not new entries."""
    (entry,) = parse_education(
        ["BSc Physics, University of Oslo, 2015", "Thesis on lattice models"]
    )
    assert entry.text.endswith("Thesis on lattice models")


def test_dotted_degree_abbreviations() -> None:
    """ "B.S. in Computer Science" is recognised as a degree."""
    entries = parse_education(
        ["Massachusetts Institute of Technology", "B.S. in Computer Science, 2016"]
    )
    assert [(e.institution, e.degree) for e in entries] == [
        ("Massachusetts Institute of Technology", "B.S. in Computer Science")
    ]
