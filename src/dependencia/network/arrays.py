"""A plain edge list as integer arrays: what a graph engine needs of it, without the model's tables.

Read by :mod:`dependencia.io.edge_arrays`; a
:class:`~dependencia.network.model.Network` read from a plain edge list holds
one until its tables are built (:meth:`~dependencia.network.model.Network.plain_edges`),
and :func:`dependencia.graph.compiled.compile_edge_arrays` compiles its graph from it.

Examples
--------
>>> import numpy as np
>>> edges = EdgeArrays(np.array(["a", "b"], dtype=object), np.array([0]), np.array([1]), None)
>>> [(edges.node_ids[s], edges.node_ids[t]) for s, t in zip(edges.source, edges.target)]
[('a', 'b')]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["EdgeArrays"]


@dataclass(frozen=True)
class EdgeArrays:
    """An edge list as arrays: node ``i`` is ``node_ids[i]``; row ``r`` is ``source[r] -> target[r]``.

    ``length`` holds each row's length (None for hop counts). Every node is
    an actor of the default kind.
    """

    node_ids: np.ndarray
    source: np.ndarray
    target: np.ndarray
    length: np.ndarray | None
