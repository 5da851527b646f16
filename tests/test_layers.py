"""The house keeps its shape: layers import only downward and no import cycle is left.

import-linter's layers contract (pyproject.toml, run by ``make test`` as
``lint-imports``) says which folder may import which; it does not see a cycle
inside one folder. This test builds the package's import graph with grimp
(import-linter's engine), imports inside functions and under ``TYPE_CHECKING``
included, and asserts that its strongly connected components are single
modules, so that no module reaches itself through its imports.
"""

from __future__ import annotations

import grimp
import networkx as nx
import pytest

PACKAGE = "dependencia"


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    imports = grimp.build_graph(PACKAGE, exclude_type_checking_imports=False, cache_dir=None)
    directed = nx.DiGraph()
    for module in imports.modules:
        directed.add_node(module)
        for imported in imports.find_modules_directly_imported_by(module):
            directed.add_edge(module, imported)
    return directed


def test_no_import_cycle(graph: nx.DiGraph) -> None:
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert not cycles, f"import cycles: {cycles}"


def test_cli_imported_only_by_the_entry_point(graph: nx.DiGraph) -> None:
    importers = {m for m, target in graph.edges if target == f"{PACKAGE}.cli" or target.startswith(f"{PACKAGE}.cli.")}
    assert {m for m in importers if not m.startswith(f"{PACKAGE}.cli")} == {f"{PACKAGE}.__main__"}


def test_root_holds_only_the_api_and_the_entry_points() -> None:
    from pathlib import Path

    import dependencia

    root = Path(dependencia.__file__).parent
    modules = sorted(p.name for p in root.glob("*.py"))
    assert modules == ["__init__.py", "__main__.py", "_warmup.py", "errors.py"]
