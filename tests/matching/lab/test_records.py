"""Text-first job and candidate JSONL: parsed, embedded here, and refused with a line number."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hiresight.matching.errors import InvalidLogError
from hiresight.matching.lab.records import read_candidate_file, read_job_file
from tests.matching.lab.conftest import HashEmbedder

JOB = {
    "id": 7,
    "title": "Senior Backend Engineer",
    "description": "We build APIs in Python and PostgreSQL. Nice to have: Kubernetes. "
    "Fully remote, €70k–90k.",
    "company": "Acme",
    "location": "Berlin",
}


def _write(path: Path, records: list[object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_text_only_jobs_are_embedded_and_parsed(
    tmp_path: Path, hash_embedder: HashEmbedder
) -> None:
    """Skills, level, remote and salary come from the text; companies get ids by name."""
    other = {"id": 8, "title": "Data Engineer", "company": "acme", "skills": ["Spark"]}
    third = {"id": 9, "title": "Junior Frontend Developer", "company": "Beta"}
    jobs = read_job_file(_write(tmp_path / "j.jsonl", [JOB, other, third]), lambda: hash_embedder)
    first, second, last = jobs.postings
    assert hash_embedder.calls == 1
    assert {"Python", "PostgreSQL"} <= first.required_skills
    assert "Kubernetes" in first.preferred_skills
    assert (first.seniority, first.remote, first.salary_max) == (2, True, 90_000.0)
    assert first.company_id == second.company_id != last.company_id
    assert "Apache Spark" in second.required_skills  # the taxonomy's canonical name
    assert last.seniority == 0
    assert first.vector.shape == (HashEmbedder.dim,)
    assert "Acme" in jobs.texts[7]
    assert "Berlin" in jobs.texts[7]


def test_text_only_candidates(tmp_path: Path, hash_embedder: HashEmbedder) -> None:
    """A candidate may hold only text: skills and seniority are read from it."""
    path = _write(
        tmp_path / "c.jsonl",
        [{"id": 1, "headline": "Senior Python developer", "resume": "Django, PostgreSQL, Docker.",
          "positions": ["Backend engineer"]}],
    )  # fmt: skip
    found = read_candidate_file(path, lambda: hash_embedder)
    cand = found.profiles[1]
    assert {"Python", "Django", "PostgreSQL"} <= cand.skills
    assert cand.seniority == 2
    assert "Backend engineer" in found.texts[1]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([JOB, {"id": 8, "company": "X"}], r"j\.jsonl:2: field 'title' is missing"),
        ([JOB, {"id": "eight", "title": "X"}], r":2: field 'id' must be an integer"),
        ([JOB, {**JOB, "id": 8, "skills": "Python"}], r":2: field 'skills' must be a list"),
        ([JOB, {**JOB, "id": 8, "title": 5}], r":2: field 'title' must be a string"),
        ([JOB, JOB], r":2: duplicate job id 7 \(first on line 1\)"),
        ([{**JOB, "vector": [1, 0]}, {**JOB, "id": 8}], r":2: no 'vector' while other lines"),
        ([JOB, [1, 2]], r":2: expected a JSON object"),
        ([{"title": "X"}], r":1: field 'id' is missing"),
    ],
)
def test_bad_job_lines_name_file_and_line(
    tmp_path: Path, hash_embedder: HashEmbedder, lines: list[object], message: str
) -> None:
    """Each malformed field is a coded error naming the file and line."""
    with pytest.raises(InvalidLogError, match=message) as err:
        read_job_file(_write(tmp_path / "j.jsonl", lines), lambda: hash_embedder)
    assert err.value.code == "matching_invalid_log"


def test_bad_json_and_empty_candidate(tmp_path: Path, hash_embedder: HashEmbedder) -> None:
    """Broken JSON and a candidate with nothing to go on point at their lines."""
    (tmp_path / "j.jsonl").write_text(json.dumps(JOB) + "\n\n{oops\n")
    with pytest.raises(InvalidLogError, match=r"j\.jsonl:3: not JSON"):
        read_job_file(tmp_path / "j.jsonl", lambda: hash_embedder)
    path = _write(tmp_path / "c.jsonl", [{"id": 1, "headline": "Dev"}, {"id": 2}])
    with pytest.raises(InvalidLogError, match=r"c\.jsonl:2: a candidate needs"):
        read_candidate_file(path, lambda: hash_embedder)
