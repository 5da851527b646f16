"""The co-evolution of dependencies and infrastructure: the network Monopoly (MODEL.md §5).

:class:`Simulation` runs the step loop; :class:`SimulationConfig` holds every
parameter; strategies are plain callables (:mod:`.strategies`); a run's
tables follow ARCHITECTURE §2.3 and :func:`resume` continues a killed run.
"""

from .config import SimulationConfig
from .runner import Run, Simulation, resume
from .strategies import STRATEGIES, Context, register
from .moves import Move

__all__ = ["STRATEGIES", "Context", "Move", "Run", "Simulation", "SimulationConfig", "register", "resume"]
