"""Run a test tree against a source tree in the sandbox and collect one outcome per test."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from hiresight.challenges.models import Language
from hiresight.grading.runners import runner_source
from hiresight.sandbox import SandboxLimits, SandboxResult, run

TestStatus = Literal["passed", "failed", "error", "timeout", "memory-limit", "output-limit"]

# One slow test must not eat the whole run's wall clock; real tests take milliseconds.
DEFAULT_TEST_TIMEOUT = 2.0
NODE = "/usr/bin/node"
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
    """The in-sandbox command that runs `.hiresight/run.json`: the supervisor, any language."""
    # -I: ignore PYTHON* env, user site and the script's dir; -B: no .pyc writes; -S: no site.
    return ["/usr/bin/python3", "-I", "-B", "-S", ".hiresight/runner.py"]


def run_config(
    language: Language,
    limits: SandboxLimits,
    *,
    timeout: float,
    tests_dir: str,
    only: Sequence[str],
    check: Sequence[str] = (),
) -> dict[str, object]:
    """The supervisor's `.hiresight/run.json` (nothing secret: the sandbox can read it)."""
    return {
        "language": language,
        "timeout": timeout,
        "tests_dir": tests_dir,
        "only": list(only),
        "check": list(check),
        "node": [NODE, f"--max-old-space-size={limits.memory_mb}"],
    }


def build_files(
    language: Language,
    src: Mapping[str, str],
    tests: Mapping[str, str],
    tests_dir: str,
    config: Mapping[str, object],
) -> dict[str, bytes | str]:
    """The work dir of one run: src/, the tests, the runners and their config."""
    files: dict[str, bytes | str] = {f"src/{k}": v for k, v in src.items()}
    files.update({f"{tests_dir}/{k}": v for k, v in tests.items()})
    files[".hiresight/runner.py"] = runner_source("pyrunner.py")
    files[".hiresight/childwatch.py"] = runner_source("childwatch.py")
    if language == "python":
        files[".hiresight/pychild.py"] = runner_source("pychild.py")
    else:
        files[".hiresight/jsrunner.js"] = runner_source("jsrunner.js")
    files[".hiresight/run.json"] = json.dumps(config)
    return files


def _events(channel: str) -> list[dict[str, object]]:
    """The supervisor's events: one JSON object per line of the private result channel."""
    events = []
    for line in channel.splitlines():
        try:
            event = json.loads(line)
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
        config = run_config(
            language,
            limits,
            timeout=timeout,
            tests_dir=tests_dir,
            only=remaining,
            check=check_syntax if not suite.runs else (),
        )
        result = run(
            runner_command(language, limits),
            build_files(language, src, tests, tests_dir, config),
            limits=limits,
            large_address_space=language == "javascript",
            channel=True,
        )
        suite.runs.append(result)
        events = _events(result.channel)
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
            elif kind == "unavailable":
                # A test interpreter could not start (e.g. node missing): ours, not theirs.
                suite.infrastructure_error = (
                    f"the test runner did not start: {event.get('message')}"
                )
                return suite
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
