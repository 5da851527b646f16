"""PageRank, Katz and Bonacich on a compiled graph: one value per graph node, and their sums per actor.

The public measures (:func:`~dependencia.pagerank`, :func:`~dependencia.katz`,
:func:`~dependencia.bonacich`, in :mod:`.centrality`, whose module notes give
the definitions, orientation and defaults) compile a network and sum these
node values over what each actor controls; the panel (:mod:`.panel`) calls
them on a graph it has already compiled. The linear algebra (adjacency,
spectral radius, solves) is in :mod:`.spectral`.

Examples
--------
>>> import dependencia as dp
>>> net = dp.Network.from_records([{"id": i} for i in "abc"],
...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
>>> graph_katz(dp.compile_graph(net))[0].round(12).tolist()  # alpha 0.9 on an acyclic graph
[0.0, 0.9, 1.71]
"""

from __future__ import annotations

import numpy as np

from ..errors import UsageError
from ..graph.compiled import CompiledGraph
from ..network.model import Network
from .spectral import adjacency, solve, spectral_radius

__all__ = [
    "BONACICH_FRACTION",
    "KATZ_FRACTION",
    "PAGERANK_ALPHA",
    "actor_sums",
    "bonacich_beta",
    "graph_bonacich",
    "graph_katz",
    "graph_pagerank",
    "katz_alpha",
]

#: PageRank's damping factor (Brin and Page's value; NetworkX's and igraph's default).
PAGERANK_ALPHA = 0.85
#: Default Katz alpha, as a fraction of 1 / rho(A).
KATZ_FRACTION = 0.9
#: Default Bonacich beta, as a fraction of 1 / rho(A) (negative: power from the dependence of the powerless).
BONACICH_FRACTION = -0.5


def katz_alpha(alpha: float | None, radius: float, graph: CompiledGraph) -> float:
    """The Katz alpha to use: the default 0.9 / rho (module notes), or ``alpha`` checked to lie in (0, 1 / rho).

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "a"}, {"id": "b"}],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "a"}])
    >>> katz_alpha(None, 1.0, dp.compile_graph(net))
    0.9
    >>> katz_alpha(1.5, 1.0, dp.compile_graph(net))
    Traceback (most recent call last):
    ...
    dependencia.errors.UsageError: alpha must be in (0, 1/rho) = (0, 1) for this graph (rho(A) = 1), got 1.5
    """
    if alpha is None:
        scale = _default_scale(radius, graph)
        return KATZ_FRACTION / scale if scale > 0 else KATZ_FRACTION
    alpha = _number(alpha, "alpha")
    limit = 1.0 / radius if radius > 0 else np.inf
    if not 0 < alpha < limit:
        raise UsageError(f"alpha must be in (0, 1/rho) = (0, {limit:.6g}) for this graph (rho(A) = {radius:.6g}), "
                         f"got {alpha:.6g}")
    return alpha


def bonacich_beta(beta: float | None, radius: float, graph: CompiledGraph, *, negative: bool = True) -> float:
    """The Bonacich beta to use: default -0.5 / rho (module notes), or ``beta`` checked.

    ``beta`` must lie in (-1 / rho, 0), or in (-1 / rho, 1 / rho) when not
    ``negative``.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "a"}, {"id": "b"}],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "a"}])
    >>> bonacich_beta(None, 1.0, dp.compile_graph(net))
    -0.5
    >>> bonacich_beta(0.2, 1.0, dp.compile_graph(net))
    Traceback (most recent call last):
    ...
    dependencia.errors.UsageError: beta must be in (-1/rho, 0) = (-1, 0) for this graph (rho(A) = 1), got 0.2
    """
    if beta is None:
        scale = _default_scale(radius, graph)
        return BONACICH_FRACTION / scale if scale > 0 else BONACICH_FRACTION
    beta = _number(beta, "beta")
    limit = 1.0 / radius if radius > 0 else np.inf
    high = 0.0 if negative else limit
    if not (-limit < beta < high):
        shown_high = "0" if negative else "1/rho"
        raise UsageError(f"beta must be in (-1/rho, {shown_high}) = ({-limit:.6g}, {high:.6g}) for this graph "
                         f"(rho(A) = {radius:.6g}), got {beta:.6g}")
    return beta


def graph_pagerank(graph: CompiledGraph, *, alpha: float = PAGERANK_ALPHA) -> np.ndarray:
    """PageRank of every node of ``graph`` (igraph's PRPACK), edges weighted by strength; sums to 1.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "a"}, {"id": "b"}], [{"dependent": "a", "provider": "b"}])
    >>> [round(v, 6) for v in graph_pagerank(dp.compile_graph(net)).tolist()]
    [0.350877, 0.649123]
    """
    alpha = _number(alpha, "alpha")
    if not 0 < alpha < 1:
        raise UsageError(f"alpha (PageRank's damping) must be in (0, 1), got {alpha:.6g}")
    if graph.n_nodes == 0:
        return np.zeros(0)
    engine = graph.to_igraph()
    values = engine.pagerank(weights=graph.strength.tolist() if graph.n_edges else None, damping=alpha,
                             directed=graph.directed)
    return np.asarray(values, dtype=float)


def graph_katz(graph: CompiledGraph, alpha: float | None = None, *,
               radius: float | None = None) -> tuple[np.ndarray, float]:
    """Katz's index x - 1 of every node, x solving (I - alpha A^T) x = 1; returns it and the alpha used.

    ``radius`` is rho(A) when already known (:func:`spectral_radius`).

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "a"}, {"id": "b"}], [{"dependent": "a", "provider": "b"}])
    >>> values, alpha = graph_katz(dp.compile_graph(net), 0.5)
    >>> values.tolist(), alpha
    ([0.0, 0.5], 0.5)
    """
    radius = spectral_radius(graph) if radius is None else radius
    alpha = katz_alpha(alpha, radius, graph)
    transposed = adjacency(graph).T.tocsc()
    x = solve(transposed, alpha, np.ones(graph.n_nodes), "alpha")
    return x - 1.0, alpha


def graph_bonacich(graph: CompiledGraph, beta: float | None = None, *, radius: float | None = None,
                   negative: bool = True) -> tuple[np.ndarray, float, float]:
    """Bonacich's c(alpha, beta) of every node; returns it, the beta used and the scale alpha.

    c = alpha (I - beta A^T)^-1 A^T 1 with alpha > 0 such that sum(c^2) is the
    number of nodes (c = 0 when A has no entry). ``negative=False`` also
    accepts 0 <= beta < 1 / rho.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "a"}, {"id": "b"}], [{"dependent": "a", "provider": "b"}])
    >>> values, beta, scale = graph_bonacich(dp.compile_graph(net))
    >>> [round(v, 12) for v in values.tolist()], beta, round(scale, 12)
    ([0.0, 1.414213562373], -0.5, 1.414213562373)
    """
    radius = spectral_radius(graph) if radius is None else radius
    beta = bonacich_beta(beta, radius, graph, negative=negative)
    transposed = adjacency(graph).T.tocsc()
    first = np.asarray(transposed.sum(axis=1)).ravel()  # A^T 1: the strength entering each node
    raw = solve(transposed, beta, first, "beta")
    squares = float(raw @ raw)
    if squares == 0:
        return np.zeros(graph.n_nodes), beta, 0.0
    scale = float(np.sqrt(graph.n_nodes / squares))
    return scale * raw, beta, scale


def actor_sums(network: Network, graph: CompiledGraph, values: np.ndarray) -> np.ndarray:
    """Per actor (in actor order), the sum of ``values`` over the graph nodes it controls (C(a)).

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "d"}, {"id": "p"}],
    ...     [{"dependent": "d", "provider": "p", "via": ["X"]}], infrastructures=[{"id": "X", "owner": "p"}])
    >>> actor_sums(net, dp.compile_graph(net), np.array([1.0, 2.0, 4.0, 8.0])).tolist()  # p: p, X, X@d>X>p
    [1.0, 14.0]
    """
    from .power import controlled_groups

    groups = controlled_groups(network, graph)
    if not groups:
        return np.zeros(0)
    members = np.concatenate(groups)
    starts = np.concatenate([[0], np.cumsum([len(g) for g in groups])[:-1]]).astype(np.int64)
    return np.add.reduceat(np.asarray(values, dtype=float)[members], starts)


# --------------------------------------------------------------------------- helpers
def _default_scale(radius: float, graph: CompiledGraph) -> float:
    """rho(A), or the largest edge strength on an acyclic graph (0 without edges)."""
    if radius > 0:
        return radius
    return float(graph.strength.max()) if graph.n_edges else 0.0


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise UsageError(f"{name} must be a number, not {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise UsageError(f"{name} must be finite, got {value}")
    return value
