"""Tests for the scoring types: versions for every kind and validated score ranges."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from hiresight.scoring.types import RUBRIC_VERSIONS, AnswerKind, RubricPoint, Score


def test_every_kind_has_a_rubric_version() -> None:
    """Each answer kind has a distinct, versioned rubric label."""
    assert set(RUBRIC_VERSIONS) == set(AnswerKind)
    assert len(set(RUBRIC_VERSIONS.values())) == len(AnswerKind)
    assert all(re.search(r"\.v\d+$", v) for v in RUBRIC_VERSIONS.values())


def test_score_value_must_be_in_range() -> None:
    """A score above 100 is rejected."""
    with pytest.raises(ValidationError):
        Score(value=101, kind=AnswerKind.RESUME, rubric_version="x", provider="p")


def test_rubric_point_weight_must_be_positive() -> None:
    """A zero-weight rubric point is rejected."""
    with pytest.raises(ValidationError):
        RubricPoint(id="a", text="b", weight=0)
