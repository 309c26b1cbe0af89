"""Find test ids in a test tree without running it (host-side, never executes code)."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping

from hiresight.challenges.models import Language

# JS test names must be string literals for the ids to be known before running; the checker
# compares this list with what the runner reports on the reference solution.
_JS_TEST_CALL = re.compile(
    r"""^\s*(?:test|it)\s*\(\s*(?P<q>['"`])(?P<name>(?:\\.|(?!(?P=q)).)*)(?P=q)""",
    re.MULTILINE,
)


def python_test_names(source: str) -> list[str]:
    """Top-level `test*` functions of a Python test module (what the lean runner runs)."""
    tree = ast.parse(source)
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    ]


def is_test_file(language: Language, rel: str) -> bool:
    """Whether the runner of `language` picks this file up."""
    name = rel.rsplit("/", 1)[-1]
    if language == "python":
        return "/" not in rel and name.startswith("test_") and name.endswith(".py")
    return name.endswith(".test.js")


def discover(language: Language, tests: Mapping[str, str]) -> list[str]:
    """Every test id (`FILE::NAME`) in a test tree, in runner order."""
    ids: list[str] = []
    for rel in sorted(tests):
        if not is_test_file(language, rel):
            continue
        if language == "python":
            names = python_test_names(tests[rel])
        else:
            names = [m.group("name") for m in _JS_TEST_CALL.finditer(tests[rel])]
        ids.extend(f"{rel}::{name}" for name in names)
    return ids
