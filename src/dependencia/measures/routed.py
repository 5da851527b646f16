"""Node betweenness on the routed graph: actors and infrastructures over pairs of actors.

docs/model.md#node-betweenness-on-the-routed-graph. On the routed graph route
nodes are never a path's ends, so paths run between actors only:

* an actor v sums, over ordered actor pairs (s, t) with s != v != t, the share
  of shortest s-t paths through v; normalized by (n_A - 1)(n_A - 2) (by
  n_A(n_A - 1) with ``endpoints``, which also counts the pairs that v starts
  or ends);
* an infrastructure X is the group betweenness of its nodes (its route nodes,
  or its one node if open) over all ordered actor pairs, a path through
  several of them counting once; normalized by n_A(n_A - 1).

An undirected graph halves the unnormalized sums, as NetworkX does. Single
nodes go to igraph (sources and targets restricted to actors), infrastructures
with several route nodes to the group kernel (:mod:`._pair_sums`).

Examples
--------
>>> import dependencia as dp
>>> net = dp.Network.from_records([{"id": i} for i in ("ann", "bob", "shop", "owner")],
...     [{"dependent": "ann", "provider": "shop", "via": ["platform"]},
...      {"dependent": "bob", "provider": "shop", "via": ["platform"]}],
...     infrastructures=[{"id": "platform", "owner": "owner"}])
>>> dp.betweenness(net, normalized=False)["betweenness"].to_dict()
{'ann': 0.0, 'bob': 0.0, 'shop': 0.0, 'owner': 0.0, 'platform': 2.0}
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ..base.arguments import seed_value
from ..base.constants import DEFAULT_DELTA, DEFAULT_EPSILON
from ..base.executor import Executor
from ..errors import UsageError
from ..graph.compiled import CompiledGraph
from ._pair_sums import (
    actor_roles,
    executor_for,
    graph_csr,
    group_sums,
    node_pair_sums,
    power_sample_size,
    routed_pair_sums,
)

__all__ = ["routed_betweenness"]


def routed_betweenness(
    graph: CompiledGraph,
    *,
    normalized: bool = True,
    endpoints: bool = False,
    approximate: bool = False,
    epsilon: float | None = None,
    delta: float | None = None,
    seed: int = 0,
    method: str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Betweenness of every actor and infrastructure on a routed graph (see the module docs).

    Approximation (``approximate``): every normalized value within epsilon
    of the exact one with probability at least 1 - delta, seeded, the same
    bytes for any number of threads or workers, by ``method``:
    ``"kadabra"``, adaptive sampling of shortest paths between actor pairs
    (:func:`~dependencia.measures.group_sampling.sample_groups`, the actors'
    own nodes and the infrastructures' route nodes as groups), or
    ``"sources"``, a sample of source actors (the bound of
    :func:`~dependencia.measures._pair_sums.power_sample_size` with groups of
    one actor). By default the one of smaller estimated cost
    (:func:`~dependencia.measures.group_sampling.group_method`).

    Returns
    -------
    pandas.DataFrame
        Indexed by actor and infrastructure id, column ``betweenness``, with
        the attributes of :func:`~dependencia.betweenness` and ``paths``.
    """
    if method is not None and method not in ("kadabra", "sources"):
        raise UsageError(f"on the routed graph betweenness is approximated by path sampling ('kadabra') or by "
                         f"sampling source actors ('sources'), not {method!r}; use paths='hub' for {method!r}")
    executor = executor_for(graph, Executor(workers, scheduler=scheduler, progress=progress))
    n_actors, n_model = graph.n_actors, graph.n_model_nodes
    sources, factor, samples, omega = np.arange(n_actors), 1.0, None, None
    infrastructures = np.arange(n_actors, n_model)
    members = [graph.nodes_of([int(x)]) for x in infrastructures]
    if approximate:
        epsilon = DEFAULT_EPSILON if epsilon is None else epsilon
        delta = DEFAULT_DELTA if delta is None else delta
        seed = seed_value(seed)
        k = power_sample_size(n_actors, 1, epsilon=epsilon, delta=delta)
        from .group_sampling import group_method, sample_groups  # Numba: loaded when first used

        method = group_method(graph, method, epsilon=epsilon, delta=delta, largest_group=1, sources=k)
        if method == "kadabra":
            pairs = np.full(n_model, float(n_actors * (n_actors - 1)))  # an actor's value divides by its pairs,
            if not endpoints:  # an infrastructure's by all ordered actor pairs
                pairs[:n_actors] = (n_actors - 1) * (n_actors - 2)
            groups = [*(np.array([a]) for a in range(n_actors)), *members]
            estimate = sample_groups(graph, groups, pairs, epsilon=epsilon, delta=delta, seed=seed,
                                     executor=executor if workers or scheduler else None)
            ordered, samples, omega = estimate.ordered_sums(), estimate.samples, estimate.omega
        elif k < n_actors:
            sources = np.sort(np.random.default_rng(seed).choice(n_actors, size=k, replace=False))
            factor = n_actors / k
    if samples is None:
        ordered = _source_sums(graph, members, executor, sources) * factor
    sampled = samples is not None or len(sources) < n_actors
    if endpoints:
        ordered[:n_actors] += _actor_endpoint_counts(graph)
    values = ordered * _scales(n_actors, n_model, normalized=normalized, directed=graph.directed,
                               endpoints=endpoints)
    frame = pd.DataFrame({"betweenness": values},
                         index=pd.Index(graph.node_ids[:n_model], name="id", dtype=object))
    frame.attrs.update(
        measure="betweenness", exact=not sampled, normalized=normalized, directed=graph.directed,
        endpoints=endpoints, n_nodes=n_model, n_route_nodes=graph.n_route_nodes, n_edges=graph.n_edges, paths="routed",
        epsilon=epsilon if sampled else None, delta=delta if sampled else None, seed=seed if sampled else None,
        method=method if sampled else None, samples=samples, omega=omega,
    )
    return frame


def _source_sums(graph: CompiledGraph, members: list[np.ndarray], executor: Executor,
                 sources: np.ndarray) -> np.ndarray:
    """Ordered actor-pair sums of every actor and infrastructure from ``sources`` (all actors: exact)."""
    n_actors, n_model = graph.n_actors, graph.n_model_nodes
    infrastructures = np.arange(n_actors, n_model)
    # an infrastructure that is its own one node takes that node's sum; one of route nodes is a group
    alone = [i for i, nodes in enumerate(members) if len(nodes) == 1 and nodes[0] < n_model]
    grouped = [i for i, nodes in enumerate(members) if len(nodes) > 0 and i not in alone]
    contracted = routed_pair_sums(graph, [members[i] for i in grouped], executor, sources)
    if contracted is not None:  # route chains contracted: node and group sums from one pass
        single, group_values = contracted
    else:
        single = node_pair_sums(graph, executor, sources)
        role = actor_roles(graph.n_nodes, n_actors)
        group_values = group_sums(graph_csr(graph), sources, role, role, [members[i] for i in grouped],
                                  executor) if grouped else np.zeros(0)
    ordered = single[:n_model].copy()
    for i in alone:
        ordered[infrastructures[i]] = single[members[i][0]]
    ordered[infrastructures[grouped]] = group_values
    return ordered


def _scales(n_actors: int, n_model: int, *, normalized: bool, directed: bool, endpoints: bool) -> np.ndarray:
    """Per node: what turns its ordered actor-pair sum into its value."""
    scale = np.empty(n_model)
    if not normalized:
        scale[:] = 1.0 if directed else 0.5
        return scale
    actor_pairs = n_actors * (n_actors - 1) if endpoints else (n_actors - 1) * (n_actors - 2)
    all_pairs = n_actors * (n_actors - 1)
    scale[:n_actors] = 1.0 / actor_pairs if actor_pairs > 0 else 1.0
    scale[n_actors:] = 1.0 / all_pairs if all_pairs > 0 else 1.0
    return scale


#: Source actors whose distances are computed at once for the endpoint counts.
_CHUNK = 512


def _actor_endpoint_counts(graph: CompiledGraph) -> np.ndarray:
    """Per actor: the actors it reaches plus the actors that reach it (the pairs it starts or ends)."""
    from ._pair_sums import directed_engine

    engine, n_actors, _ = directed_engine(graph)
    actors = list(range(n_actors))
    reaches = np.zeros(n_actors)
    reached = np.zeros(n_actors)
    for first in range(0, n_actors, _CHUNK):
        chunk = actors[first:first + _CHUNK]
        rows = np.isfinite(np.asarray(engine.distances(source=chunk, target=actors, mode="out"), dtype=float))
        rows[np.arange(len(chunk)), chunk] = False
        reaches[chunk] = rows.sum(axis=1)
        reached += rows.sum(axis=0)
    return reaches + reached
