"""Explain an actor's power: where it comes from, and what it rests on.

docs/model.md#decomposition: the actor's raw power split by controlled node
(each path credited to the first controlled node it meets) and over the
actor pairs whose paths it sits on (the top ones listed, the rest summed), both
adding up exactly to the total; beside them, its power computed on each
dimension's graph (views, not a decomposition), what the actor itself depends
on, and the formal authority it holds or is subject to.

An actor without power gets the reason, computed on the same graph
(:class:`ZeroReason`): nobody depends on what it controls, what it controls
depends on nobody, or every shortest path between its dependents and the
actors beyond it goes around it, and then through which nodes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..base.arguments import dimension_list
from ..base.executor import Executor
from ..errors import UsageError
from ..graph.compiled import CompiledGraph, compile_graph
from ..network.model import Network
from . import _kernels
from ._pair_sums import actor_roles, directed_engine, graph_csr, identity
from .betweenness import executor_for, source_slices
from .multiplex import build_multiplex
from .power import actor_power as power  # the power columns alone
from .power import controlled_groups, graph_power

__all__ = ["Explanation", "ZeroReason", "explain"]

OTHER_PAIRS = "(all other pairs)"
#: Pairs a :class:`ZeroReason` of kind ``bypassed`` shows as examples.
EXAMPLES = 3
#: Relative tolerance of tied path lengths (igraph's, as everywhere in the measures).
_TIE = 1e-10


@dataclass(frozen=True)
class ZeroReason:
    """Why an actor has no power (see :func:`explain`).

    Power is the share of shortest paths between other actors that pass a
    node the actor controls, so it needs a path that enters the controlled
    set from some actor and leaves it for another. ``kind`` says which part
    is missing:

    - ``isolated``: no path enters or leaves what it controls;
    - ``no_dependents``: no actor depends on it or on anything it controls,
      directly or indirectly (no path enters);
    - ``no_dependencies``: it and everything it controls depend on no one (no
      path leaves: a pure provider is only ever the end of a path);
    - ``no_pairs``: its only dependent is also its only dependency (a path
      through it would return where it started);
    - ``bypassed``: paths enter and leave, but every shortest path between
      its dependents and the actors beyond it goes around it; ``bypass``
      lists the nodes those pairs run through instead.

    Attributes
    ----------
    kind : str
    text : str
        One sentence for people.
    dependents, dependencies : int
        Actors outside the controlled set with a path into it, and actors
        outside it that a path from it reaches.
    bypass : pandas.DataFrame
        Indexed by node: ``kind`` (actor or infrastructure) and ``pairs``, the
        share of the shortest paths of the (dependent, dependency) pairs that
        the node carries, summed over the pairs (betweenness restricted to
        those sources and targets), the ``top`` largest, largest first. Empty
        unless ``kind`` is ``bypassed``.
    examples : pandas.DataFrame
        Up to :data:`EXAMPLES` pairs nearest the actor: ``dependent``,
        ``provider``, ``through`` (the inner nodes of their shortest paths,
        in path order; empty for a direct dependency), ``length`` (shortest)
        and ``length_through_actor`` (the shortest path that passes a
        controlled node).
    """

    kind: str
    text: str
    dependents: int
    dependencies: int
    bypass: pd.DataFrame
    examples: pd.DataFrame

    def to_dict(self) -> dict:
        """JSON-ready form (the ``zero_reason`` of ``dependencia explain --format json``)."""
        return {
            "kind": self.kind, "text": self.text, "dependents": self.dependents, "dependencies": self.dependencies,
            "bypass": [{"id": str(i), "kind": k, "pairs": float(v)}
                       for i, k, v in zip(self.bypass.index, self.bypass["kind"], self.bypass["pairs"])],
            "examples": [{"dependent": r.dependent, "provider": r.provider, "through": list(r.through),
                          "length": float(r.length), "length_through_actor": float(r.length_through_actor)}
                         for r in self.examples.itertuples()],
        }


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


def zero_reason(graph: CompiledGraph, actor: str, group: np.ndarray, *, top: int = 10) -> ZeroReason:
    """Why the nodes ``group`` (``actor``'s controlled set, node indices of ``graph``) carry no path.

    Computed on ``graph``, not assumed. Dependents are the actors outside the
    group with a path into it, dependencies the actors outside it that a path
    from it reaches. When both exist, the pairs that matter are the ordered
    pairs (s, t) of distinct actors outside the group with a path from s
    through a node of the group to t; the betweenness of every node over
    those pairs says which nodes carry them instead, and the pairs nearest
    the group are shown with the inner nodes of their shortest paths and
    the length of the shortest path through the group. Meant for a group
    whose power is 0 (every such pair then has a shorter path around it).

    Examples
    --------
    ``b`` sits between ``a`` and ``c``, but ``a`` also depends on ``c`` directly:

    >>> import textwrap
    >>> import dependencia as dp
    >>> from dependencia.graph import compile_graph
    >>> net = dp.Network.from_records(
    ...     [{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"},
    ...      {"dependent": "a", "provider": "c"}])
    >>> reason = zero_reason(compile_graph(net), "b", np.array([1]))
    >>> reason.kind, reason.examples["length"].tolist(), reason.examples["length_through_actor"].tolist()
    ('bypassed', [1.0], [2.0])
    >>> print(textwrap.fill(reason.text, 100))
    b has 1 dependent and 1 dependency, but every shortest path between them goes around it: a depends
    on c directly (1 step, against 2 through b)
    """
    engine, n_actors, weights = directed_engine(graph)
    n = graph.n_nodes
    ids = graph.node_ids[graph.model_of]  # a route node is named by its infrastructure
    member = np.zeros(n, dtype=bool)
    member[group] = True
    lengths = np.asarray(engine.es[weights], dtype=float) if weights else np.ones(engine.ecount())
    to_group = _joined_distances(engine, lengths, group, mode="in")  # d(v, C)
    from_group = _joined_distances(engine, lengths, group, mode="out")  # d(C, v)
    outside = (np.arange(n) < n_actors) & ~member
    dependents = np.flatnonzero(outside & np.isfinite(to_group))
    providers = np.flatnonzero(outside & np.isfinite(from_group))
    others = sorted(str(ids[v]) for v in group if ids[v] != actor)
    controlled = f" ({_names(others)})" if others else ""
    counts = {"dependents": len(dependents), "dependencies": len(providers)}
    if not len(dependents) and not len(providers):
        what = f"{actor} and what it controls{controlled} are" if others else f"{actor} is"
        return _reason("isolated", f"{what} on no path: no one depends on {'them' if others else 'it'} and "
                       f"{'they depend' if others else 'it depends'} on no one", counts)
    if not len(dependents):
        return _reason("no_dependents", f"no one depends on {actor}"
                       + (f" or on anything it controls{controlled}" if others else "")
                       + ", directly or indirectly: no path leads into it, so none passes through it "
                       f"(it depends on {_count(len(providers), 'actor')}, directly or indirectly)", counts)
    if not len(providers):
        subject = f"{actor} and everything it controls{controlled} depend" if others else f"{actor} depends"
        return _reason("no_dependencies", f"{subject} on no one: no path passes through a pure provider; "
                       f"the paths of its {_count(len(dependents), 'dependent')} end at it", counts)
    carried, nearest, back, targets = _through_pairs(engine, lengths, weights, ids, group, dependents, providers)
    have = f"{actor} has {_count(len(dependents), 'dependent')} and {_count(len(providers), 'dependency')}"
    if not nearest:
        return _reason("no_pairs", f"{have}, but no path leads from one actor through it to another: "
                       + ("a path through it only leads back to where it started" if back
                          else "the part of it that others depend on leads on to no one"), counts)
    carried = _per_model_node(graph, carried, targets)
    order = np.lexsort((ids[:graph.n_model_nodes].astype(str), -carried))
    chosen = [v for v in order[:top] if carried[v] > 0]
    bypass = pd.DataFrame(
        {"kind": ["actor" if v < n_actors else "infrastructure" for v in chosen], "pairs": carried[chosen]},
        index=pd.Index([str(ids[v]) for v in chosen], name="node", dtype=object))
    examples = _examples(engine, weights, ids, group, nearest)
    unit = "step" if weights is None else "length"
    shown = []
    for row in examples.itertuples():
        direct = (f"{row.dependent} depends on {row.provider} directly" if graph.directed
                  else f"{row.dependent} and {row.provider} are linked directly")
        route = (f"{row.dependent} -> {row.provider} runs through {_names(list(row.through))}, which is shorter"
                 if row.through else direct)
        shown.append(f"{route} ({_length(row.length, unit)}, against {_length(row.length_through_actor, None)} "
                     f"through {actor})")
    text = f"{have}, but every shortest path between them goes around it: " + "; ".join(shown)
    listed = {node for row in examples.itertuples() for node in row.through}
    if any(node not in listed for node in bypass.index):
        text += f". Most of these pairs run through {_names(list(bypass.index))}"
    return ZeroReason("bypassed", text, **counts, bypass=bypass, examples=examples)


def _per_model_node(graph: CompiledGraph, carried: np.ndarray, targets: dict[int, np.ndarray]) -> np.ndarray:
    """``carried`` per actor and infrastructure: an infrastructure's route nodes as one group (a path counts once).

    ``targets`` gives, per source, the targets of the pairs counted in ``carried``.
    """
    result = carried[:graph.n_model_nodes].copy()
    several = [x for x in range(graph.n_actors, graph.n_model_nodes) if len(graph.nodes_of([x])) > 1]
    if not several or not targets:
        return result
    from ._pair_sums import group_sums

    adjacency, role = graph_csr(graph), actor_roles(graph.n_nodes, graph.n_actors)
    groups = [graph.nodes_of([x]) for x in several]
    total = np.zeros(len(several))
    for s, chosen in sorted(targets.items()):
        target_of = np.full(graph.n_nodes, -1, dtype=np.int64)
        target_of[chosen] = chosen
        total += group_sums(adjacency, np.array([s]), role, target_of, groups, Executor(1))
    result[several] = total
    return result


def _reason(kind: str, text: str, counts: dict) -> ZeroReason:
    bypass = pd.DataFrame({"kind": pd.Series(dtype=object), "pairs": pd.Series(dtype=float)},
                          index=pd.Index([], name="node", dtype=object))
    return ZeroReason(kind, text, **counts, bypass=bypass, examples=_examples_frame([]))


def _examples_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["dependent", "provider", "through", "length", "length_through_actor"])


def _joined_distances(engine, lengths: np.ndarray, group: np.ndarray, *, mode: str) -> np.ndarray:
    """Distance from (``out``) or to (``in``) the nearest node of ``group``: one search from a joined source."""
    joined = engine.copy()
    hub = joined.vcount()
    joined.add_vertices(1)
    edges = [(hub, int(v)) for v in group] if mode == "out" else [(int(v), hub) for v in group]
    joined.add_edges(edges)
    joined.es["joined_length"] = np.concatenate([lengths, np.zeros(len(edges))]).tolist()
    return np.asarray(joined.distances(source=[hub], weights="joined_length", mode=mode)[0][:hub], dtype=float)


#: Source rows of the through-distance matrix computed at once.
_CHUNK = 256


def _through_pairs(engine, lengths, weights, ids, group, dependents, providers) -> tuple[np.ndarray, list, bool, dict]:
    """The pairs with a path through the group, and what carries them.

    For each dependent s, the providers t != s with a path s -> (a node of the group) -> t: on two copies
    of the graph joined at the group's nodes (``(c, before) -> (c, after)``, length 0), a path from
    ``(s, before)`` to ``(t, after)``. Returns the betweenness of every node over those pairs (igraph's
    subset betweenness, source by source), the :data:`EXAMPLES` pairs nearest the group (shortest path
    through it, then ids) as ``(length through it, ids, indices)``, whether some dependent has a
    path through the group back to itself, and the targets counted for each source.
    """
    from ..base.imports import igraph  # imported without matplotlib.pyplot (0.4 s)

    ig = igraph()

    n = len(ids)
    src, dst = np.asarray(engine.get_edgelist(), dtype=np.int64).reshape(-1, 2).T
    edges = np.concatenate([np.column_stack([src, dst]), np.column_stack([src + n, dst + n]),
                            np.column_stack([group, group + n])])
    layered = ig.Graph(n=2 * n, edges=edges.tolist(), directed=True)
    # every path from one copy to the other crosses one joining edge: on hop counts it counts 1 (a breadth-first
    # search, 1 subtracted after), on lengths 0
    layered.es["length"] = np.concatenate([lengths, lengths, np.zeros(len(group))]).tolist()
    joined_weights, joining = ("length", 0.0) if weights else (None, 1.0)
    names = ids[providers].astype(str)
    carried, nearest, back, targets = np.zeros(n), [], False, {}
    for first in range(0, len(dependents), _CHUNK):
        chunk = dependents[first:first + _CHUNK]
        rows = np.asarray(layered.distances(source=chunk.tolist(), target=(providers + n).tolist(),
                                            weights=joined_weights, mode="out"), dtype=float).reshape(len(chunk), -1)
        rows -= joining
        whole = []  # sources that reach every provider through the group: one call for all of them
        for s, row in zip(chunk, rows):
            reached = np.isfinite(row)
            back = back or bool(reached[providers == s].any())
            keep = np.flatnonzero(reached & (providers != s))
            if not len(keep):
                continue
            targets[int(s)] = providers[keep]
            if len(keep) == int(np.sum(providers != s)):
                whole.append(int(s))
            else:
                carried += np.asarray(engine.betweenness(directed=True, weights=weights, sources=[int(s)],
                                                         targets=providers[keep].tolist()), dtype=float)[:n]
            best = keep[np.lexsort((names[keep], row[keep]))[:EXAMPLES]]
            nearest = sorted(nearest + [(float(row[j]), str(ids[s]), names[j], int(s), int(providers[j]))
                                        for j in best])[:EXAMPLES]
        if whole:  # igraph's subset betweenness skips the pairs (s, s)
            carried += np.asarray(engine.betweenness(directed=True, weights=weights, sources=whole,
                                                     targets=providers.tolist()), dtype=float)[:n]
    return carried, nearest, back, targets


def _examples(engine, weights, ids, group, nearest) -> pd.DataFrame:
    """The pairs ``nearest``, with the inner nodes of their shortest paths (in path order) and both lengths."""
    rows = []
    for through, _, _, s, t in nearest:
        ahead = np.asarray(engine.distances(source=[s], weights=weights, mode="out")[0], dtype=float)
        behind = np.asarray(engine.distances(source=[t], weights=weights, mode="in")[0], dtype=float)
        shortest = ahead[t]
        total = ahead + behind
        on_path = np.flatnonzero(np.isfinite(total) & (np.abs(total - shortest) <= _TIE * max(shortest, 1.0)))
        inner = sorted((v for v in on_path if v not in (s, t)), key=lambda v: (ahead[v], str(ids[v])))
        through_ids = tuple(dict.fromkeys(str(ids[v]) for v in inner))  # route nodes: their infrastructure, once
        rows.append({"dependent": str(ids[s]), "provider": str(ids[t]), "through": through_ids,
                     "length": float(shortest), "length_through_actor": float(through)})
    return _examples_frame(rows)


def _names(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _count(k: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{k} {noun if k == 1 else plural}"


def _length(value: float, unit: str | None) -> str:
    number = f"{value:.4g}"
    if unit == "step":
        return f"{number} step" + ("" if value == 1 else "s")
    return number if unit is None else f"length {number}"


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
    partials = executor.map(identity, shared, _explain_slice, slices)
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
