"""The package import graph runs one way: no cycle between packages, every import points down.

Every `hiresight.X` import inside `hiresight.Y` is an edge Y -> X between top-level packages
(or top-level modules such as `deps`). The packages are stacked in LAYERS, lowest first; a
package may import only packages in layers below its own, so the graph cannot grow a cycle. A
new package must be placed in a layer here (and in docs/architecture.md, "Package graph").
Handlers (`api.py`, `pages.py`) get users and records through dependencies only: they import no
access policy and never read a role.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import hiresight

ROOT = Path(hiresight.__file__).parent
# The composition layer wires the domains together (the app, the CLI, the composition root);
# it may import every domain, and a domain's CLI or a provider getter may ask it for the built
# services, so it is not a node of the domain graph.
COMPOSITION = {"app", "runtime", "cli", "cli_support", "__main__"}

# Lowest first. The same order, with what each layer holds, is in docs/architecture.md.
LAYERS: list[set[str]] = [
    {"errors", "settings", "db", "sandbox", "observability", "currencies"},
    {"limits", "storable", "overload", "deps", "embeddings", "portfolio", "banks", "challenges",
     "engagement", "audit", "tasks", "migrate", "speech", "ranking"},
    {"grading", "scoring", "web"},
    {"accounts"},
    {"profiles", "webhooks"},
    {"jobs"},
    {"interviews", "takehome"},
    {"matching", "appeals"},
    {"partners"},
    {"review", "demo"},
    {"fairness"},
    {"privacy"},
    {"models"},
    {"migrations"},
]  # fmt: skip


def _package(path: Path) -> str:
    rel = path.relative_to(ROOT)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def import_graph() -> dict[str, set[str]]:
    """Edges between top-level packages and modules of `hiresight`, from every import."""
    edges: dict[str, set[str]] = defaultdict(set)
    for path in ROOT.rglob("*.py"):
        source = _package(path)
        if source in COMPOSITION:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            for name in names:
                parts = name.split(".")
                if parts[0] != "hiresight" or len(parts) < 2:
                    continue
                target = parts[1]
                exists = (ROOT / target).is_dir() or (ROOT / f"{target}.py").exists()
                if exists and target != source and target not in COMPOSITION:
                    edges[source].add(target)
    return edges


def tangles(edges: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components with more than one package (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in list(edges):
        if node not in index:
            visit(node)
    return found


def test_tarjan_finds_a_known_cycle() -> None:
    """A known graph: a -> b -> c -> a is one tangle, d hangs off it alone."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert tangles(graph) == [{"a", "b", "c"}]


def _layer_of() -> dict[str, int]:
    return {name: depth for depth, layer in enumerate(LAYERS) for name in layer}


def test_every_package_has_a_layer() -> None:
    """A package or top-level module outside the composition layer is placed in exactly one
    layer, so its allowed imports are a decision, not an accident."""
    names = {_package(path) for path in ROOT.rglob("*.py")} - COMPOSITION - {"__init__"}
    placed = [name for layer in LAYERS for name in layer]
    assert len(placed) == len(set(placed)), "a package is in two layers"
    assert names - set(placed) == set(), "place the new package in LAYERS"
    assert set(placed) - names == set(), "a listed package no longer exists"


def test_imports_point_down() -> None:
    """Each import goes to a lower layer; a same-layer or upward import is named here."""
    layer = _layer_of()
    upward = sorted(
        f"{source} -> {target}"
        for source, targets in import_graph().items()
        for target in targets
        if layer[target] >= layer[source]
    )
    assert upward == []


def test_no_import_cycle() -> None:
    """No two packages import each other, directly or around a loop."""
    assert tangles(import_graph()) == []


def _handler_files() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if p.name in {"api.py", "pages.py"})


def access_imports(source: str) -> list[int]:
    """Lines that import an access policy module (`x.access`, or `access` from a package)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            if any(name.split(".")[-1] == "access" for name in names):
                lines.append(node.lineno)
    return lines


def role_branches(source: str) -> list[int]:
    """Lines that compare a `.role` (an `if`, a `match` or any comparison on a role)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare | ast.Match) and any(
            isinstance(n, ast.Attribute) and n.attr == "role" for n in ast.walk(node)
        ):
            lines.append(node.lineno)
    return lines


def test_handlers_import_no_access_policy() -> None:
    """Handlers receive records through `deps`; the policies in `access.py` are for those
    dependencies and for services, never called from a handler."""
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _handler_files()
        for line in access_imports(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_handlers_never_branch_on_a_role() -> None:
    """A role check is a dependency (`StaffUser`, `PageCandidate`...), never a comparison in
    a handler."""
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _handler_files()
        for line in role_branches(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_handler_checks_find_a_known_sample() -> None:
    """Known answers: an access import and a role comparison are found; passing a role on and
    importing deps are not."""
    sample = (
        "from hiresight.jobs import access\n"
        "from hiresight.jobs.deps import ReadableJob\n"
        "from hiresight.interviews.access import attempt_for_owner\n"
        "if user.role is Role.candidate:\n"
        "    create(role=data.role)\n"
        "allowed = user.role in {Role.admin}\n"
    )
    assert access_imports(sample) == [1, 3]
    assert role_branches(sample) == [4, 6]
