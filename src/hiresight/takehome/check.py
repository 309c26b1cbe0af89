"""`hiresight takehome check DIR`: does an assignment work, and is its hidden data out of reach?

The check runs the shipped solutions as a submission would run: the reference must pass with
the metric floors of [check], a naive solution must run, a broken one must fail with a clear
status, every baseline must run, and a probe submission must find neither the hidden data
nor any server path nor the network from inside the sandbox.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from pathlib import Path

import hiresight
from hiresight.takehome.assignment import Assignment, read_table
from hiresight.takehome.environment import SITE_IN_SANDBOX
from hiresight.takehome.errors import TakehomeError
from hiresight.takehome.evaluate import INPUT_IN_SANDBOX, Truth, run_and_judge
from hiresight.takehome.schemas import CheckItem, CheckReport, RunReport

PROBE_MARK = "HIRESIGHT-PROBE "
PROBE_SOURCE = (
    '''"""Try to reach what a submission must not: server paths, hidden data, the network."""
import contextlib
import json
import os
import socket
import sys

with open("probe_targets.json") as f:
    targets = json.load(f)


def readable(path):
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            with open(path, "rb") as f:
                f.read(1)
        return True
    except OSError:
        return False


reached = [path for path in targets["paths"] if readable(path)]
controls = [path for path in targets["controls"] if readable(path)]
for root in ("/work", "/tmp", "/opt", "/"):
    for dirpath, dirnames, filenames in os.walk(root):
        if root == "/":
            dirnames[:] = [d for d in dirnames if d in ("home", "root", "srv", "mnt", "var")]
        if targets["answers_name"] in filenames:
            candidate = os.path.join(dirpath, targets["answers_name"])
            try:
                if os.path.getsize(candidate) == targets["answers_size"]:
                    reached.append(candidate)
            except OSError:
                pass
for host, port in targets["addresses"]:
    try:
        with socket.create_connection((host, port), timeout=1):
            reached.append(f"{host}:{port}")
    except OSError:
        pass
try:
    socket.getaddrinfo("example.com", 80)
    reached.append("dns:example.com")
except OSError:
    pass
result = {"reached": sorted(set(reached)), "controls": controls}
sys.stdout.write("\\n'''
    + PROBE_MARK
    + """" + json.dumps(result) + "\\n")
"""
)


def probe_targets(assignment: Assignment) -> dict[str, object]:
    """What the probe tries: server paths, hidden files, local services and the internet."""
    source_tree = Path(hiresight.__file__).resolve().parent
    answers = assignment.answers_path
    paths = {
        str(assignment.root), str(assignment.hidden_dir), str(answers),
        str(assignment.input_dir), str(Path.cwd()), str(source_tree), sys.prefix,
        "/root", "/etc/shadow", "/dev/shm/hiresight-sandbox", f"/proc/1/root{answers}",
        "/sys/fs/cgroup/memory",
    }  # fmt: skip
    return {
        "paths": sorted(paths),
        "answers_name": answers.name,
        "answers_size": answers.stat().st_size,
        "addresses": [["127.0.0.1", 5432], ["127.0.0.1", 6379], ["1.1.1.1", 53]],
        # What a submission must see: if the probe cannot read these, it proves nothing.
        "controls": [f"{INPUT_IN_SANDBOX}/{assignment.spec.contract.users}", SITE_IN_SANDBOX],
    }


def run_probe(
    assignment: Assignment, truth: Truth
) -> tuple[dict[str, list[str]] | None, RunReport]:
    """Run the probe as a submission; what it reached (None when it did not report)."""
    with tempfile.TemporaryDirectory(prefix="hiresight-probe-") as tmp:
        folder = Path(tmp)
        (folder / assignment.spec.contract.entrypoint).parent.mkdir(parents=True, exist_ok=True)
        (folder / assignment.spec.contract.entrypoint).write_text(PROBE_SOURCE)
        (folder / "probe_targets.json").write_text(json.dumps(probe_targets(assignment)))
        os.chmod(folder, 0o755)
        report = run_and_judge(assignment, truth, folder)
    for line in reversed(report.stdout_tail.splitlines()):
        if line.startswith(PROBE_MARK):
            found = json.loads(line.removeprefix(PROBE_MARK))
            return {
                key: [str(x) for x in found.get(key, [])] for key in ("reached", "controls")
            }, report
    return None, report


def _summary(report: RunReport) -> str:
    if report.status == "ok" and report.scores is not None:
        values = ", ".join(f"{k} {v:.4f}" for k, v in report.scores.all.values.items())
        return f"ok in {report.wall_ms / 1000:.1f} s: {values}"
    problems = "; ".join(p.message for p in report.problems)
    return f"{report.status}: {problems}" if problems else report.status


def headline_metric(assignment: Assignment) -> str:
    """The metric an assignment is judged by first: NDCG at the first cut-off when measured."""
    names = assignment.spec.metrics.names
    return f"{'ndcg' if 'ndcg' in names else names[0]}@{assignment.spec.cutoffs()[0]}"


def _beats_baselines(
    assignment: Assignment, reference: RunReport, baselines: dict[str, RunReport]
) -> CheckItem:
    """The reference must score above every baseline, or the task does not tell them apart."""
    metric = headline_metric(assignment)
    ours = reference.scores.all.values.get(metric) if reference.scores else None
    theirs = {
        name: report.scores.all.values.get(metric, 0.0) if report.scores else None
        for name, report in baselines.items()
    }
    shown = ", ".join(
        f"{name} {value:.4f}" if value is not None else f"{name} not scored"
        for name, value in theirs.items()
    )
    passed = ours is not None and all(v is not None and ours > v for v in theirs.values())
    mine = f"{ours:.4f}" if ours is not None else "not scored"
    return CheckItem(
        name="reference_beats_baselines",
        passed=passed,
        detail=f"{metric}: reference {mine}; {shown}",
    )


def _answers_not_public(assignment: Assignment, truth: Truth) -> CheckItem:
    """No file in public/ holds the hidden answers (the same bytes, or every answer pair)."""
    hidden = assignment.answers_path.read_bytes()
    pairs = {(u, j) for u, jobs in truth.answers.items() for j in jobs}
    leaks: list[str] = []
    for path in sorted((assignment.root / "public").rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        rel = path.relative_to(assignment.root).as_posix()
        if path.read_bytes() == hidden:
            leaks.append(f"{rel} (the same file)")
            continue
        if not path.name.endswith((".csv", ".csv.gz")):
            continue
        try:
            rows = read_table(path)
        except TakehomeError:
            continue
        if not rows or [c.strip() for c in rows[0][:2]] != ["user_id", "job_id"]:
            continue
        found = set()
        for row in rows[1:]:
            with contextlib.suppress(ValueError, IndexError):
                found.add((int(row[0]), int(row[1])))
        if pairs and pairs <= found:
            leaks.append(f"{rel} (every hidden answer)")
    return CheckItem(
        name="answers_not_public",
        passed=not leaks,
        detail="public/ holds " + ", ".join(leaks) if leaks else "no public file holds them",
    )


def check_assignment(assignment: Assignment) -> CheckReport:
    """Every expectation of a working, sealed assignment; each gets a pass/fail with detail."""
    truth = Truth.of(assignment)
    items: list[CheckItem] = []
    unscored = [u for u in truth.users if not truth.answers.get(u)]
    items.append(
        CheckItem(
            name="answers_cover_test_users",
            passed=bool(truth.users) and not unscored,
            detail=f"{len(truth.users)} test user(s), {len(unscored)} without answers",
        )
    )
    reference_dir = assignment.solution("reference")
    assert reference_dir is not None  # [check].reference is required
    reference = run_and_judge(assignment, truth, reference_dir)
    floors = assignment.spec.check.reference_min
    values = reference.scores.all.values if reference.scores else {}
    short = [f"{m} {values.get(m, 0.0):.4f} < {floor}" for m, floor in floors.items()
             if values.get(m, 0.0) < floor]  # fmt: skip
    missing = [m for m in floors if m not in values] if reference.scores else []
    items.append(
        CheckItem(
            name="reference_passes",
            passed=reference.status == "ok" and not short and not missing,
            detail=_summary(reference)
            + (f"; below the floor: {', '.join(short)}" if short else "")
            + (f"; not measured: {', '.join(missing)}" if missing else ""),
        )
    )
    naive_dir = assignment.solution("naive")
    if naive_dir is not None:
        naive = run_and_judge(assignment, truth, naive_dir)
        items.append(
            CheckItem(name="naive_runs", passed=naive.status == "ok", detail=_summary(naive))
        )
    broken_dir = assignment.solution("broken")
    if broken_dir is not None:
        broken = run_and_judge(assignment, truth, broken_dir)
        items.append(
            CheckItem(
                name="broken_fails_cleanly",
                passed=broken.status not in ("ok", "sandbox_error"),
                detail=_summary(broken),
            )
        )
    baselines: dict[str, RunReport] = {}
    for name, folder in assignment.baselines().items():
        baselines[name] = baseline = run_and_judge(assignment, truth, folder)
        items.append(
            CheckItem(
                name=f"baseline_{name}_runs",
                passed=baseline.status == "ok",
                detail=_summary(baseline),
            )
        )
    if baselines:
        items.append(_beats_baselines(assignment, reference, baselines))
    items.append(_answers_not_public(assignment, truth))
    found, probe = run_probe(assignment, truth)
    controls = probe_targets(assignment)["controls"]
    if found is None or found["controls"] != controls:
        items.append(
            CheckItem(
                name="hidden_data_unreachable",
                passed=False,
                detail=f"the probe did not work ({_summary(probe)}; "
                f"it read {found['controls'] if found else 'nothing'} of {controls})",
            )
        )
    else:
        reached = found["reached"]
        items.append(
            CheckItem(
                name="hidden_data_unreachable",
                passed=not reached,
                detail=(
                    "the probe reached: " + ", ".join(reached)
                    if reached
                    else "the probe reached no server path, no hidden file and no network"
                ),
            )
        )
    return CheckReport(assignment=assignment.spec.title, items=items)
