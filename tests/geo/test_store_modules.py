"""The store's modules import one way: the backends and the schema never import the
package that chooses between them, and each module imports alone."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

STORE = Path(__file__).resolve().parents[2] / "geo" / "store"
MODULES = sorted(f"geo.store.{p.stem}" if p.stem != "__init__" else "geo.store"
                 for p in STORE.glob("*.py"))


def imports_at_load(module: str) -> set[str]:
    """The geo.store modules ``module`` imports when loaded (not inside functions)."""
    path = STORE / ("__init__.py" if module == "geo.store" else f"{module.split('.')[-1]}.py")
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("geo.store"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("geo.store")}
    return found - {module}


def test_the_store_modules_import_without_a_cycle():
    graph = {module: imports_at_load(module) for module in MODULES}
    assert graph["geo.store.gpkg"] >= {"geo.store.base", "geo.store.schema"}
    done: set[str] = set()

    def visit(module, path):
        assert module not in path, " → ".join([*path, module])
        if module not in done:
            for other in graph.get(module, ()):
                visit(other, [*path, module])
            done.add(module)

    for module in MODULES:
        visit(module, [])
    # Only the package's own __init__ knows the backends.
    for module in MODULES:
        if module != "geo.store":
            assert "geo.store" not in graph[module], module


@pytest.mark.parametrize("module", MODULES)
def test_each_store_module_imports_alone(module):
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True,
                          text=True, cwd=STORE.parents[1])
    assert done.returncode == 0, done.stderr
