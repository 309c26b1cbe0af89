"""`takehome check`: the shipped solutions and the probe, on a tiny assignment and the example."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiresight.takehome import check as check_module
from hiresight.takehome.assignment import Assignment, load_assignment
from hiresight.takehome.check import check_assignment
from tests.takehome.factories import NAIVE, make_assignment, write_solution

EXAMPLE = Path(__file__).resolve().parents[2] / "takehomes" / "next-item"


def items(assignment: Assignment) -> dict[str, tuple[bool, str]]:
    return {i.name: (i.passed, i.detail) for i in check_assignment(assignment).items}


def test_a_sound_assignment_passes_every_check(tmp_path: Path) -> None:
    found = items(load_assignment(make_assignment(tmp_path / "a")))
    assert {name: passed for name, (passed, _) in found.items()} == {
        "answers_cover_test_users": True,
        "reference_passes": True,
        "naive_runs": True,
        "broken_fails_cleanly": True,
        "baseline_popularity_runs": True,
        "reference_beats_baselines": True,
        "answers_not_public": True,
        "hidden_data_unreachable": True,
    }
    assert found["reference_beats_baselines"][1] == "ndcg@1: reference 1.0000; popularity 0.5000"
    assert "nonzero_exit: " in found["broken_fails_cleanly"][1]
    assert "ndcg@2 1.0000" in found["reference_passes"][1]


def test_a_weak_reference_and_a_working_broken_solution_fail(tmp_path: Path) -> None:
    root = make_assignment(tmp_path / "a")
    write_solution(root / "solutions" / "reference", NAIVE)  # NDCG@2 0.5, under a 0.9 floor
    (root / "takehome.toml").write_text(
        (root / "takehome.toml").read_text().replace('"ndcg@2" = 0.5', '"ndcg@2" = 0.9')
    )
    write_solution(root / "solutions" / "broken", NAIVE)
    found = items(load_assignment(root))
    assert found["reference_passes"][0] is False
    assert "below the floor: ndcg@2 0.5000 < 0.9" in found["reference_passes"][1]
    assert found["broken_fails_cleanly"][0] is False
    assert found["reference_beats_baselines"][0] is False  # the naive one ties the baseline


def test_hidden_answers_copied_to_public_fail(tmp_path: Path) -> None:
    root = make_assignment(tmp_path / "a")
    answers = (root / "hidden" / "answers.csv").read_text()
    (root / "public" / "answers.csv").write_text(answers)
    reordered = "user_id,job_id,extra\n" + "".join(
        f"{line},x\n" for line in reversed(answers.splitlines()[1:])
    )
    (root / "public" / "valid.csv").write_text(reordered)
    (root / "public" / "notes.csv").write_text("user_id,job_id\n1,11\n")  # one pair is fine
    found = items(load_assignment(root))
    assert found["answers_not_public"] == (
        False,
        "public/ holds public/answers.csv (the same file), public/valid.csv (every hidden answer)",
    )


def test_the_probe_reports_a_reachable_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The probe can fail: a path the sandbox does show (the input) counts as a leak."""
    real = check_module.probe_targets

    def leaky(assignment: Assignment) -> dict[str, object]:
        targets = real(assignment)
        targets["paths"] = [*targets["paths"], "/work/input/users.csv"]  # type: ignore[misc]
        return targets

    monkeypatch.setattr(check_module, "probe_targets", leaky)
    found = items(load_assignment(make_assignment(tmp_path / "a")))
    assert found["hidden_data_unreachable"] == (False, "the probe reached: /work/input/users.csv")


@pytest.mark.slow
def test_the_shipped_example_passes_its_check() -> None:
    found = items(load_assignment(EXAMPLE))
    failed = {name: detail for name, (passed, detail) in found.items() if not passed}
    assert failed == {}
    assert set(found) >= {"reference_passes", "broken_fails_cleanly", "hidden_data_unreachable"}
