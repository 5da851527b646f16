"""Scenario files: a model file plus a ``simulation:`` section, and the scenarios shipped with dependencia.

Examples
--------
>>> from dependencia.simulation.scenario import load_scenario, scenario_names
>>> "debt-brake" in scenario_names()
True
>>> network, config = load_scenario("debt-brake")
>>> config.policies.debt_brake.enabled
True
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, UsageError

if TYPE_CHECKING:  # imported where used: the CLI help lists scenario_names() without loading pandas
    from ..network.model import Network
    from .config import SimulationConfig

__all__ = ["has_simulation_section", "load_scenario", "read_scenario", "scenario_names", "scenario_path"]

_SUFFIX = ".yaml"


def _folder():
    return resources.files("dependencia") / "data" / "scenarios"


def scenario_names() -> list[str]:
    """Names of the shipped scenarios."""
    return sorted(p.name[: -len(_SUFFIX)] for p in _folder().iterdir() if p.name.endswith(_SUFFIX))


def scenario_path(name: str) -> Path:
    """The file of a shipped scenario."""
    if name not in scenario_names():
        raise InputError(f"no shipped scenario named {name!r}; scenarios: {', '.join(scenario_names())}")
    return Path(str(_folder() / f"{name}{_SUFFIX}"))


def read_scenario(path: str | os.PathLike[str]) -> tuple[Network, SimulationConfig]:
    """Read a scenario file (YAML or JSON): the network and its ``simulation:`` section (defaults if absent)."""
    from ..io.modelfile import load_document, network_from_document
    from .config import SimulationConfig, split_where

    source = str(path)
    document = load_document(path)
    network = network_from_document(document, source)
    section = document.get("simulation") if isinstance(document, dict) else None
    config = SimulationConfig.from_mapping(section, source=source)
    from .phases import Phases  # the simulation's own check: unknown actors, strategies, dimensions

    try:
        Phases.check(network, config)
    except UsageError as problem:  # a section that does not fit the file's own network: name the file
        where, message = split_where(str(problem))
        raise InputError(message, source=source,
                         where=f"simulation.{where}" if where else "simulation") from None
    return network, config


def has_simulation_section(name_or_path: str) -> bool:
    """Whether a shipped scenario or scenario file has a ``simulation:`` section."""
    from ..io.modelfile import load_document

    path = Path(name_or_path)
    if not path.exists() and name_or_path in scenario_names():
        path = scenario_path(name_or_path)
    document = load_document(path)
    return isinstance(document, dict) and document.get("simulation") is not None


def load_scenario(name_or_path: str) -> tuple[Network, SimulationConfig]:
    """A shipped scenario by name, or a scenario file by path."""
    path = Path(name_or_path)
    if not path.exists() and name_or_path in scenario_names():
        path = scenario_path(name_or_path)
    elif not path.exists():
        raise InputError(f"no such file, and no shipped scenario of that name ({', '.join(scenario_names())})",
                         source=name_or_path)
    return read_scenario(path)
