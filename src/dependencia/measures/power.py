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
from typing import TYPE_CHECKING

import numpy as np

from ..base.arguments import dimension_list
from ..graph.compiled import CompiledGraph, compile_graph, compiled_once
from ..network.model import Network
from .power_sums import power_sums
from .power_table import power_frame, with_reach

if TYPE_CHECKING:  # pandas is imported for the table: a plain edge list's power computes without it (issue 19)
    import pandas as pd

__all__ = ["actor_columns", "actor_power", "actor_table", "controlled_groups", "graph_power", "power", "power_frame",
           "with_reach"]


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
    paths: str | None = "routed",
    exact: bool | None = None,
    method: str | None = None,
    progress: Callable[[int, int], None] | None = None,
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
        Approximate: every normalized power within epsilon of the exact one
        with probability at least 1 - delta (default 0.1), the same values
        for the same seed (default 0) with any number of threads or workers.
    exact : bool, optional
        True forces exact values, False approximates (epsilon 0.01 unless
        given). By default, as ``dependencia power``: exact up to a graph cost
        n*m of ``EXACT_COST_LIMIT`` (1e10, nodes times edges of the compiled
        graph) and approximate with epsilon 0.01 above it; ``frame.attrs``
        says which.
    method : {"kadabra", "sources"}, optional
        How to approximate: adaptive sampling of shortest paths between
        actor pairs (``"kadabra"``, :mod:`~dependencia.measures.group_sampling`)
        or a sample of source actors computed exactly (``"sources"``, exact
        when the sample would include every actor). By default the one of
        smaller estimated cost (:func:`~dependencia.measures.group_sampling.group_method`).
    burt : bool, default False
        Add Burt's ``constraint`` and ``effective_size``
        (:func:`~dependencia.structural_holes`; NetworkX, slow on big graphs).
    paths : {"routed", "hub"}, default "routed"
        How routes make paths (docs/model.md#graphs): on the routed graph a
        path passes a closed infrastructure only along a declared route.
    progress : callable, optional
        Called with (groups of sources done, groups in all) as the sums come
        in, e.g. to advance a progress bar.

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
    if network.plain_edges() is not None and not burt and dimensions is None and length is None and method is None:
        # a plain edge list whose tables are not built: from its graph alone, the same table (issue 19: memory)
        from .plain_power import plain_power

        return plain_power(compile_graph(network, directed=directed, paths=paths), normalized=normalized,
                           workers=workers, scheduler=scheduler, epsilon=epsilon, delta=delta, seed=seed,
                           exact=exact, progress=progress)
    with compiled_once():  # the reach columns count on power's graph (hop counts), not on a second compilation
        frame = actor_power(network, normalized=normalized, directed=directed, length=length, dimensions=dimensions,
                            workers=workers, scheduler=scheduler, epsilon=epsilon, delta=delta, seed=seed,
                            paths=paths, exact=exact, method=method, progress=progress)
        return actor_columns(frame, network, directed=directed, dimensions=dimensions, burt=burt, paths=paths)


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
    paths: str | None = "routed",
    exact: bool | None = None,
    method: str | None = None,
    progress: Callable[[int, int], None] | None = None,
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
    graph = compile_graph(network, dimensions=dimensions, length=length, directed=directed, paths=paths)
    return graph_power(
        network, graph, normalized=normalized, workers=workers, scheduler=scheduler, epsilon=epsilon, delta=delta,
        seed=seed, exact=exact, method=method, progress=progress,
    )


def actor_columns(frame: pd.DataFrame, network: Network, *, directed: bool = True,
                  dimensions: str | Sequence[str] | None = None, burt: bool = False,
                  paths: str | None = "routed") -> pd.DataFrame:
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

    kinds = network.actors["kind"].reindex(frame.index).to_numpy(dtype=object)
    result = with_reach(frame, kinds, reach(network, directed=directed, dimensions=dimensions, paths=paths))
    if burt:
        from .structural_holes import structural_holes  # NetworkX: only when asked

        result = result.join(structural_holes(network, directed=directed, dimensions=dimensions))
        result.attrs.update(frame.attrs)
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
    exact: bool | None = True,
    method: str | None = None,
) -> pd.DataFrame:
    """:func:`power` on a graph already compiled from ``network``.

    ``exact`` as for :func:`power`, but True by default: the measures built
    on power (what-if, rents, the simulation) compute exact values unless a
    caller asks otherwise.

    ``node_betweenness=False`` leaves the ``betweenness`` column NaN where it
    would need a pass of its own (graphs with infrastructure), for callers
    that only need power.

    With ``epsilon``, every normalized power is within epsilon of the exact
    value with probability at least 1 - delta: by path sampling
    (``method="kadabra"``, :func:`~dependencia.measures.group_sampling.sample_groups`)
    or by a seeded sample of source actors without replacement
    (``"sources"``, :func:`~dependencia.measures._pair_sums.power_sample_size`); ``frame.attrs["method"]`` says which.
    """
    groups = controlled_groups(network, graph)
    sums = power_sums(graph, groups, normalized=normalized, workers=workers, scheduler=scheduler,
                      progress=progress, epsilon=epsilon, delta=delta, seed=seed,
                      node_betweenness=node_betweenness, exact=exact, method=method)
    frame = actor_table(
        network, sums.ordered, sums.actors_in_group, directed=graph.directed, normalized=normalized,
        betweenness=sums.node[:graph.n_actors],
        controls=[len(np.unique(graph.model_of[members])) - 1 for members in groups],
    )
    frame.attrs.update(sums.attrs)
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
    controllers = network.controllers()
    return power_frame(network.actors.index, ordered, actors_in_group, directed=directed, normalized=normalized,
                       betweenness=betweenness, controls=controls, controllers=controllers.tolist(),
                       top=controllers.index == controllers.to_numpy(), authority=_authority(network))


def controlled_groups(network: Network, graph: CompiledGraph) -> list[np.ndarray]:
    """Per actor (in actor order), the sorted graph nodes it controls: C(a) with the route nodes of its infrastructures.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "d"}, {"id": "p"}],
    ...     [{"dependent": "d", "provider": "p", "via": ["X"]}], infrastructures=[{"id": "X", "owner": "p"}])
    >>> [g.tolist() for g in controlled_groups(net, compile_graph(net))]
    [[0], [1, 2, 3]]
    """
    index = graph.index
    groups = network.control_groups()
    own = index.get_indexer(network.actors.index)
    return [
        graph.nodes_of(index.get_indexer(sorted(groups[actor]))) if len(groups[actor]) > 1 else own[i:i + 1]
        for i, actor in enumerate(network.actors.index)
    ]


def _authority(network: Network) -> list[list[str]]:
    held = network.authority.groupby("holder", sort=False)["subject"].agg(list).to_dict()
    return [held.get(actor, []) for actor in network.actors.index]
