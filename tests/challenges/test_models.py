"""The manifest schema: vocabulary, ranges, ids."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from pydantic import ValidationError

from hiresight.challenges.models import Manifest
from tests.challenges.factories import FIXTURES, PY_FIXTURE


def _manifest() -> dict[str, Any]:
    return tomllib.loads((FIXTURES / PY_FIXTURE / "challenge.toml").read_text())


def test_fixture_manifest_parses_with_aliases_and_limits() -> None:
    """`class` maps to bug_class and [limits] overrides only the given keys."""
    manifest = Manifest.model_validate(_manifest())
    assert manifest.bugs[0].bug_class == "missing-validation"
    assert manifest.bugs[1].lines == (26, 27)
    assert manifest.limits.wall_seconds == 10
    assert manifest.limits.memory_mb == 512


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("bugs", 0, "class"), "typo", "class"),
        (("bugs", 0, "severity"), 4, "severity"),
        (("difficulty",), 0, "difficulty"),
        (("difficulty",), 6, "difficulty"),
        (("language",), "ruby", "language"),
        (("id",), "Py_Orders", "id"),
        (("bugs", 0, "lines"), [5, 2], "lines"),
        (("bugs", 0, "tests"), ["test_inventory.py-no-separator"], "tests"),
        (("limits",), {"wall_seconds": -1}, "wall_seconds"),
        (("surprise",), "x", "surprise"),
    ],
)
def test_invalid_values_are_rejected(path: tuple[Any, ...], value: Any, field: str) -> None:
    """Each out-of-vocabulary or out-of-range value fails validation naming its field."""
    data = _manifest()
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ValidationError) as info:
        Manifest.model_validate(data)
    assert field in str(info.value)


def test_duplicate_bug_ids_are_rejected() -> None:
    """Two bugs with one id would make grading ambiguous."""
    data = _manifest()
    data["bugs"][1]["id"] = data["bugs"][0]["id"]
    with pytest.raises(ValidationError, match="unique"):
        Manifest.model_validate(data)
