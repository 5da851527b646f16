"""dependencia: power as betweenness centrality in a multi-dimensional network of dependencies.

Examples
--------
>>> import dependencia as dp
>>> net = dp.examples.load("florentine")
>>> round(float(dp.betweenness(net)["betweenness"]["Medici"]), 3)
0.522
"""

from . import edits, examples
from .economics import ConservationError, Economy, Rents, rents
from .errors import DependenciaError, InputError, UsageError
from .graph import CompiledGraph, compile_graph
from .io import from_networkx, read, to_networkx, write
from .measures.betweenness import betweenness
from .measures.chokepoints import chokepoints
from .measures.concentration import concentration
from .measures.explain import explain
from .measures.improve import Improvement, improve
from .measures.multiplex import multiplex_power
from .measures.power import power
from .measures.reach import reach
from .measures.structural_holes import structural_holes
from .measures.whatif import whatif
from .model import Network
from .report.plots import plot
from .report.html import Report, report  # after the line above: dp.report is the function, not the subpackage
from .simulation import Simulation, SimulationConfig, resume
from .simulation.sweep import sweep

__version__ = "0.1.0"

__all__ = [
    "CompiledGraph",
    "ConservationError",
    "DependenciaError",
    "Economy",
    "Improvement",
    "InputError",
    "Network",
    "Rents",
    "Report",
    "Simulation",
    "SimulationConfig",
    "UsageError",
    "betweenness",
    "chokepoints",
    "compile_graph",
    "concentration",
    "edits",
    "plot",
    "power",
    "examples",
    "explain",
    "from_networkx",
    "improve",
    "multiplex_power",
    "reach",
    "read",
    "rents",
    "report",
    "resume",
    "structural_holes",
    "sweep",
    "to_networkx",
    "whatif",
    "write",
]
