"""The package's shape: imports flow one way between layers, no cycles, no hidden imports.

Layers, bottom up (docs/architecture.md): the foundation modules at the top of ``model/``,
then data, engine, scenarios, event_study, calibration, analysis, output, cli. A module may
import from its own layer and the layers below, never above.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "model"
LAYERS = {
    "foundation": 0, "data": 1, "engine": 2, "scenarios": 3, "event_study": 4,
    "calibration": 5, "analysis": 6, "output": 7, "cli": 8,
}
FOUNDATION = {"constants", "dates", "errors", "paths", "io", "summary"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "api"  # model/__init__.py: the public API sits above everything
    if parts[1] in FOUNDATION:
        return "foundation"
    if parts[1] == "__main__":  # python -m model: the command line
        return "cli"
    return parts[1]


def _imports(path: Path) -> list[tuple[str, int, bool]]:
    """(imported model module, line, inside a function) for every import of ``model``."""
    tree = ast.parse(path.read_text())
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((a.name, child.lineno, in_function) for a in child.names
                             if a.name.split(".")[0] == "model")
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0 \
                    and child.module.split(".")[0] == "model":
                for alias in child.names:  # "from model.x import y": y may be a module
                    target = f"{child.module}.{alias.name}"
                    found.append((target if target in MODULES else child.module, child.lineno,
                                  in_function))
            visit(child, inner)

    visit(tree, False)
    return found


EDGES = {name: _imports(path) for name, path in MODULES.items()}


def test_every_module_has_a_known_layer():
    unknown = {m for m in MODULES if layer_of(m) not in (*LAYERS, "api")}
    assert not unknown, f"modules outside the layers of docs/architecture.md: {sorted(unknown)}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if layer_of(m) != "api"))
def test_imports_flow_down(module):
    here = LAYERS[layer_of(module)]
    upward = [f"{target} (line {line})" for target, line, _ in EDGES[module]
              if layer_of(target) == "api" or LAYERS[layer_of(target)] > here]
    assert not upward, f"{module} ({layer_of(module)}) imports from a higher layer: {upward}"


def test_no_import_cycles():
    graph = {m: {t for t, _, _ in EDGES[m] if t in MODULES and t != m} for m in MODULES}
    state: dict[str, int] = {}
    stack: list[str] = []

    def dfs(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                dfs(nxt)
        stack.pop()
        state[node] = 2

    for m in sorted(graph):
        if m not in state:
            dfs(m)


def test_no_function_level_imports_outside_the_command_line():
    # The CLI imports each command's dependencies when the command runs, so `jevons --help`
    # stays fast; nowhere else is an import hidden in a function.
    hidden = [f"{m} line {line} imports {t}" for m, edges in EDGES.items() if layer_of(m) != "cli"
              for t, line, in_function in edges if in_function]
    assert not hidden, hidden


def test_the_seed_literal_appears_once():
    hits = [str(p.relative_to(PACKAGE.parent)) for p in MODULES.values()
            for line in p.read_text().splitlines() if "20250127" in line]
    assert hits == ["model/constants.py"], hits
