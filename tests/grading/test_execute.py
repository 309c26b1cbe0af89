"""The runner protocol: events on the private channel, and resuming after a test kills the run."""

from __future__ import annotations

import pytest

from hiresight.grading.execute import _events, run_suite
from hiresight.sandbox import SandboxLimits


def test_events_are_json_lines_of_the_channel() -> None:
    """The supervisor's channel is read line by line; broken JSON and non-objects are dropped."""
    channel = '{"event": "start", "id": "t::a"}\nnot-json\n[1, 2]\n{"event": "done"}\n'
    assert _events(channel) == [{"event": "start", "id": "t::a"}, {"event": "done"}]


def test_printed_events_are_not_read() -> None:
    """A test that prints well-formed result events to stdout and stderr does not pass."""
    line = '{"event": "result", "id": "test_x.py::test_a", "status": "passed", "message": ""}'
    tests = {
        "test_x.py": (
            "import os, sys\n\n"
            "def test_a():\n"
            f"    print({line!r})\n"
            f"    sys.stderr.write({line!r} + '\\n')\n"
            "    os._exit(0)\n"
        )
    }
    suite = run_suite("python", {}, tests, ["test_x.py::test_a"], limits=SandboxLimits())
    assert suite.outcomes["test_x.py::test_a"].status == "error"


def test_a_test_that_kills_the_process_is_charged_and_the_rest_still_run() -> None:
    """os._exit in one test marks it as error; the others pass (each test has its own process)."""
    tests = {
        "test_x.py": (
            "import os\n\n"
            "def test_first():\n    assert True\n\n"
            "def test_exits():\n    os._exit(3)\n\n"
            "def test_last():\n    assert 1 + 1 == 2\n"
        )
    }
    ids = ["test_x.py::test_first", "test_x.py::test_exits", "test_x.py::test_last"]
    suite = run_suite("python", {"m.py": ""}, tests, ids, limits=SandboxLimits(wall_seconds=5))
    assert {k: v.status for k, v in suite.outcomes.items()} == {
        "test_x.py::test_first": "passed",
        "test_x.py::test_exits": "error",
        "test_x.py::test_last": "passed",
    }
    assert len(suite.runs) == 1
    assert "exited (code 3)" in suite.outcomes["test_x.py::test_exits"].message


def test_import_error_fails_every_test_of_the_file() -> None:
    """A test module that cannot import its code reports each of its tests as error."""
    tests = {"test_y.py": "import missing_module\n\ndef test_a():\n    pass\n"}
    suite = run_suite("python", {}, tests, ["test_y.py::test_a"], limits=SandboxLimits())
    outcome = suite.outcomes["test_y.py::test_a"]
    assert outcome.status == "error"
    assert "ModuleNotFoundError" in outcome.message


def test_a_missing_node_is_an_infrastructure_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the supervisor cannot start node, the suite says so instead of failing each test."""
    from hiresight.grading import execute

    real = execute.run_config

    def broken(*args: object, **kwargs: object) -> dict[str, object]:
        config = real(*args, **kwargs)  # type: ignore[arg-type]
        return {**config, "node": ["/usr/bin/no-such-node"]}

    monkeypatch.setattr(execute, "run_config", broken)
    tests = {"a.test.js": "const test = require('node:test');\ntest('a', () => {});\n"}
    suite = run_suite("javascript", {}, tests, ["a.test.js::a"], limits=SandboxLimits())
    assert suite.infrastructure_error is not None
