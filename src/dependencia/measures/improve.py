"""Maximum betweenness improvement: which new dependents raise an actor's betweenness most.

Bergamini et al. (2018) pose the problem for a directed graph and a node v:
choose K new edges ``u -> v`` (others come to depend on v) that maximize v's
betweenness. It is NP-hard and cannot be approximated within 1 - 1/(2e);
the greedy algorithm, adding each round the edge of largest gain, is a
(1 - 1/e)-approximation on directed graphs, where the betweenness of v is
monotone and submodular in the set of edges into v. The paper compares it
with two baselines, the nodes of highest degree and random nodes.

Here the graph is the compiled graph of the chosen dimensions (all by
default), directed, with hop counts, and betweenness is NetworkX's
normalized ``betweenness_centrality`` (as ``power --by node``). Each round of
the greedy algorithm evaluates every candidate exactly from all-pairs hop
distances and path counts, in O(n^2) per candidate at most and with no new
search (the closed form is in :mod:`dependencia.measures._improve_kernels`;
a source's row is evaluated once per distinct way the new edge reaches v
and shared by the candidates that give it); the all-pairs arrays are
recomputed after each chosen edge. They take 12 n^2 bytes, so greedy
refuses graphs above :data:`MAX_NODES` nodes. On 1,000 nodes ten greedy
links take about a second on one core.

References
----------
E. Bergamini, P. Crescenzi, G. D'Angelo, H. Meyerhenke, L. Severini and
Y. Velaj, "Improving the betweenness centrality of a node by adding links",
ACM Journal of Experimental Algorithmics 23, 1.5 (2018). doi:10.1145/3166071
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..base.arguments import dimension_list, seed_value
from ..base.executor import Executor
from ..base.output import rounded
from ..errors import UsageError
from ..graph.compiled import CompiledGraph, compile_graph
from ..graph.hops import collapse
from ..network.model import Network
from ..network.schema import DEFAULT_DIMENSION
from . import _improve_kernels as kernels
from ._pair_sums import csr
from .betweenness import Scale, exact_betweenness, graph_betweenness, source_slices

__all__ = ["MAX_NODES", "STRATEGIES", "Improvement", "improve", "link_gains"]

#: Greedy keeps two n x n arrays (int32 distances, float64 path counts):
#: 4.8 GB at this many nodes; a round costs O(n m) for the arrays plus the evaluation.
MAX_NODES = 20_000
STRATEGIES = ("greedy", "top-degree", "random")
#: Gains equal within this relative margin are tied (the lowest node index wins).
TIE_TOLERANCE = 1e-12
#: Graphs with fewer nodes evaluate candidates in-process (starting workers costs more).
PARALLEL_MIN_NODES = 2_000


@dataclass(frozen=True)
class Improvement:
    """The links chosen for an actor, and its betweenness and rank before and after.

    Attributes
    ----------
    actor, strategy : str
    links : int
        How many links were added.
    added : list of (str, str)
        The new edges ``(dependent, provider)``, provider always ``actor``,
        in the order chosen.
    betweenness_before, betweenness_after : float
        The actor's normalized node betweenness.
    rank_before, rank_after : int
        1 + the number of nodes with a strictly higher betweenness (values
        rounded to 12 significant digits).
    dimension : str
        The dimension the new dependencies are declared in: the first of the
        chosen dimensions (of the network's, by default). The graph is their
        aggregate, so which one of them holds a link changes no value.
    n_nodes : int
    """

    actor: str
    strategy: str
    links: int
    added: list[tuple[str, str]]
    betweenness_before: float
    betweenness_after: float
    rank_before: int
    rank_after: int
    dimension: str = DEFAULT_DIMENSION
    n_nodes: int = 0

    def to_dict(self) -> dict:
        """The ``improve --format json`` object (docs/cli.md)."""
        return {
            "actor": self.actor, "strategy": self.strategy, "links": self.links,
            "added": [{"dependent": d, "provider": p} for d, p in self.added],
            "betweenness_before": self.betweenness_before, "betweenness_after": self.betweenness_after,
            "rank_before": self.rank_before, "rank_after": self.rank_after,
        }

    def _repr_html_(self) -> str:
        from html import escape  # every id comes from the user

        rows = "".join(f"<li>{escape(str(d))} &rarr; {escape(str(p))}</li>" for d, p in self.added)
        return (
            f"<p>{escape(str(self.actor))} ({escape(str(self.strategy))}, {self.links} links): betweenness "
            f"{self.betweenness_before:.4g} &rarr; {self.betweenness_after:.4g}, rank {self.rank_before} "
            f"&rarr; {self.rank_after} of {self.n_nodes}</p><ol>{rows}</ol>"
        )


def improve(
    network: Network,
    actor: str,
    *,
    links: int = 1,
    strategy: str = "greedy",
    dimensions: str | Sequence[str] | None = None,
    seed: int = 0,
    workers: int | None = None,
    scheduler: str | None = None,
    paths: str | None = "routed",
) -> Improvement:
    """Choose ``links`` new dependents ``u -> actor`` that raise the actor's betweenness.

    Parameters
    ----------
    network : Network
    actor : str
        The actor whose betweenness to raise.
    links : int, default 1
        How many new edges to add. Each comes from a distinct node u (actor or
        infrastructure), u != actor, with no edge ``u -> actor`` yet.
    strategy : {"greedy", "top-degree", "random"}
        ``greedy``: each round, the edge with the largest exact gain in the
        actor's betweenness (gains equal within a relative 1e-12 are tied;
        the lowest node index wins). ``top-degree``: the paper's Top-k
        Degree baseline, the candidates of highest out-degree (a directed
        node's degree as NetworKit, the paper's framework, counts it), ties
        by node index. ``random``: candidates drawn uniformly without
        replacement with ``seed``.
    dimensions : str or sequence of str, optional
        Dimensions whose aggregate graph is used; all when omitted. The new
        links are edges of that graph; :attr:`Improvement.dimension` names
        the first of these dimensions as the one to declare them in.
    seed : int, default 0
        Seed of ``random``; numpy's Generator, never a global state.
    workers : int, optional
        Worker processes (all cores by default). The choice and the values
        are the same whatever the number.
    scheduler : str, optional
        Run on Dask, as for :func:`~dependencia.betweenness`; same choice and values.
    paths : {"routed", "hub"}, default "routed"
        The graph (docs/model.md#graphs). On the routed graph of a network
        with infrastructures the candidates are actors (a new direct
        dependency ``u -> actor``) and betweenness counts pairs of actors,
        as :func:`~dependencia.betweenness` does there.

    Returns
    -------
    Improvement

    Raises
    ------
    UsageError
        An unknown actor or strategy, ``links`` < 1 or more than the
        candidates, or greedy on more than :data:`MAX_NODES` nodes.

    Notes
    -----
    With ``d`` and ``sigma`` the hop distances and shortest-path counts, the
    gain of ``u -> v`` for the ordered pair (s, t) is the new share of v,
    ``C / sigma'_st`` with ``C = sigma'_sv sigma_vt`` the paths through v of
    length ``d'(s, v) + d(v, t)``, less the old ``sigma_st(v) / sigma_st``,
    where ``d'(s, v) = min(d(s, v), d(s, u) + 1)`` and ``sigma'_sv`` adds
    ``sigma_su`` where the new route ties or wins; the paths avoiding v keep
    their length ``d(s, t)`` and count ``sigma_st - sigma_st(v)``. Sources
    with ``d(s, u) + 1 > d(s, v)`` and targets v does not reach are skipped.

    Examples
    --------
    On the path a -> b -> c, b is the middle of the only pair (a, c): 1 of
    the (n-1)(n-2) = 2 ordered pairs, 0.5, so a ranks 2nd. Linking c -> a makes
    a the middle of c -> a -> b (0.5; the cycle ties all three at rank 1);
    the other candidate, b -> a, puts a on no shortest path.

    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    >>> from dependencia.measures.improve import improve
    >>> result = improve(net, "a", links=1)
    >>> result.added, result.betweenness_before, result.betweenness_after
    ([('c', 'a')], 0.0, 0.5)
    >>> result.rank_before, result.rank_after
    (2, 1)
    """
    dimensions = dimension_list(dimensions)
    if strategy not in STRATEGIES:
        raise UsageError(f"unknown strategy {strategy!r}; choose one of: {', '.join(STRATEGIES)}")
    if actor not in network.actors.index:
        if actor in network.infrastructures.index:
            raise UsageError(f"{actor!r} is an infrastructure; improve raises an actor's betweenness")
        raise UsageError(f"no actor {actor!r} in the network")
    if links < 1:
        raise UsageError(f"links must be at least 1, got {links}")
    graph = compile_graph(network, dimensions=dimensions, paths=paths)
    v = int(graph.index.get_loc(actor))
    routed = graph.paths == "routed" and graph.n_model_nodes > graph.n_actors
    ends = np.arange(graph.n_actors if routed else graph.n_nodes, dtype=np.int64)  # the ends of the pairs counted
    candidates = candidates_of(graph, v)
    if routed:
        candidates = candidates[candidates < graph.n_actors]
    if links > len(candidates):
        nodes = "node" if len(candidates) == 1 else "nodes"
        raise UsageError(f"only {len(candidates)} {nodes} can still link to {actor!r}; asked for {links} links")
    executor = Executor(workers, scheduler=scheduler)
    if strategy == "greedy":
        chosen = _greedy(graph, v, candidates, links, executor, ends)
    elif strategy == "top-degree":
        degree = graph.out_degree()[candidates]
        chosen = candidates[np.lexsort((candidates, -degree))][:links].tolist()
    else:
        rng = np.random.default_rng(seed_value(seed))
        chosen = rng.choice(candidates, size=links, replace=False).tolist()
    before = _betweenness(graph, routed, executor, workers, scheduler)
    after = _betweenness(with_links(graph, chosen, v), routed, executor, workers, scheduler)
    ids = graph.node_ids
    return Improvement(
        actor=actor, strategy=strategy, links=links,
        added=[(str(ids[u]), actor) for u in chosen],
        betweenness_before=float(before[v]), betweenness_after=float(after[v]),
        rank_before=rank_of(before, v), rank_after=rank_of(after, v),
        dimension=graph.dimensions[0] if graph.dimensions else DEFAULT_DIMENSION, n_nodes=graph.n_nodes,
    )


def _betweenness(graph: CompiledGraph, routed: bool, executor: Executor, workers, scheduler) -> np.ndarray:
    """Normalized betweenness of every node (on the routed graph: of every actor and infrastructure)."""
    if routed:
        return graph_betweenness(graph, exact=True, workers=workers, scheduler=scheduler)["betweenness"].to_numpy()
    return exact_betweenness(graph, executor=executor)


def candidates_of(graph: CompiledGraph, v: int) -> np.ndarray:
    """Nodes that may link to ``v``: every u != v without an edge ``u -> v``, in index order."""
    allowed = np.ones(graph.n_nodes, dtype=bool)
    allowed[graph.source[graph.target == v]] = False
    allowed[v] = False
    return np.flatnonzero(allowed).astype(np.int64)


def rank_of(values: np.ndarray, v: int) -> int:
    """1 + the number of nodes whose value, rounded to 12 significant digits, is strictly higher."""
    key = rounded(pd.Series(values))
    return int(1 + np.count_nonzero(key > key[v]))


def with_links(graph: CompiledGraph, dependents: Sequence[int], v: int) -> CompiledGraph:
    """The graph with the edges ``u -> v`` added (strength 1)."""
    added = np.asarray(dependents, dtype=np.int64)
    source = np.concatenate([graph.source, added])
    target = np.concatenate([graph.target, np.full(len(added), v, dtype=np.int64)])
    strength = np.concatenate([graph.strength, np.ones(len(added))])
    length = None if graph.length is None else np.concatenate([graph.length, np.ones(len(added))])
    source, target, strength, length = collapse(source, target, strength, length, graph.n_nodes)
    return CompiledGraph(
        node_ids=graph.node_ids, n_actors=graph.n_actors, source=source, target=target, strength=strength,
        length=length, directed=True, dimensions=graph.dimensions, paths=graph.paths, n_model=graph.n_model,
        route_infrastructure=graph.route_infrastructure, route_key=graph.route_key,
    )


def link_gains(graph: CompiledGraph, v: int, *, workers: int | None = None,
               scheduler: str | None = None) -> np.ndarray:
    """The exact gain in node ``v``'s normalized betweenness from each single new edge ``u -> v``.

    Parameters
    ----------
    graph : CompiledGraph
        A directed graph; edge lengths are ignored (hop counts).
    v : int
        The node's index.
    workers, scheduler : optional
        As for :func:`improve`.

    Returns
    -------
    numpy.ndarray
        One value per node index; NaN for v and for nodes that already have
        an edge to v.

    Examples
    --------
    On a -> b -> c, only c -> a puts node a (index 0) on a path, c -> a -> b:

    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    >>> link_gains(dp.compile_graph(net), 0).tolist()
    [nan, 0.0, 0.5]
    """
    if not graph.directed:
        raise UsageError("link gains are defined on a directed graph")
    dist, sigma = all_pairs(graph.n_nodes, graph.source, graph.target)
    candidates = candidates_of(graph, v)
    gains = np.full(graph.n_nodes, np.nan)
    gains[candidates] = _gains(dist, sigma, v, candidates, Executor(workers, scheduler=scheduler))
    return gains * Scale.of(graph.n_nodes, normalized=True, directed=True, endpoints=False).factor


def all_pairs(n: int, source: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hop distances (int32, :data:`~._improve_kernels.UNREACHED` if none) and path counts between all nodes."""
    if n > MAX_NODES:
        raise UsageError(
            f"exact link gains keep two {n:,} x {n:,} arrays ({12 * n * n / 1e9:.1f} GB); "
            f"they are limited to {MAX_NODES:,} nodes (the top-degree and random strategies are not)"
        )
    indptr, indices, _, _ = csr(n, source, target, np.ones(len(source)), False)
    dist = np.empty((n, n), dtype=np.int32)
    sigma = np.empty((n, n))
    kernels.all_pairs_hops(indptr, indices, dist, sigma)
    return dist, sigma


def _greedy(graph: CompiledGraph, v: int, candidates: np.ndarray, links: int, executor: Executor,
            ends: np.ndarray) -> list[int]:
    """Greedy rounds: all-pairs arrays, every candidate's exact gain, the best edge added."""
    source, target = graph.source, graph.target
    remaining = candidates
    chosen: list[int] = []
    for _ in range(links):
        dist, sigma = all_pairs(graph.n_nodes, source, target)
        gains = _gains(dist, sigma, v, remaining, executor, ends)
        best = gains.max()
        pick = int(np.flatnonzero(gains >= best - TIE_TOLERANCE * max(abs(best), 1.0))[0])
        u = int(remaining[pick])
        chosen.append(u)
        remaining = np.delete(remaining, pick)
        source = np.append(source, u)
        target = np.append(target, v)
        del dist, sigma
    return chosen


def _gains(dist: np.ndarray, sigma: np.ndarray, v: int, candidates: np.ndarray, executor: Executor,
           ends: np.ndarray | None = None) -> np.ndarray:
    """Raw gains (ordered-pair sums) of ``candidates``, in-process or split by sources over the executor.

    The sources are always split into the same interleaved groups and the
    partial sums added in group order: the same bytes with one worker or many.
    """
    n = dist.shape[0]
    ends = np.arange(n, dtype=np.int64) if ends is None else ends
    targets = ends[dist[v][ends] < kernels.UNREACHED]
    targets = targets[targets != v]
    if len(candidates) == 0 or len(targets) == 0:
        return np.zeros(len(candidates))
    groups = source_slices(ends)
    shared = (dist, sigma, v, candidates, targets)
    if n < PARALLEL_MIN_NODES or executor.workers <= 1:
        parts: Iterator[np.ndarray] = (_group_gains(shared, group) for group in groups)
    else:
        parts = executor.imap(_shared, shared, _group_gains, groups)
    gains = np.zeros(len(candidates))
    for part in parts:
        gains += part
    return gains


def _shared(state: tuple) -> tuple:
    return state


def _group_gains(state: tuple, sources: np.ndarray) -> np.ndarray:
    dist, sigma, v, candidates, targets = state
    return kernels.link_gains(dist, sigma, v, candidates, targets, sources)
