"""The networks shipped with dependencia, for docs, tests and demos: the scenarios' networks.

Every shipped scenario (``dependencia scenarios list``) is a model file, so
its network loads by name; a scenario's ``simulation:`` section is ignored
here (see :mod:`dependencia.simulation.scenario`).

Examples
--------
>>> from dependencia import examples
>>> "florentine" in examples.names() and "ai-stack" in examples.names()
True
>>> examples.load("florentine").n_actors
15
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from ..errors import InputError
from ..network.model import Network

__all__ = ["names", "path", "load"]

_SUFFIX = ".yaml"


def names() -> list[str]:
    """Names of the shipped example networks."""
    return sorted(p.name[: -len(_SUFFIX)] for p in _folder().iterdir() if p.name.endswith(_SUFFIX))


def _folder() -> Traversable:
    return resources.files("dependencia") / "data" / "scenarios"


def path(name: str) -> Path:
    """The model file of a shipped example."""
    if name not in names():
        raise InputError(f"no shipped example named {name!r}; examples: {', '.join(names())}")
    return Path(str(_folder() / f"{name}{_SUFFIX}"))


def load(name: str) -> Network:
    """Read a shipped example network by name (``"florentine"``, ``"ai-stack"``)."""
    from . import read

    return read(path(name))
