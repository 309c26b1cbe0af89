"""Explanation wording and the per-company diversity cap."""

from __future__ import annotations

from hiresight.matching.explain import diversify, explain, skill_note
from tests.matching.conftest import make_candidate, make_job


def test_skill_note_lists_matched_and_missing() -> None:
    """2 of 3 required skills, matched names sorted, missing named."""
    note = skill_note(make_candidate(), make_job())
    assert note == "matches 2 of 3 required skills: PostgreSQL, Python; missing: Kafka"


def test_skill_note_truncates_long_lists_and_ignores_case() -> None:
    """More than five matches end with an ellipsis; 'python' matches 'Python'."""
    skills = frozenset({"A", "B", "C", "D", "E", "F"})
    cand = make_candidate(skills=frozenset(s.lower() for s in skills))
    note = skill_note(cand, make_job(required_skills=skills))
    assert note == "matches 6 of 6 required skills: A, B, C, D, E, …"


def test_explanation_covers_place_salary_and_level() -> None:
    """Remote, salary and a level note join the skills note in one summary."""
    cand = make_candidate(salary_expectation=90_000.0)
    job = make_job(remote=True, seniority=2)
    why = explain(cand, job)
    assert why.notes[1:] == (
        "remote role",
        "salary up to 80,000 is below your expectation of 90,000",
        "senior role",
    )
    assert why.summary.startswith("Matches 2 of 3 required skills")


def test_onsite_elsewhere_is_said() -> None:
    """An on-site job in another city names both cities."""
    why = explain(make_candidate(location="Berlin"), make_job(location="Lisbon"))
    assert "on-site in Lisbon (you are in Berlin)" in why.notes


def test_diversify_caps_companies_in_top_window() -> None:
    """With cap 2, the third item of company 1 moves after the window, order kept."""
    items = [(1, "a"), (1, "b"), (1, "c"), (2, "d"), (3, "e")]
    out = diversify(items, lambda it: it[0], max_per_company=2, window=4)
    assert out == [(1, "a"), (1, "b"), (2, "d"), (3, "e"), (1, "c")]


def test_diversify_keeps_everything_when_companies_run_out() -> None:
    """One company only: nothing is dropped, the list keeps its order."""
    items = list(range(5))
    assert diversify(items, lambda _: 1, max_per_company=2, window=10) == items
