"""Dependency reach: who depends on an actor, on whom it depends, and the asymmetry of the two.

docs/model.md#reach-and-asymmetry: ``dependents(a)`` are the actors that depend on a directly or
transitively (those from which a path leads to a in the graph of actors and
infrastructures), ``dependencies(a)`` the actors that a depends on (those a
path from a leads to); asymmetry = (dependents - dependencies) /
(dependents + dependencies). This is the second half of the text's sentence
("on whom many depend and who themselves depend on few") and can disagree
with betweenness: a pure sink has many dependents and zero betweenness.

Counts are exact: strongly connected components are condensed into a DAG,
whose reachable sets are unions of bitsets, column block by column block so
that memory stays bounded whatever the size of the graph. Small DAGs are
counted in Python; DAGs of moderate height with NumPy, level by level
(every node after all it reaches), in blocks of :data:`NUMPY_BLOCK_BYTES`;
the others by a Numba kernel. NumPy spares a process the import of Numba
(and of SciPy, which Numba imports), about 0.5 s and tens of MB, where the
counts need no compiler (issue 19: peak memory); all three give the same
integers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..base.arguments import dimension_list
from ..graph.compiled import CompiledGraph, compile_graph

if TYPE_CHECKING:  # pandas is imported for the table: the counts need only NumPy and igraph (issue 19)
    import pandas as pd

    from ..network.model import Network

__all__ = ["reach", "reach_counts", "reach_frame", "reached_actors"]

#: Bytes of bitsets per column block (components x block width / 8), Numba's kernel.
BLOCK_BYTES = 256 * 2**20
#: Up to this many strong components the reach counts are taken in Python
#: (the same integers): a small network's command then needs no Numba, whose
#: start costs about 0.5 s in a fresh process.
PYTHON_MAX_COMPONENTS = 1000
#: Up to this many strong components, and a DAG of at most :data:`NUMPY_MAX_LEVELS`
#: levels, the counts are taken with NumPy (no Numba, no SciPy in the process).
NUMPY_MAX_COMPONENTS = 1_000_000
#: The NumPy counts take one pass per level and block: deeper DAGs go to Numba.
NUMPY_MAX_LEVELS = 256
#: Bytes of bitsets per column block with NumPy, and of successor bitsets gathered at once. A pass
#: holds about three times this at its peak (the block, the gathered rows, their OR): 2 MB keeps
#: ``dp.power``'s reach columns under the memory of its betweenness pass (issue 19; 8 MB blocks
#: peaked at 22 MB on the 20k/95k benchmark, 2 MB at 8 MB, in the same CPU time).
NUMPY_BLOCK_BYTES = 2 * 2**20


def reach(
    network: Network, *, directed: bool = True, dimensions: str | Sequence[str] | None = None,
    paths: str | None = "routed",
) -> pd.DataFrame:
    """Direct and transitive dependents and dependencies of every actor, and their asymmetry.

    ``paths`` chooses the graph (docs/model.md#graphs): on the routed graph
    (the default) an actor reaches another only through declared chains of
    dependencies; on the hub graph every user of an infrastructure reaches
    every provider through it.

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id: ``direct_dependents`` and ``direct_dependencies``
        (distinct actors in declared dependencies), ``dependents`` and
        ``dependencies`` (transitive, through actors and infrastructures;
        the actor itself not counted), ``asymmetry`` (NaN when both are 0).

    Examples
    --------
    A chain a -> b -> c (a depends on b, b on c): c has two dependents and no
    dependencies, a the reverse.

    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    >>> dp.reach(net)[["dependents", "dependencies", "asymmetry"]].values.tolist()
    [[0.0, 2.0, -1.0], [1.0, 1.0, 0.0], [2.0, 0.0, 1.0]]
    """
    import pandas as pd

    dimensions = dimension_list(dimensions)
    graph = compile_graph(network, dimensions=dimensions, directed=directed, paths=paths)
    deps = network.dependencies
    if dimensions is not None:
        deps = deps[deps["dimension"].isin(list(dimensions))]
    pairs = deps[["dependent", "provider"]].drop_duplicates()
    actors = network.actors.index
    direct_dependents = pairs.groupby("provider").size().reindex(actors, fill_value=0)
    direct_dependencies = pairs.groupby("dependent").size().reindex(actors, fill_value=0)
    if not directed:
        both = pd.concat([pairs, pairs.rename(columns={"dependent": "provider", "provider": "dependent"})])
        both = both.drop_duplicates()
        direct_dependents = both.groupby("provider").size().reindex(actors, fill_value=0)
        direct_dependencies = direct_dependents
    return reach_frame(reach_counts(graph), direct_dependents.to_numpy(), direct_dependencies.to_numpy(), actors)


def reach_counts(graph: CompiledGraph) -> tuple[np.ndarray, np.ndarray]:
    """(dependents, dependencies) of every actor of ``graph``: the actors that reach it, and that it reaches.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    >>> [counts.tolist() for counts in reach_counts(dp.compile_graph(net))]
    [[0, 1, 2], [2, 1, 0]]
    """
    down = reached_actors(graph, reverse=False)[: graph.n_actors] - 1
    up = reached_actors(graph, reverse=True)[: graph.n_actors] - 1
    return up, down


def reach_frame(counts: tuple[np.ndarray, np.ndarray], direct_dependents: np.ndarray,
                direct_dependencies: np.ndarray, actors: Sequence[str] | pd.Index) -> pd.DataFrame:
    """:func:`reach`'s table from the direct counts and the transitive ones (:func:`reach_counts`).

    For a graph compiled from a plain edge list
    (:func:`~dependencia.graph.compiled.compile_edge_arrays`), whose declared dependencies are
    its edges, the direct counts are the graph's in- and out-degrees.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    >>> graph = dp.compile_graph(net)
    >>> reach_frame(reach_counts(graph), graph.in_degree(), graph.out_degree(), ["a", "b", "c"])["asymmetry"].tolist()
    [-1.0, 0.0, 1.0]
    """
    import pandas as pd

    up, down = counts
    total = (up + down).astype(float)
    asymmetry = np.divide(up - down, total, out=np.full(len(total), np.nan), where=total > 0)
    return pd.DataFrame(
        {
            "direct_dependents": direct_dependents,
            "direct_dependencies": direct_dependencies,
            "dependents": up.astype(float),
            "dependencies": down.astype(float),
            "asymmetry": asymmetry,
        },
        index=pd.Index(actors, name="id", dtype=object),
    )


def reached_actors(graph: CompiledGraph, *, reverse: bool) -> np.ndarray:
    """For every node, the number of actors it reaches (itself included if an actor)."""
    engine = graph.to_igraph()
    membership = np.asarray(engine.connected_components(mode="strong").membership, dtype=np.int64)
    n_comp = int(membership.max()) + 1 if len(membership) else 0
    if n_comp == 0:
        return np.zeros(0, dtype=np.int64)
    source, target = membership[graph.source], membership[graph.target]
    if not graph.directed:
        source, target = np.concatenate([source, target]), np.concatenate([target, source])
    if reverse:
        source, target = target, source
    keep = source != target
    key = np.unique(source[keep] * n_comp + target[keep])
    dag_source, dag_target = key // n_comp, key % n_comp
    dag_ptr = np.zeros(n_comp + 1, dtype=np.int64)
    np.cumsum(np.bincount(dag_source, minlength=n_comp), out=dag_ptr[1:])
    topological = _topological_order(n_comp, dag_source, dag_target)
    weight = np.bincount(membership[: graph.n_actors], minlength=n_comp)
    weighted = np.flatnonzero(weight > 0)
    column_of = np.full(n_comp, -1, dtype=np.int64)
    column_of[weighted] = np.arange(len(weighted))
    heavy = np.flatnonzero(weight[weighted] > 1)
    words = max(1, min((len(weighted) + 63) // 64, BLOCK_BYTES // (8 * n_comp)))
    arguments = (topological, dag_ptr, dag_target.astype(np.int64), column_of, heavy.astype(np.int64),
                 (weight[weighted][heavy] - 1).astype(np.int64), len(weighted), words)
    level = None
    if PYTHON_MAX_COMPONENTS < n_comp <= NUMPY_MAX_COMPONENTS:
        level = dag_levels(n_comp, dag_source, dag_target, NUMPY_MAX_LEVELS)
    if n_comp <= PYTHON_MAX_COMPONENTS:
        per_component = reach_weights_python(*arguments)
    elif level is not None:
        per_component = reach_weights_numpy(level, dag_source, dag_target, *arguments[3:7])
    else:
        from . import _kernels

        per_component = _kernels.reach_weights(*arguments)
    return per_component[membership]


def reach_weights_python(topological, dag_ptr, dag_next, column_of, heavy_columns, heavy_extra, n_columns, words):
    """:func:`~dependencia.measures._kernels.reach_weights` in Python, Python integers as bitsets.

    The same counts (integers: the same values, whichever runs), for small DAGs.
    """
    pointers, successors, columns = dag_ptr.tolist(), dag_next.tolist(), column_of.tolist()
    bits = [0] * len(columns)
    for c in reversed(topological.tolist()):
        reached = 1 << columns[c] if columns[c] >= 0 else 0
        for e in range(pointers[c], pointers[c + 1]):
            reached |= bits[successors[e]]
        bits[c] = reached
    extra = list(zip(heavy_columns.tolist(), heavy_extra.tolist()))
    return np.array(
        [reached.bit_count() + sum(add for column, add in extra if reached >> column & 1) for reached in bits],
        dtype=np.int64,
    )


def dag_levels(n: int, source: np.ndarray, target: np.ndarray, limit: int) -> np.ndarray | None:
    """Height of every node of a DAG (0: no successor; else 1 + its successors' greatest), or None above ``limit``.

    One vectorized pass per level: a node's height is final once the pass
    changes nothing.

    Examples
    --------
    >>> dag_levels(4, np.array([0, 1, 0]), np.array([1, 2, 3]), 10).tolist()  # 0 -> 1 -> 2, 0 -> 3
    [2, 1, 0, 0]
    >>> dag_levels(4, np.array([0, 1, 0]), np.array([1, 2, 3]), 1) is None  # height 2 is above 1
    True
    """
    level = np.zeros(n, dtype=np.int64)
    for _ in range(limit + 1):
        higher = level.copy()
        np.maximum.at(higher, source, level[target] + 1)
        if np.array_equal(higher, level):
            return level
        level = higher
    return None


def reach_weights_numpy(
    level: np.ndarray, dag_source: np.ndarray, dag_target: np.ndarray, column_of: np.ndarray,
    heavy_columns: np.ndarray, heavy_extra: np.ndarray, n_columns: int,
) -> np.ndarray:
    """:func:`~dependencia.measures._kernels.reach_weights` with NumPy, level by level (the same integers).

    Nodes of one level (:func:`dag_levels`) reach only nodes of lower levels,
    whose bitsets are complete by then; each level ORs its successors'
    bitsets into its own, grouped by node with ``bitwise_or.reduceat``, at
    most :data:`NUMPY_BLOCK_BYTES` of them gathered at once. Columns are
    taken in blocks of :data:`NUMPY_BLOCK_BYTES` of bitsets.
    """
    n = len(level)
    total = np.zeros(n, dtype=np.int64)
    order = np.lexsort((dag_source, level[dag_source]))  # edges by their source's level, then by source
    source, target = dag_source[order], dag_target[order]
    bounds = np.searchsorted(level[source], np.arange(int(level.max(initial=0)) + 2))
    words = max(1, min((n_columns + 63) // 64, NUMPY_BLOCK_BYTES // (8 * max(n, 1))))
    chunk = max(1, NUMPY_BLOCK_BYTES // (8 * words))
    nodes = np.flatnonzero(column_of >= 0)
    for low in range(0, n_columns, words * 64):
        bits = np.zeros((n, words), dtype=np.uint64)
        own = nodes[(column_of[nodes] >= low) & (column_of[nodes] < low + words * 64)]
        offset = column_of[own] - low
        bits[own, offset >> 6] = np.left_shift(np.uint64(1), (offset & 63).astype(np.uint64))
        for lev in range(1, len(bounds) - 1):
            for first in range(int(bounds[lev]), int(bounds[lev + 1]), chunk):
                last = min(first + chunk, int(bounds[lev + 1]))
                rows = source[first:last]
                starts = np.flatnonzero(np.concatenate([[True], rows[1:] != rows[:-1]]))
                bits[rows[starts]] |= np.bitwise_or.reduceat(bits[target[first:last]], starts, axis=0)
        total += np.bitwise_count(bits).sum(axis=1, dtype=np.int64)
        for column, extra in zip(heavy_columns.tolist(), heavy_extra.tolist()):
            if low <= column < low + words * 64:
                word, shift = (column - low) >> 6, np.uint64((column - low) & 63)
                total += extra * ((bits[:, word] >> shift) & np.uint64(1)).astype(np.int64)
    return total


def _topological_order(n: int, source: np.ndarray, target: np.ndarray) -> np.ndarray:
    from ..base.imports import igraph  # imported without matplotlib.pyplot (0.4 s)

    ig = igraph()

    dag = ig.Graph(n=n, edges=np.column_stack([source, target]), directed=True)
    return np.asarray(dag.topological_sorting(mode="out"), dtype=np.int64)
