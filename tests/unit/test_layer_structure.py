"""The layer's shape holds: plumbing never imports a business area, an area never reaches into
another's store, areas depend on each other in one direction only, and no two areas' key
prefixes can collide."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from funnel_core.store import keyspace

LAYER = Path(__file__).resolve().parents[2] / "layers" / "funnel_core" / "python" / "funnel_core"
# Business areas, each allowed to import only those before it.
AREAS = ["ontology", "builder", "pages", "analytics", "visitors", "leads", "commerce", "search"]
# Shared plumbing beside the areas.
PLUMBING = {
    "audit",
    "caller",
    "container",
    "errors",
    "http",
    "ids",
    "models",
    "observability",
    "settings",
    "signing",
    "store",
    "validation",
}
KEY_MODULES = [
    "funnel_core.store.tenancy",
    "funnel_core.audit.keys",
    "funnel_core.ontology.keys",
    "funnel_core.builder.keys",
    "funnel_core.pages.keys",
    "funnel_core.visitors.keys",
    "funnel_core.leads.keys",
    "funnel_core.commerce.keys",
]


def _top_level(name: str) -> str:
    return name.split(".")[1] if name.startswith("funnel_core.") else ""


def _imports(path: Path) -> list[str]:
    """Every funnel_core module the file imports, at module level or inside functions."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("funnel_core"):
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.startswith("funnel_core")]
    return found


def _modules() -> list[tuple[str, Path]]:
    return [(path.relative_to(LAYER).parts[0].removesuffix(".py"), path) for path in sorted(LAYER.rglob("*.py"))]


def test_every_part_of_the_layer_is_an_area_or_plumbing():
    parts = {part for part, _ in _modules()} - {"__init__"}
    assert parts == set(AREAS) | PLUMBING, "a new package is either a business area (AREAS) or plumbing (PLUMBING)"


def test_plumbing_never_imports_a_business_area():
    offending = [
        (str(path.relative_to(LAYER)), imported)
        for part, path in _modules()
        if part in PLUMBING
        for imported in _imports(path)
        if _top_level(imported) in AREAS
    ]
    assert offending == []


def test_an_area_imports_only_the_areas_before_it():
    offending = [
        (str(path.relative_to(LAYER)), imported)
        for part, path in _modules()
        if part in AREAS
        for imported in _imports(path)
        if _top_level(imported) in AREAS and AREAS.index(_top_level(imported)) > AREAS.index(part)
    ]
    assert offending == []


def test_no_area_reaches_into_another_areas_store():
    offending = [
        (str(path.relative_to(LAYER)), imported)
        for part, path in _modules()
        for imported in _imports(path)
        if imported.split(".")[2:3] == ["store"] and _top_level(imported) in AREAS and _top_level(imported) != part
    ]
    assert offending == []


def test_the_layer_imports_nothing_of_the_local_stack_or_the_tests():
    offending = [
        (str(path.relative_to(LAYER)), node.module)
        for _, path in _modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in {"local", "tests"}
    ]
    assert offending == []


def test_no_two_areas_key_prefixes_collide():
    for module in KEY_MODULES:
        importlib.import_module(module)

    assert set(keyspace.registered()) == {
        "tenancy",
        "audit",
        "ontology",
        "builder",
        "pages",
        "analytics",
        "visitors",
        "leads",
        "commerce",
    }
    assert keyspace.collisions() == []


def test_a_colliding_prefix_is_caught(monkeypatch: pytest.MonkeyPatch):
    # Given the areas' prefixes, and a new area that would keep its items under THING#x
    for module in KEY_MODULES:
        importlib.import_module(module)
    monkeypatch.setattr(keyspace, "_registered", dict(keyspace.registered()))

    # When it registers them
    keyspace.register(keyspace.Prefixes(area="newcomer", sorts=("THING#X",), ids=("fnl",)))

    # Then both collisions are named, with the areas they collide with
    assert sorted(keyspace.collisions()) == [
        ("ids", "builder", "fnl_", "newcomer", "fnl"),
        ("sorts", "ontology", "THING#", "newcomer", "THING#X"),
    ]
