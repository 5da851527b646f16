"""Checking the arguments shared by the public functions (docs/api.md).

Examples
--------
>>> dimension_list("compute")
['compute']
>>> dimension_list(("compute", "energy", "compute"))
['compute', 'energy']
>>> dimension_list(None) is None
True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ..errors import UsageError


def dimension_list(dimensions: Any, name: str = "dimensions") -> list[str] | None:
    """``dimensions`` as a list of names without repeats, or None for all.

    A string is one dimension (never a sequence of letters); an iterable of
    strings is those dimensions in order. Anything else is a
    :class:`~dependencia.errors.UsageError` naming the argument.
    """
    if dimensions is None:
        return None
    if isinstance(dimensions, str):
        return [dimensions]
    if isinstance(dimensions, (bytes, bytearray)) or not isinstance(dimensions, Iterable):
        raise UsageError(f"{name} must be a dimension name or a list of them, not {type(dimensions).__name__}")
    names = list(dimensions)
    bad = [d for d in names if not isinstance(d, str)]
    if bad:
        raise UsageError(f"{name} must hold dimension names (strings), not {type(bad[0]).__name__} {bad[0]!r}")
    return list(dict.fromkeys(names))


def seed_value(seed: Any, name: str = "seed") -> int:
    """``seed`` checked to be an int (default 0 everywhere; None is refused, never "unseeded").

    Every seeded function draws from its own ``numpy.random.default_rng(seed)``,
    never from Python's or numpy's global state.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise UsageError(f"{name} must be an int (default 0), not {type(seed).__name__} {seed!r}")
    if seed < 0:
        raise UsageError(f"{name} must be >= 0, got {seed}")
    return int(seed)
