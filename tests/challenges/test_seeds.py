"""A planted bug in words: the code that holds it and how it fails, on known sources."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from hiresight.challenges.models import BugClass, Challenge, Manifest
from hiresight.challenges.seeds import FAILURE_MODES, bug_holder, failure_mode, headline_bug
from tests.challenges.factories import JS_FIXTURE, PY_FIXTURE, fixture_challenge


def _one_bug(language: str, source: str, line: int, severity: int = 1) -> Challenge:
    name = "a.py" if language == "python" else "a.js"
    manifest = Manifest.model_validate({
        "id": "c", "title": "C", "language": language, "difficulty": 1, "minutes": 5,
        "scenario": "s",
        "bugs": [{
            "id": "b", "file": name, "lines": [line, line], "class": "resource-leak",
            "severity": severity, "tests": ["t::t"],
            "explanation": {"problem": "p", "fix": "f", "impact": "i"},
        }],
    })  # fmt: skip
    return Challenge(manifest=manifest, root=Path("c"), src={name: source}, tests={}, solution={})


def _holder(language: str, source: str, line: int) -> str | None:
    challenge = _one_bug(language, source, line)
    return bug_holder(challenge, challenge.manifest.bugs[0])


def test_fixture_bugs_are_held_by_their_functions() -> None:
    """The fixtures' bugs: a method is named with its class, a plain function by its name."""
    py, js = fixture_challenge(PY_FIXTURE), fixture_challenge(JS_FIXTURE)
    assert [bug_holder(py, b) for b in py.manifest.bugs] == ["Inventory.reserve", "Inventory.page"]
    assert [bug_holder(js, b) for b in js.manifest.bugs] == ["parseLimit", "loadAll"]


def test_headline_bug_is_the_most_severe_then_the_first() -> None:
    """Severity first (the JS fixture's severity-3 bug is second), manifest order on ties."""
    assert headline_bug(fixture_challenge(JS_FIXTURE)).id == "foreach-async"
    assert headline_bug(fixture_challenge(PY_FIXTURE)).id == "reserve-validation"


PY_SOURCE = """import x


@app.get("/orders/<oid>")
def get_order(oid):
    return db.get(oid)


class Exporter:
    async def __call__(self, request):
        rows = []
        return rows

    def close(self):
        pass


def helper():
    def inner():
        return 1
    return inner
"""


@pytest.mark.parametrize(
    ("line", "holder"),
    [
        (6, "GET /orders/<oid>"),  # a route names its method and path
        (4, "GET /orders/<oid>"),  # the decorator line belongs to the function
        (12, "Exporter"),  # a dunder method is the class at work
        (15, "Exporter.close"),
        (20, "inner"),  # the innermost function
        (1, None),  # module level: no holder
    ],
)
def test_python_holder(line: int, holder: str | None) -> None:
    """Known Python lines and the function, method or route that holds each."""
    assert _holder("python", PY_SOURCE, line) == holder


JS_SOURCE = """'use strict';

router.get('/candidates/:id', async (req, res) => {
  const row = await db.one(req.params.id);
  res.end(row);
});

class Exporter {
  async run(jobId) {
    if (!jobId) {
      return null;
    }
    return jobId;
  }
}

const toCsv = (rows) => rows.join('\\n');

exports.stream = async function (res) {
  res.end();
};
"""


@pytest.mark.parametrize(
    ("line", "holder"),
    [
        (4, "GET /candidates/:id"),
        (11, "Exporter.run"),  # inside an `if` of a class method
        (17, "toCsv"),
        (20, "stream"),
        (1, None),
    ],
)
def test_javascript_holder(line: int, holder: str | None) -> None:
    """Known JavaScript lines and the function, method or route that holds each."""
    assert _holder("javascript", JS_SOURCE, line) == holder


def test_every_bug_class_has_a_failure_mode() -> None:
    """Each class of the manifest vocabulary reads as a phrase after the holder's name."""
    challenge = _one_bug("python", PY_SOURCE, 6)
    assert (
        failure_mode(challenge.manifest.bugs[0])
        == "leaked a connection or handle when something failed"
    )
    assert set(FAILURE_MODES) == set(get_args(BugClass))
    assert all(phrase and not phrase.endswith(".") for phrase in FAILURE_MODES.values())
