"""docs/challenges.md stays true: every problem code, CLI command and report field is there."""

from __future__ import annotations

import re
from pathlib import Path

from hiresight.grading import checker
from hiresight.challenges.models import BugClass
from hiresight.grading.report import GradedTest, GradeReport

DOC = Path(__file__).resolve().parents[2] / "docs" / "challenges.md"


def test_every_checker_problem_code_is_documented() -> None:
    """Each code the checker can emit appears in the docs' table."""
    source = Path(checker.__file__).read_text()
    codes = set(re.findall(r'\badd\(\s*"([a-z_]+)"', source))
    codes |= set(re.findall(r'code = "([a-z_]+)" if', source))
    assert len(codes) > 10
    text = DOC.read_text()
    assert sorted(c for c in codes if f"`{c}`" not in text) == []


def test_bug_classes_commands_and_report_fields_are_documented() -> None:
    """The vocabulary, the CLI commands and the JSON report fields are all named."""
    text = DOC.read_text()
    for bug_class in BugClass.__args__:
        assert f"`{bug_class}`" in text
    for command in ("hiresight challenges check", "hiresight challenges list", "hiresight grade"):
        assert command in text
    for field in [*GradeReport.model_fields, *GradedTest.model_fields]:
        assert f'"{field}"' in text
