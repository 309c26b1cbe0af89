"""Run a test tree against a source tree in the sandbox and collect one outcome per test."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from hiresight.challenges.models import Language
from hiresight.grading.runners import runner_source
from hiresight.sandbox import SandboxLimits, SandboxResult, run

TestStatus = Literal["passed", "failed", "error", "timeout", "memory-limit", "output-limit"]

# One slow test must not eat the whole run's wall clock; real tests take milliseconds.
DEFAULT_TEST_TIMEOUT = 2.0
_RUNNERS = {"python": "pyrunner.py", "javascript": "jsrunner.js"}
_SANDBOX_TO_TEST_STATUS: dict[str, TestStatus] = {
    "timeout": "timeout",
    "memory-limit": "memory-limit",
    "output-limit": "output-limit",
}


@dataclass(frozen=True)
class Outcome:
    """One test's result as the runner (or the sandbox's verdict) reported it."""

    status: TestStatus
    message: str


@dataclass(frozen=True)
class SyntaxIssue:
    """A source file that does not compile."""

    file: str
    line: int | None
    message: str


@dataclass
class SuiteRun:
    """The outcome of every expected test, plus what running them cost."""

    outcomes: dict[str, Outcome] = field(default_factory=dict)
    syntax_errors: list[SyntaxIssue] = field(default_factory=list)
    runs: list[SandboxResult] = field(default_factory=list)
    infrastructure_error: str | None = None

    @property
    def wall_ms(self) -> float:
        """Wall time summed over sandbox runs."""
        return sum(r.wall_ms for r in self.runs)

    @property
    def cpu_ms(self) -> float:
        """CPU time summed over sandbox runs."""
        return sum(r.cpu_ms for r in self.runs)

    @property
    def peak_memory_bytes(self) -> int:
        """The largest memory peak of any sandbox run (cgroup peak, else max RSS)."""
        return max(
            (r.peak_memory_bytes or r.max_rss_kb * 1024 for r in self.runs),
            default=0,
        )


def runner_command(language: Language, limits: SandboxLimits) -> list[str]:
    """The in-sandbox command that runs `.hiresight/run.json`."""
    if language == "python":
        # -I: ignore PYTHON* env and user site; -B: no .pyc writes; -S: no site (faster start).
        return ["/usr/bin/python3", "-I", "-B", "-S", ".hiresight/runner.py"]
    return [
        "/usr/bin/node",
        f"--max-old-space-size={limits.memory_mb}",
        # node:test's default TAP report would only repeat our result lines into the capped
        # output; the silent reporter drops it.
        "--test-reporter=./.hiresight/silent_reporter.js",
        "--test-reporter-destination=stderr",
        ".hiresight/runner.js",
    ]


def build_files(
    language: Language,
    src: Mapping[str, str],
    tests: Mapping[str, str],
    tests_dir: str,
    config: Mapping[str, object],
) -> dict[str, bytes | str]:
    """The work dir of one run: src/, the tests, the runner and its config."""
    files: dict[str, bytes | str] = {f"src/{k}": v for k, v in src.items()}
    files.update({f"{tests_dir}/{k}": v for k, v in tests.items()})
    runner = _RUNNERS[language]
    files[f".hiresight/runner.{runner.rsplit('.', 1)[1]}"] = runner_source(runner)
    if language == "javascript":
        files[".hiresight/silent_reporter.js"] = runner_source("silent_reporter.js")
    files[".hiresight/run.json"] = json.dumps(config)
    return files


def _events(stdout: str, nonce: str) -> list[dict[str, object]]:
    events = []
    for line in stdout.splitlines():
        head, _, body = line.partition(" ")
        if head != nonce:
            continue
        try:
            event = json.loads(body)
        except json.JSONDecodeError:
            continue
        if isinstance(event, dict):
            events.append(event)
    return events


def _status(value: object) -> TestStatus:
    allowed = ("passed", "failed", "error", "timeout", "memory-limit", "output-limit")
    return value if isinstance(value, str) and value in allowed else "error"  # type: ignore[return-value]


def run_suite(
    language: Language,
    src: Mapping[str, str],
    tests: Mapping[str, str],
    expected: Sequence[str],
    *,
    limits: SandboxLimits,
    tests_dir: str = "tests",
    test_timeout: float | None = None,
    check_syntax: Sequence[str] = (),
) -> SuiteRun:
    """Run the `expected` test ids; a run killed mid-test is resumed after the culprit."""
    timeout = test_timeout or min(DEFAULT_TEST_TIMEOUT, limits.wall_seconds / 2)
    suite = SuiteRun()
    remaining = list(expected)
    file_errors: dict[str, str] = {}
    while remaining:
        nonce = secrets.token_hex(16)
        config = {
            "nonce": nonce,
            "timeout": timeout,
            "tests_dir": tests_dir,
            "only": remaining,
            "check": list(check_syntax) if not suite.runs else [],
        }
        result = run(
            runner_command(language, limits),
            build_files(language, src, tests, tests_dir, config),
            limits=limits,
            large_address_space=language == "javascript",
        )
        suite.runs.append(result)
        events = _events(result.stdout, nonce)
        started: list[str] = []
        done = False
        for event in events:
            kind = event.get("event")
            if kind == "syntax-error":
                line = event.get("line")
                suite.syntax_errors.append(
                    SyntaxIssue(
                        file=str(event.get("file")),
                        line=line if isinstance(line, int) else None,
                        message=str(event.get("message", ""))[:300],
                    )
                )
            elif kind == "file-error":
                file_errors[str(event.get("file"))] = str(event.get("message", ""))[:300]
            elif kind == "start":
                started.append(str(event.get("id")))
            elif kind == "result":
                test_id = str(event.get("id"))
                suite.outcomes[test_id] = Outcome(
                    _status(event.get("status")), str(event.get("message", ""))
                )
            elif kind == "done":
                done = True
        if suite.syntax_errors:
            return suite
        if not events:
            # Not even "ready": the sandbox or the interpreter failed before any candidate
            # code ran, so this is our failure, never the candidate's.
            reason = result.detail or result.stderr.strip()[:300] or f"exit code {result.exit_code}"
            suite.infrastructure_error = f"the test runner did not start: {reason}"
            return suite
        # The test running when the sandbox was stopped is the one that broke the limit.
        for test_id in started:
            if test_id not in suite.outcomes:
                verdict = _SANDBOX_TO_TEST_STATUS.get(result.status, "error")
                reason = result.detail or f"the test process exited (code {result.exit_code})"
                suite.outcomes[test_id] = Outcome(verdict, reason)
        before = len(remaining)
        remaining = [t for t in remaining if t not in suite.outcomes]
        if done or len(remaining) == before:
            break
    for test_id in remaining:
        file = test_id.split("::", 1)[0]
        reason = file_errors.get(file) or "the test did not run (not found, or the run stopped)"
        suite.outcomes[test_id] = Outcome("error", reason)
    return suite
