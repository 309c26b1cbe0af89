"""The live recommender never imports the offline laboratory: only the `recs` CLI may."""

from __future__ import annotations

import ast
from pathlib import Path

import hiresight.matching

MATCHING = Path(hiresight.matching.__file__).parent
LAB = "hiresight.matching.lab"
# The CLI runs the laboratory's commands (evaluate, simulate, train from a log).
ALLOWED = {MATCHING / "cli.py"}


def _imported(tree: ast.AST, package: str) -> set[str]:
    """Absolute names of every module an import in `tree` refers to (relative ones resolved)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def lab_importers() -> list[str]:
    """Modules of `hiresight.matching` outside `lab/` (and not the CLI) importing the lab."""
    offenders = []
    for path in sorted(MATCHING.rglob("*.py")):
        if path.is_relative_to(MATCHING / "lab") or path in ALLOWED:
            continue
        rel = path.relative_to(MATCHING.parent.parent).with_suffix("")
        package = ".".join(rel.parts[:-1])  # a module's package, or an __init__'s own
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(n == LAB or n.startswith(f"{LAB}.") for n in _imported(tree, package)):
            offenders.append(str(path.relative_to(MATCHING)))
    return offenders


def test_live_matching_modules_do_not_import_the_lab() -> None:
    assert lab_importers() == []


def test_the_check_sees_an_import_of_the_lab() -> None:
    tree = ast.parse("from hiresight.matching.lab import evaluate\nfrom .lab.metrics import x\n")
    names = _imported(tree, "hiresight.matching")
    assert "hiresight.matching.lab.evaluate" in names
    assert "hiresight.matching.lab.metrics" in names
