"""dependencia: power as betweenness centrality in a multi-dimensional network of dependencies.

Examples
--------
>>> import dependencia as dp
>>> net = dp.examples.load("florentine")
>>> round(float(dp.betweenness(net)["betweenness"]["Medici"]), 3)
0.522

Notes
-----
The names below are loaded on first use (PEP 562), so ``import dependencia``
and ``dependencia --help`` do not pay for pandas, NetworkX, Numba, igraph and
the rest (docs/architecture.md, "Lazy imports").
"""

from typing import TYPE_CHECKING

from .base import lazy as _lazy
from .base.constants import VERSION as __version__
from .errors import DependenciaError, InputError, InputWarning, UsageError

if TYPE_CHECKING:  # what static analysis sees; at run time each name is loaded on first use
    from .batch.experiment import experiment
    from .batch.sweep import sweep
    from .economics import ConservationError, Economy, Rents, rents
    from .graph import CompiledGraph, compile_graph
    from .io import examples, from_networkx, read, to_networkx, write
    from .io.mrio import from_mrio
    from .io.ownership import read_ownership
    from .io.validation import validate
    from .measures.betweenness import betweenness
    from .measures.centrality import bonacich, katz, pagerank
    from .measures.chokepoints import chokepoints
    from .measures.concentration import concentration
    from .measures.dominance import dominance
    from .measures.explain import explain
    from .measures.improve import Improvement, improve
    from .measures.multiplex import multiplex_power
    from .measures.panel import measures
    from .measures.power import power
    from .measures.reach import reach
    from .measures.shock import shock, systemic_impact
    from .measures.structural_holes import structural_holes
    from .measures.traffic import traffic_share
    from .measures.whatif import whatif
    from .network import edits
    from .network.model import Network
    from .network.ownership import integrated_ownership
    from .report.html import Report, report
    from .report.plots import plot
    from .simulation import Simulation, SimulationConfig, resume
    from .simulation.catalog import scenarios

__all__ = [
    "CompiledGraph",
    "ConservationError",
    "DependenciaError",
    "Economy",
    "Improvement",
    "InputError",
    "InputWarning",
    "Network",
    "Rents",
    "Report",
    "Simulation",
    "SimulationConfig",
    "UsageError",
    "betweenness",
    "bonacich",
    "chokepoints",
    "compile_graph",
    "concentration",
    "dominance",
    "edits",
    "plot",
    "power",
    "examples",
    "experiment",
    "explain",
    "from_mrio",
    "from_networkx",
    "improve",
    "integrated_ownership",
    "katz",
    "measures",
    "multiplex_power",
    "pagerank",
    "reach",
    "read",
    "read_ownership",
    "rents",
    "report",
    "resume",
    "scenarios",
    "structural_holes",
    "shock",
    "sweep",
    "systemic_impact",
    "to_networkx",
    "traffic_share",
    "validate",
    "whatif",
    "write",
]

# public name -> (module that defines it, attribute; None for the module itself)
_LAZY: dict[str, tuple[str, str | None]] = {
    "edits": (".network.edits", None),
    "examples": (".io.examples", None),
    "ConservationError": (".economics", "ConservationError"),
    "Economy": (".economics", "Economy"),
    "Rents": (".economics", "Rents"),
    "rents": (".economics", "rents"),
    "CompiledGraph": (".graph", "CompiledGraph"),
    "compile_graph": (".graph", "compile_graph"),
    "from_mrio": (".io.mrio", "from_mrio"),
    "from_networkx": (".io", "from_networkx"),
    "read": (".io", "read"),
    "to_networkx": (".io", "to_networkx"),
    "write": (".io", "write"),
    "betweenness": (".measures.betweenness", "betweenness"),
    "bonacich": (".measures.centrality", "bonacich"),
    "katz": (".measures.centrality", "katz"),
    "pagerank": (".measures.centrality", "pagerank"),
    "measures": (".measures.panel", "measures"),
    "traffic_share": (".measures.traffic", "traffic_share"),
    "chokepoints": (".measures.chokepoints", "chokepoints"),
    "concentration": (".measures.concentration", "concentration"),
    "dominance": (".measures.dominance", "dominance"),
    "explain": (".measures.explain", "explain"),
    "Improvement": (".measures.improve", "Improvement"),
    "improve": (".measures.improve", "improve"),
    "multiplex_power": (".measures.multiplex", "multiplex_power"),
    "power": (".measures.power", "power"),
    "reach": (".measures.reach", "reach"),
    "shock": (".measures.shock", "shock"),
    "systemic_impact": (".measures.shock", "systemic_impact"),
    "structural_holes": (".measures.structural_holes", "structural_holes"),
    "whatif": (".measures.whatif", "whatif"),
    "Network": (".network.model", "Network"),
    "integrated_ownership": (".network.ownership", "integrated_ownership"),
    "read_ownership": (".io.ownership", "read_ownership"),
    "validate": (".io.validation", "validate"),
    "Report": (".report.html", "Report"),
    "report": (".report.html", "report"),
    "plot": (".report.plots", "plot"),
    "Simulation": (".simulation", "Simulation"),
    "SimulationConfig": (".simulation", "SimulationConfig"),
    "resume": (".simulation", "resume"),
    "scenarios": (".simulation.catalog", "scenarios"),
    "sweep": (".batch.sweep", "sweep"),
    "experiment": (".batch.experiment", "experiment"),
}


__getattr__, __dir__ = _lazy.attributes(__name__, _LAZY)
