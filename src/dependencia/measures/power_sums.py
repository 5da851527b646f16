"""Every actor's power sums on a compiled graph, from its controlled groups: the computation of actor power.

:func:`power_sums` is what :func:`~dependencia.measures.power.graph_power`
computes before it builds its table: each actor's ordered-pair sum of its
controlled group, its own node's betweenness, and the ``attrs`` that say how
they were computed (exact, by a sample of sources, or by path sampling). It
needs neither the Network nor pandas, so that ``dependencia power`` on a
plain edge list (:mod:`~dependencia.measures.plain_power`) computes with only
NumPy and igraph loaded (issue 19: peak memory); the table is built after the
workers end.

Examples
--------
>>> import numpy as np
>>> import dependencia as dp
>>> net = dp.Network.from_records([{"id": i} for i in "abc"],
...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
>>> graph = dp.compile_graph(net)
>>> sums = power_sums(graph, [np.array([a]) for a in range(3)], normalized=False)
>>> sums.ordered.tolist(), sums.node.tolist(), sums.attrs["exact"]
([0.0, 1.0, 0.0], [0.0, 1.0, 0.0], True)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from ..base.arguments import seed_value
from ..base.executor import Executor
from ..errors import UsageError
from ..graph.compiled import CompiledGraph
from ._pair_sums import actor_pair_sums, controlled_group_sums, power_sample_size, routed_pair_sums
from .betweenness import DEFAULT_EPSILON, EXACT_COST_LIMIT, Scale, graph_attrs, graph_betweenness

if TYPE_CHECKING:
    from .group_sampling import GroupEstimate

__all__ = ["PowerSums", "power_sums"]


class PowerSums(NamedTuple):
    """What :func:`power_sums` computed: per actor, in actor order."""

    #: Ordered-pair sum of the actor's controlled group (scaled up from a sample of sources where sampled).
    ordered: np.ndarray
    #: Actors in each actor's controlled group (the actor itself included).
    actors_in_group: np.ndarray
    #: The node betweenness of every graph node, NetworkX's scale (NaN where not computed).
    node: np.ndarray
    #: The result's ``attrs``: how the values were computed, and of which graph.
    attrs: dict[str, object]


def power_sums(
    graph: CompiledGraph,
    groups: list[np.ndarray],
    *,
    normalized: bool = True,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    epsilon: float | None = None,
    delta: float | None = None,
    seed: int = 0,
    node_betweenness: bool = True,
    exact: bool | None = True,
    method: str | None = None,
) -> PowerSums:
    """The sums of :func:`~dependencia.measures.power.graph_power` for the actors' controlled ``groups``.

    ``groups[a]`` holds the sorted graph nodes actor ``a`` controls
    (:func:`~dependencia.measures.power.controlled_groups`); the other
    arguments are :func:`~dependencia.measures.power.graph_power`'s.
    """
    epsilon = _approximation(graph, exact, epsilon)
    if method is not None and epsilon is None:
        raise UsageError(f"method {method!r} is a way to approximate: give an epsilon (or exact=False) with it")
    executor = Executor(workers, scheduler=scheduler, progress=progress)
    n_actors = graph.n_actors
    actors_in_group = np.array([sum(1 for v in members if v < n_actors) for members in groups], dtype=float)
    multi = [a for a, members in enumerate(groups) if len(members) > 1]
    own_node = graph.n_nodes == n_actors or graph.paths == "routed"  # singleton sums are the actors' betweenness
    sources, factor, samples, omega = np.arange(n_actors), 1.0, None, None
    if epsilon is not None:
        delta = 0.1 if delta is None else delta
        seed = seed_value(seed)
        largest = int(actors_in_group.max()) if n_actors else 0
        k = power_sample_size(n_actors, largest, epsilon=epsilon, delta=delta)
        from .group_sampling import group_method  # Numba: loaded when first used, not by `import`

        method = group_method(graph, method, epsilon=epsilon, delta=delta, largest_group=largest, sources=k)
        if method == "sources" and k < n_actors:
            sources = np.sort(np.random.default_rng(seed).choice(n_actors, size=k, replace=False))
            factor = n_actors / k
    if method == "kadabra" and epsilon is not None and delta is not None:
        estimate = _sampled_power(graph, groups, multi if own_node else [], actors_in_group, epsilon=epsilon,
                                  delta=delta, seed=seed, executor=executor if workers or scheduler else None)
        sums, samples, omega = estimate.ordered_sums(), estimate.samples, estimate.omega
        ordered, singleton = sums[:n_actors], sums[:n_actors].copy()
        singleton[multi if own_node else []] = sums[n_actors:]
    else:
        ordered, singleton = _exact_or_sourced(graph, groups, multi, executor, sources, factor)
    approximate = samples is not None or len(sources) < n_actors  # a sample of every actor is the exact computation
    if own_node:  # the singleton sums are the actors' node betweenness (over actor pairs on the routed graph)
        node = singleton * Scale.of(n_actors, normalized=normalized, directed=graph.directed, endpoints=False).factor
    elif not node_betweenness:
        node = np.full(graph.n_nodes, np.nan)
    else:
        node = graph_betweenness(graph, exact=not approximate, epsilon=epsilon if approximate else None,
                                 delta=delta if approximate else None, seed=seed, normalized=normalized,
                                 workers=workers, scheduler=scheduler)["betweenness"].to_numpy()
    attrs: dict[str, object] = dict(
        measure="power", paths=graph.paths, exact=not approximate, normalized=normalized, directed=graph.directed,
        n_nodes=graph.n_nodes, n_actors=n_actors, n_edges=graph.n_edges, epsilon=epsilon if approximate else None,
        delta=delta if approximate else None, seed=seed if approximate else None,
        method=method if approximate else None, sources=len(sources) if samples is None else None, samples=samples,
        omega=omega,
    )
    attrs.update(graph_attrs(graph))
    return PowerSums(ordered, actors_in_group, node, attrs)


def _approximation(graph: CompiledGraph, exact: bool | None, epsilon: float | None) -> float | None:
    """The epsilon to sample with (None: exact), from ``exact`` and the graph's cost as :func:`power` says."""
    if exact and epsilon is not None:
        raise UsageError("choose either exact values or an epsilon, not both")
    if epsilon is None and (exact is False or (exact is None and graph.n_nodes * graph.n_edges > EXACT_COST_LIMIT)):
        return DEFAULT_EPSILON
    return epsilon


def _exact_or_sourced(graph: CompiledGraph, groups: list[np.ndarray], multi: list[int], executor: Executor,
                      sources: np.ndarray, factor: float) -> tuple[np.ndarray, np.ndarray]:
    """(each actor's ordered-pair sum of its group, of its own node) from ``sources``, scaled by ``factor``."""
    n_actors = graph.n_actors
    contracted = routed_pair_sums(graph, [groups[a] for a in multi], executor, sources)
    if contracted is not None:  # the routed graph, its route chains contracted: one pass for both
        ordered = contracted[0][:n_actors] * factor
        singleton = ordered.copy()
        ordered[multi] = contracted[1] * factor
        return ordered, singleton
    ordered = actor_pair_sums(graph, executor, sources) * factor
    singleton = ordered.copy()
    if multi:
        ordered[multi] = controlled_group_sums(graph, [groups[a] for a in multi], executor, sources) * factor
    return ordered, singleton


def _sampled_power(graph: CompiledGraph, groups: list[np.ndarray], own: list[int], actors_in_group: np.ndarray, *,
                   epsilon: float, delta: float, seed: int, executor: Executor | None) -> GroupEstimate:
    """Path sampling of every actor's group, then of the own nodes of actors ``own`` (for ``betweenness``)."""
    from .group_sampling import sample_groups

    n_actors = graph.n_actors
    outside = n_actors - np.concatenate([actors_in_group, np.ones(len(own))])
    return sample_groups(graph, [*groups, *(np.array([a]) for a in own)], outside * (outside - 1), epsilon=epsilon,
                         delta=delta, seed=seed, executor=executor)
