"""What a planted bug is about, in words: the code that holds it and the way it fails.

The system-design question that follows a code review names both (``"`export_candidates`
leaked a database connection ..."``), so that it builds on the code the candidate just fixed.
The holder is read from the source: the innermost Python function (or its route, when a
decorator names one) around the bug's first line, or for JavaScript the nearest enclosing
function, method or route definition.
"""

from __future__ import annotations

import ast
import re

from hiresight.challenges.models import Bug, BugClass, Challenge

# Each phrase follows the holder's name: "`reserve` <phrase>".
FAILURE_MODES: dict[BugClass, str] = {
    "off-by-one": "was off by one at a boundary",
    "unhandled-async-error": "let an asynchronous error go unhandled",
    "resource-leak": "leaked a connection or handle when something failed",
    "race-condition": "raced when two requests ran at the same moment",
    "wrong-status-code": "answered with the wrong HTTP status",
    "pagination": "skipped or repeated rows between pages",
    "injection": "built a query from the caller's input",
    "missing-validation": "accepted input it should have refused",
    "error-swallowing": "swallowed an error instead of reporting it",
    "blocking-io-in-async": "blocked the event loop with synchronous I/O",
    "n-plus-one": "ran one query per row",
    "idempotency": "did the same work twice when a request was repeated",
    "time-handling": "mishandled times and time zones",
    "authorization": "let a caller reach data that was not theirs",
    "other": "had the bug you fixed",
}

_HTTP_VERBS = {"get", "post", "put", "patch", "delete"}
_JS_ROUTE = re.compile(r"""\b\w+\.(get|post|put|patch|delete)\(\s*['"`](/[^'"`]*)['"`]""")
_JS_DEFINITIONS = (
    re.compile(r"^\s*(?:export\s+)?(?:async\s+)?function\s*\*?\s*(\w+)\s*\("),
    re.compile(
        r"^\s*(?:export\s+)?(?:const|let|var)\s+(\w+)\s*=\s*(?:async\s*)?"
        r"(?:function\b|\([^)]*\)\s*=>|\w+\s*=>)"
    ),
    re.compile(r"^\s*(?:module\.)?exports\.(\w+)\s*=\s*(?:async\s*)?(?:function\b|\()"),
    re.compile(r"^\s*(?:static\s+)?(?:async\s+)?\*?\s*(\w+)\s*\([^)]*\)\s*\{"),
)
_JS_CLASS = re.compile(r"^\s*(?:export\s+)?class\s+(\w+)")
_JS_NOT_NAMES = {"if", "for", "while", "switch", "catch", "function", "return", "with"}


def headline_bug(challenge: Challenge) -> Bug:
    """The bug a follow-up question builds on: the most severe, first in the manifest on ties."""
    bugs = challenge.manifest.bugs
    return max(bugs, key=lambda b: (b.severity, -bugs.index(b)))


def failure_mode(bug: Bug) -> str:
    """How the bug fails, phrased to follow the name of the code that holds it."""
    return FAILURE_MODES[bug.bug_class]


def bug_holder(challenge: Challenge, bug: Bug) -> str | None:
    """The function, method or route that holds the bug (see the module docstring), or None."""
    source = challenge.src.get(bug.file)
    if source is None:
        return None
    if challenge.language == "python":
        return _python_holder(source, bug.lines[0])
    return _javascript_holder(source, bug.lines[0])


def _python_route(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    for decorator in node.decorator_list:
        if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
            continue
        verb = decorator.func.attr
        first = decorator.args[0] if decorator.args else None
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            continue
        if verb in _HTTP_VERBS and first.value.startswith("/"):
            return f"{verb.upper()} {first.value}"
        if verb == "route" and first.value.startswith("/"):
            return first.value
    return None


def _python_holder(source: str, line: int) -> str | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    best: ast.FunctionDef | ast.AsyncFunctionDef | None = None
    owner: dict[ast.AST, ast.ClassDef] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            owner.update(dict.fromkeys(node.body, node))
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        last = node.end_lineno or node.lineno
        if first <= line <= last and (best is None or node.lineno > best.lineno):
            best = node
    if best is None:
        return None
    return _python_route(best) or _qualified(owner.get(best), best.name)


def _qualified(cls: ast.ClassDef | str | None, name: str) -> str:
    """`Class.method`, or the class alone for a dunder method (`__call__` is the class at work)."""
    cls_name = cls.name if isinstance(cls, ast.ClassDef) else cls
    if cls_name is None:
        return name
    return cls_name if name.startswith("__") else f"{cls_name}.{name}"


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _javascript_definition(text: str) -> str | None:
    route = _JS_ROUTE.search(text)
    if route:
        return f"{route.group(1).upper()} {route.group(2)}"
    for pattern in _JS_DEFINITIONS:
        match = pattern.match(text)
        if match and match.group(1) not in _JS_NOT_NAMES:
            return match.group(1)
    return None


def _javascript_holder(source: str, line: int) -> str | None:
    lines = source.splitlines()
    if not 1 <= line <= len(lines):
        return None
    limit = _indent(lines[line - 1]) if lines[line - 1].strip() else None
    for index in range(line - 1, -1, -1):
        text = lines[index]
        if not text.strip():
            continue
        enclosing = limit is None or index == line - 1 or _indent(text) < limit
        name = _javascript_definition(text) if enclosing else None
        if name is not None:
            if " " in name:  # a route
                return name
            return _qualified(_javascript_class(lines, index), name)
        if limit is None or _indent(text) < limit:
            limit = _indent(text)
    return None


def _javascript_class(lines: list[str], index: int) -> str | None:
    """The class whose body holds the definition on line `index` (0-based), if any."""
    depth = _indent(lines[index])
    if depth == 0:
        return None
    for text in reversed(lines[:index]):
        if text.strip() and _indent(text) < depth:
            match = _JS_CLASS.match(text)
            return match.group(1) if match else None
    return None
