"""Small example networks shipped with dependencia, for docs, tests and demos.

Examples
--------
>>> from dependencia import examples
>>> examples.names()
['ai-stack', 'florentine']
>>> examples.load("florentine").n_actors
15
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import InputError
from .model import Network

__all__ = ["names", "path", "load"]

_SUFFIX = ".yaml"


def names() -> list[str]:
    """Names of the shipped example networks."""
    folder = resources.files("dependencia") / "data"
    return sorted(p.name[: -len(_SUFFIX)] for p in folder.iterdir() if p.name.endswith(_SUFFIX))


def path(name: str) -> Path:
    """The model file of a shipped example."""
    if name not in names():
        raise InputError(f"no shipped example named {name!r}; examples: {', '.join(names())}")
    return Path(str(resources.files("dependencia") / "data" / f"{name}{_SUFFIX}"))


def load(name: str) -> Network:
    """Read a shipped example network by name (``"florentine"``, ``"ai-stack"``)."""
    from .io import read

    return read(path(name))
