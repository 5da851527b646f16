"""Actor power: the group betweenness of what an actor controls, over pairs of actors.

docs/model.md#actor-power. For actor a with controlled set C(a) (itself, the actors it
controls through majority holdings, and every infrastructure they own):

    raw power(a) = sum over ordered actor pairs (s, t), s != t, s, t not in C(a),
                   of sigma_st(C(a)) / sigma_st

where sigma_st counts the shortest s-t paths in the graph of actors and
infrastructures and sigma_st(C) those that pass at least one node of C (a path
crossing two of its nodes counts once). Normalized power divides the
ordered-pair sum by (n_A - c)(n_A - c - 1), with n_A actors and
c = |C(a) ∩ actors|, on directed and undirected graphs alike; the raw value of
an undirected graph is halved, as NetworkX does for betweenness. Shares are
taken among top-level actors (those no other actor controls).

With no infrastructure and no ownership, power equals the actor's node
betweenness.

References
----------
M. G. Everett and S. P. Borgatti, "The centrality of groups and classes",
Journal of Mathematical Sociology 23(3), 181-201 (1999).
doi:10.1080/0022250X.1999.9990219
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ..base.arguments import dimension_list, seed_value
from ..base.executor import Executor
from ..errors import UsageError
from ..graph.compiled import CompiledGraph, compile_graph
from ..network.model import Network
from .betweenness import Scale, executor_for, graph_betweenness, source_slices

__all__ = ["actor_columns", "actor_power", "graph_power", "power"]


def power(
    network: Network,
    *,
    normalized: bool = True,
    directed: bool = True,
    length: str | None = None,
    dimensions: str | Sequence[str] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    epsilon: float | None = None,
    delta: float | None = None,
    seed: int = 0,
    burt: bool = False,
) -> pd.DataFrame:
    """Power of every actor through everything it controls, beside its kind and reach: the table of ``power --by actor``.

    Parameters
    ----------
    network : Network
    normalized : bool, default True
        Divide by the number of ordered actor pairs outside the actor's
        controlled set.
    directed, length, dimensions :
        As for :func:`~dependencia.betweenness`.
    workers, scheduler :
        Parallel execution, as for :func:`~dependencia.betweenness`; the
        values do not depend on them.
    epsilon, delta, seed : optional
        Approximate by sampling source actors: every normalized power within
        epsilon of the exact one with probability at least 1 - delta
        (default 0.1), the same values for the same seed (default 0). Exact
        when the sample would include every actor.
    burt : bool, default False
        Add Burt's ``constraint`` and ``effective_size``
        (:func:`~dependencia.structural_holes`; NetworkX, slow on big graphs).

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id, in actor order, the columns of ``dependencia power
        --by actor`` (without its ``rank``): ``kind``, ``power``, ``power_share``
        (among top-level actors; a controlled actor's share is relative to the
        same total and included in its controller's), ``betweenness`` (the
        actor's own node, NetworkX's convention, normalized or not as
        ``power``), ``controls`` (nodes it
        controls besides itself), ``controlled_by`` (its top-level
        controller, or None), ``formal_authority_over`` (subjects of its
        authority relations: recorded, conferring nothing), then the columns
        of :func:`~dependencia.reach` on the same graph (``direct_dependents``,
        ``direct_dependencies``, ``dependents``, ``dependencies``,
        ``asymmetry``: power and reach can disagree, and both are reported),
        and Burt's two columns when ``burt``. :func:`actor_power` is the power
        columns alone.

    Examples
    --------
    Two shoppers reach a shop only through a platform that ``owner`` owns;
    the owner sits on no path itself, yet its platform carries both pairs
    (ann, shop) and (bob, shop) out of the 4 * 3 = 12 ordered pairs of the
    other actors:

    >>> import dependencia as dp
    >>> net = dp.Network.from_records(
    ...     [{"id": i} for i in ("ann", "bob", "shop", "owner")],
    ...     [{"dependent": "ann", "provider": "shop", "via": ["platform"]},
    ...      {"dependent": "bob", "provider": "shop", "via": ["platform"]}],
    ...     infrastructures=[{"id": "platform", "owner": "owner"}])
    >>> dp.power(net, normalized=False)["power"].to_dict()
    {'ann': 0.0, 'bob': 0.0, 'shop': 0.0, 'owner': 2.0}
    >>> shop = dp.power(net).loc["shop"]
    >>> shop["kind"], float(shop["dependents"]), float(shop["dependencies"]), float(shop["asymmetry"])
    ('actor', 2.0, 0.0, 1.0)
    """
    dimensions = dimension_list(dimensions)
    frame = actor_power(network, normalized=normalized, directed=directed, length=length, dimensions=dimensions,
                        workers=workers, scheduler=scheduler, epsilon=epsilon, delta=delta, seed=seed)
    return actor_columns(frame, network, directed=directed, dimensions=dimensions, burt=burt)


def actor_power(
    network: Network,
    *,
    normalized: bool = True,
    directed: bool = True,
    length: str | None = None,
    dimensions: str | Sequence[str] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    epsilon: float | None = None,
    delta: float | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """The power columns of :func:`power` alone (no kind, no reach): what measures built on power need.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    >>> list(actor_power(net).columns)
    ['power', 'power_share', 'betweenness', 'controls', 'controlled_by', 'formal_authority_over']
    """
    dimensions = dimension_list(dimensions)
    graph = compile_graph(network, dimensions=dimensions, length=length, directed=directed)
    return graph_power(
        network, graph, normalized=normalized, workers=workers, scheduler=scheduler, epsilon=epsilon, delta=delta,
        seed=seed,
    )


def actor_columns(frame: pd.DataFrame, network: Network, *, directed: bool = True,
                  dimensions: str | Sequence[str] | None = None, burt: bool = False) -> pd.DataFrame:
    """``frame`` (actor power, plain or multiplex) with ``kind`` first and the reach (and Burt) columns after.

    One place for the columns beside power, shared by :func:`power` and
    ``dependencia power --by actor``; ``frame.attrs`` are kept.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    >>> list(actor_columns(actor_power(net), net).columns)[:2] + list(actor_columns(actor_power(net), net).columns)[-3:]
    ['kind', 'power', 'dependents', 'dependencies', 'asymmetry']
    """
    from .reach import reach

    attrs = dict(frame.attrs)
    result = frame.copy()
    result.insert(0, "kind", network.actors["kind"].reindex(result.index).to_numpy(dtype=object))
    result = result.join(reach(network, directed=directed, dimensions=dimensions))
    if burt:
        from .structural_holes import structural_holes  # NetworkX: only when asked

        result = result.join(structural_holes(network, directed=directed, dimensions=dimensions))
    result.attrs.update(attrs)
    return result


def graph_power(
    network: Network,
    graph: CompiledGraph,
    *,
    normalized: bool = True,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    epsilon: float | None = None,
    delta: float | None = None,
    seed: int = 0,
    node_betweenness: bool = True,
) -> pd.DataFrame:
    """:func:`power` on a graph already compiled from ``network``.

    ``node_betweenness=False`` leaves the ``betweenness`` column NaN where it
    would need a pass of its own (graphs with infrastructure), for callers
    that only need power.

    With ``epsilon``, source actors are sampled (seeded, without replacement)
    so that every normalized power is within epsilon of the exact value with
    probability at least 1 - delta (see :func:`power_sample_size`).
    """
    executor = Executor(workers, scheduler=scheduler, progress=progress)
    n_actors = graph.n_actors
    groups = _controlled_groups(network, graph)
    actors_in_group = np.array([sum(1 for v in members if v < n_actors) for members in groups], dtype=float)
    sources, factor = np.arange(n_actors), 1.0
    if epsilon is not None:
        delta = 0.1 if delta is None else delta
        seed = seed_value(seed)
        largest = int(actors_in_group.max()) if n_actors else 0
        k = power_sample_size(n_actors, largest, epsilon=epsilon, delta=delta)
        if k < n_actors:
            sources = np.sort(np.random.default_rng(seed).choice(n_actors, size=k, replace=False))
            factor = n_actors / k
    ordered = _singleton_sums(graph, executor, sources) * factor
    singleton = ordered.copy()
    multi = [a for a, members in enumerate(groups) if len(members) > 1]
    if multi:
        ordered[multi] = _group_sums(graph, [groups[a] for a in multi], executor, sources) * factor
    if graph.n_nodes == n_actors:  # every node is an actor: the singleton sums are node betweenness
        scale = Scale.of(graph.n_nodes, normalized=normalized, directed=graph.directed, endpoints=False)
        node = singleton * scale.factor
    elif not node_betweenness:
        node = np.full(graph.n_nodes, np.nan)
    else:
        sampled = len(sources) < n_actors
        node = graph_betweenness(graph, exact=not sampled, epsilon=epsilon if sampled else None,
                                 delta=delta if sampled else None, seed=seed, normalized=normalized,
                                 workers=workers, scheduler=scheduler)
        node = node["betweenness"].to_numpy()
    frame = actor_table(
        network, ordered, actors_in_group, directed=graph.directed, normalized=normalized,
        betweenness=node[:n_actors], controls=[len(members) - 1 for members in groups],
    )
    approximate = len(sources) < n_actors  # a sample of every actor is the exact computation
    frame.attrs.update(
        measure="power", exact=not approximate, normalized=normalized, directed=graph.directed,
        n_nodes=graph.n_nodes, n_actors=n_actors, n_edges=graph.n_edges, epsilon=epsilon if approximate else None,
        delta=delta if approximate else None, seed=seed if approximate else None, sources=len(sources),
    )
    return frame


def actor_table(
    network: Network,
    ordered: np.ndarray,
    actors_in_group: np.ndarray,
    *,
    directed: bool,
    normalized: bool,
    betweenness: np.ndarray,
    controls: list[int],
) -> pd.DataFrame:
    """The actor power table from each actor's ordered-pair sum (docs/model.md#actor-power: scaling and shares)."""
    n_actors = len(ordered)
    pairs = (n_actors - actors_in_group) * (n_actors - actors_in_group - 1)
    raw = ordered if directed else ordered / 2.0
    if normalized:
        values = np.divide(ordered, pairs, out=np.zeros(n_actors), where=pairs > 0)
    else:
        values = raw
    controllers = network.controllers()
    top = controllers.index == controllers.to_numpy()
    total = raw[top].sum()
    share = raw / total if total > 0 else np.zeros(n_actors)
    frame = pd.DataFrame(
        {"power": values, "power_share": share, "betweenness": betweenness, "controls": controls},
        index=pd.Index(network.actors.index, name="id", dtype=object),
    )
    frame["controlled_by"] = pd.Series(
        [None if t else c for t, c in zip(top, controllers.tolist())], index=frame.index, dtype=object
    )
    frame["formal_authority_over"] = pd.Series(_authority(network), index=frame.index, dtype=object)
    return frame


def _controlled_groups(network: Network, graph: CompiledGraph) -> list[np.ndarray]:
    index = graph.index
    groups = network.control_groups()
    own = index.get_indexer(network.actors.index)
    return [
        np.sort(index.get_indexer(sorted(groups[actor]))) if len(groups[actor]) > 1 else own[i:i + 1]
        for i, actor in enumerate(network.actors.index)
    ]


def _authority(network: Network) -> list[list[str]]:
    held = network.authority.groupby("holder", sort=False)["subject"].agg(list).to_dict()
    return [held.get(actor, []) for actor in network.actors.index]


def _csr(graph: CompiledGraph) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Out-neighbour CSR of the graph (both directions for an undirected graph)."""
    source, target = graph.source, graph.target
    lengths = graph.length if graph.length is not None else np.ones(len(source))
    if not graph.directed:
        source, target = np.concatenate([source, target]), np.concatenate([target, source])
        lengths = np.concatenate([lengths, lengths])
    return csr(graph.n_nodes, source, target, lengths, graph.length is not None)


def csr(
    n: int, source: np.ndarray, target: np.ndarray, lengths: np.ndarray, weighted: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Out-neighbour CSR (indptr, indices, lengths, weighted) of directed edge arrays."""
    order = np.lexsort((target, source))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(source, minlength=n), out=indptr[1:])
    return indptr, target[order].astype(np.int64), lengths[order].astype(float), weighted


def power_sample_size(n_actors: int, largest_group: int, *, epsilon: float, delta: float) -> int:
    """Source actors to sample so that every normalized power is within epsilon w.p. 1 - delta.

    Sampling k of the n_A actors as sources, source s adds
    X_s = n_A * Y_s / P_a to actor a's estimate, where Y_s <= n_A - c - 1 is
    its sum of path shares over targets and P_a = (n_A - c)(n_A - c - 1); so
    X_s lies in [0, R], R = n_A / (n_A - c). Hoeffding's bound (valid without
    replacement) and a union bound over the actors give
    k >= R^2 ln(2 n_A / delta) / (2 epsilon^2), with c the largest group's actors.
    """
    if not 0 < epsilon < 1 or not 0 < delta < 1:
        raise UsageError(f"epsilon and delta must be in (0, 1), got {epsilon} and {delta}")
    if n_actors - largest_group <= 1:
        return n_actors
    spread = n_actors / (n_actors - largest_group)
    return int(np.ceil(spread * spread * np.log(2 * n_actors / delta) / (2 * epsilon * epsilon)))


def _singleton_sums(graph: CompiledGraph, executor: Executor, actors: np.ndarray) -> np.ndarray:
    """Ordered actor-pair sums for each actor's own node (Brandes, sources ``actors``, targets all actors)."""
    slices = source_slices(actors)
    if not slices:
        return np.zeros(0)
    partials = executor_for(graph, executor).map(_directed_engine, graph, _subset_sums, slices)
    total = np.zeros(graph.n_actors)
    for partial in partials:
        total += partial
    return total


def _directed_engine(graph: CompiledGraph):
    """An igraph graph on which every path is directed (undirected edges both ways)."""
    from ..base.imports import igraph  # imported without matplotlib.pyplot (0.4 s)

    ig = igraph()

    indptr, indices, lengths, weighted = _csr(graph)
    source = np.repeat(np.arange(graph.n_nodes), np.diff(indptr))
    engine = ig.Graph(n=graph.n_nodes, edges=np.column_stack([source, indices]), directed=True)
    if weighted:
        engine.es["length"] = lengths
    return engine, graph.n_actors, "length" if weighted else None


def _subset_sums(engine, sources: np.ndarray) -> np.ndarray:
    ig_graph, n_actors, weights = engine
    targets = list(range(n_actors))
    values = ig_graph.betweenness(directed=True, weights=weights, sources=sources.tolist(), targets=targets)
    return np.asarray(values, dtype=float)[:n_actors]


def _group_sums(
    graph: CompiledGraph, groups: list[np.ndarray], executor: Executor, sources: np.ndarray
) -> np.ndarray:
    role = actor_roles(graph.n_nodes, graph.n_actors)
    return group_sums(_csr(graph), sources, role, role, groups, executor_for(graph, executor))


#: Bytes of the group membership matrix per kernel call; more groups run in batches.
MEMBER_BYTES = 64 * 2**20


def group_sums(
    adjacency: tuple, sources: np.ndarray, source_of: np.ndarray, target_of: np.ndarray,
    groups: list[np.ndarray], executor: Executor,
) -> np.ndarray:
    """Ordered-pair sums of each group (``_kernels.group_pair_sums``) over source slices on the executor."""
    n = len(adjacency[0]) - 1
    batch = max(1, MEMBER_BYTES // max(n, 1))
    slices = source_slices(sources)
    totals = []
    for first in range(0, len(groups), batch):
        chunk = groups[first:first + batch]
        member = np.zeros((len(chunk), n), dtype=np.uint8)
        for g, members in enumerate(chunk):
            member[g, members] = 1
        group_ptr = np.concatenate([[0], np.cumsum([len(m) for m in chunk])]).astype(np.int64)
        group_nodes = np.concatenate(chunk).astype(np.int64)
        shared = (adjacency, source_of, target_of, member, group_ptr, group_nodes)
        total = np.zeros(len(chunk))
        for partial in executor.map(_identity, shared, _kernel_slice, slices):
            total += partial
        totals.append(total)
    return np.concatenate(totals) if totals else np.zeros(0)


def _identity(shared):
    return shared


def _kernel_slice(shared, sources: np.ndarray) -> np.ndarray:
    from . import _kernels  # Numba: loaded by the first graph that needs it, not by `import`

    (indptr, indices, lengths, weighted), source_of, target_of, member, group_ptr, group_nodes = shared
    return _kernels.group_pair_sums(
        indptr, indices, lengths, weighted, sources.astype(np.int64), source_of, target_of, member, group_ptr,
        group_nodes,
    )


def actor_roles(n_nodes: int, n_actors: int) -> np.ndarray:
    """Node -> the actor it stands for as a path's end (-1 for infrastructures)."""
    role = np.full(n_nodes, -1, dtype=np.int64)
    role[:n_actors] = np.arange(n_actors)
    return role
