"""The package import graph: no new tangle between domain packages, and the known ones shrink.

Every `hiresight.X` import inside `hiresight.Y` is an edge Y -> X between top-level packages
(or top-level modules such as `authz`). The goal is an acyclic graph. Until then the tangles that
exist are listed here, so that a change can only remove edges from them: a new two-way edge or a
package joining a tangle fails, and so does a listed edge that no longer exists (delete it from
the list, and from docs/architecture.md).
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

# Two-way imports still to cut (docs/architecture.md, "Package graph").
KNOWN_TWO_WAY = {
    ("accounts", "deps"),
    ("authz", "interviews"),
    ("authz", "jobs"),
    ("authz", "tasks"),
    ("deps", "interviews"),
    ("deps", "jobs"),
    ("deps", "profiles"),
}
# The packages caught in import cycles today; none may join them.
KNOWN_TANGLES = [
    {
        "accounts", "authz", "deps", "interviews", "jobs", "profiles", "tasks", "web",
    },
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


def test_no_new_two_way_import() -> None:
    """Two packages importing each other are only the listed, shrinking debt."""
    edges = import_graph()
    two_way = {tuple(sorted((a, b))) for a in edges for b in edges[a] if a in edges.get(b, ())}
    assert two_way - KNOWN_TWO_WAY == set(), "a new two-way import between packages"
    assert KNOWN_TWO_WAY - two_way == set(), "cut: remove it from KNOWN_TWO_WAY and the docs"


def test_no_package_joins_a_tangle() -> None:
    """Every import cycle stays inside the packages already tangled; none grows."""
    for component in tangles(import_graph()):
        assert any(component <= known for known in KNOWN_TANGLES), sorted(component)
