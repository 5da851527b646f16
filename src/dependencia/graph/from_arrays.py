"""The compiled graph of a plain edge list, from its arrays (issue 19: peak memory).

:func:`compile_edge_arrays` builds, from
:class:`~dependencia.io.edge_arrays.EdgeArrays`, the same
:class:`~dependencia.graph.compiled.CompiledGraph` that
:func:`~dependencia.graph.compiled.compile_graph` builds from the Network
read from that file (the same node order, the same collapsed edges, strengths
and lengths, field by field; tested), without the Network's tables and without pandas: every
dependency has the default dimension and strength 1, and no route, so the
routed and the hub graph are the same.

Examples
--------
>>> import numpy as np
>>> from dependencia.io.edge_arrays import EdgeArrays
>>> arrays = EdgeArrays(np.array(["a", "b", "c"], dtype=object), np.array([0, 1, 0]), np.array([1, 2, 1]), None)
>>> graph = compile_edge_arrays(arrays)
>>> graph.source.tolist(), graph.target.tolist(), graph.strength.tolist()  # the parallel a -> b collapsed
([0, 1], [1, 2], [2.0, 1.0])
"""

from __future__ import annotations

import numpy as np

from ..io.edge_arrays import EdgeArrays
from ..network.fields import DEFAULT_DIMENSION
from .compiled import CompiledGraph
from .hops import collapse_sorted, path_mode, sort_hops

__all__ = ["compile_edge_arrays"]


def compile_edge_arrays(
    arrays: EdgeArrays, *, length: str | None = None, directed: bool = True, paths: str | None = "routed"
) -> CompiledGraph:
    """The graph of ``arrays`` as :func:`~dependencia.graph.compiled.compile_graph` compiles its network.

    ``length`` names the column that ``arrays.length`` was read from (None:
    hop counts); ``directed`` and ``paths`` as in ``compile_graph``.
    """
    n = len(arrays.node_ids)
    source, target = arrays.source, arrays.target
    if not directed:
        source, target = np.minimum(source, target), np.maximum(source, target)
    key, order = sort_hops(source, target, n)
    lengths = None if arrays.length is None or length is None else arrays.length[order]
    edge_key, edge_strength, edge_length = collapse_sorted(key, np.ones(len(key)), lengths)
    return CompiledGraph(  # its ``index`` is built when first asked for (with pandas, after the computation)
        node_ids=np.asarray(arrays.node_ids, dtype=object),
        n_actors=n,
        source=edge_key // max(n, 1),
        target=edge_key % max(n, 1),
        strength=edge_strength,
        length=edge_length,
        directed=directed,
        dimensions=(DEFAULT_DIMENSION,),
        length_name=length,
        all_dimensions=True,
        paths=path_mode(paths),
        n_model=n,
        route_infrastructure=np.zeros(0, dtype=np.int64),
        route_key=np.zeros(0, dtype=object),
    )
