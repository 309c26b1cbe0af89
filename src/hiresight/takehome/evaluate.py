"""Evaluating a submission: run it in the sandbox on the hidden test input, score it outside.

The sandbox holds the runner, the submission (read-only, copied to a writable scratch folder
by the runner) and the evaluation input; never the answers. The runner sends back the one
predictions file through the sandbox's private result channel: whatever else the program
writes or prints is ignored. Scores are computed here against `hidden/` answers.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import threading
import time
import zlib
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from hiresight.portfolio.errors import PortfolioError
from hiresight.portfolio.review import review_directory
from hiresight.portfolio.schemas import PortfolioReport
from hiresight.sandbox import SandboxError, SandboxLimits, SandboxResult
from hiresight.takehome.assignment import (
    Assignment,
    load_answers,
    load_test_users,
)
from hiresight.takehome.confine import run_bound
from hiresight.takehome.environment import (
    INTERPRETER,
    check_requirements,
    describe,
    sandbox_environment,
)
from hiresight.takehome.errors import SubmissionNotFoundError, TakehomeError
from hiresight.takehome.metrics import mean_metrics
from hiresight.takehome.predictions import parse_predictions
from hiresight.takehome.schemas import (
    EvaluationReport,
    Problem,
    Reproducibility,
    RunReport,
    Scores,
    TestCounts,
)

Mode = Literal["predict", "tests"]
INPUT_IN_SANDBOX = "/work/input"
OUTPUT_IN_SANDBOX = "/work/output/predictions.csv"
RUNNER = Path(__file__).with_name("runner.py")
SKIPPED_DIRS = frozenset({".git", "__pycache__", ".venv", "venv", ".mypy_cache", ".pytest_cache"})
MAX_FILES = 5000
MAX_BYTES = 100 * 1024 * 1024
TAIL = 2000
MAX_OUTPUT_BYTES = 32 * 1024 * 1024  # as the runner's own cap
TESTS_WALL_SECONDS = 120.0


class SubmissionTooLargeError(TakehomeError):
    """The submission folder has more files or bytes than a run takes."""

    status_code = 413
    code = "takehome_submission_too_large"


@dataclass(frozen=True)
class Truth:
    """What scoring needs from the hidden side, read once per evaluation."""

    answers: dict[int, set[int]]
    users: list[int]
    warm: set[int]

    @classmethod
    def of(cls, assignment: Assignment) -> Truth:
        """Read the answers and the test users of an assignment."""
        users, warm = load_test_users(assignment)
        return cls(answers=load_answers(assignment), users=users, warm=warm)


def sandbox_limits(assignment: Assignment, mode: Mode = "predict") -> SandboxLimits:
    """The sandbox limits of one run, from the assignment's [limits]."""
    lim = assignment.spec.limits
    wall = lim.wall_seconds if mode == "predict" else min(lim.wall_seconds, TESTS_WALL_SECONDS)
    return SandboxLimits(
        wall_seconds=wall,
        # Per process; two cores at most, so the wall clock is the limit that bites first.
        cpu_seconds=min(600, int(wall * 2) + 1),
        memory_mb=lim.memory_mb,
        # The cgroup holds the memory cap; BLAS and OpenMP reserve address space up front.
        address_space_mb=lim.memory_mb * 2,
        processes=lim.processes,
        file_size_mb=min(lim.disk_mb, 1024),
        open_files=1024,
        output_bytes=256 * 1024,
        tmpfs_mb=lim.disk_mb,
    )


def collect_files(folder: Path, prefix: str) -> dict[str, bytes | str]:
    """The regular files under `folder` as sandbox files under `prefix/` (links skipped)."""
    files: dict[str, bytes | str] = {}
    total = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS)
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file():
                continue
            rel = path.relative_to(folder).as_posix()
            data = path.read_bytes()
            total += len(data)
            if len(files) >= MAX_FILES or total > MAX_BYTES:
                raise SubmissionTooLargeError(
                    f"{folder.name} has more than {MAX_FILES} files or {MAX_BYTES} bytes"
                )
            files[f"{prefix}/{rel}"] = data
    return files


def command(assignment: Assignment, mode: Mode) -> list[str]:
    """The candidate's command in the sandbox (run from the scratch copy of the submission)."""
    contract = assignment.spec.contract
    if mode == "tests":
        return [
            INTERPRETER, "-B", "-m", "pytest", "-q", "-p", "no:cacheprovider",
            "--junitxml=/tmp/.hiresight-junit.xml", "-o", "addopts=", "--rootdir=/work/run",
        ]  # fmt: skip
    values = {"input": INPUT_IN_SANDBOX, "output": OUTPUT_IN_SANDBOX, "k": str(contract.k)}
    args = [arg.format_map(values) for arg in contract.args]
    return [INTERPRETER, "-B", contract.entrypoint, *args]


def run_solution(
    assignment: Assignment, folder: Path, mode: Mode = "predict"
) -> tuple[SandboxResult, dict[str, object] | None]:
    """One sandboxed run of a solution folder, and the runner's report (None if it sent none)."""
    env = sandbox_environment()
    files = collect_files(folder, "submission")
    if mode == "predict":
        files.update(collect_files(assignment.input_dir, "input"))
    job = {
        "mode": mode,
        "argv": command(assignment, mode),
        "output": OUTPUT_IN_SANDBOX,
        "python_path": env.python_path,
        "threads": 2,
    }
    files[".hiresight/runner.py"] = RUNNER.read_bytes()
    files[".hiresight/job.json"] = json.dumps(job)
    result = run_bound(
        [INTERPRETER, "-I", "-B", "-S", ".hiresight/runner.py"],
        files,
        limits=sandbox_limits(assignment, mode),
        binds=env.binds,
    )
    message: dict[str, object] | None = None
    for line in result.channel.splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(event, dict) and event.get("event") == "done":
            message = event
    return result, message


def _problem(code: str, message: str) -> list[Problem]:
    return [Problem(code=code, message=message)]


def _decode(encoded: object) -> bytes | None:
    """The predictions file from the runner's message; bounded, whatever the message holds."""
    if not isinstance(encoded, str):
        return None
    try:
        inflater = zlib.decompressobj()
        data = inflater.decompress(base64.b64decode(encoded, validate=True), MAX_OUTPUT_BYTES + 1)
    except (binascii.Error, zlib.error, ValueError):
        return None
    return data if len(data) <= MAX_OUTPUT_BYTES and inflater.eof else None


def judge(
    assignment: Assignment,
    truth: Truth,
    result: SandboxResult,
    message: dict[str, object] | None,
) -> RunReport:
    """Turn a run into a report: its status, its problems and, when valid, its scores."""
    report = RunReport(
        status="ok",
        exit_code=result.exit_code,
        wall_ms=round(result.wall_ms, 1),
        peak_memory_bytes=result.peak_memory_bytes or result.max_rss_kb * 1024 or None,
        stdout_tail=result.stdout[-TAIL:],
        stderr_tail=result.stderr[-TAIL:],
    )
    limits = assignment.spec.limits
    if result.status == "timeout":
        report.status = "timeout"
        report.problems = _problem("timeout", result.detail or f"over {limits.wall_seconds:g} s")
        return report
    if result.status == "memory-limit":
        report.status = "memory_limit"
        report.problems = _problem("memory_limit", f"over the {limits.memory_mb} MiB memory limit")
        return report
    if result.status == "output-limit":
        report.status = "nonzero_exit"
        report.problems = _problem("output_limit", result.detail)
        return report
    if result.detail.startswith("sandbox setup failed"):
        report.status = "sandbox_error"
        report.problems = _problem("sandbox_error", result.detail)
        return report
    if message is None:
        report.status = "nonzero_exit" if result.status == "error" else "no_output"
        report.problems = _problem(
            "runner_stopped", result.detail or "the run ended without reporting its output"
        )
        return report
    exit_code = message.get("exit_code")
    report.exit_code = exit_code if isinstance(exit_code, int) else None
    if report.exit_code != 0:
        report.status = "nonzero_exit"
        last = result.stderr.strip().splitlines()[-1:] or ["(no error output)"]
        report.problems = _problem(
            "nonzero_exit", f"the program exited with status {report.exit_code}: {last[0][:300]}"
        )
        return report
    data = _decode(message.get("output"))
    if data is None:
        why = str(message.get("output_problem") or "unreadable")
        if why == "no_output":
            report.status = "no_output"
            report.problems = _problem(
                "no_output", f"the program wrote nothing to {OUTPUT_IN_SANDBOX}"
            )
        else:
            report.status = "malformed_output"
            report.problems = _problem("unreadable_output", f"the output file is {why}")
        return report
    report.output_sha256 = hashlib.sha256(data).hexdigest()
    k = assignment.spec.contract.k
    parsed = parse_predictions(data, set(truth.users), k)
    report.rows = parsed.rows
    if parsed.malformed:
        report.status = "malformed_output"
        report.problems = parsed.malformed + parsed.invalid
        return report
    if parsed.invalid:
        report.status = "invalid_predictions"
        report.problems = parsed.invalid
        return report
    report.users_predicted = len(parsed.ranked)
    report.users_without_predictions = len(set(truth.users) - set(parsed.ranked))
    names, ks = assignment.spec.metrics.names, assignment.spec.cutoffs()
    warm = [u for u in truth.users if u in truth.warm]
    cold = [u for u in truth.users if u not in truth.warm]
    report.scores = Scores(
        all=mean_metrics(parsed.ranked, truth.answers, truth.users, names, ks),
        warm=mean_metrics(parsed.ranked, truth.answers, warm, names, ks),
        cold=mean_metrics(parsed.ranked, truth.answers, cold, names, ks),
    )
    return report


def _missing_entrypoint(assignment: Assignment, folder: Path) -> RunReport | None:
    entry = assignment.spec.contract.entrypoint
    path = folder / entry
    if path.is_file() and not path.is_symlink():
        return None
    return RunReport(
        status="missing_entrypoint",
        problems=_problem("missing_entrypoint", f"the submission has no {entry} at its top level"),
    )


def run_and_judge(assignment: Assignment, truth: Truth, folder: Path) -> RunReport:
    """Run a solution folder on the evaluation input and judge its output."""
    missing = _missing_entrypoint(assignment, folder)
    if missing is not None:
        return missing
    try:
        result, message = run_solution(assignment, folder)
    except SandboxError as exc:
        return RunReport(status="sandbox_error", problems=_problem(exc.code, exc.message))
    return judge(assignment, truth, result, message)


def run_tests(assignment: Assignment, folder: Path) -> TestCounts:
    """The candidate's own tests, with pytest in the sandbox."""
    try:
        result, message = run_solution(assignment, folder, mode="tests")
    except SandboxError as exc:
        return TestCounts(status="error", detail=exc.message)
    if result.status == "timeout":
        return TestCounts(status="timeout", detail=result.detail)
    if message is None or not isinstance(counts := message.get("counts"), dict):
        return TestCounts(status="error", detail=result.detail or result.stderr[-300:])
    total = int(counts.get("tests", 0))
    failures, errors, skipped = (int(counts.get(n, 0)) for n in ("failures", "errors", "skipped"))
    if total == 0:
        return TestCounts(status="no_tests", detail="pytest collected no tests")
    return TestCounts(
        status="ran",
        tests=total,
        passed=max(total - failures - errors - skipped, 0),
        failed=failures,
        errors=errors,
        skipped=skipped,
    )


def _review(submission: Path, source: Literal["directory", "archive"]) -> PortfolioReport | None:
    """The portfolio checklist of the submission (README, tests, packaging, history)."""
    try:
        return review_directory(submission, source=source)
    except PortfolioError:
        return None


# Baseline reports per (assignment, baseline, input) content: they do not change per submission.
_BASELINE_CACHE: dict[str, RunReport] = {}
_BASELINE_LOCK = threading.Lock()


def _content_key(assignment: Assignment, folder: Path) -> str:
    digest = hashlib.sha256(RUNNER.read_bytes())
    digest.update(assignment.spec.model_dump_json().encode())
    for base in (folder, assignment.input_dir, assignment.answers_path.parent):
        for path in sorted(base.rglob("*")):
            if path.is_file() and not path.is_symlink():
                digest.update(path.relative_to(base).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def baseline_report(assignment: Assignment, truth: Truth, folder: Path) -> RunReport:
    """A baseline's report, computed once per content."""
    key = _content_key(assignment, folder)
    with _BASELINE_LOCK:
        cached = _BASELINE_CACHE.get(key)
    if cached is not None:
        return cached
    report = run_and_judge(assignment, truth, folder)
    if report.status == "ok":
        with _BASELINE_LOCK:
            _BASELINE_CACHE[key] = report
    return report


def evaluate_submission(
    assignment: Assignment,
    submission: Path,
    *,
    repeat: bool = True,
    tests: bool = True,
    baselines: bool = True,
    review: bool = True,
    source: Literal["directory", "archive"] = "directory",
) -> EvaluationReport:
    """Run, score and compare one extracted submission folder.

    An extracted upload's `.git` must have been made safe to read first
    (`portfolio.history.sanitise_untrusted_git`); `source` says which it is.
    """
    if not submission.is_dir():
        raise SubmissionNotFoundError(f"no submission folder at {submission}")
    started = time.monotonic()
    truth = Truth.of(assignment)
    # The scored run goes alone, so its wall time and memory are not shared with another run.
    first = run_and_judge(assignment, truth, submission)
    jobs: dict[str, Callable[[], object]] = {}
    if repeat and first.status == "ok":
        jobs["repeat"] = lambda: run_and_judge(assignment, truth, submission)
    if tests and first.status != "missing_entrypoint":
        jobs["tests"] = lambda: run_tests(assignment, submission)
    if baselines:
        for name, folder in assignment.baselines().items():
            jobs[f"baseline:{name}"] = lambda folder=folder: baseline_report(  # type: ignore[misc]
                assignment, truth, folder
            )
    if review:
        jobs["review"] = lambda: _review(submission, source)
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(fn) for name, fn in jobs.items()}
        done: Mapping[str, object] = {name: f.result() for name, f in futures.items()}
    reproducibility = None
    if isinstance(second := done.get("repeat"), RunReport):
        same = second.output_sha256 is not None and second.output_sha256 == first.output_sha256
        reproducibility = Reproducibility(
            same_output=same,
            second_status=second.status,
            detail="" if same else "the second run wrote different predictions",
        )
    counts = done.get("tests")
    checklist = done.get("review")
    return EvaluationReport(
        assignment=assignment.spec.title,
        k=assignment.spec.contract.k,
        cutoffs=assignment.spec.cutoffs(),
        run=first,
        baselines={
            name.removeprefix("baseline:"): value
            for name, value in done.items()
            if name.startswith("baseline:") and isinstance(value, RunReport)
        },
        reproducibility=reproducibility,
        tests=counts if isinstance(counts, TestCounts) else None,
        requirements=check_requirements(submission),
        environment=describe(),
        review=checklist if isinstance(checklist, PortfolioReport) else None,
        total_seconds=round(time.monotonic() - started, 2),
    )
