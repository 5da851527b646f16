"""Investment moves: what an infrastructure owner can do in one step (docs/simulation.md#moves-and-strategies).

A :class:`Move` builds a new infrastructure (or uses one it owns) and

- ``concentrate``: reroutes existing dependencies ``d -> p`` of one provider
  and dimension into ``d -> X -> p`` (X in front of the old route);
- ``substitute``: replaces the most expensive tolled infrastructure on such
  routes by X (the public option: a parallel, cheaper route);
- ``create``: creates new dependencies ``d -> owner`` via X for actors that
  had none on the owner in that dimension;
- ``serve``: turns needs (unmet dependencies) into ``d -> owner`` via X;
- ``extend``: reroutes more dependencies through an infrastructure the owner
  already has, at ``extend_cost`` x build cost.

Candidates are sampled with the step's random generator; :func:`hops` gives
a move's changes to the aggregate graph for scoring
(:mod:`.evaluate`), and the runner applies adopted moves with
:mod:`dependencia.network.edits`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["MOVE_KINDS", "Move", "sample_candidates"]

MOVE_KINDS = ("concentrate", "substitute", "create", "serve", "extend")


@dataclass(frozen=True)
class Move:
    """One investment.

    Attributes
    ----------
    kind : str
        One of :data:`MOVE_KINDS`.
    actor : str
        The investor, owner of the infrastructure.
    dimension : str
    cost : float
        Paid from the investor's budget to ``world``.
    rows : tuple of int
        Dependency rows to reroute (concentrate, substitute, extend), need
        rows to serve (serve), or dependency rows that switch to the investor
        (create, as its dependents take it: :mod:`.adoption`), positions in
        the network's tables.
    dependents : tuple of str
        New dependents (create) or the dependents of the needs served (serve).
    infrastructure : str or None
        The infrastructure used by ``extend``; None means a new one is built.
    replaces : str or None
        ``substitute``: the infrastructure that X replaces on the routes.
    """

    kind: str
    actor: str
    dimension: str
    cost: float
    rows: tuple[int, ...] = ()
    dependents: tuple[str, ...] = ()
    infrastructure: str | None = None
    replaces: str | None = None

    @property
    def builds(self) -> bool:
        """Whether the move builds a new infrastructure."""
        return self.infrastructure is None

    def describe(self) -> dict:
        """A JSON-ready description (for the events table)."""
        return {"move": self.kind, "dimension": self.dimension, "cost": self.cost, "rows": len(self.rows),
                "dependents": len(self.dependents), "infrastructure": self.infrastructure,
                "replaces": self.replaces}


def check_move(move: Move, network, controlled: frozenset[str]) -> None:
    """Refuse a move a strategy should not be able to make (a :class:`~dependencia.errors.UsageError`)."""
    from ..errors import UsageError

    def bad(why: str) -> UsageError:
        return UsageError(f"invalid move from the strategy of {move.actor!r}: {why} ({move!r})")

    if move.kind not in MOVE_KINDS:
        raise bad(f"unknown kind {move.kind!r}; kinds: {', '.join(MOVE_KINDS)}")
    if not isinstance(move.cost, (int, float)) or not np.isfinite(move.cost) or move.cost < 0:
        raise bad("the cost must be a finite number >= 0")
    if move.dimension not in network.dimensions.index:
        raise bad(f"unknown dimension {move.dimension!r}")
    if move.infrastructure is not None and move.infrastructure not in controlled:
        raise bad(f"{move.infrastructure!r} is not an infrastructure the investor controls")
    if move.kind == "extend" and move.infrastructure is None:
        raise bad("extend needs the infrastructure to extend")
    if move.kind in ("concentrate", "extend", "substitute"):
        deps = network.dependencies
        if not move.rows or any(not 0 <= r < len(deps) for r in move.rows):
            raise bad("rows must name existing dependencies")
        if any(deps["dimension"].iat[r] != move.dimension for r in move.rows):
            raise bad("every rerouted dependency must be in the move's dimension")
        if move.kind == "substitute" and move.replaces not in network.infrastructures.index:
            raise bad(f"substitute replaces an unknown infrastructure {move.replaces!r}")
    else:
        unknown = [d for d in move.dependents if d not in network.actors.index]
        if not move.dependents or unknown:
            raise bad(f"dependents must be actors, got {unknown or 'none'}")


def new_route(move: Move, old: tuple[str, ...], infrastructure: str) -> tuple[str, ...]:
    """The route a rerouted dependency takes after the move."""
    if move.kind == "substitute":
        return tuple(infrastructure if x == move.replaces else x for x in old)
    return (infrastructure, *old)


def apply_move(network, move: Move, infrastructure: str, rows: tuple[int, ...], *, channel: str = "market"):
    """The network after the adopters ``rows`` of ``move`` take it up (``infrastructure`` already exists).

    Rerouting moves set the route of ``rows``; ``create`` adds a dependency
    ``d -> owner`` via the infrastructure for each new dependent; ``serve``
    turns the needs of ``move.dependents`` in its dimension into such
    dependencies. Returns ``(network, count)``, count being how many
    dependencies were rerouted, created or served.
    """
    from ..network import edits

    if move.kind in ("concentrate", "extend", "substitute"):
        if not rows:
            return network, 0
        vias = network.dependencies["via"].to_numpy()
        routes = [new_route(move, tuple(vias[r]), infrastructure) for r in rows]
        return edits.reroute(network, list(rows), routes).network, len(rows)
    if move.kind == "create":
        records = [{"dependent": d, "provider": move.actor, "dimension": move.dimension, "via": [infrastructure],
                    "channel": channel} for d in move.dependents if d in network.actors.index]
        if not records:
            return network, 0
        return edits.add_dependencies(network, records).network, len(records)
    needs = network.needs
    wanted = {(d, move.dimension) for d in move.dependents}
    served = [i for i, key in enumerate(zip(needs["dependent"], needs["dimension"])) if key in wanted]
    if not served:
        return network, 0
    return edits.serve_needs(network, served, move.actor, via=(infrastructure,), channel=channel).network, \
        len(served)


class RouteNodes:
    """The graph nodes of routes, old and new, while a move is scored (docs/model.md#graphs).

    On the routed graph a closed infrastructure on a route is a route node of
    that route (identical routes share it); a route the graph does not have
    yet gets new nodes after ``first_new``. On the hub graph (``graph`` is
    None or compiled with ``paths="hub"``) every infrastructure is its own node.
    """

    def __init__(self, graph, network, new_infrastructure: str | None, first_new: int):
        self.index = graph.index
        self.routed = graph.paths == "routed"
        closed, known = _route_tables(graph, network)
        self.closed = dict(closed)
        self.new_infrastructure = new_infrastructure
        self.next = first_new
        self.created: list[tuple[int, str]] = []  # (node, infrastructure) of new route nodes
        self.known: dict[str, list[int]] = dict(known)  # lists never changed in place: new keys get new lists
        if new_infrastructure is not None:
            self.closed[new_infrastructure] = True  # built infrastructure is closed (the default transit)

    def chain(self, dependent: str, route: tuple[str, ...], provider: str, new_node: int) -> list[int]:
        """The nodes of the route ``dependent -> route -> provider``, new route nodes allocated as needed."""
        def plain(x: str) -> int:
            return new_node if x == self.new_infrastructure else int(self.index.get_loc(x))

        ends = [int(self.index.get_loc(dependent)), int(self.index.get_loc(provider))]
        if not self.routed or not any(self.closed[x] for x in route):
            return [ends[0], *[plain(x) for x in route], ends[1]]
        key = ">".join([dependent, *route, provider])
        nodes = self.known.get(key)
        if nodes is None:
            nodes = []
            for x in route:
                if self.closed[x]:
                    nodes.append(self.next)
                    self.created.append((self.next, x))
                    self.next += 1
            self.known[key] = nodes
        inner, closed_nodes = [], iter(nodes)
        for x in route:
            inner.append(next(closed_nodes) if self.closed[x] else plain(x))
        return [ends[0], *inner, ends[1]]


def _route_tables(graph, network) -> tuple[dict[str, bool], dict[str, list[int]]]:
    """Whether each infrastructure is closed, and the route nodes of each route key of ``graph``.

    Kept in the graph's cache for the network it was asked for (a step scores many moves on one graph):
    the same dictionaries :class:`RouteNodes` would build, copied by each.
    """
    held = graph._cache.get("route_tables")
    if held is not None and held[0] is network:
        return held[1], held[2]
    closed = dict(zip(network.infrastructures.index.tolist(), network.closed_infrastructures().tolist()))
    known: dict[str, list[int]] = {}
    if graph.paths == "routed" and graph.route_key is not None and len(graph.route_key):
        start = graph.n_model_nodes
        for offset, key in enumerate(graph.route_key.tolist()):
            known.setdefault(key, []).append(start + offset)
    graph._cache["route_tables"] = (network, closed, known)
    return closed, known


def hops(move: Move, network, routes: RouteNodes, new_node: int) -> tuple[list, list, np.ndarray]:
    """(removed hops, added hops, tails of the changed hops in the old graph) of a move on the aggregate graph.

    ``routes`` maps routes to graph nodes (:class:`RouteNodes`); ``new_node``
    is the position of the move's infrastructure (a new node at the end, or
    the existing one). New route nodes are recorded in ``routes.created``.
    """
    removed: list[tuple[int, int]] = []
    added: list[tuple[int, int]] = []
    infra_id = move.infrastructure if move.infrastructure is not None else routes.new_infrastructure
    assert infra_id is not None, "a move that builds is scored with RouteNodes made with the new infrastructure's id"
    if move.kind in ("concentrate", "extend", "substitute"):
        deps = network.dependencies
        rows = list(move.rows)
        for d, p, route in zip(deps["dependent"].to_numpy()[rows].tolist(), deps["provider"].to_numpy()[rows].tolist(),
                               deps["via"].to_numpy()[rows]):
            old = routes.chain(d, tuple(route), p, new_node)
            new = routes.chain(d, new_route(move, tuple(route), infra_id), p, new_node)
            removed.extend(zip(old[:-1], old[1:]))
            added.extend(zip(new[:-1], new[1:]))
    else:
        for d in move.dependents:
            new = routes.chain(d, (infra_id,), move.actor, new_node)
            added.extend(zip(new[:-1], new[1:]))
        deps = network.dependencies
        for row in move.rows if move.kind == "create" else ():  # switched dependencies leave their old routes
            old = routes.chain(deps["dependent"].iat[row], tuple(deps["via"].iat[row]), deps["provider"].iat[row],
                               new_node)
            removed.extend(zip(old[:-1], old[1:]))
    # a source's shortest paths can change only if it reaches the tail of a changed hop in the old graph
    # (a brand-new node is reached only through such a tail)
    fresh = {new_node} if move.builds else set()
    fresh |= {node for node, _ in routes.created}
    tails = {u for u, _ in removed + added if u not in fresh}
    return removed, added, np.asarray(sorted(tails), dtype=np.int64)


def sample_candidates(
    network, actor: str, controlled: frozenset[str], rng: np.random.Generator, *, count: int, move_size: int,
    build_cost: float, extend_cost: float, kinds: tuple[str, ...] = ("concentrate", "create", "serve", "extend"),
) -> list[Move]:
    """Up to ``count`` distinct candidate moves of ``actor``, drawn with ``rng``."""
    deps = network.dependencies
    infra = network.infrastructures
    own_infra = [x for x in infra.index if x in controlled]
    vias = deps["via"].to_numpy()
    lengths = np.fromiter(map(len, vias), dtype=np.int64, count=len(vias))
    routed = np.flatnonzero(lengths > 0)  # only these can run through its infrastructure
    through_own = np.zeros(len(deps), dtype=bool)
    through_own[routed] = [any(x in controlled for x in vias[r]) for r in routed.tolist()]
    outside = ~deps["dependent"].isin(list(controlled)).to_numpy() & ~through_own
    outside &= ~deps["provider"].isin([actor]).to_numpy()
    reroutable = np.flatnonzero(outside)
    tables = _Codes(network, actor, reroutable, controlled)
    available = []
    if len(reroutable) and "concentrate" in kinds:
        available.append("concentrate")
    if len(reroutable) and own_infra and "extend" in kinds:
        available.append("extend")
    if len(network.needs) and "serve" in kinds:
        available.append("serve")
    if "create" in kinds and network.n_actors > len(controlled & set(network.actors.index)):
        available.append("create")
    moves: dict[tuple, Move] = {}
    attempts = 0
    while available and len(moves) < count and attempts < 4 * count:
        attempts += 1
        kind = available[int(rng.integers(len(available)))]
        move = _draw(kind, network, actor, controlled, rng, tables, own_infra, move_size, build_cost, extend_cost)
        if move is not None:
            key = (move.kind, move.dimension, move.rows, move.dependents, move.infrastructure)
            moves.setdefault(key, move)
    return list(moves.values())


class _Codes:
    """What the draws of one investor's candidates look up repeatedly, computed once per call.

    Providers and dimensions of the reroutable rows as integer codes (equal
    codes, equal values), and the dependents the investor already has per
    dimension.
    """

    def __init__(self, network, actor: str, reroutable: np.ndarray, controlled: frozenset[str] = frozenset()):
        deps = network.dependencies
        self.reroutable = reroutable
        self.dimension_of_row = deps["dimension"].to_numpy(dtype=object)
        self._network, self._controlled = network, controlled
        self._needs: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._creatable: dict[str, list[str]] = {}
        self.provider = pd.factorize(deps["provider"].to_numpy()[reroutable])[0]
        self.dimension = pd.factorize(deps["dimension"].to_numpy()[reroutable])[0]
        own = (deps["provider"] == actor).to_numpy()
        self._own_dependent = deps["dependent"].to_numpy()[own]
        self._own_dimension = deps["dimension"].to_numpy()[own]

    def rows_like(self, position: int) -> np.ndarray:
        """The reroutable rows with the provider and dimension of the one at ``position``."""
        same = (self.provider == self.provider[position]) & (self.dimension == self.dimension[position])
        return self.reroutable[same]

    def dependents_of_actor(self, dimension: str) -> set:
        """The dependents that depend on the investor in ``dimension`` already."""
        return set(self._own_dependent[self._own_dimension == dimension].tolist())

    def needs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The needs' dimensions and dependents, and whether each dependent is outside the investor's control."""
        if self._needs is None:
            needs = self._network.needs
            self._needs = (needs["dimension"].to_numpy(dtype=object), needs["dependent"].to_numpy(),
                           ~needs["dependent"].isin(list(self._controlled)).to_numpy())
        return self._needs

    def creatable(self, dimension: str) -> list[str]:
        """The actors, in the actors' order, that are neither controlled by nor already dependent on the investor."""
        if dimension not in self._creatable:
            ids = self._network.actors.index
            already = self.dependents_of_actor(dimension)
            self._creatable[dimension] = ids[~ids.isin([*self._controlled, *already])].tolist()
        return self._creatable[dimension]


def _draw(kind, network, actor, controlled, rng, tables, own_infra, move_size, build_cost, extend_cost):
    reroutable = tables.reroutable
    if kind in ("concentrate", "extend"):
        position = int(rng.integers(len(reroutable)))
        row = int(reroutable[position])
        dimension = tables.dimension_of_row[row]
        same = tables.rows_like(position)
        rows = _pick(same, move_size, rng)
        if kind == "concentrate":
            return Move("concentrate", actor, dimension, build_cost, rows=rows)
        serving = [x for x in own_infra if _serves(network, x, dimension)]
        if not serving:
            return None
        infrastructure = serving[int(rng.integers(len(serving)))]
        return Move("extend", actor, dimension, extend_cost * build_cost, rows=rows, infrastructure=infrastructure)
    if kind == "serve":
        need_dimension, need_dependent, outside = tables.needs()
        row = int(rng.integers(len(need_dimension)))
        dimension = need_dimension[row]
        same = np.flatnonzero((need_dimension == dimension) & outside)
        if not len(same):
            return None
        rows = _pick(same, move_size, rng)
        dependents = tuple(need_dependent[list(rows)])
        return Move("serve", actor, dimension, build_cost, rows=rows, dependents=dependents)
    dimensions = network.dimensions.index
    dimension = dimensions[int(rng.integers(len(dimensions)))]
    candidates = tables.creatable(dimension)  # in the actors' order
    if not candidates:
        return None
    chosen = _pick(np.arange(len(candidates)), move_size, rng)
    return Move("create", actor, dimension, build_cost, dependents=tuple(candidates[i] for i in chosen))


def _pick(rows: np.ndarray, size: int, rng: np.random.Generator) -> tuple[int, ...]:
    if len(rows) <= size:
        return tuple(int(r) for r in rows)
    return tuple(sorted(int(r) for r in rng.choice(rows, size=size, replace=False)))


def _serves(network, infrastructure: str, dimension: str) -> bool:
    served = network.infrastructures.at[infrastructure, "dimensions"]
    return not served or dimension in served
