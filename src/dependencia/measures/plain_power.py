"""Actor power of a plain edge list from its compiled graph alone: ``dependencia power`` without the Network (issue 19).

A plain edge list (:mod:`~dependencia.io.edge_arrays`: sources, targets,
perhaps lengths, an actors file of ids at most) has no infrastructure, no
ownership, no control and no authority: every actor's controlled group is
its own node, it is its own top-level controller, and its declared
dependencies are the graph's edges. :func:`plain_power` computes
:func:`~dependencia.power`'s table from the graph of
:func:`~dependencia.graph.compiled.compile_edge_arrays` with the same
computation (:func:`~dependencia.measures.power_sums.power_sums`) and the same
table builders, so that the values are the same bytes as from the Network
read in full; pandas is imported for the table, after the workers ended, and
the Network's tables are never built.

Examples
--------
>>> import numpy as np
>>> from dependencia.graph.compiled import compile_edge_arrays
>>> from dependencia.io.edge_arrays import EdgeArrays
>>> graph = compile_edge_arrays(EdgeArrays(np.array(["a", "b", "c"], dtype=object), np.array([0, 1]),
...                                        np.array([1, 2]), None))
>>> table = plain_power(graph, normalized=False)
>>> table["power"].tolist(), table["dependents"].tolist(), table["direct_dependencies"].tolist()
([0.0, 1.0, 0.0], [0.0, 1.0, 2.0], [1, 1, 0])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ..graph.compiled import CompiledGraph
from ..network.fields import DEFAULT_KIND
from .power_sums import power_sums

if TYPE_CHECKING:  # pandas is imported for the table, once the values are computed
    import pandas as pd

__all__ = ["plain_power"]


def plain_power(
    graph: CompiledGraph,
    *,
    normalized: bool = True,
    workers: int | None = None,
    scheduler: str | None = None,
    epsilon: float | None = None,
    delta: float | None = None,
    seed: int = 0,
    exact: bool | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """:func:`~dependencia.power`'s table (without Burt's columns) for the graph of a plain edge list.

    The arguments are :func:`~dependencia.power`'s; ``graph`` must come
    from :func:`~dependencia.graph.compiled.compile_edge_arrays` (every
    node an actor of the default kind, its edges the declared dependencies).
    """
    n = graph.n_actors
    if graph.n_nodes != n:
        raise ValueError("plain_power takes the graph of a plain edge list (actors only)")
    nodes = np.arange(n)
    sums = power_sums(graph, [nodes[a:a + 1] for a in range(n)], normalized=normalized, workers=workers,
                      scheduler=scheduler, progress=progress, epsilon=epsilon, delta=delta, seed=seed,
                      exact=exact)
    from ..base.executor import return_free_memory
    from .reach import reach_counts, reach_frame

    counts = reach_counts(graph)  # before pandas is imported: its transients and pandas' import do not add up
    return_free_memory()
    from .power_table import power_frame, with_reach  # pandas: the table

    ids = graph.node_ids[:n]
    frame = power_frame(ids, sums.ordered, sums.actors_in_group, directed=graph.directed, normalized=normalized,
                        betweenness=sums.node[:n], controls=[0] * n, controllers=ids.tolist(),
                        top=np.ones(n, dtype=bool), authority=[[] for _ in range(n)])
    frame.attrs.update(sums.attrs)
    direct_dependents, direct_dependencies = graph.in_degree()[:n], graph.out_degree()[:n]
    return with_reach(frame, [DEFAULT_KIND] * n, reach_frame(counts, direct_dependents, direct_dependencies, ids))
