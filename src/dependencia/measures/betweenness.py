"""Node betweenness centrality, exact and approximate, with NetworkX's conventions.

The betweenness of a node v is the sum, over ordered pairs of distinct nodes
(s, t) with s != v != t, of the share of shortest s-t paths that pass through
v (Brandes 2001). NetworkX's conventions are the contract:

* ``normalized=True`` divides by (n-1)(n-2); on undirected graphs the sum runs
  over unordered pairs and is divided by (n-1)(n-2)/2, which is the same value;
* ``normalized=False`` on an undirected graph halves the ordered-pair sum;
* ``endpoints=True`` also counts s and t as on their own paths, and then
  normalizes by n(n-1);
* graphs with n <= 2 (n < 2 with endpoints) are not rescaled.

The engines count differently (igraph counts each unordered pair once on
undirected graphs; NetworKit's estimators divide by n(n-1)); this module
converts their values exactly.

Tied path lengths: lengths are compared with igraph's rule, equal within a
relative 1e-10. NetworkX compares sums of lengths exactly, so the two can only
differ where two distinct path lengths differ by less than that (for example
0.1 + 0.2 against 0.3).

References
----------
U. Brandes, "A faster algorithm for betweenness centrality", Journal of
Mathematical Sociology 25(2), 163-177 (2001). doi:10.1080/0022250X.2001.9990249

M. Riondato and E. M. Kornaropoulos, "Fast approximation of betweenness
centrality through sampling", Data Mining and Knowledge Discovery 30,
438-475 (2016). doi:10.1007/s10618-015-0423-0

M. Borassi and E. Natale, "KADABRA is an ADaptive Algorithm for Betweenness
via Random Approximation", ESA 2016. doi:10.4230/LIPIcs.ESA.2016.20
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..base import constants as _constants
from ..base.arguments import dimension_list, seed_value
from ..base.executor import Executor
from ..errors import UsageError
from ..graph.compiled import CompiledGraph, compile_graph
from ..network.fields import DEFAULT_KIND
from ._pair_sums import PARALLEL_MIN_COST, SOURCE_GROUPS, executor_for, source_slices
from .approximation import (
    DEFAULT_DELTA,
    DEFAULT_EPSILON,
    DEFAULT_SEED,
    METHODS,
    approximate_betweenness,
    approximation_method,
    source_sample_size,
)
from .brandes import Scale, endpoint_counts, exact_betweenness, source_sums

if TYPE_CHECKING:  # pandas is imported once the values are computed: `power --by node` on a plain edge list
    import pandas as pd  # computes with NumPy and igraph alone (issue 19: peak memory)

    from ..network.model import Network

# the exact sums live in .brandes, the approximations in .approximation; their names stay importable from here
__all__ = ["DEFAULT_DELTA", "DEFAULT_EPSILON", "DEFAULT_SEED", "EXACT_COST_LIMIT", "METHODS", "PARALLEL_MIN_COST",
           "SOURCE_GROUPS", "Scale", "approximate_betweenness", "approximation_method", "betweenness",
           "endpoint_counts", "exact_betweenness", "executor_for", "graph_betweenness", "node_columns", "node_table",
           "plain_node_columns", "source_sample_size", "source_slices", "source_sums"]

#: Above this many node-edge products (n times m) ``betweenness`` approximates
#: unless asked for exact values (defined in ``_constants``, which the CLI help reads without NumPy).
EXACT_COST_LIMIT = _constants.EXACT_COST_LIMIT


def betweenness(
    network: Network,
    *,
    normalized: bool = True,
    endpoints: bool = False,
    directed: bool = True,
    length: str | None = None,
    dimensions: str | Sequence[str] | None = None,
    exact: bool | None = None,
    epsilon: float | None = None,
    delta: float | None = None,
    seed: int = 0,
    method: str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    paths: str | None = "routed",
) -> pd.DataFrame:
    """Betweenness of every node (actors and infrastructures) of a network.

    Parameters
    ----------
    network : Network
    normalized : bool, default True
        Divide by the number of node pairs, as NetworkX does.
    endpoints : bool, default False
        Count a path's endpoints as on the path.
    directed : bool, default True
        False treats every dependency as undirected.
    length : str, optional
        Dependency attribute to use as path length; hop counts when omitted.
    dimensions : str or sequence of str, optional
        Dimensions to aggregate; all when omitted.
    exact : bool, optional
        True forces exact values, False forces approximation. By default the
        computation is exact when n*m <= ``EXACT_COST_LIMIT`` and no epsilon
        is given.
    epsilon, delta : float, optional
        Approximation: every value is within epsilon (on the normalized scale)
        of the exact one with probability at least 1 - delta. Defaults 0.01
        and 0.1.
    seed : int, default 0
        Seed of the sampling; the same seed gives the same values.
    method : {"kadabra", "rk", "sources"}, optional
        How to approximate (see :func:`approximate_betweenness`); by default
        "kadabra" on directed graphs (hop counts or lengths), "rk" on
        undirected ones.
        On the routed graph "kadabra" or "sources" (see ``paths``).
    workers : int, optional
        Worker processes for exact values (all cores by default). The values
        are the same bytes whatever the number.
    scheduler : str, optional
        Run on Dask instead of local processes: ``"dask"`` for a local
        cluster, or a scheduler address. Same values, same bytes.
    paths : {"routed", "hub"}, default "routed"
        The graph (docs/model.md#graphs). On the routed graph of a network
        with infrastructures, paths run between actors only: an actor's value
        sums over ordered actor pairs (normalized by (n_A-1)(n_A-2)), an
        infrastructure's is the group betweenness of its route nodes (or its
        one node, if open) over all ordered actor pairs (normalized by
        n_A(n_A-1)); approximation samples shortest paths between actor
        pairs (``"kadabra"``) or source actors (``"sources"``), by default
        the one of smaller estimated cost. On the hub graph, and on any graph without
        infrastructures, NetworkX's conventions over all nodes.

    Returns
    -------
    pandas.DataFrame
        Indexed by node id (actors, then infrastructures), in node order, with column ``betweenness``.
        ``frame.attrs`` records ``exact``, ``epsilon``, ``delta``, ``seed``,
        ``method`` (None when exact), ``normalized``, ``directed``,
        ``endpoints``, ``n_nodes``, ``n_edges``.

    Examples
    --------
    On the path a -> b -> c, b lies on the only a-c path; normalized by
    (n-1)(n-2) = 2 that is 0.5:

    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    >>> dp.betweenness(net)["betweenness"].to_dict()
    {'a': 0.0, 'b': 0.5, 'c': 0.0}
    """
    dimensions = dimension_list(dimensions)
    graph = compile_graph(network, dimensions=dimensions, length=length, directed=directed, paths=paths)
    return graph_betweenness(
        graph, normalized=normalized, endpoints=endpoints, exact=exact, epsilon=epsilon, delta=delta, seed=seed,
        method=method, workers=workers, scheduler=scheduler,
    )


def graph_betweenness(
    graph: CompiledGraph,
    *,
    normalized: bool = True,
    endpoints: bool = False,
    exact: bool | None = None,
    epsilon: float | None = None,
    delta: float | None = None,
    seed: int = 0,
    method: str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """:func:`betweenness` on an already compiled graph.

    ``progress``, if given, is called with (groups done, groups in all).
    """
    if exact and epsilon is not None:
        raise UsageError("choose either exact values or an epsilon, not both")
    approximate = exact is False or epsilon is not None or (
        exact is None and graph.n_nodes * graph.n_edges > EXACT_COST_LIMIT
    )
    if graph.paths == "routed" and graph.n_model_nodes > graph.n_actors:
        from .routed import routed_betweenness

        routed = routed_betweenness(graph, normalized=normalized, endpoints=endpoints, approximate=approximate,
                                    epsilon=epsilon, delta=delta, seed=seed, method=method, workers=workers,
                                    scheduler=scheduler, progress=progress)
        routed.attrs.update(graph_attrs(graph))
        return routed
    attrs = {
        "measure": "betweenness", "exact": not approximate, "normalized": normalized,
        "directed": graph.directed, "endpoints": endpoints, "n_nodes": graph.n_nodes,
        "n_edges": graph.n_edges, "epsilon": None, "delta": None, "seed": None, "method": None,
    }
    executor = Executor(workers, scheduler=scheduler, progress=progress)
    if approximate:
        epsilon = DEFAULT_EPSILON if epsilon is None else epsilon
        delta = DEFAULT_DELTA if delta is None else delta
        seed = seed_value(seed)
        method = approximation_method(graph, method)
        # path sampling runs on Numba's threads unless workers or a scheduler were asked for
        asked = workers is not None or scheduler is not None
        values = approximate_betweenness(
            graph, epsilon=epsilon, delta=delta, seed=seed, normalized=normalized, endpoints=endpoints,
            executor=executor if asked or method != "kadabra" else None, method=method,
        )
        attrs.update(epsilon=epsilon, delta=delta, seed=seed, method=method)
    else:
        values = exact_betweenness(graph, normalized=normalized, endpoints=endpoints, executor=executor)
    import pandas as pd  # after the computation, whose workers have ended

    frame = pd.DataFrame({"betweenness": values}, index=pd.Index(graph.node_ids, name="id", dtype=object))
    frame.attrs.update(attrs)
    frame.attrs.update(graph_attrs(graph))
    return frame


def graph_attrs(graph: CompiledGraph) -> dict[str, object]:
    """What a result says of the graph it was computed on (its ``attrs``, the header of the command's output).

    ``n_model_nodes`` counts actors and infrastructures, ``n_route_nodes``
    the route nodes of the routed graph besides them.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "d"}, {"id": "p"}],
    ...     [{"dependent": "d", "provider": "p", "via": ["X"]}], infrastructures=[{"id": "X", "owner": "p"}])
    >>> graph_attrs(dp.compile_graph(net))
    {'paths': 'routed', 'n_model_nodes': 3, 'n_actors': 2, 'n_route_nodes': 1, 'n_edges': 2, 'dimensions': ['default']}
    """
    return {"paths": graph.paths, "n_model_nodes": graph.n_model_nodes, "n_actors": graph.n_actors,
            "n_route_nodes": graph.n_route_nodes, "n_edges": graph.n_edges, "dimensions": list(graph.dimensions)}


def node_table(
    network: Network,
    *,
    normalized: bool = True,
    endpoints: bool = False,
    directed: bool = True,
    length: str | None = None,
    dimensions: str | Sequence[str] | None = None,
    exact: bool | None = None,
    epsilon: float | None = None,
    delta: float | None = None,
    seed: int = 0,
    workers: int | None = None,
    scheduler: str | None = None,
    paths: str | None = "routed",
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """:func:`betweenness` of every actor and infrastructure beside its kind and declared neighbours.

    The table of ``dependencia power --by node``, as :func:`~dependencia.power`
    is that of ``--by actor``: the same arguments and defaults as
    :func:`betweenness` (exact up to a graph cost of ``EXACT_COST_LIMIT``,
    approximate above), and the columns of :func:`node_columns`.
    ``progress``, if given, is called with (groups done, groups in all).

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    >>> node_table(net).to_dict(orient="list")
    {'kind': ['actor', 'actor', 'actor'], 'betweenness': [0.0, 0.5, 0.0], 'dependents': [0, 1, 1], 'dependencies': [1, 1, 0]}
    """
    dimensions = dimension_list(dimensions)
    graph = compile_graph(network, dimensions=dimensions, length=length, directed=directed, paths=paths)
    frame = graph_betweenness(graph, normalized=normalized, endpoints=endpoints, exact=exact, epsilon=epsilon,
                              delta=delta, seed=seed, workers=workers, scheduler=scheduler, progress=progress)
    return node_columns(frame, network, graph)


def node_columns(frame: pd.DataFrame, network: Network, graph: CompiledGraph) -> pd.DataFrame:
    """``frame`` (node betweenness on ``graph``) with ``kind`` first and the declared neighbours after.

    ``kind`` is the actor's kind, or ``infrastructure``; ``dependents`` and
    ``dependencies`` count the node's declared neighbours: its in- and
    out-degree on the hub graph of the same dimensions (an infrastructure's
    links are its routes' hops, counted once). ``frame.attrs`` are kept.
    """
    kinds = list(network.actors["kind"]) + ["infrastructure"] * network.n_infrastructures
    linked = graph if graph.n_route_nodes == 0 else compile_graph(
        network, dimensions=list(graph.dimensions), length=graph.length_name, directed=graph.directed,
        paths="hub")
    return _with_columns(frame, kinds, linked)


def plain_node_columns(frame: pd.DataFrame, graph: CompiledGraph) -> pd.DataFrame:
    """:func:`node_columns` for the graph of a plain edge list (:func:`~dependencia.graph.compiled.compile_edge_arrays`).

    Every node is an actor of the default kind and the graph has no route
    nodes, so the declared neighbours are the graph's own degrees.
    """
    return _with_columns(frame, [DEFAULT_KIND] * graph.n_nodes, graph)


def _with_columns(frame: pd.DataFrame, kinds: list[str], linked: CompiledGraph) -> pd.DataFrame:
    result = frame.copy()
    result.insert(0, "kind", kinds[: len(result)])
    result["dependents"] = linked.in_degree()[: len(result)]
    result["dependencies"] = linked.out_degree()[: len(result)]
    result.attrs.update(frame.attrs)
    return result
