"""Explain an actor's power: where it comes from, and what it rests on.

MODEL.md §3 (decomposition): the actor's raw power split by controlled node
(each path credited to the first controlled node it meets) and over the
actor pairs whose paths it sits on (the top ones listed, the rest summed), both
adding up exactly to the total; beside them, its power computed on each
dimension's graph (views, not a decomposition), what the actor itself depends
on, and the formal authority it holds or is subject to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..executor import Executor
from ..graph import compile_graph
from ..model import Network
from . import _kernels
from .betweenness import executor_for, source_slices
from .multiplex import build_multiplex
from .power import _csr, _identity, actor_roles, graph_power, power

__all__ = ["Explanation", "explain"]

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

    def _repr_html_(self) -> str:
        parts = [f"<h4>power of {self.actor}: {self.power:.4g} (share {self.power_share:.4g})</h4>"]
        for title, frame in (("by controlled node", self.by_node), ("top pairs", self.top_pairs),
                             ("per dimension (views)", self.by_dimension)):
            parts.append(f"<h5>{title}</h5>{frame.to_html()}")
        return "".join(parts)


def explain(
    network: Network,
    actor: str,
    *,
    top: int = 10,
    switch_length: float = 1.0,
    directed: bool = True,
    length: str | None = None,
    dimensions: Sequence[str] | None = None,
    workers: int | None = None,
) -> Explanation:
    """Decompose the power of ``actor``.

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
        dependencies; the authority it holds and is subject to.

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
    """
    if actor not in network.actors.index:
        raise UsageError(f"no actor {actor!r} in the network")
    graph = compile_graph(network, dimensions=dimensions, length=length, directed=directed)
    frame = graph_power(network, graph, workers=workers)
    group = np.sort(graph.index.get_indexer(sorted(network.controls(actor))))
    member = np.zeros(graph.n_nodes, dtype=np.bool_)
    member[group] = True
    credit, pairs = _decompose(graph, member, top, Executor(workers))
    halve = 1.0 if graph.directed else 0.5
    raw = float(credit[group].sum() * halve)  # every path through the group is credited to one of its nodes
    ids = graph.node_ids
    by_node = pd.DataFrame(
        {"kind": ["actor" if v < graph.n_actors else "infrastructure" for v in group], "credit": credit[group] * halve},
        index=pd.Index(ids[group], name="node", dtype=object),
    ).sort_values("credit", ascending=False, kind="stable")
    by_node["share"] = by_node["credit"] / raw if raw > 0 else 0.0
    listed = pairs.assign(share=pairs["share"] * halve)
    rest = raw - listed["share"].sum()
    top_pairs = pd.concat(
        [listed, pd.DataFrame({"dependent": [OTHER_PAIRS], "provider": [""], "share": [max(rest, 0.0)]})],
        ignore_index=True,
    )
    chosen = list(network.dimensions.index) if dimensions is None else list(dimensions)
    views = {d: power(network, dimensions=[d], directed=directed, length=length, workers=workers).loc[actor]
             for d in chosen}
    credit_by_dimension = _multiplex_credit(network, actor, switch_length, directed, length, chosen, workers)
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
    )


def _multiplex_credit(network, actor, switch_length, directed, length, dimensions, workers) -> np.ndarray:
    """Multiplex raw power of ``actor`` credited to the dimension of the copy where each path first meets it."""
    if not dimensions:
        return np.zeros(0)
    built = build_multiplex(network, switch_length=switch_length, directed=directed, length=length,
                            dimensions=dimensions)
    group, _ = built.group_of(network, actor)
    member = np.zeros(built.size, dtype=np.bool_)
    member[group] = True
    credit, _, _ = decompose(built.adjacency, built.out_hub, built.source_of, built.target_of, member, 1,
                             built.executor(workers))
    per_dimension = credit[: built.k_count * built.n].reshape(built.k_count, built.n).sum(axis=1)
    return per_dimension * (1.0 if directed else 0.5)


def _decompose(graph, member: np.ndarray, top: int, executor: Executor) -> tuple[np.ndarray, pd.DataFrame]:
    role = actor_roles(graph.n_nodes, graph.n_actors)
    credit, keys, values = decompose(
        _csr(graph), np.arange(graph.n_actors), role, role, member, top, executor_for(graph, executor)
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
    partials = executor.map(_identity, shared, _explain_slice, slices)
    credit = np.zeros(n)
    keys, values = [], []
    for part_credit, part_keys, part_values in partials:
        credit += part_credit
        keys.append(part_keys)
        values.append(part_values)
    keys = np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)
    values = np.concatenate(values) if values else np.zeros(0)
    order = np.lexsort((keys, -values))[:top]
    return credit, keys[order], values[order]


def _explain_slice(shared, sources: np.ndarray):
    (indptr, indices, lengths, weighted), source_of, target_of, member, top = shared
    return _kernels.explain_group(
        indptr, indices, lengths, weighted, sources.astype(np.int64), source_of, target_of, member, top
    )
