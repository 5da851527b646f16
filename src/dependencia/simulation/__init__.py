"""The co-evolution of dependencies and infrastructure: the network Monopoly (docs/model.md#co-evolution-the-network-monopoly).

:class:`Simulation` runs the step loop; :class:`SimulationConfig` holds every
parameter; strategies are plain callables (:mod:`.strategies`); a run's
tables follow docs/simulation.md#results-the-run-folder and :func:`resume` continues a killed run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..base import lazy as _lazy

if TYPE_CHECKING:
    from .config import SimulationConfig
    from .moves import Move
    from .run import Run
    from .runner import Simulation, resume
    from .strategies import STRATEGIES, Context, register

__all__ = ["STRATEGIES", "Context", "Move", "Run", "Simulation", "SimulationConfig", "register", "resume"]

# loaded on first use: the command line lists the shipped scenarios (.scenario) without loading the simulation
__getattr__, __dir__ = _lazy.attributes(__name__, {
    "SimulationConfig": (".config", "SimulationConfig"),
    "Run": (".run", "Run"),
    "Simulation": (".runner", "Simulation"),
    "resume": (".runner", "resume"),
    "STRATEGIES": (".strategies", "STRATEGIES"),
    "Context": (".strategies", "Context"),
    "register": (".strategies", "register"),
    "Move": (".moves", "Move"),
})
