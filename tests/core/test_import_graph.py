"""The apps import one another in one direction only: no cycle in the graph of imports between the
packages under src/hrtc (every import counts, at module level or inside a function). A cycle means two
apps that cannot be understood, tested or changed apart; the fix is a registration (AppConfig.ready())
in the app that knows both sides, not a lazy import."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import hrtc

ROOT = Path(hrtc.__file__).parent


def app_imports() -> dict[str, dict[str, list[str]]]:
    """app → other app → where ("file:line") it is imported."""
    apps = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    edges: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for app in sorted(apps):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module:
                    modules = [node.module]
                    if node.module == "hrtc":
                        modules = [f"hrtc.{alias.name}" for alias in node.names]
                elif isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                else:
                    continue
                for module in modules:
                    parts = module.split(".")
                    if parts[0] == "hrtc" and len(parts) > 1 and parts[1] in apps and parts[1] != app:
                        edges[app][parts[1]].append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return edges


def cycles(edges: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """The strongly connected components of more than one app (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in edges.get(node, {}):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_between_apps():
    edges = app_imports()
    found = cycles(edges)
    detail = [
        f"{a} -> {b}: {', '.join(edges[a][b][:3])}"
        for component in found
        for a in component
        for b in component
        if b in edges.get(a, {})
    ]
    assert not found, "import cycles between apps:\n" + "\n".join(detail)


def test_the_check_finds_a_cycle():
    """The check itself can fail: a two-app cycle and a three-app one are found, a chain is not."""
    assert cycles({"a": {"b": ["x"]}, "b": {"a": ["y"]}}) == [["a", "b"]]
    assert cycles({"a": {"b": []}, "b": {"c": []}, "c": {"a": []}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b": []}, "b": {"c": []}}) == []


def test_core_and_reference_import_no_app_above_them():
    """core is the toolkit every app uses, reference the data every app builds on."""
    edges = app_imports()
    assert set(edges.get("core", {})) == set()
    assert set(edges.get("reference", {})) <= {"core"}
