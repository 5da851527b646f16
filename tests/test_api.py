"""The public API: what `import dependencia as dp` exports, and that each export is documented."""

from __future__ import annotations

import inspect

import dependencia as dp

EXPECTED = {
    "CompiledGraph", "ConservationError", "DependenciaError", "Economy", "Improvement", "InputError", "InputWarning", "Network", "Rents", "Report", "Simulation", "SimulationConfig", "resume",
    "UsageError", "betweenness", "chokepoints", "compile_graph", "concentration", "edits", "examples", "explain",
    "from_networkx", "improve", "multiplex_power", "plot", "power", "reach", "read", "rents", "report", "structural_holes", "sweep", "to_networkx",
    "whatif", "write", "bonacich", "dominance", "katz", "measures", "pagerank", "shock", "systemic_impact",
    "traffic_share", "experiment", "from_mrio", "integrated_ownership", "read_ownership", "validate", "scenarios",
}


def test_exports_are_exactly_the_documented_api():
    assert set(dp.__all__) == EXPECTED
    assert len(dp.__all__) == len(set(dp.__all__))


def test_every_export_exists_and_has_a_docstring():
    for name in dp.__all__:
        obj = getattr(dp, name)
        assert inspect.getdoc(obj), name


def test_public_functions_take_options_by_keyword_only():
    for name in ("betweenness", "power", "rents", "reach", "whatif", "concentration", "multiplex_power"):
        params = list(inspect.signature(getattr(dp, name)).parameters.values())
        assert params[0].name == "network", name
        positional = [p for p in params[1:] if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        assert not positional, (name, [p.name for p in positional])
