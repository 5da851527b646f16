"""Explain an actor's power: where it comes from, and what it rests on.

docs/model.md#decomposition: the actor's raw power split by controlled node
(each path credited to the first controlled node it meets) and over the
actor pairs whose paths it sits on (the top ones listed, the rest summed), both
adding up exactly to the total; beside them, its power computed on each
dimension's graph (views, not a decomposition), what the actor itself depends
on, and the formal authority it holds or is subject to.

An actor without power gets the reason, computed on the same graph
(:class:`~dependencia.measures.zero_reason.ZeroReason`, in
:mod:`.zero_reason`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..base.arguments import dimension_list
from ..base.executor import Executor
from ..errors import UsageError
from ..graph.compiled import compile_graph
from ..network.model import Network
from . import _kernels
from ._pair_sums import actor_roles, graph_csr, identity
from .betweenness import executor_for, source_slices
from .multiplex import build_multiplex
from .power import actor_power as power  # the power columns alone
from .power import controlled_groups, graph_power
from .zero_reason import ZeroReason, zero_reason

__all__ = ["Explanation", "ZeroReason", "explain"]

OTHER_PAIRS = "(all other pairs)"


@dataclass(frozen=True)
class Explanation:
    """Where an actor's power comes from (see :func:`explain`)."""

    actor: str
    power: float
    raw_power: float
    power_share: float
    by_node: pd.DataFrame
    top_pairs: pd.DataFrame
    by_dimension: pd.DataFrame
    depends_on: pd.DataFrame
    authority_held: list[str]
    authority_over_it: list[str]
    zero_reason: ZeroReason | None = None

    def _repr_html_(self) -> str:
        import html

        parts = [f"<h4>power of {html.escape(self.actor)}: {self.power:.4g} (share {self.power_share:.4g})</h4>"]
        if self.zero_reason is not None:
            parts.append(f"<p>why 0: {html.escape(self.zero_reason.text)}</p>")
        for title, frame in (("by controlled node", self.by_node), ("top pairs", self.top_pairs),
                             ("per dimension (views)", self.by_dimension)):
            parts.append(f"<h5>{title}</h5>{frame.to_html(escape=True)}")  # ids come from the user
        return "".join(parts)


def explain(
    network: Network,
    actor: str,
    *,
    top: int = 10,
    switch_length: float = 1.0,
    directed: bool = True,
    length: str | None = None,
    dimensions: str | Sequence[str] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    paths: str | None = "routed",
) -> Explanation:
    """Decompose the power of ``actor``.

    ``paths`` chooses the routed graph (the default: a pair is listed only
    where a declared chain of dependencies joins it) or the hub graph
    (docs/model.md#graphs); the other options are :func:`~dependencia.power`'s.

    Returns
    -------
    Explanation
        ``by_node``: raw power credited to each node the actor controls
        (``credit``, ``share`` of the total), summing to ``raw_power``;
        ``top_pairs``: the ``top`` actor pairs (dependent, provider) whose
        shortest paths run most through the actor's nodes, with the share of
        their paths (``share``), and one row for all other pairs, so that the
        column sums to ``raw_power``; ``by_dimension``: power on each
        dimension's graph alone (views), and ``multiplex_credit``: the
        actor's multiplex power (switching length ``switch_length``)
        credited to the dimension of the copy where each path first meets
        its nodes, summing to its raw multiplex power (``multiplex_share``:
        the fractions); ``depends_on``: the actor's declared
        dependencies; the authority it holds and is subject to;
        ``zero_reason``: why its power is 0 (a :class:`ZeroReason`), or None
        when it has power.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records(
    ...     [{"id": i} for i in ("ann", "bob", "shop", "owner")],
    ...     [{"dependent": "ann", "provider": "shop", "via": ["platform"]},
    ...      {"dependent": "bob", "provider": "shop", "via": ["platform"]}],
    ...     infrastructures=[{"id": "platform", "owner": "owner"}])
    >>> why = dp.explain(net, "owner")
    >>> why.by_node["credit"].to_dict()
    {'platform': 2.0, 'owner': 0.0}
    >>> why.top_pairs["share"].tolist()
    [1.0, 1.0, 0.0]
    >>> why.zero_reason is None
    True

    The shop is where every path ends, so it has no power, and says why:

    >>> dp.explain(net, "shop").zero_reason.text
    'shop depends on no one: no path passes through a pure provider; the paths of its 2 dependents end at it'
    """
    dimensions = dimension_list(dimensions)
    if actor not in network.actors.index:
        raise UsageError(f"no actor {actor!r} in the network")
    graph = compile_graph(network, dimensions=dimensions, length=length, directed=directed, paths=paths)
    frame = graph_power(network, graph, workers=workers, scheduler=scheduler)
    group = controlled_groups(network, graph)[network.actors.index.get_loc(actor)]
    member = np.zeros(graph.n_nodes, dtype=np.bool_)
    member[group] = True
    credit, pairs = _decompose(graph, member, top, Executor(workers, scheduler=scheduler))
    halve = 1.0 if graph.directed else 0.5
    raw = float(credit[group].sum() * halve)  # every path through the group is credited to one of its nodes
    # a route node's credit goes to its infrastructure
    model_credit = np.bincount(graph.model_of[group], weights=credit[group], minlength=graph.n_model_nodes)
    nodes = np.unique(graph.model_of[group])
    ids = graph.node_ids
    by_node = pd.DataFrame(
        {"kind": ["actor" if v < graph.n_actors else "infrastructure" for v in nodes],
         "credit": model_credit[nodes] * halve},
        index=pd.Index(ids[nodes], name="node", dtype=object),
    ).sort_values("credit", ascending=False, kind="stable")
    by_node["share"] = by_node["credit"] / raw if raw > 0 else 0.0
    listed = pairs.assign(share=pairs["share"] * halve)
    rest = raw - listed["share"].sum()
    top_pairs = pd.concat(
        [listed, pd.DataFrame({"dependent": [OTHER_PAIRS], "provider": [""], "share": [max(rest, 0.0)]})],
        ignore_index=True,
    )
    chosen = list(network.dimensions.index) if dimensions is None else list(dimensions)
    views = {d: power(network, dimensions=[d], directed=directed, length=length, workers=workers,
                      scheduler=scheduler, paths=paths).loc[actor]
             for d in chosen}
    credit_by_dimension = _multiplex_credit(network, actor, switch_length, directed, length, chosen, workers,
                                            scheduler, paths)
    multiplex_raw = credit_by_dimension.sum()
    by_dimension = pd.DataFrame(
        {
            "power": [v["power"] for v in views.values()],
            "power_share": [v["power_share"] for v in views.values()],
            "multiplex_credit": credit_by_dimension,
            "multiplex_share": credit_by_dimension / multiplex_raw if multiplex_raw > 0 else 0.0 * credit_by_dimension,
        },
        index=pd.Index(list(views), name="dimension"),
    )
    deps = network.dependencies
    auth = network.authority
    return Explanation(
        actor=actor,
        power=float(frame.loc[actor, "power"]),
        raw_power=float(raw),
        power_share=float(frame.loc[actor, "power_share"]),
        by_node=by_node,
        top_pairs=top_pairs,
        by_dimension=by_dimension,
        depends_on=deps.loc[deps["dependent"] == actor, ["provider", "dimension", "strength", "channel", "via"]]
        .reset_index(drop=True),
        authority_held=auth.loc[auth["holder"] == actor, "subject"].tolist(),
        authority_over_it=auth.loc[auth["subject"] == actor, "holder"].tolist(),
        zero_reason=None if raw > 0 else zero_reason(graph, actor, group, top=top),
    )


def _multiplex_credit(network, actor, switch_length, directed, length, dimensions, workers,
                      scheduler=None, paths="routed") -> np.ndarray:
    """Multiplex raw power of ``actor`` credited to the dimension of the copy where each path first meets it."""
    if not dimensions:
        return np.zeros(0)
    built = build_multiplex(network, switch_length=switch_length, directed=directed, length=length,
                            dimensions=dimensions, paths=paths)
    group, _ = built.group_of(network, actor)
    member = np.zeros(built.size, dtype=np.bool_)
    member[group] = True
    credit, _, _ = decompose(built.adjacency, built.out_hub, built.source_of, built.target_of, member, 1,
                             built.executor(workers, scheduler))
    per_dimension = built.per_dimension(credit)
    return per_dimension * (1.0 if directed else 0.5)


def _decompose(graph, member: np.ndarray, top: int, executor: Executor) -> tuple[np.ndarray, pd.DataFrame]:
    role = actor_roles(graph.n_nodes, graph.n_actors)
    credit, keys, values = decompose(
        graph_csr(graph), np.arange(graph.n_actors), role, role, member, top, executor_for(graph, executor)
    )
    n = graph.n_nodes
    ids = graph.node_ids
    pairs = pd.DataFrame({"dependent": ids[keys // n], "provider": ids[keys % n], "share": values})
    return credit, pairs


def decompose(
    adjacency: tuple, sources: np.ndarray, source_of: np.ndarray, target_of: np.ndarray, member: np.ndarray,
    top: int, executor: Executor,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Credit per node and the top pairs (keys s * n + t, shares), summed over source slices in order."""
    n = len(adjacency[0]) - 1
    slices = source_slices(sources)
    shared = (adjacency, source_of, target_of, member, top)
    partials = executor.imap(identity, shared, _explain_slice, slices)
    credit = np.zeros(n)
    key_parts, value_parts = [], []
    for part_credit, part_keys, part_values in partials:
        credit += part_credit
        key_parts.append(part_keys)
        value_parts.append(part_values)
    keys = np.concatenate(key_parts) if key_parts else np.zeros(0, dtype=np.int64)
    values = np.concatenate(value_parts) if value_parts else np.zeros(0)
    order = np.lexsort((keys, -values))[:top]
    return credit, keys[order], values[order]


def _explain_slice(shared, sources: np.ndarray):
    (indptr, indices, lengths, weighted), source_of, target_of, member, top = shared
    return _kernels.explain_group(
        indptr, indices, lengths, weighted, sources.astype(np.int64), source_of, target_of, member, top
    )
