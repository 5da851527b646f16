"""Eigenvector-family centralities of the dependency graph: PageRank, Katz, and Bonacich power with negative beta.

All three are computed on the compiled graph (docs/model.md#graphs: actors,
infrastructures and, on the routed graph, route nodes), with every edge
weighted by its ``strength`` (the summed strength of the dependencies behind
it), and an actor's value is the **sum of the values of every graph node it
controls**: C(a) of docs/model.md#actor-power (itself, the actors it controls,
their infrastructures and, on the routed graph, all their route nodes).
Values summed over overlapping groups are not shares: a parent's value
includes its subsidiary's.

**Orientation.** The compiled graph's edges run from dependent to provider
(``d -> X@r -> p``); A[u, v] is the strength of the edge ``u -> v``. Each
measure credits a node for the dependence of others on it, so power flows to
providers; in the graph of who serves whom (``p -> d``) these are its reversed
(incoming) forms:

* **PageRank** (Brin and Page 1998): a walker follows the dependency edges, a
  dependent passing its score to its providers in proportion to strength
  (a dependent "votes" for its provider); damping 0.85, the value of the
  original paper and of NetworkX and igraph; a node with no edge out
  (a provider that depends on nobody) hands its score to every node alike.
  Values sum to 1 over the graph's nodes.
* **Katz** (1953): x solves (I - alpha A^T) x = 1, so x_v = 1 + alpha * sum over
  u of A[u, v] x_u, the strength-weighted walks arriving at v, a walk of k
  hops attenuated by alpha^k. The value reported is x - 1, Katz's own index:
  walks of length 1 or more (the constant 1 of every node is left out, so an
  actor's sum does not grow with the number of route nodes it controls).
  Default alpha = 0.9 / rho(A), rho the spectral radius: the series converges
  for alpha < 1 / rho, and 0.9 keeps long chains of dependence counting
  without letting them swamp the direct ones.
* **Bonacich power** (1987) with **negative beta**: c(alpha, beta) =
  alpha (I - beta A^T)^-1 A^T 1, that is c_v = sum over u of A[u, v]
  (alpha + beta c_u): v gains from each dependent u, and with beta < 0 it
  gains *less* the more power u has itself. Power comes from the dependence
  of the powerless: a provider whose dependents have no dependents of their
  own outranks one whose dependents are themselves providers. Allowed:
  -1 / rho < beta < 0; default beta = -0.5 / rho (halfway between 0, where
  c is the weighted in-degree, and the bound).
  Scaled as Bonacich does: alpha such that the sum of squares of c over the
  graph's nodes equals their number. With beta > 0 (accepted by
  :func:`graph_bonacich` with ``negative=False``) it is Katz's index up to a
  constant factor.

**Acyclic graphs.** When the graph has no cycle, rho(A) = 0: every alpha
and beta give a finite sum, and the defaults take the largest edge strength
w in place of rho (alpha = 0.9 / w, beta = -0.5 / w), so that no single hop
is weighted by more than 0.9 (Katz) or 0.5 (Bonacich). With a cycle whose
strengths are much weaker than the rest, rho and so the default alpha depend on
that cycle alone: give alpha (or beta) explicitly to compare networks.

rho(A) is the largest Perron root of the graph's strong components (the
eigenvalues of A are those of its diagonal blocks): dense eigenvalues for
small components, power iteration (ARPACK where it is slow) for large ones.
The linear systems are solved by SciPy's sparse LU on small graphs and by
iteration on large ones (LU fills in). The values per graph node are in
:mod:`.graph_centrality`, the linear algebra in :mod:`.spectral`. PageRank uses igraph's PRPACK: 5 to
15 times faster than NetworkX's on graphs of 20,000 actors (0.05 to 0.08 s
against 0.34 to 1.1 s, graph construction included), the values within
1e-9; NetworkX is the tests' oracle. SciPy comes with networkit's
requirements.

References
----------
S. Brin and L. Page, "The anatomy of a large-scale hypertextual Web search
engine", Computer Networks and ISDN Systems 30(1-7), 107-117 (1998).
doi:10.1016/S0169-7552(98)00110-X

L. Katz, "A new status index derived from sociometric analysis",
Psychometrika 18(1), 39-43 (1953). doi:10.1007/BF02289026

P. Bonacich, "Power and centrality: a family of measures", American Journal
of Sociology 92(5), 1170-1182 (1987). doi:10.1086/228631

Examples
--------
Two shops each serve two customers; shop ``q``'s customers resell to one
customer each. Both shops have two dependents, but ``p``'s are powerless:

>>> import dependencia as dp
>>> net = dp.Network.from_records([{"id": i} for i in ("u1", "u2", "p", "r1", "r2", "q", "v1", "v2")],
...     [{"dependent": "u1", "provider": "p"}, {"dependent": "u2", "provider": "p"},
...      {"dependent": "r1", "provider": "q"}, {"dependent": "r2", "provider": "q"},
...      {"dependent": "v1", "provider": "r1"}, {"dependent": "v2", "provider": "r2"}])
>>> power = bonacich(net)["bonacich"]
>>> bool(power["p"] > power["q"])
True
>>> bool(katz(net)["katz"]["q"] > katz(net)["katz"]["p"])
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..base.arguments import dimension_list
from ..graph.compiled import CompiledGraph, compile_graph
from ..network.model import Network
from .graph_centrality import (  # the values per graph node; their names stay importable from here
    BONACICH_FRACTION,
    KATZ_FRACTION,
    PAGERANK_ALPHA,
    actor_sums,
    bonacich_beta,
    graph_bonacich,
    graph_katz,
    graph_pagerank,
    katz_alpha,
)
from .spectral import spectral_radius

__all__ = [
    "BONACICH_FRACTION",
    "KATZ_FRACTION",
    "PAGERANK_ALPHA",
    "actor_sums",
    "bonacich",
    "bonacich_beta",
    "graph_bonacich",
    "graph_katz",
    "graph_pagerank",
    "katz",
    "katz_alpha",
    "pagerank",
]

def pagerank(
    network: Network,
    *,
    alpha: float = PAGERANK_ALPHA,
    dimensions: str | Sequence[str] | None = None,
    directed: bool = True,
    paths: str | None = "routed",
) -> pd.DataFrame:
    """PageRank of every actor: the sum over the graph nodes it controls, the walk following dependencies.

    Parameters
    ----------
    network : Network
    alpha : float, default 0.85
        Damping factor, in (0, 1).
    dimensions : str or sequence of str, optional
        The dimensions whose dependencies make the graph; all when omitted.
    directed : bool, default True
        False: every edge goes both ways.
    paths : {"routed", "hub"}, default "routed"
        How routes make paths (docs/model.md#graphs).

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id (``id``), in actor order: ``pagerank``.
        ``attrs``: ``measure``, ``alpha``, ``paths``, ``directed``, ``n_nodes``.

    Examples
    --------
    Two customers depend on one shop; the shop holds most of the walk:

    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": i} for i in ("a", "b", "shop")],
    ...     [{"dependent": "a", "provider": "shop"}, {"dependent": "b", "provider": "shop"}])
    >>> values = pagerank(net)["pagerank"]
    >>> values.idxmax(), round(float(values.sum()), 12)
    ('shop', 1.0)
    """
    graph = _graph(network, dimensions, directed, paths)
    values = graph_pagerank(graph, alpha=alpha)
    return _actor_frame(network, graph, "pagerank", values, alpha=float(alpha))


def katz(
    network: Network,
    *,
    alpha: float | None = None,
    dimensions: str | Sequence[str] | None = None,
    directed: bool = True,
    paths: str | None = "routed",
) -> pd.DataFrame:
    """Katz's index of every actor: strength-weighted walks of dependence arriving at the nodes it controls.

    Parameters
    ----------
    network : Network
    alpha : float, optional
        Attenuation per hop, 0 < alpha < 1 / rho(A). Default 0.9 / rho(A), or
        0.9 / (largest edge strength) on an acyclic graph (module notes).
    dimensions, directed, paths :
        As for :func:`pagerank`.

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id (``id``): ``katz``, the sum over the nodes it
        controls of x - 1, x solving (I - alpha A^T) x = 1. ``attrs``:
        ``alpha`` (the one used), ``spectral_radius``, ``paths``, ``directed``.

    Raises
    ------
    UsageError
        ``alpha`` not a number in (0, 1 / rho(A)).

    Examples
    --------
    A chain a -> b -> c (a depends on b, b on c), unit strengths, no cycle:
    alpha = 0.9; c is reached by the walks b -> c and a -> b -> c:

    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    >>> [round(v, 12) for v in katz(net)["katz"].tolist()]
    [0.0, 0.9, 1.71]
    """
    graph = _graph(network, dimensions, directed, paths)
    radius = spectral_radius(graph)
    values, used = graph_katz(graph, alpha, radius=radius)
    return _actor_frame(network, graph, "katz", values, alpha=used, spectral_radius=radius)


def bonacich(
    network: Network,
    *,
    beta: float | None = None,
    dimensions: str | Sequence[str] | None = None,
    directed: bool = True,
    paths: str | None = "routed",
) -> pd.DataFrame:
    """Bonacich power with negative beta: dependence on a node counts more when its dependents are powerless.

    Parameters
    ----------
    network : Network
    beta : float, optional
        -1 / rho(A) < beta < 0. Default -0.5 / rho(A), or -0.5 / (largest edge
        strength) on an acyclic graph (module notes).
    dimensions, directed, paths :
        As for :func:`pagerank`.

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id (``id``): ``bonacich``, the sum over the nodes it
        controls of c = alpha (I - beta A^T)^-1 A^T 1, alpha such that the sum
        of c^2 over the graph's nodes is their number (all zero on a graph
        without edges). ``attrs``: ``beta`` (the one used), ``scale``
        (Bonacich's alpha), ``spectral_radius``, ``paths``, ``directed``.

    Raises
    ------
    UsageError
        ``beta`` not a number in (-1 / rho(A), 0).

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    >>> frame = bonacich(net)
    >>> frame.attrs["beta"], [round(v, 12) for v in frame["bonacich"].tolist()]
    (-0.5, [0.0, 1.549193338483, 0.774596669241])
    """
    graph = _graph(network, dimensions, directed, paths)
    radius = spectral_radius(graph)
    values, used, scale = graph_bonacich(graph, beta, radius=radius)
    return _actor_frame(network, graph, "bonacich", values, beta=used, scale=scale, spectral_radius=radius)


# --------------------------------------------------------------------------- helpers
def _graph(network: Network, dimensions, directed: bool, paths: str | None) -> CompiledGraph:
    return compile_graph(network, dimensions=dimension_list(dimensions), directed=directed, paths=paths)


def _actor_frame(network: Network, graph: CompiledGraph, name: str, values: np.ndarray, **attrs: float) -> pd.DataFrame:
    frame = pd.DataFrame({name: actor_sums(network, graph, values)},
                         index=pd.Index(network.actors.index, name="id", dtype=object))
    frame.attrs.update(measure=name, **attrs, paths=graph.paths, directed=graph.directed, n_nodes=graph.n_nodes,
                       n_edges=graph.n_edges)
    return frame
