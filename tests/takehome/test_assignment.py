"""The assignment format: takehome.toml validation and the files it names."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from hiresight.takehome.assignment import (
    load_answers,
    load_assignment,
    load_test_users,
    open_assignment,
    parse_spec,
)
from hiresight.takehome.errors import AssignmentNotFoundError, InvalidAssignmentError
from tests.takehome.factories import SPEC, make_assignment

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "takehomes" / "next-item"


def test_a_valid_spec_is_parsed_with_defaults() -> None:
    spec = parse_spec(SPEC.format(wall=20))
    assert spec.contract.k == 2
    assert spec.contract.args == ["--input", "{input}", "--output", "{output}", "--k", "{k}"]
    assert spec.cutoffs() == [1, 2]
    assert spec.metrics.names == ["precision", "recall", "map", "ndcg"]
    assert spec.limits.wall_seconds == 20
    assert spec.check.reference_min == {"ndcg@2": 0.5}


def test_the_shipped_example_loads() -> None:
    assignment = load_assignment(EXAMPLE)
    assert assignment.spec.contract.k == 10
    assert set(assignment.baselines()) == {"popularity"}
    users, warm = load_test_users(assignment)
    answers = load_answers(assignment)
    assert set(users) == set(answers)
    assert 0 < len(warm) < len(users)  # both warm and cold users are tested


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('entrypoint = "predict.py"', 'entrypoint = "/etc/predict.py"'), "relative path"),
        (('entrypoint = "predict.py"', 'entrypoint = "../predict.py"'), "'..'"),
        (('entrypoint = "predict.py"', 'entrypoint = "predict.sh"'), "Python file"),
        (
            ('answers = "hidden/answers.csv"', 'answers = "hidden/input/answers.csv"'),
            "inside the input",
        ),
        (('input = "hidden/input"', 'input = "public"'), "under hidden/"),
        (("k = 2", "k = 0"), "contract.k"),
        (("k = 2", 'k = 2\nargs = ["--out", "{out}"]'), "unknown placeholder"),
        (("k = 2", 'k = 2\nargs = ["--input", "{input}"]'), "must pass {output}"),
        (("ks = [1, 2]", 'names = ["auc"]'), "metrics.names"),
        (('"ndcg@2" = 0.5', '"ndcg" = 0.5'), "not a metric"),
        (("duration_days = 2", 'duration_days = 2\ncolour = "red"'), "colour"),
        (('title = "Tiny next job"\n', ""), "title: Field required"),
        (("memory_mb = 512", "memory_mb = 1"), "limits.memory_mb"),
    ],
)
def test_invalid_specs_are_refused_with_the_field_named(
    change: tuple[str, str], message: str
) -> None:
    text = SPEC.format(wall=20)
    assert change[0] in text
    with pytest.raises(InvalidAssignmentError) as err:
        parse_spec(text.replace(change[0], change[1], 1))
    assert message in err.value.message
    assert err.value.code == "takehome_invalid_assignment"


def test_bad_toml_is_refused() -> None:
    with pytest.raises(InvalidAssignmentError, match="not valid TOML"):
        parse_spec("title = ")


def test_missing_files_are_listed(tmp_path: Path) -> None:
    root = make_assignment(tmp_path / "a")
    (root / "hidden" / "answers.csv").unlink()
    (root / "brief.md").unlink()
    with pytest.raises(InvalidAssignmentError) as err:
        load_assignment(root)
    assert "brief.md (file)" in err.value.message
    assert "hidden/answers.csv (file)" in err.value.message


def test_a_missing_folder_and_spec(tmp_path: Path) -> None:
    with pytest.raises(AssignmentNotFoundError):
        load_assignment(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidAssignmentError, match=r"has no takehome\.toml"):
        load_assignment(tmp_path / "empty")


def test_an_assignment_archive_is_extracted(tmp_path: Path) -> None:
    root = make_assignment(tmp_path / "a")
    archive = tmp_path / "a.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(root, arcname="tiny")
    with open_assignment(archive) as assignment:
        assert assignment.spec.title == "Tiny next job"
        assert load_answers(assignment)[4] == {10, 14}
        extracted = assignment.root
    assert not extracted.exists()  # the temporary folder is removed


def test_an_unsafe_assignment_archive_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "evil.tar"
    payload = tmp_path / "x"
    payload.write_text("x")
    with tarfile.open(archive, "w") as tar:
        tar.add(payload, arcname="../escape")
    with pytest.raises(InvalidAssignmentError, match="climbs out"), open_assignment(archive):
        pass


def test_bad_answers_are_refused(tmp_path: Path) -> None:
    root = make_assignment(tmp_path / "a")
    (root / "hidden" / "answers.csv").write_text("user,job\n1,2\n")
    with pytest.raises(InvalidAssignmentError, match="user_id,job_id"):
        load_answers(load_assignment(root))
    (root / "hidden" / "answers.csv").write_text("user_id,job_id\n1,x\n")
    with pytest.raises(InvalidAssignmentError, match=":2: bad row"):
        load_answers(load_assignment(root))
