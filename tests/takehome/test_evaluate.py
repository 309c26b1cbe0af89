"""Evaluating submissions in the sandbox: known-answer scores, each failure class, and attacks."""

from __future__ import annotations

import base64
import csv
import gzip
import hashlib
import io
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from hiresight.sandbox import cgroups
from hiresight.sandbox.workdir import DEFAULT_BASE_DIR
from hiresight.takehome.assignment import Assignment, load_assignment
from hiresight.takehome.evaluate import MAX_OUTPUT_BYTES, RUNNER, _decode, evaluate_submission
from hiresight.takehome.schemas import EvaluationReport
from tests.takehome.factories import (
    ANSWERS_MARKER,
    BROKEN,
    NAIVE,
    REFERENCE,
    independent_metrics,
    make_assignment,
    write_solution,
)

# Worked by hand from factories.ANSWERS (see test_metrics for the definitions).
REFERENCE_ALL = {
    "precision@1": 1.0, "precision@2": 0.75, "recall@1": 0.75, "recall@2": 1.0,
    "map@1": 1.0, "map@2": 1.0, "ndcg@1": 1.0, "ndcg@2": 1.0,
}  # fmt: skip
NAIVE_ALL = {
    "precision@1": 0.5, "precision@2": 0.375, "recall@1": 0.375, "recall@2": 0.5,
    "map@1": 0.5, "map@2": 0.4375, "ndcg@1": 0.5, "ndcg@2": 0.5,
}  # fmt: skip


@pytest.fixture
def assignment(tmp_path: Path) -> Assignment:
    return load_assignment(make_assignment(tmp_path / "assignment", wall=20))


def evaluate(assignment: Assignment, folder: Path, **options: bool) -> EvaluationReport:
    options = {"repeat": False, "tests": False, "baselines": False, **options}
    return evaluate_submission(assignment, folder, **options)


def solution(tmp_path: Path, source: str, **extra: str) -> Path:
    return write_solution(tmp_path / "submission", source, **extra)


def values(report: EvaluationReport, segment: str = "all") -> dict[str, float]:
    assert report.run.scores is not None, report.run.problems
    row = getattr(report.run.scores, segment)
    return {k: round(v, 6) for k, v in row.values.items()}


def test_reference_scores_known_answers_by_segment(assignment: Assignment, tmp_path: Path) -> None:
    report = evaluate(assignment, solution(tmp_path, REFERENCE))
    assert report.run.status == "ok"
    assert values(report) == REFERENCE_ALL
    assert report.run.scores is not None
    assert (report.run.scores.warm.users, report.run.scores.cold.users) == (3, 1)
    assert values(report, "warm")["precision@2"] == round(2 / 3, 6)
    assert values(report, "cold")["recall@1"] == 0.5
    assert report.run.rows == 8
    assert report.run.wall_ms > 0
    assert report.run.peak_memory_bytes is not None


def test_naive_scores_known_answers_and_baselines_are_scored_beside(
    assignment: Assignment, tmp_path: Path
) -> None:
    report = evaluate(assignment, solution(tmp_path, NAIVE), baselines=True)
    assert values(report) == NAIVE_ALL
    assert set(report.baselines) == {"popularity"}
    baseline = report.baselines["popularity"].scores
    assert baseline is not None
    assert baseline.all.values["map@2"] == pytest.approx(0.4375)


def test_the_scientific_packages_are_importable_and_nothing_installs(
    assignment: Assignment, tmp_path: Path
) -> None:
    source = (
        "import numpy, pandas, scipy.sparse, sklearn.linear_model, lightgbm\n"
        "assert pandas.DataFrame({'a': [1, 2]})['a'].sum() == 3\n"
        "print('versions', numpy.__version__, pandas.__version__, lightgbm.__version__)\n"
        + REFERENCE
    )
    folder = solution(
        tmp_path, source, **{"requirements.txt": "numpy>=1.26\npandas\ntorch==2.3.0  # gpu\n"}
    )
    report = evaluate(assignment, folder)
    assert report.run.status == "ok", report.run.stderr_tail
    assert "versions" in report.run.stdout_tail
    requirements = {r.name: r for r in report.requirements}
    assert requirements["numpy"].available
    assert requirements["pandas"].available
    assert not requirements["torch"].available
    assert "not available" in requirements["torch"].note


@pytest.mark.parametrize(
    ("source", "status", "code"),
    [
        (BROKEN, "nonzero_exit", "nonzero_exit"),
        ("while True:\n    pass\n", "timeout", "timeout"),
        ("print('nothing written')\n", "no_output", "no_output"),
        (
            "import sys\nopen(sys.argv[sys.argv.index('--output') + 1], 'w')"
            ".write('user,item\\n1,2\\n')\n",
            "malformed_output",
            "bad_header",
        ),
        (
            "import sys\nopen(sys.argv[sys.argv.index('--output') + 1], 'w')"
            ".write('user_id,job_id,rank\\n1,10,1\\n77,10,1\\n')\n",
            "invalid_predictions",
            "unknown_users",
        ),
        (
            "import sys\nopen(sys.argv[sys.argv.index('--output') + 1], 'w')"
            ".write('user_id,job_id,rank\\n1,10,1\\n1,10,2\\n')\n",
            "invalid_predictions",
            "duplicate_predictions",
        ),
        ("x = bytearray(1500 * 1024 * 1024)\n", "memory_limit", "memory_limit"),
        (
            "import os, sys\nos.mkfifo(sys.argv[sys.argv.index('--output') + 1])\n",
            "malformed_output",
            "unreadable_output",
        ),
    ],
    ids=[
        "nonzero-exit",
        "timeout",
        "no-output",
        "malformed",
        "unknown-users",
        "duplicates",
        "memory",
        "fifo",
    ],
)
def test_each_failure_is_a_clear_result(
    tmp_path: Path, source: str, status: str, code: str
) -> None:
    # A short wall clock only where it is the point: the others must not time out under load.
    wall = 4 if status == "timeout" else 30
    assignment = load_assignment(make_assignment(tmp_path / "assignment", wall=wall))
    report = evaluate(assignment, solution(tmp_path, source))
    assert report.run.status == status, report.run
    assert report.run.problems[0].code == code
    assert report.run.scores is None


def test_decoding_is_bounded() -> None:
    bomb = base64.b64encode(zlib.compress(b"0" * (MAX_OUTPUT_BYTES + 10))).decode()
    assert _decode(bomb) is None
    assert _decode(base64.b64encode(zlib.compress(b"user_id")).decode()) == b"user_id"
    assert _decode("not base64!") is None
    assert _decode(None) is None


def test_nonzero_exit_shows_the_last_error_line(assignment: Assignment, tmp_path: Path) -> None:
    report = evaluate(assignment, solution(tmp_path, BROKEN))
    assert "broken on purpose" in report.run.problems[0].message


def test_missing_entrypoint(assignment: Assignment, tmp_path: Path) -> None:
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "main.py").write_text(REFERENCE)
    report = evaluate(assignment, folder, tests=True)
    assert report.run.status == "missing_entrypoint"
    assert "predict.py" in report.run.problems[0].message
    assert report.tests is None


def test_reproducibility_run(assignment: Assignment, tmp_path: Path) -> None:
    same = evaluate(assignment, solution(tmp_path / "a", REFERENCE), repeat=True)
    assert same.reproducibility is not None
    assert same.reproducibility.same_output
    # User 3's second job is drawn at random on each run: two runs agree once in 65,536.
    unseeded = REFERENCE.replace("3: [10, 12]", "3: [10, 100 + int.from_bytes(os.urandom(2))]")
    unseeded = "import os\n" + unseeded
    differs = evaluate(assignment, solution(tmp_path / "b", unseeded), repeat=True)
    assert differs.run.status == "ok"
    assert differs.reproducibility is not None
    assert not differs.reproducibility.same_output
    assert differs.reproducibility.detail == "the second run wrote different predictions"


def test_the_candidates_tests_are_counted(assignment: Assignment, tmp_path: Path) -> None:
    tests = (
        "import numpy\n\n"
        "def test_one():\n    assert numpy.arange(3).sum() == 3\n\n"
        "def test_two():\n    assert True\n\n"
        "def test_three():\n    assert 1 == 2\n"
    )
    folder = solution(tmp_path, REFERENCE, **{"tests/test_mine.py": tests})
    report = evaluate(assignment, folder, tests=True)
    assert report.tests is not None
    assert (report.tests.status, report.tests.tests) == ("ran", 3)
    assert (report.tests.passed, report.tests.failed) == (2, 1)


def test_no_tests_is_reported(assignment: Assignment, tmp_path: Path) -> None:
    report = evaluate(assignment, solution(tmp_path, REFERENCE), tests=True)
    assert report.tests is not None
    assert report.tests.status == "no_tests"


# ---- attacks ---------------------------------------------------------------------------------

CHEAT = """
import csv, sys
out = sys.argv[sys.argv.index("--output") + 1]
stolen = None
for path in {paths!r}:
    try:
        stolen = open(path).read()
        print("STOLEN", path)
        break
    except OSError as exc:
        print("refused", path, type(exc).__name__)
rows = [(u, j, r) for u in (1, 2, 3, 4) for j, r in ((10, 1), (11, 2))]
if stolen:
    rows = []
    for line in stolen.splitlines()[1:]:
        u, j = line.split(",")
        rows.append((int(u), int(j), 1 + sum(1 for r in rows if r[0] == int(u))))
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["user_id", "job_id", "rank"])
    w.writerows(rows)
"""


def test_attack_reading_the_hidden_answers_finds_nothing(
    assignment: Assignment, tmp_path: Path
) -> None:
    answers = assignment.answers_path
    paths = [
        str(answers), f"/proc/1/root{answers}", "/work/hidden/answers.csv",
        "/work/input/../answers.csv", "/work/answers.csv", str(RUNNER.parent / "evaluate.py"),
    ]  # fmt: skip
    report = evaluate(assignment, solution(tmp_path, CHEAT.format(paths=paths)))
    assert report.run.status == "ok"
    assert "STOLEN" not in report.run.stdout_tail
    assert report.run.stdout_tail.count("refused") == len(paths)
    assert ANSWERS_MARKER not in report.run.stdout_tail
    assert values(report) == NAIVE_ALL  # the fallback list, not the answers


def test_attack_reaching_the_network_fails(assignment: Assignment, tmp_path: Path) -> None:
    source = (
        "import socket\n"
        "for host, port in [('127.0.0.1', 5432), ('127.0.0.1', 6379), ('1.1.1.1', 53)]:\n"
        "    try:\n"
        "        socket.create_connection((host, port), timeout=2).close()\n"
        "        print('CONNECTED', host, port)\n"
        "    except OSError as exc:\n"
        "        print('blocked', host, port, exc.errno)\n" + NAIVE
    )
    report = evaluate(assignment, solution(tmp_path, source))
    assert report.run.status == "ok"
    assert "CONNECTED" not in report.run.stdout_tail
    assert report.run.stdout_tail.count("blocked") == 3


def test_attack_filling_the_disk_is_contained(assignment: Assignment, tmp_path: Path) -> None:
    source = (
        "import os\n"
        "written = 0\n"
        "try:\n"
        "    with open('/work/run/fill', 'wb') as f:\n"
        "        while True:\n"
        "            f.write(b'x' * 1048576); f.flush(); written += 1\n"
        "except OSError as exc:\n"
        "    print('stopped after', written, 'MiB:', exc.errno)\n"
        "os.remove('/work/run/fill')\n" + NAIVE
    )
    report = evaluate(assignment, solution(tmp_path, source))
    assert report.run.status == "ok", report.run
    assert "stopped after" in report.run.stdout_tail
    stopped = int(report.run.stdout_tail.split("stopped after", 1)[1].split()[0])
    assert stopped <= assignment.spec.limits.disk_mb  # the limit, not the host disk, stopped it
    assert values(report) == NAIVE_ALL
    # Nothing of the run is left on the host: no job folder, no cgroup of this process.
    assert not list(DEFAULT_BASE_DIR.glob(f"job-{os.getpid()}-*"))
    assert not list(cgroups.CGROUP_ROOT.glob(f"*/{cgroups.GROUP_PARENT}/{os.getpid()}-*"))


def test_attack_faking_metrics_outside_the_output_does_not_count(
    assignment: Assignment, tmp_path: Path
) -> None:
    fake = '{"precision@2": 1.0, "ndcg@2": 1.0}'
    source = (
        "import json, os\n"
        f"for path in ['/work/metrics.json', '/work/output/metrics.json', '/tmp/scores.json',\n"
        "             '/work/run/report.json', '/work/output/predictions.csv.scores']:\n"
        f"    open(path, 'w').write({fake!r})\n"
        "print('ndcg@2: 1.0  precision@2: 1.0')\n" + NAIVE
    )
    report = evaluate(assignment, solution(tmp_path, source))
    assert report.run.status == "ok"
    assert values(report) == NAIVE_ALL


def test_attack_a_link_to_the_answers_in_the_submission_is_dropped(
    assignment: Assignment, tmp_path: Path
) -> None:
    folder = solution(tmp_path, CHEAT.format(paths=["stolen.csv", "data/answers.csv"]))
    (folder / "stolen.csv").symlink_to(assignment.answers_path)
    (folder / "data").symlink_to(assignment.hidden_dir)
    report = evaluate(assignment, folder)
    assert report.run.status == "ok"
    assert "STOLEN" not in report.run.stdout_tail
    assert report.run.stdout_tail.count("refused") == 2
    assert values(report) == NAIVE_ALL


EXAMPLE = Path(__file__).resolve().parents[2] / "takehomes" / "next-item"


@pytest.mark.slow
def test_the_examples_table_matches_an_independent_computation(tmp_path: Path) -> None:
    """The reference's table measured in the sandbox equals the same metrics computed here,
    by other code, from predictions the reference writes when run outside the sandbox."""
    example = load_assignment(EXAMPLE)
    report = evaluate(example, EXAMPLE / "solutions" / "reference")
    assert report.run.status == "ok"
    out = tmp_path / "predictions.csv"
    subprocess.run(
        [sys.executable, "predict.py", "--input", str(example.input_dir), "--output", str(out),
         "--k", "10"],
        cwd=EXAMPLE / "solutions" / "reference", check=True, timeout=120,
    )  # fmt: skip
    data = out.read_bytes()
    assert hashlib.sha256(data).hexdigest() == report.run.output_sha256
    ranked: dict[int, list[int]] = {}
    for row in list(csv.reader(io.StringIO(data.decode())))[1:]:
        ranked.setdefault(int(row[0]), []).append(int(row[1]))
    answers: dict[int, set[int]] = {}
    for row in list(csv.reader(io.StringIO(example.answers_path.read_text())))[1:]:
        answers.setdefault(int(row[0]), set()).add(int(row[1]))
    history = gzip.decompress((example.input_dir / "history.csv.gz").read_bytes()).decode()
    seen = {int(line.split(",")[0]) for line in history.splitlines()[1:]}
    assert report.run.scores is not None
    for segment, users in (
        ("all", set(answers)),
        ("warm", {u for u in answers if u in seen}),
        ("cold", {u for u in answers if u not in seen}),
    ):
        expected = independent_metrics(ranked, {u: answers[u] for u in users}, 10)
        measured = getattr(report.run.scores, segment)
        assert measured.users == len(users)
        for key, value in expected.items():
            assert measured.values[key] == pytest.approx(value, abs=1e-12), (segment, key)
    assert report.run.scores.all.values["ndcg@10"] > 0.01  # hits exist: the match means something
